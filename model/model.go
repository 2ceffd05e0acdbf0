package model

import (
	"fmt"
	"strings"

	"github.com/hashtag-rec/hashtag/model/text"
)

// Model is a trained model as the browser runs it: float32 parameters, the
// word vocabulary (ids index Words) and the candidate hashtags (scores
// index Tags).
//
// Words holds the words text.Tokens produces and, for HMemN2NTags, memory
// words "#tag" for hashtags of history posts. A word never starts with '#',
// so the two kinds cannot collide.
//
// A model read from a compact file keeps its embeddings packed (Packed):
// its A, B and C are nil, and the forward pass decodes the rows it reads.
// Dequantize gives a model with float32 embeddings; the other parameters
// are float32 either way.
type Model struct {
	Params[float32]
	Words []string
	Tags  []string
	// Display holds, for each of Tags, the form to show (the most frequent
	// original spelling in the training posts, e.g. "ClimateMarch"); it may
	// be empty (show Tags).
	Display []string

	index  map[string]int32
	packed *packedEmbeddings // nil: the embeddings are A, B, C
	tagIdx map[string]int32  // candidate index of each of Tags
}

// New returns a model with zeroed weights for config c, vocabulary words and
// candidate hashtags tags (without '#'). It fails on an invalid config or a
// duplicate word.
func New(c Config, words, tags []string) (*Model, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	m := &Model{Params: *NewParams[float32](c, len(words), len(tags)), Words: words, Tags: tags}
	if err := m.buildIndex(); err != nil {
		return nil, err
	}
	return m, nil
}

func (m *Model) buildIndex() error {
	m.index = make(map[string]int32, len(m.Words))
	for i, w := range m.Words {
		if _, dup := m.index[w]; dup {
			return fmt.Errorf("duplicate vocabulary word %q", w)
		}
		m.index[w] = int32(i)
	}
	m.tagIdx = make(map[string]int32, len(m.Tags))
	for c, t := range m.Tags {
		if _, dup := m.tagIdx[t]; dup {
			return fmt.Errorf("duplicate candidate hashtag %q", t)
		}
		m.tagIdx[t] = int32(c)
	}
	return nil
}

// WordID returns the id of vocabulary word w.
func (m *Model) WordID(w string) (int32, bool) {
	id, ok := m.index[w]
	return id, ok
}

// TagWord is the memory word of hashtag tag (lower-cased, without '#') in
// the HMemN2NTags variant: "#" + tag.
func TagWord(tag string) string { return "#" + tag }

// Encode turns a post's raw text and the raw texts of its author's earlier
// posts (most recent first, hashtags included) into the model's input:
//
//   - Words: the ids of text.Tokens(post, MaxWords) that are in the
//     vocabulary (unknown words are dropped after the MaxWords cut);
//   - Memory: one entry per history text, at most Memory of them, each the
//     known ids of text.Tokens(h, MaxWords), followed for HMemN2NTags and
//     HMemN2NCopy by the known ids of TagWord(t) for the first
//     MaxMemoryTags hashtags t of text.DistinctHashtags(h) (the platforms'
//     rule, which the page uses everywhere). An entry may be empty; the
//     forward pass skips it.
//   - Tags (HMemN2NCopy): the distinct hashtags of those first
//     MaxMemoryTags of each history post, in order of first appearance,
//     each with the form the person wrote first, its candidate index and
//     memory word id, and the posts that carry it.
//
// The trainer builds its examples by the same rules from a dataset, whose
// hashtags follow the benchmark's rule (trainer/dataset); the two rules
// differ only on rare texts (a '#' inside a URL, the full-width '＃', joiners
// inside a hashtag).
func (m *Model) Encode(post string, history []string) Input {
	in := Input{Words: m.appendIDs(nil, text.Tokens(post, m.MaxWords))}
	if len(history) > m.Memory {
		history = history[:m.Memory]
	}
	for i, h := range history {
		ids := m.appendIDs(nil, text.Tokens(h, m.MaxWords))
		if m.Variant.TagWords() {
			tags := text.DistinctHashtags(h)
			if len(tags) > MaxMemoryTags {
				tags = tags[:MaxMemoryTags]
			}
			for _, t := range tags {
				if id, ok := m.index[TagWord(t.Key)]; ok {
					ids = append(ids, id)
				}
			}
			if m.Variant.Copies() {
				in.Tags = m.appendCopyTags(in.Tags, i, tags)
			}
		}
		in.Memory = append(in.Memory, ids)
	}
	return in
}

// appendCopyTags adds the hashtags hs of memory post i to the distinct
// memory hashtags tags.
func (m *Model) appendCopyTags(tags []CopyTag, i int, hs []text.Hashtag) []CopyTag {
	for _, h := range hs {
		key := h.Key
		found := false
		for j := range tags {
			if tags[j].Name == key {
				tags[j].Posts |= 1 << uint(i)
				found = true
				break
			}
		}
		if found {
			continue
		}
		c := int32(-1)
		if id, ok := m.tagIdx[key]; ok {
			c = id
		}
		w := int32(-1)
		if id, ok := m.index[TagWord(key)]; ok {
			w = id
		}
		tags = append(tags, CopyTag{Name: key, Display: h.Form, ID: -1, Cand: c, Posts: 1 << uint(i), Word: w})
	}
	return tags
}

// TagIndex returns the candidate index of hashtag tag (lower case, without
// '#').
func (m *Model) TagIndex(tag string) (int32, bool) {
	c, ok := m.tagIdx[tag]
	return c, ok
}

func (m *Model) appendIDs(dst []int32, words []string) []int32 {
	for _, w := range words {
		if id, ok := m.index[w]; ok {
			dst = append(dst, id)
		}
	}
	return dst
}

// String describes the model in one line.
func (m *Model) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s dim %d, %d hops, memory %d, %d words, vocabulary %d, %d hashtags",
		m.Variant, m.Dim, m.Hops, m.Memory, m.MaxWords, m.V, m.K)
	return b.String()
}
