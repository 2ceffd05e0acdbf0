package post

import (
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// This file holds a minimal DAG-CBOR decoder and the CIDs it links with,
// for the blocks of a Bluesky repository (bluesky.go). DAG-CBOR is CBOR
// (RFC 8949) restricted to what IPLD's data model holds: integers, byte and
// text strings of definite length, arrays, maps with text keys, floats,
// false, true, null, and links (CBOR tag 42 around a byte string holding
// 0x00 and a binary CID).
//
// A block is at most maxCARSection bytes, but its content is hostile until
// read: every declared length is checked against the bytes left before
// anything is allocated, nesting is bounded (maxCBORDepth), and nothing
// the decoder is given makes it panic.
//
// Decoded values are Go values:
//
//	unsigned and negative integers  int64 (uint64 above math.MaxInt64)
//	byte string                     []byte (a slice of the block)
//	text string                     string (valid UTF-8, else an error)
//	array                           []any
//	map                             map[string]any (a key twice is an error)
//	link (tag 42)                   cborLink
//	false, true                     bool
//	null                            nil
//	float                           float64

// cborLink is a link to another block: the binary CID it names.
type cborLink string

// maxCBORDepth bounds the nesting of arrays, maps and tags in a block: a
// Bluesky record nests a few levels (a post's facets are 4 deep).
const maxCBORDepth = 64

// cborError is a block that is not valid DAG-CBOR, at a byte offset.
type cborError struct {
	off int
	msg string
}

func (e *cborError) Error() string { return fmt.Sprintf("at byte %d: %s", e.off, e.msg) }

type cborDecoder struct {
	data []byte
	pos  int
}

func (d *cborDecoder) errAt(off int, format string, args ...any) error {
	return &cborError{off: off, msg: fmt.Sprintf(format, args...)}
}

// decodeCBOR decodes data, which must hold exactly one DAG-CBOR value.
func decodeCBOR(data []byte) (any, error) {
	d := cborDecoder{data: data}
	v, err := d.value(0)
	if err != nil {
		return nil, err
	}
	if d.pos != len(data) {
		return nil, d.errAt(d.pos, "%d bytes after the value (a block holds one value)", len(data)-d.pos)
	}
	return v, nil
}

// left is how many bytes are left to decode.
func (d *cborDecoder) left() uint64 { return uint64(len(d.data) - d.pos) }

// head reads the initial byte of a data item and its argument.
func (d *cborDecoder) head() (major, info byte, arg uint64, err error) {
	if d.pos >= len(d.data) {
		return 0, 0, 0, d.errAt(d.pos, "the data ends where a value was expected")
	}
	start := d.pos
	b := d.data[d.pos]
	d.pos++
	major, info = b>>5, b&0x1f
	switch {
	case info < 24:
		return major, info, uint64(info), nil
	case info <= 27:
		n := 1 << (info - 24)
		if len(d.data)-d.pos < n {
			return 0, 0, 0, d.errAt(start, "the data ends inside a value's head")
		}
		for _, c := range d.data[d.pos : d.pos+n] {
			arg = arg<<8 | uint64(c)
		}
		d.pos += n
		return major, info, arg, nil
	case info == 31:
		if major == 7 {
			return 0, 0, 0, d.errAt(start, "a CBOR break code outside an indefinite-length item")
		}
		return 0, 0, 0, d.errAt(start, "an indefinite-length %s: DAG-CBOR allows only definite lengths", cborMajorName[major])
	}
	return 0, 0, 0, d.errAt(start, "reserved CBOR additional information %d", info)
}

var cborMajorName = [8]string{"unsigned integer", "negative integer", "byte string", "text string", "array", "map", "tag", "simple value"}

// value decodes one value at nesting depth depth.
func (d *cborDecoder) value(depth int) (any, error) {
	if depth > maxCBORDepth {
		return nil, d.errAt(d.pos, "values nested more than %d deep", maxCBORDepth)
	}
	start := d.pos
	major, info, arg, err := d.head()
	if err != nil {
		return nil, err
	}
	switch major {
	case 0:
		if arg > math.MaxInt64 {
			return arg, nil
		}
		return int64(arg), nil
	case 1:
		if arg > math.MaxInt64 {
			return nil, d.errAt(start, "negative integer -1-%d is below the 64-bit range", arg)
		}
		return -1 - int64(arg), nil
	case 2:
		return d.bytes(start, arg)
	case 3:
		b, err := d.bytes(start, arg)
		if err != nil {
			return nil, err
		}
		if !utf8.Valid(b) {
			return nil, d.errAt(start, "a text string that is not valid UTF-8")
		}
		return string(b), nil
	case 4:
		if arg > d.left() { // every element takes a byte at least
			return nil, d.errAt(start, "an array of %d elements declared, only %d bytes left", arg, d.left())
		}
		out := make([]any, 0, min(arg, 1024))
		for range arg {
			v, err := d.value(depth + 1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case 5:
		if arg > d.left()/2 { // every entry takes two bytes at least
			return nil, d.errAt(start, "a map of %d entries declared, only %d bytes left", arg, d.left())
		}
		m := make(map[string]any, min(arg, 64))
		for range arg {
			kstart := d.pos
			kmajor, _, klen, err := d.head()
			if err != nil {
				return nil, err
			}
			if kmajor != 3 {
				return nil, d.errAt(kstart, "a map key that is a %s: DAG-CBOR map keys are text strings", cborMajorName[kmajor])
			}
			kb, err := d.bytes(kstart, klen)
			if err != nil {
				return nil, err
			}
			if !utf8.Valid(kb) {
				return nil, d.errAt(kstart, "a map key that is not valid UTF-8")
			}
			k := string(kb)
			if _, dup := m[k]; dup {
				return nil, d.errAt(kstart, "the map key %q twice", shortText(k))
			}
			v, err := d.value(depth + 1)
			if err != nil {
				return nil, err
			}
			m[k] = v
		}
		return m, nil
	case 6:
		if arg != 42 {
			return nil, d.errAt(start, "CBOR tag %d: DAG-CBOR allows only tag 42 (a link)", arg)
		}
		bstart := d.pos
		bmajor, _, blen, err := d.head()
		if err != nil {
			return nil, err
		}
		if bmajor != 2 {
			return nil, d.errAt(bstart, "a link (tag 42) around a %s: expected a byte string holding a CID", cborMajorName[bmajor])
		}
		b, err := d.bytes(bstart, blen)
		if err != nil {
			return nil, err
		}
		if len(b) == 0 || b[0] != 0 {
			return nil, d.errAt(bstart, "a link (tag 42) whose bytes do not start with 0x00 (the multibase prefix of a binary CID)")
		}
		n, err := cidLen(b[1:])
		if err != nil {
			return nil, d.errAt(bstart, "a link (tag 42): %v", err)
		}
		if n != len(b)-1 {
			return nil, d.errAt(bstart, "a link (tag 42) with %d bytes after its CID", len(b)-1-n)
		}
		return cborLink(b[1:]), nil
	}
	// Major type 7: simple values and floats.
	switch info {
	case 20:
		return false, nil
	case 21:
		return true, nil
	case 22:
		return nil, nil
	case 25:
		return halfFloat(uint16(arg)), nil
	case 26:
		return float64(math.Float32frombits(uint32(arg))), nil
	case 27:
		return math.Float64frombits(arg), nil
	case 23:
		return nil, d.errAt(start, "the CBOR value undefined: DAG-CBOR has no undefined")
	}
	return nil, d.errAt(start, "the CBOR simple value %d: DAG-CBOR has only false, true and null", arg)
}

// bytes returns the next n bytes, for a string that started at start.
func (d *cborDecoder) bytes(start int, n uint64) ([]byte, error) {
	if n > d.left() {
		return nil, d.errAt(start, "a string of %d bytes declared, only %d bytes left", n, d.left())
	}
	b := d.data[d.pos : d.pos+int(n) : d.pos+int(n)]
	d.pos += int(n)
	return b, nil
}

// halfFloat converts an IEEE 754 half-precision float.
func halfFloat(h uint16) float64 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	exp, frac := int(h>>10&0x1f), float64(h&0x3ff)
	switch exp {
	case 0:
		return sign * math.Ldexp(frac, -24)
	case 31:
		if frac != 0 {
			return math.NaN()
		}
		return sign * math.Inf(1)
	}
	return sign * math.Ldexp(1+frac/1024, exp-15)
}

// maxCIDDigest bounds the digest of a CID (a sha2-256 digest is 32 bytes;
// the longest common hashes are 64).
const maxCIDDigest = 128

// cidLen returns the length of the binary CID at the start of b: a CIDv1
// (varint version 1, varint codec, then a multihash: varint hash code,
// varint digest length, digest) or a CIDv0 (a bare sha2-256 multihash,
// 0x12 0x20 and 32 bytes). The digest is not checked against the block: a
// repository export is read as its owner's own data, as the reference CAR
// readers do by default.
func cidLen(b []byte) (int, error) {
	if len(b) >= 2 && b[0] == 0x12 && b[1] == 0x20 {
		if len(b) < 34 {
			return 0, fmt.Errorf("a CIDv0 cut short (%d of its 34 bytes)", len(b))
		}
		return 34, nil
	}
	pos := 0
	next := func(what string) (uint64, error) {
		v, n := binary.Uvarint(b[pos:])
		switch {
		case n == 0:
			return 0, fmt.Errorf("a CID that ends in its %s", what)
		case n < 0:
			return 0, fmt.Errorf("a CID whose %s overflows 64 bits", what)
		}
		pos += n
		return v, nil
	}
	version, err := next("version")
	if err != nil {
		return 0, err
	}
	if version != 1 {
		return 0, fmt.Errorf("a CID of version %d: expected 1 (or a CIDv0, 0x12 0x20 ...)", version)
	}
	if _, err := next("codec"); err != nil {
		return 0, err
	}
	if _, err := next("hash code"); err != nil {
		return 0, err
	}
	n, err := next("digest length")
	if err != nil {
		return 0, err
	}
	if n > maxCIDDigest {
		return 0, fmt.Errorf("a CID with a digest of %d bytes (at most %d expected)", n, maxCIDDigest)
	}
	if uint64(len(b)-pos) < n {
		return 0, fmt.Errorf("a CID cut short: a digest of %d bytes, %d left", n, len(b)-pos)
	}
	return pos + int(n), nil
}

// cidBase32 is the base32 of CIDv1 strings ("bafyrei..."): RFC 4648 lower
// case, no padding.
var cidBase32 = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// cidString is a CID as Bluesky shows it: a CIDv1 in base32 with its
// multibase prefix 'b' ("bafyrei..."), a CIDv0 in base58btc ("Qm...").
func cidString(c cborLink) string {
	if len(c) == 34 && c[0] == 0x12 && c[1] == 0x20 {
		return base58(c)
	}
	return "b" + cidBase32.EncodeToString([]byte(c))
}

// base58 encodes b in Bitcoin's base58 alphabet.
func base58(b cborLink) string {
	const alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
	var digits []byte // little-endian base-58 digits
	for i := 0; i < len(b); i++ {
		carry := int(b[i])
		for j := range digits {
			carry += int(digits[j]) << 8
			digits[j] = byte(carry % 58)
			carry /= 58
		}
		for carry > 0 {
			digits = append(digits, byte(carry%58))
			carry /= 58
		}
	}
	var s strings.Builder
	for i := 0; i < len(b) && b[i] == 0; i++ {
		s.WriteByte('1')
	}
	for i := len(digits) - 1; i >= 0; i-- {
		s.WriteByte(alphabet[digits[i]])
	}
	return s.String()
}

// shortText is s cut to 64 bytes (at a rune boundary) and shown without
// control characters, for messages.
func shortText(s string) string {
	if len(s) > 64 {
		i := 64
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		s = s[:i] + "..."
	}
	return shown(s)
}
