package model

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/hashtag-rec/hashtag/internal/num"
)

// Variant names one of the memory network architectures.
type Variant uint8

const (
	// HMemN2N is the paper's hierarchical model: word-level attention inside
	// each memory post, then sentence-level attention over the posts.
	HMemN2N Variant = iota + 1
	// MemN2N is the paper's degeneration model (Sukhbaatar et al. 2015):
	// each memory post is one bag of words, with one attention over posts.
	MemN2N
	// HMemN2NTags is HMemN2N whose memory posts also carry their own
	// hashtags as memory words "#tag" (after the post's words). It goes
	// beyond the paper's setup, which hides every hashtag from the model.
	HMemN2NTags
	// HMemN2NCopy is HMemN2NTags with a copy path (beyond the paper): next
	// to the softmax over the candidates, a pointer distribution over the
	// hashtags of the memory posts, mixed by a learned gate, so that a
	// person's own hashtags can be suggested even when the model never saw
	// them (doc.go gives the equations).
	HMemN2NCopy
)

// String returns the variant's command-line name.
func (v Variant) String() string {
	switch v {
	case HMemN2N:
		return "hmemn2n"
	case MemN2N:
		return "memn2n"
	case HMemN2NTags:
		return "hmemn2n-tags"
	case HMemN2NCopy:
		return "hmemn2n-copy"
	}
	return fmt.Sprintf("variant(%d)", uint8(v))
}

// Variants lists every variant, the paper's first.
func Variants() []Variant { return []Variant{HMemN2N, MemN2N, HMemN2NTags, HMemN2NCopy} }

// ParseVariant returns the variant named s ("hmemn2n", "memn2n",
// "hmemn2n-tags" or "hmemn2n-copy").
func ParseVariant(s string) (Variant, error) {
	for _, v := range Variants() {
		if v.String() == s {
			return v, nil
		}
	}
	return 0, fmt.Errorf("unknown method %q (want hmemn2n, memn2n, hmemn2n-tags or hmemn2n-copy)", s)
}

// Hierarchical reports whether v has word- and sentence-level attention.
func (v Variant) Hierarchical() bool { return v == HMemN2N || v == HMemN2NTags || v == HMemN2NCopy }

// TagWords reports whether v's memory posts carry their hashtags as memory
// words "#tag".
func (v Variant) TagWords() bool { return v == HMemN2NTags || v == HMemN2NCopy }

// Copies reports whether v has the copy path.
func (v Variant) Copies() bool { return v == HMemN2NCopy }

// Paper reports whether v is one of the paper's models (the others read
// the history's hashtags, which the paper's setup hides).
func (v Variant) Paper() bool { return v == HMemN2N || v == MemN2N }

// MaxMemoryTags is the number of hashtags of one history post kept as memory
// words by the HMemN2NTags variant (the first ones, in order of appearance).
const MaxMemoryTags = 10

// Config is the shape of a model. The paper's settings are Dim 300, Hops 2,
// Memory 5, MaxWords 52.
type Config struct {
	Variant  Variant
	Dim      int // embedding size d
	Hops     int // memory hops H
	Memory   int // history posts kept
	MaxWords int // words kept per post (and per memory post, before tags)
}

// PaperConfig returns the paper's settings for variant v.
func PaperConfig(v Variant) Config {
	return Config{Variant: v, Dim: 300, Hops: 2, Memory: 5, MaxWords: 52}
}

// MaxMemoryWords is the longest memory post the model reads: MaxWords words,
// plus MaxMemoryTags hashtags for HMemN2NTags.
func (c Config) MaxMemoryWords() int {
	if c.Variant.TagWords() {
		return c.MaxWords + MaxMemoryTags
	}
	return c.MaxWords
}

// Validate reports whether c describes a model this package can run.
func (c Config) Validate() error {
	switch {
	case c.Variant < HMemN2N || c.Variant > HMemN2NCopy:
		return fmt.Errorf("unknown variant %d", c.Variant)
	case c.Variant.Copies() && c.Memory > MaxCopyMemory:
		return fmt.Errorf("memory %d out of range [0, %d] for %s", c.Memory, MaxCopyMemory, c.Variant)
	case c.Dim < 1 || c.Dim > 1<<14:
		return fmt.Errorf("dimension %d out of range [1, 16384]", c.Dim)
	case c.Hops < 0 || c.Hops > 64:
		return fmt.Errorf("hops %d out of range [0, 64]", c.Hops)
	case c.Memory < 0 || c.Memory > 1024:
		return fmt.Errorf("memory %d out of range [0, 1024]", c.Memory)
	case c.MaxWords < 1 || c.MaxWords > 1<<16:
		return fmt.Errorf("max words %d out of range [1, 65536]", c.MaxWords)
	}
	return nil
}

// Float is the element type of parameters: float32 for the browser and the
// trainer, float64 for gradient checks.
type Float = num.Float

// Params holds the weights of a model, row-major. With d = Dim, V the
// vocabulary size and K the number of candidate hashtags:
//
//	A, B, C  V×d   word embeddings: post words (A), memory keys (B), memory values (C)
//	Wo, Ws   d×d   sentence-level attention: m_i = tanh(Wo o + Ws s_i) (hierarchical only)
//	Wms      d     sentence-level attention: a_i = Wms·m_i (hierarchical only)
//	Wf       d×2d  output layer: h = Wf [o0 ‖ oH] + Bf
//	Bf       d
//	Theta    K×d   candidate hashtag embeddings: scores = Theta h
//	CopyPos  Memory  copy path: weight ρ_i of a hashtag's presence in memory post i
//	CopyW    3       copy path: λ (sentence attention), κ (the hashtag is a candidate), ν (word attention on "#tag")
//	GateW    2d      gate: weights of [o0 ‖ oH]
//	GateV    GateFeatures+1  gate: weights of the memory features, then the bias
//
// The last four exist for HMemN2NCopy only (copy.go).
//
// B, C, Wo, Ws and Wms are shared by all hops (layer-wise weight tying, as
// in Sukhbaatar et al. 2015, section 2.2).
type Params[F Float] struct {
	Config
	V, K          int
	A, B, C       []F
	Wo, Ws, Wms   []F
	Wf, Bf, Theta []F

	CopyPos, CopyW, GateW, GateV []F
}

// Tensor is one named parameter matrix of Params.
type Tensor[F Float] struct {
	Name       string
	Rows, Cols int
	Data       []F
	Embedding  bool // rows indexed by word id (sparse updates)
}

// NewParams returns zeroed parameters for config c, vocabulary size v and k
// candidates. It panics if c is invalid or v, k are negative.
func NewParams[F Float](c Config, v, k int) *Params[F] {
	if err := c.Validate(); err != nil {
		panic("model: " + err.Error())
	}
	if v < 0 || k < 0 {
		panic("model: negative vocabulary or candidate count")
	}
	p := newDenseParams[F](c, v, k)
	d := c.Dim
	p.A, p.B, p.C = make([]F, v*d), make([]F, v*d), make([]F, v*d)
	return p
}

// newDenseParams returns zeroed parameters without the embeddings A, B, C
// (left nil), for a compact model, which keeps those packed.
func newDenseParams[F Float](c Config, v, k int) *Params[F] {
	d := c.Dim
	p := &Params[F]{Config: c, V: v, K: k,
		Wf: make([]F, d*2*d), Bf: make([]F, d), Theta: make([]F, k*d)}
	if c.Variant.Hierarchical() {
		p.Wo, p.Ws, p.Wms = make([]F, d*d), make([]F, d*d), make([]F, d)
	}
	if c.Variant.Copies() {
		p.CopyPos, p.CopyW = make([]F, c.Memory), make([]F, CopyWeights)
		p.GateW, p.GateV = make([]F, 2*d), make([]F, GateFeatures+1)
	}
	return p
}

// Tensors lists the parameter matrices in a fixed order (the file order).
// Matrices a variant does not use are left out.
func (p *Params[F]) Tensors() []Tensor[F] {
	d := p.Dim
	ts := []Tensor[F]{
		{"A", p.V, d, p.A, true},
		{"B", p.V, d, p.B, true},
		{"C", p.V, d, p.C, true},
	}
	if p.Variant.Hierarchical() {
		ts = append(ts, Tensor[F]{"Wo", d, d, p.Wo, false},
			Tensor[F]{"Ws", d, d, p.Ws, false},
			Tensor[F]{"Wms", 1, d, p.Wms, false})
	}
	ts = append(ts, Tensor[F]{"Wf", d, 2 * d, p.Wf, false},
		Tensor[F]{"Bf", 1, d, p.Bf, false},
		Tensor[F]{"Theta", p.K, d, p.Theta, false})
	if p.Variant.Copies() {
		ts = append(ts, Tensor[F]{"CopyPos", 1, p.Memory, p.CopyPos, false},
			Tensor[F]{"CopyW", 1, CopyWeights, p.CopyW, false},
			Tensor[F]{"GateW", 1, 2 * d, p.GateW, false},
			Tensor[F]{"GateV", 1, GateFeatures + 1, p.GateV, false})
	}
	return ts
}

// isCopyTensor reports whether a tensor named name belongs to the copy path.
func isCopyTensor(name string) bool {
	return name == "CopyPos" || name == "CopyW" || name == "GateW" || name == "GateV"
}

// Init fills p with random initial values from seed: embeddings and Theta
// from N(0, 0.1²) (as Sukhbaatar et al.), the dense matrices uniform in
// ±sqrt(6/(fan_in+fan_out)) (Glorot), Bf and the copy path's parameters
// zero (a gate of 1/2 and a uniform copy distribution to start from).
func (p *Params[F]) Init(seed uint64) {
	r := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	for _, t := range p.Tensors() {
		switch {
		case t.Name == "Bf" || isCopyTensor(t.Name):
			clear(t.Data)
		case t.Embedding || t.Name == "Theta":
			for i := range t.Data {
				t.Data[i] = F(0.1 * r.NormFloat64())
			}
		default:
			lim := math.Sqrt(6 / float64(t.Rows+t.Cols))
			for i := range t.Data {
				t.Data[i] = F(lim * (2*r.Float64() - 1))
			}
		}
	}
}

// Convert returns a copy of p with elements of type G.
func Convert[G, F Float](p *Params[F]) *Params[G] {
	q := NewParams[G](p.Config, p.V, p.K)
	qt := q.Tensors()
	for i, t := range p.Tensors() {
		for j, x := range t.Data {
			qt[i].Data[j] = G(x)
		}
	}
	return q
}
