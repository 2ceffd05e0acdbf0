package posttest

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"sort"
	"time"
)

// This file writes Bluesky repository exports: the CAR v1 file Settings →
// "Export my data" gives (com.atproto.sync.getRepo), with its DAG-CBOR
// blocks: the commit, the Merkle Search Tree (MST) of the records, built by
// atproto's rule (a key's layer is the number of leading zero bit pairs of
// its SHA-256; keys of a layer split the lower layers into subtrees;
// entries are prefix-compressed), and the records.

// Link is a link to a block in DAG-CBOR (CBOR tag 42): the binary CID.
type Link []byte

// CID returns the binary CIDv1 of data (codec 0x71 dag-cbor or 0x55 raw,
// sha2-256).
func CID(codec byte, data []byte) Link {
	sum := sha256.Sum256(data)
	return append(Link{0x01, codec, 0x12, 0x20}, sum[:]...)
}

// CBOR encodes v as DAG-CBOR: nil, bool, int, int64, float64, string,
// []byte, Link, []any, []string and map[string]any (keys sorted as
// DAG-CBOR wants: shorter first, then bytewise). It panics on other types.
func CBOR(v any) []byte {
	var b bytes.Buffer
	encodeCBOR(&b, v)
	return b.Bytes()
}

func cborHead(b *bytes.Buffer, major byte, n uint64) {
	m := major << 5
	switch {
	case n < 24:
		b.WriteByte(m | byte(n))
	case n <= math.MaxUint8:
		b.Write([]byte{m | 24, byte(n)})
	case n <= math.MaxUint16:
		b.WriteByte(m | 25)
		binary.Write(b, binary.BigEndian, uint16(n))
	case n <= math.MaxUint32:
		b.WriteByte(m | 26)
		binary.Write(b, binary.BigEndian, uint32(n))
	default:
		b.WriteByte(m | 27)
		binary.Write(b, binary.BigEndian, n)
	}
}

func encodeCBOR(b *bytes.Buffer, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteByte(0xf6)
	case bool:
		if x {
			b.WriteByte(0xf5)
		} else {
			b.WriteByte(0xf4)
		}
	case int:
		encodeCBOR(b, int64(x))
	case int64:
		if x >= 0 {
			cborHead(b, 0, uint64(x))
		} else {
			cborHead(b, 1, uint64(-1-x))
		}
	case float64:
		b.WriteByte(0xfb)
		binary.Write(b, binary.BigEndian, math.Float64bits(x))
	case string:
		cborHead(b, 3, uint64(len(x)))
		b.WriteString(x)
	case []byte:
		cborHead(b, 2, uint64(len(x)))
		b.Write(x)
	case Link:
		b.Write([]byte{0xd8, 42}) // tag 42
		cborHead(b, 2, uint64(len(x)+1))
		b.WriteByte(0) // multibase identity prefix
		b.Write(x)
	case []any:
		cborHead(b, 4, uint64(len(x)))
		for _, e := range x {
			encodeCBOR(b, e)
		}
	case []string:
		cborHead(b, 4, uint64(len(x)))
		for _, e := range x {
			encodeCBOR(b, e)
		}
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			if len(keys[i]) != len(keys[j]) {
				return len(keys[i]) < len(keys[j])
			}
			return keys[i] < keys[j]
		})
		cborHead(b, 5, uint64(len(x)))
		for _, k := range keys {
			encodeCBOR(b, k)
			encodeCBOR(b, x[k])
		}
	default:
		panic(fmt.Sprintf("posttest.CBOR: type %T", v))
	}
}

// Block is one block of a CAR file.
type Block struct {
	CID  Link
	Data []byte
}

// DagBlock is the block of v encoded as DAG-CBOR, with its CID.
func DagBlock(v any) Block {
	data := CBOR(v)
	return Block{CID(0x71, data), data}
}

// Uvarint is x as an unsigned LEB128 varint.
func Uvarint(x uint64) []byte { return binary.AppendUvarint(nil, x) }

// CAR writes a CAR v1 file: its header {"roots": roots, "version": 1},
// then one section per block.
func CAR(roots []Link, blocks ...Block) []byte {
	rs := make([]any, len(roots))
	for i, r := range roots {
		rs[i] = r
	}
	return CARWithHeader(map[string]any{"roots": rs, "version": 1}, blocks...)
}

// CARWithHeader writes a CAR file with the header given (any DAG-CBOR
// value), for files that are wrong in their header.
func CARWithHeader(header any, blocks ...Block) []byte {
	h := CBOR(header)
	out := append(Uvarint(uint64(len(h))), h...)
	for _, bl := range blocks {
		out = binary.AppendUvarint(out, uint64(len(bl.CID)+len(bl.Data)))
		out = append(out, bl.CID...)
		out = append(out, bl.Data...)
	}
	return out
}

// BskyRecord is one record of a Bluesky repository.
type BskyRecord struct {
	Key   string // "collection/rkey"
	Value map[string]any
}

// BskyRepo is a repository as written to a CAR file.
type BskyRepo struct {
	Commit Block   // the root block
	Blocks []Block // every block, the commit first, in the order written
	Depth  int     // levels of the MST
	Nodes  int     // MST nodes
}

// Bytes writes the repository as a CAR v1 file, with extra blocks (which
// nothing links to) after the commit.
func (r BskyRepo) Bytes(extra ...Block) []byte {
	blocks := append([]Block{r.Blocks[0]}, extra...)
	return CAR([]Link{r.Commit.CID}, append(blocks, r.Blocks[1:]...)...)
}

// NewBskyRepo builds the repository of did holding records: the records'
// blocks, the MST over their keys and the commit, in the order getRepo
// writes them (the commit, then each tree node before what it links to).
func NewBskyRepo(did string, records []BskyRecord) BskyRepo {
	items := make([]mstItem, len(records))
	for i, r := range records {
		items[i] = mstItem{key: r.Key, value: DagBlock(r.Value), layer: mstLayer(r.Key)}
	}
	sort.Slice(items, func(i, j int) bool { return items[i].key < items[j].key })
	top := 0
	for _, it := range items {
		top = max(top, it.layer)
	}
	var m mstBuilder
	root := m.node(items, top)
	commit := DagBlock(map[string]any{
		"did": did, "version": 3, "data": root.CID, "rev": tid(time.Date(2024, 5, 10, 12, 0, 0, 0, time.UTC), 7),
		"prev": nil, "sig": bytes.Repeat([]byte{0x5a, 0x0d, 0x0a, 0x00}, 16),
	})
	return BskyRepo{Commit: commit, Blocks: append([]Block{commit}, m.blocks...), Depth: top + 1, Nodes: m.nodes}
}

type mstItem struct {
	key   string
	value Block
	layer int
}

// mstLayer is the layer of key in an MST of fanout 4: the leading zero
// bit pairs of its SHA-256.
func mstLayer(key string) int {
	sum := sha256.Sum256([]byte(key))
	n := 0
	for _, b := range sum {
		if b == 0 {
			n += 4
			continue
		}
		switch {
		case b&0xfc == 0:
			n += 3
		case b&0xf0 == 0:
			n += 2
		case b&0xc0 == 0:
			n++
		}
		break
	}
	return n
}

type mstBuilder struct {
	blocks []Block
	nodes  int
}

// node writes the node of layer layer holding items (sorted, none above
// layer) and returns its block. The node's block comes before the blocks
// it links to.
func (m *mstBuilder) node(items []mstItem, layer int) Block {
	at := len(m.blocks)
	m.blocks = append(m.blocks, Block{}) // the node's place
	m.nodes++
	var l any
	var entries []any
	var prev string
	var group []mstItem
	subtree := func() any {
		if len(group) == 0 {
			return nil
		}
		g := group
		group = nil
		return m.node(g, layer-1).CID
	}
	for _, it := range items {
		if it.layer < layer {
			group = append(group, it)
			continue
		}
		sub := subtree()
		if len(entries) == 0 {
			l = sub
		} else {
			entries[len(entries)-1].(map[string]any)["t"] = sub
		}
		p := 0
		for p < len(prev) && p < len(it.key) && prev[p] == it.key[p] {
			p++
		}
		entries = append(entries, map[string]any{"p": p, "k": []byte(it.key[p:]), "v": it.value.CID, "t": nil})
		m.blocks = append(m.blocks, it.value)
		prev = it.key
	}
	sub := subtree()
	if len(entries) == 0 {
		l = sub
	} else {
		entries[len(entries)-1].(map[string]any)["t"] = sub
	}
	if entries == nil {
		entries = []any{}
	}
	b := DagBlock(map[string]any{"l": l, "e": entries})
	m.blocks[at] = b
	return b
}

// tid is a record key of atproto's TID form: 13 characters of
// base32-sortable holding the microseconds since 1970 and a clock id.
func tid(t time.Time, clock uint64) string {
	const alphabet = "234567abcdefghijklmnopqrstuvwxyz"
	v := uint64(t.UnixMicro())<<10 | clock&0x3ff
	var b [13]byte
	for i := 12; i >= 0; i-- {
		b[i] = alphabet[v&31]
		v >>= 5
	}
	return string(b[:])
}

// bskyDID is the account of the fixture repository.
const bskyDID = "did:plc:w4xbfzo7kqfes5zb7r6qv3rw"

// BlueskyDID is the DID of BlueskyCAR's account.
const BlueskyDID = bskyDID

// bskyPost is a post record of the fixture.
type bskyPost struct {
	text      string
	createdAt string
	langs     []string
	tags      []string // the record's "tags"
	reply     bool
	images    bool
	hashtags  []string // of the post as read (text and tags), lower-cased
}

// bskyPosts are the posts of BlueskyCAR, in time order: a post with a
// hashtag facet, a reply with a mention, hashtags only in "tags", a tag
// also in the text (in another case) and one not, a time with an offset,
// a post of only an image, no language, two languages.
var bskyPosts = []bskyPost{
	{text: "Hello #Bluesky! Moving my posts over from the other place", createdAt: "2024-05-04T08:00:00.000Z", langs: []string{"en"}, hashtags: []string{"bluesky"}},
	{text: "@bob.bsky.social agreed, #golang all the way", createdAt: "2024-05-04T09:30:00.000Z", langs: []string{"en"}, reply: true, hashtags: []string{"golang"}},
	{text: "Trying the new custom feeds", createdAt: "2024-05-05T12:00:00.000Z", langs: []string{"en"}, tags: []string{"BuildInPublic", "golang"}, hashtags: []string{"buildinpublic", "golang"}},
	{text: "Guten Morgen #Kaffee", createdAt: "2024-05-06T09:15:00.123+02:00", langs: []string{"de"}, tags: []string{"kaffee", "Morgen"}, hashtags: []string{"kaffee", "morgen"}},
	{text: "", createdAt: "2024-05-07T18:00:00.000Z", langs: []string{"en"}, images: true},
	{text: "no language set here #nolang", createdAt: "2024-05-08T07:00:00.000Z", hashtags: []string{"nolang"}},
	{text: "新しい #プロジェクト を始めました", createdAt: "2024-05-09T03:00:00.000Z", langs: []string{"ja", "en"}, hashtags: []string{"プロジェクト"}},
}

// BlueskyPostTexts are the texts of BlueskyCAR's posts as read (a
// post's "tags" appended to its text), in order.
var BlueskyPostTexts = []string{
	"Hello #Bluesky! Moving my posts over from the other place",
	"@bob.bsky.social agreed, #golang all the way",
	"Trying the new custom feeds #BuildInPublic #golang",
	"Guten Morgen #Kaffee #Morgen",
	"",
	"no language set here #nolang",
	"新しい #プロジェクト を始めました",
}

// BlueskyUnreachable is the text of the post of BlueskyCAR's extra block,
// which the repository's tree does not link to.
const BlueskyUnreachable = "An old draft nobody links to #Unreachable"

func bskyTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// facets are the rich-text facets the app writes for text: a tag facet
// per "#tag", a mention facet per "@handle", with UTF-8 byte offsets.
func facets(text string) []any {
	var out []any
	for i := 0; i < len(text); i++ {
		if text[i] != '#' && text[i] != '@' {
			continue
		}
		j := i + 1
		for j < len(text) && text[j] != ' ' && text[j] != '!' && text[j] != ',' {
			j++
		}
		var feature map[string]any
		if text[i] == '#' {
			feature = map[string]any{"$type": "app.bsky.richtext.facet#tag", "tag": text[i+1 : j]}
		} else {
			feature = map[string]any{"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:bobbobbobbobbobbobbobbob"}
		}
		out = append(out, map[string]any{
			"$type":    "app.bsky.richtext.facet",
			"index":    map[string]any{"byteStart": i, "byteEnd": j},
			"features": []any{feature},
		})
		i = j - 1
	}
	return out
}

func strongRef(uri string) map[string]any {
	return map[string]any{"uri": uri, "cid": "bafyreihzk6jhbdayu3f6smjbjgjvekrjpkt5s4nsptbsjfybcj3nchpi2u"}
}

// bskyPostRecord writes a post as the app does.
func bskyPostRecord(p bskyPost) map[string]any {
	r := map[string]any{"$type": "app.bsky.feed.post", "text": p.text, "createdAt": p.createdAt}
	if p.langs != nil {
		r["langs"] = p.langs
	}
	if p.tags != nil {
		r["tags"] = p.tags
	}
	if f := facets(p.text); f != nil {
		r["facets"] = f
	}
	if p.reply {
		parent := strongRef("at://did:plc:bobbobbobbobbobbobbobbob/app.bsky.feed.post/3kryjdxlxqk2a")
		r["reply"] = map[string]any{"root": parent, "parent": parent}
	}
	if p.images {
		r["embed"] = map[string]any{"$type": "app.bsky.embed.images", "images": []any{map[string]any{
			"alt":         "a sunset over the lake",
			"image":       map[string]any{"$type": "blob", "ref": CID(0x55, []byte("sunset.jpg")), "mimeType": "image/jpeg", "size": 183211},
			"aspectRatio": map[string]any{"width": 2000, "height": 1500},
		}}}
	}
	return r
}

// blueskyRecords are the records of BlueskyCAR: the posts, a repost,
// likes, a follow and the profile.
func blueskyRecords() []BskyRecord {
	var recs []BskyRecord
	for i, p := range bskyPosts {
		recs = append(recs, BskyRecord{"app.bsky.feed.post/" + tid(bskyTime(p.createdAt), uint64(i)), bskyPostRecord(p)})
	}
	subject := strongRef("at://did:plc:bobbobbobbobbobbobbobbob/app.bsky.feed.post/3krykx2g5ls2b")
	repostAt := bskyTime("2024-05-06T20:00:00.000Z")
	recs = append(recs, BskyRecord{"app.bsky.feed.repost/" + tid(repostAt, 3), map[string]any{
		"$type": "app.bsky.feed.repost", "subject": subject, "createdAt": "2024-05-06T20:00:00.000Z"}})
	for i, at := range []string{"2024-05-05T10:00:00.000Z", "2024-05-07T11:00:00.000Z"} {
		recs = append(recs, BskyRecord{"app.bsky.feed.like/" + tid(bskyTime(at), uint64(i)), map[string]any{
			"$type": "app.bsky.feed.like", "subject": subject, "createdAt": at}})
	}
	recs = append(recs, BskyRecord{"app.bsky.graph.follow/" + tid(bskyTime("2024-05-04T07:00:00.000Z"), 1), map[string]any{
		"$type": "app.bsky.graph.follow", "subject": "did:plc:bobbobbobbobbobbobbobbob", "createdAt": "2024-05-04T07:00:00.000Z"}})
	recs = append(recs, BskyRecord{"app.bsky.actor.profile/self", map[string]any{
		"$type": "app.bsky.actor.profile", "displayName": "Alice", "description": "Gopher. #golang #coffee",
		"avatar": map[string]any{"$type": "blob", "ref": CID(0x55, []byte("avatar.png")), "mimeType": "image/png", "size": 5123}}})
	return recs
}

// BlueskyRepo is the repository of BlueskyCAR, for tests that take it
// apart.
func BlueskyRepo() BskyRepo { return NewBskyRepo(bskyDID, blueskyRecords()) }

// BlueskyUnreachableBlock is the extra block of BlueskyCAR: a post record
// the tree does not link to.
func BlueskyUnreachableBlock() Block {
	return DagBlock(bskyPostRecord(bskyPost{text: BlueskyUnreachable, createdAt: "2024-01-01T00:00:00.000Z", langs: []string{"en"}}))
}

// BlueskyCAR is a Bluesky repository export (repo.car): the commit, an
// MST of two levels or more over 12 records (7 posts, a repost, 2 likes, a
// follow, the profile), and one extra block nothing links to.
func BlueskyCAR() Fixture {
	var records, kept int
	var tags []string
	seen := map[string]bool{}
	for _, p := range bskyPosts {
		records++
		if p.text == "" {
			continue
		}
		kept++
		for _, h := range p.hashtags {
			if !seen[h] {
				seen[h] = true
				tags = append(tags, h)
			}
		}
	}
	records++ // the repost
	repo := BlueskyRepo()
	if repo.Depth < 2 {
		panic("posttest: the Bluesky fixture's tree has one level")
	}
	return Fixture{Name: "alice.bsky.social-2024-05-10.car", Data: repo.Bytes(BlueskyUnreachableBlock()), Records: records, Kept: kept, Tags: tags}
}
