package ui

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// MemorySize is how many of the most recent posts the model reads.
const MemorySize = 5

// Entry is one post in the person's history.
type Entry struct {
	ID   string `json:"id"`   // unique within the history
	Text string `json:"text"` // raw text, hashtags included
	Time string `json:"time"` // UTC "YYYY-MM-DD HH:MM:SS"
	From string `json:"from"` // "typed", or the import format
}

// TimeLayout is the layout of Entry.Time (the post package's).
const TimeLayout = "2006-01-02 15:04:05"

// History is the person's posts, most recent first.
type History struct {
	Entries []Entry
	seq     int
}

// Recent returns the texts of the n most recent posts, most recent first.
func (h *History) Recent(n int) []string {
	if n > len(h.Entries) {
		n = len(h.Entries)
	}
	out := make([]string, n)
	for i := range out {
		out[i] = h.Entries[i].Text
	}
	return out
}

// Publish adds a typed post as the most recent one and returns it.
func (h *History) Publish(text string, now time.Time) Entry {
	e := Entry{ID: h.newID(now), Text: text, Time: now.UTC().Format(TimeLayout), From: "typed"}
	h.Entries = append([]Entry{e}, h.Entries...)
	return e
}

// Delete removes the post with the given id and reports whether it was there.
func (h *History) Delete(id string) bool {
	for i, e := range h.Entries {
		if e.ID == id {
			h.Entries = append(h.Entries[:i:i], h.Entries[i+1:]...)
			return true
		}
	}
	return false
}

// Clear removes every post.
func (h *History) Clear() { h.Entries = nil }

// Merge adds posts (imported ones), skipping any already present with the
// same time and text, and keeps the history sorted most recent first. It
// returns how many were added.
func (h *History) Merge(posts []Entry, now time.Time) int {
	seen := make(map[string]bool, len(h.Entries))
	for _, e := range h.Entries {
		seen[e.Time+"\x00"+e.Text] = true
	}
	added := 0
	for _, p := range posts {
		k := p.Time + "\x00" + p.Text
		if seen[k] {
			continue
		}
		seen[k] = true
		p.ID = h.newID(now)
		h.Entries = append(h.Entries, p)
		added++
	}
	h.sort()
	return added
}

// sort orders entries most recent first; entries without a time keep their
// place relative to each other after the timed ones of the same rank.
func (h *History) sort() {
	sort.SliceStable(h.Entries, func(i, j int) bool { return h.Entries[i].Time > h.Entries[j].Time })
}

// Set replaces the history with stored entries (as Load returned them).
func (h *History) Set(entries []Entry) {
	h.Entries = entries
	h.sort()
}

func (h *History) newID(now time.Time) string {
	h.seq++
	return strconv.FormatInt(now.UnixMilli(), 36) + "-" + strconv.Itoa(h.seq)
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

// InsertTag inserts "#tag" into text at the caret (a UTF-16 offset, as the
// browser gives it) and returns the new text and caret. If the caret ends a
// word that starts with '#' (a hashtag being typed), that word is replaced.
// Spaces are added so that the hashtag stands alone.
func InsertTag(text string, caret int, tag string) (string, int) {
	at := byteOffset(text, caret)
	before, after := text[:at], text[at:]
	if i := strings.LastIndexAny(before, " \t\r\n"); strings.HasPrefix(before[i+1:], "#") {
		before = before[:i+1]
	}
	ins := "#" + tag
	if before != "" && !strings.ContainsAny(before[len(before)-1:], " \t\r\n") {
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
