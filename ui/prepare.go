package ui

import (
	"encoding/json"
	"slices"
)

// importChunk is how many posts one chunk of an import holds: one store
// transaction, and a slice of the page's work small enough not to hold
// the page (about 10 ms to decode and merge in the browser).
const importChunk = 200

// Prepared is an import ready to store: the report of what the file held
// and its posts, IDs set, most recent first, as JSON arrays of Entry of at
// most importChunk posts (a string crosses from a worker to the page at
// the cost of a copy, where 50,000 objects would each cost a conversion).
type Prepared struct {
	Report ImportReport `json:"report"`
	Chunks []string     `json:"chunks"`
	// Lazy, when set, gives the chunks one at a time instead (NumLazy of
	// them), so that the page holds one chunk at a time, not the whole
	// import twice (as a JavaScript value and as Go strings).
	Lazy    func(i int) (string, error) `json:"-"`
	NumLazy int                         `json:"-"`
}

func (p Prepared) count() int {
	if p.Lazy != nil {
		return p.NumLazy
	}
	return len(p.Chunks)
}

func (p Prepared) chunk(i int) (string, error) {
	if p.Lazy != nil {
		return p.Lazy(i)
	}
	return p.Chunks[i], nil
}

// PrepareImport parses an import file (ParseImport) and prepares its posts
// for the store: each gets its ImportID, duplicates within the file are
// dropped, and they are sorted in the history's order and cut into chunks.
// It is the heavy part of an import: the page runs it in a worker.
func PrepareImport(name string, data []byte) (Prepared, error) {
	entries, rep, err := ParseImport(name, data)
	if err != nil {
		return Prepared{}, err
	}
	seen := make(map[string]bool, len(entries))
	out := entries[:0]
	for _, e := range entries {
		e.ID = ImportID(e)
		if seen[e.ID] {
			rep.Kept-- // the same post twice in the file: stored once
			continue
		}
		seen[e.ID] = true
		out = append(out, e)
	}
	slices.SortStableFunc(out, cmpEntries)
	p := Prepared{Report: rep}
	for i := 0; i < len(out); i += importChunk {
		b, err := json.Marshal(out[i:min(i+importChunk, len(out))])
		if err != nil {
			return Prepared{}, err
		}
		p.Chunks = append(p.Chunks, string(b))
	}
	return p, nil
}
