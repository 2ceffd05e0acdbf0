package ui

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hashtag-rec/hashtag/model/text"
)

// MemorySize is how many of the most recent posts the model reads.
const MemorySize = 5

// Entry is one post in the person's history. It is stored as one record,
// keyed by ID, so that a post is added or deleted alone and never by
// rewriting the whole history.
type Entry struct {
	ID   string `json:"id"`   // unique: "t…" for a typed post, "i…" for an imported one
	Text string `json:"text"` // raw text, hashtags included
	Time string `json:"time"` // UTC "YYYY-MM-DD HH:MM:SS", or "" when unknown
	From string `json:"from"` // "typed", or the import format
}

// TimeLayout is the layout of Entry.Time (the post package's).
const TimeLayout = "2006-01-02 15:04:05"

// Before reports whether a comes before b in the history: the more recent
// first, and between posts of the same second the greater ID first (typed
// IDs grow with time). It is the order of the store's index, read backwards.
func Before(a, b Entry) bool {
	if a.Time != b.Time {
		return a.Time > b.Time
	}
	return a.ID > b.ID
}

func cmpEntries(a, b Entry) int {
	switch {
	case Before(a, b):
		return -1
	case Before(b, a):
		return 1
	}
	return 0
}

// History is the person's posts in the order of Before. Its backing array
// is never changed in place: every change makes a new slice, so a slice
// taken from Entries stays valid (a goroutine can read it without the lock).
type History struct {
	Entries []Entry
}

// Recent returns the texts of the n most recent posts, most recent first.
func (h *History) Recent(n int) []string {
	n = min(n, len(h.Entries))
	out := make([]string, n)
	for i := range out {
		out[i] = h.Entries[i].Text
	}
	return out
}

// NewEntry makes a typed post written at now, with a fresh ID.
func NewEntry(text string, now time.Time) Entry {
	return Entry{ID: TypedID(now), Text: text, Time: now.UTC().Format(TimeLayout), From: "typed"}
}

// TypedID is a new ID for a post typed at now: "t", the milliseconds since
// 1970 in base 36 (fixed width, so that later IDs sort after earlier ones)
// and random bits, so that two tabs publishing in the same millisecond
// never make the same ID.
func TypedID(now time.Time) string {
	ms := strconv.FormatInt(now.UnixMilli(), 36)
	if len(ms) < 9 {
		ms = strings.Repeat("0", 9-len(ms)) + ms
	}
	var r [6]byte
	rand.Read(r[:])
	return "t" + ms + "-" + hex.EncodeToString(r[:])
}

// ImportID is the ID of an imported post: a hash of its time and text, so
// that importing the same post twice, in one tab or in two, stores it once.
func ImportID(e Entry) string {
	s := sha256.Sum256([]byte(e.Time + "\x00" + e.Text))
	return "i" + hex.EncodeToString(s[:10])
}

// ContentKey identifies a post by what it says and when, to find a post
// already in the history whatever its ID.
func ContentKey(e Entry) string { return e.Time + "\x00" + e.Text }

// Insert adds entries (in any order) at their places and returns how many
// were added: an entry whose ID is already in the history is skipped. It
// takes O(len(History) + k log k) for k entries.
func (h *History) Insert(entries []Entry) int {
	if len(entries) == 0 {
		return 0
	}
	if len(entries) == 1 { // a publish: one binary search, one copy
		e := entries[0]
		i, _ := slices.BinarySearchFunc(h.Entries, e, cmpEntries)
		for j := i; j < len(h.Entries) && cmpEntries(h.Entries[j], e) == 0; j++ {
			if h.Entries[j].ID == e.ID {
				return 0
			}
		}
		h.Entries = slices.Concat(h.Entries[:i:i], entries, h.Entries[i:])
		return 1
	}
	add := entries
	if !slices.IsSortedFunc(add, cmpEntries) {
		add = slices.Clone(entries)
		slices.SortStableFunc(add, cmpEntries)
	}
	out := make([]Entry, 0, len(h.Entries)+len(add))
	old := h.Entries
	added := 0
	var last Entry
	for len(old) > 0 || len(add) > 0 {
		var e Entry
		fromAdd := false
		switch {
		case len(add) == 0:
			e, old = old[0], old[1:]
		case len(old) == 0 || Before(add[0], old[0]):
			e, add, fromAdd = add[0], add[1:], true
		default:
			e, old = old[0], old[1:]
		}
		if len(out) > 0 && e.ID == last.ID && e.Time == last.Time {
			continue // the same record twice
		}
		if fromAdd {
			added++
		}
		out = append(out, e)
		last = e
	}
	// An ID already present elsewhere (another time: a damaged duplicate)
	// is rare; Insert keeps both rather than guess which is right.
	h.Entries = out
	return added
}

// Delete removes the posts with the given IDs and returns how many it
// removed.
func (h *History) Delete(ids ...string) int {
	if len(ids) == 1 {
		i := slices.IndexFunc(h.Entries, func(e Entry) bool { return e.ID == ids[0] })
		if i < 0 {
			return 0
		}
		h.Entries = slices.Concat(h.Entries[:i:i], h.Entries[i+1:])
		return 1
	}
	set := make(map[string]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	out := make([]Entry, 0, len(h.Entries))
	for _, e := range h.Entries {
		if !set[e.ID] {
			out = append(out, e)
		}
	}
	n := len(h.Entries) - len(out)
	if n > 0 {
		h.Entries = out
	}
	return n
}

// Clear removes every post.
func (h *History) Clear() { h.Entries = nil }

// Set replaces the history with stored entries, sorting them unless they
// already are in order.
func (h *History) Set(entries []Entry) {
	if !slices.IsSortedFunc(entries, cmpEntries) {
		entries = slices.Clone(entries)
		slices.SortStableFunc(entries, cmpEntries)
	}
	h.Entries = entries
}

// Has reports whether a post with this ID is in the history.
func (h *History) Has(id string) bool {
	for _, e := range h.Entries {
		if e.ID == id {
			return true
		}
	}
	return false
}

// shownRunes is how much of a post the history list shows: a pasted post
// can be megabytes long, and one rendered string must fit the renderer's
// 16 KB instruction buffer (4 bytes a rune at most).
const shownRunes = 1000

// Clip returns s cut to at most n runes, with "…" when it was cut.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i, count := 0, 0
	for i < len(s) && count < n {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		count++
	}
	if i >= len(s) {
		return s
	}
	return s[:i] + "…"
}

// ShownText is the part of a post the history list shows.
func ShownText(e Entry) string { return Clip(e.Text, shownRunes) }

// Memory texts are bounded: a post longer than memoryFull bytes is handed
// to the model as its first memoryWords words and first memoryTags
// distinct hashtags only, which the model reads exactly as it reads the
// whole post (it keeps the first text.MaxWords words and the first
// model.MaxMemoryTags hashtags of a memory post), at a cost that does not
// grow with the post.
const (
	memoryFull  = 4096
	memoryWords = 4 * text.MaxWords
	memoryTags  = 64
)

// MemoryText is the text of a history post as the model is given it: the
// post itself when it is short, else an equivalent short text (its words
// and its first distinct hashtags as first written). A post with 20,000
// hashtags costs a keystroke no more than a post with 64.
func MemoryText(s string) string {
	if len(s) <= memoryFull {
		return s
	}
	var b strings.Builder
	for _, w := range text.Tokens(s, memoryWords) {
		b.WriteString(shortWord(w))
		b.WriteByte(' ')
	}
	tags := text.DistinctHashtags(s)
	for _, t := range tags[:min(len(tags), memoryTags)] {
		b.WriteString(" #")
		b.WriteString(t.Form) // as first written: the page shows it
	}
	return b.String()
}

// memoryWordBytes bounds one word of a memory text: a word longer than
// any in a vocabulary (a pasted megabyte of Chinese has no spaces) is
// unknown to the model whole or cut.
const memoryWordBytes = 256

// shortWord cuts a word longer than memoryWordBytes at a rune boundary,
// unless the cut would stop being one word of the tokeniser (a run of
// digits is dropped as a number).
func shortWord(w string) string {
	if len(w) <= memoryWordBytes {
		return w
	}
	i := memoryWordBytes
	for i > 0 && !utf8.RuneStart(w[i]) {
		i--
	}
	if cut := text.Tokens(w[:i], 1); len(cut) == 1 && cut[0] == w[:i] {
		return w[:i]
	}
	return w
}

// utf16Len is the length of s in UTF-16 code units, the unit of the
// browser's selectionStart.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// byteOffset converts a UTF-16 offset into s to a byte offset, clamped to
// the string.
func byteOffset(s string, u16 int) int {
	if u16 <= 0 {
		return 0
	}
	n := 0
	for i, r := range s {
		if n >= u16 {
			return i
		}
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return len(s)
}

// InsertTag inserts "#tag" into s at the caret (a UTF-16 offset, as the
// browser gives it) and returns the new text and caret. If the caret ends a
// hashtag being typed (text.HashtagBefore: the platforms' rule, so "great,#go"
// and "❤️#go" count and "a#go" does not), that hashtag is replaced where it
// stands. Otherwise spaces are added so that the hashtag stands alone.
func InsertTag(s string, caret int, tag string) (string, int) {
	at := byteOffset(s, caret)
	before, after := s[:at], s[at:]
	ins := "#" + tag
	if start, ok := text.HashtagBefore(s, at); ok {
		before = before[:start]
	} else if before != "" && !strings.ContainsAny(before[len(before)-1:], " \t\r\n") {
		ins = " " + ins
	}
	if after == "" || !strings.ContainsAny(after[:1], " \t\r\n") {
		ins += " "
	} else {
		// the caret goes past the existing space
		ins += after[:1]
		after = after[1:]
	}
	out := before + ins + after
	return out, utf16Len(before + ins)
}
