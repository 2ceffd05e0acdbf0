package model

import (
	"math"

	"github.com/hashtag-rec/hashtag/internal/num"
)

// MaxCopyMemory bounds Config.Memory for HMemN2NCopy: the memory posts that
// carry a hashtag are a bit set (CopyTag.Posts).
const MaxCopyMemory = 32

// GateFeatures is the number of features the copy gate reads besides
// [o0 ‖ oH]: three of the memory (CopyFeatures) and the two paths'
// confidences (the largest softmax and copy probabilities).
const GateFeatures = 5

// CopyTag is one distinct hashtag of a post's memory as the copy path of
// HMemN2NCopy sees it. An Input lists them (Input.Tags) in order of first
// appearance, most recent memory post first.
type CopyTag struct {
	// Name is the hashtag (lower case, without '#'). The model does not read
	// it; Recommend returns it.
	Name string
	// Display is the form to show, as the person wrote it (Recommend).
	Display string
	// ID is the caller's id of the hashtag (the trainer: a dataset tag id);
	// the model does not read it.
	ID int32
	// Cand is the hashtag's candidate index (into Model.Tags), or -1 when
	// the model's softmax does not know it.
	Cand int32
	// Posts has bit i set when memory post i (0: the most recent) carries
	// the hashtag. Bits at or beyond the memory size are ignored.
	Posts uint32
	// Word is the model's id of the memory word "#name" (TagWord), whose
	// word-level attention in each memory post says how related the
	// hashtag is to the post being written, or -1 when the vocabulary
	// lacks it.
	Word int32
}

// CopyWeights is the length of Params.CopyW: λ, κ, ν.
const CopyWeights = 3

// CopyFeatures fills phi[0:3] with the memory features the gate reads, for
// the copy tags of an input with the given memory size:
//
//	φ1 = (memory posts that carry a hashtag) / memory
//	φ2 = (largest number of memory posts that carry one same hashtag) / memory
//	φ3 = log(1 + distinct hashtags) / log(1 + memory·MaxMemoryTags)
//
// The gate's other features are φ4 = max_c p_softmax(c) and φ5 =
// max_t p_copy(t) (MaxProb).
func CopyFeatures[F Float](tags []CopyTag, memory int, phi []F) {
	clear(phi[:3])
	if memory <= 0 || len(tags) == 0 {
		return
	}
	mask := uint32(1)<<uint(memory) - 1
	if memory >= 32 {
		mask = ^uint32(0)
	}
	var carried uint32
	most := 0
	for _, t := range tags {
		b := t.Posts & mask
		carried |= b
		most = max(most, popcount(b))
	}
	phi[0] = F(float64(popcount(carried)) / float64(memory))
	phi[1] = F(float64(most) / float64(memory))
	phi[2] = F(math.Log1p(float64(len(tags))) / math.Log1p(float64(memory*MaxMemoryTags)))
}

// MaxProb returns the largest probability of num.Softmax(logits) and its index
// (the first, on ties); 0 and -1 for no logits.
func MaxProb[F Float](logits []F) (F, int) {
	if len(logits) == 0 {
		return 0, -1
	}
	m := 0
	for k, z := range logits {
		if z > logits[m] {
			m = k
		}
	}
	var sum float64
	for _, z := range logits {
		sum += math.Exp(float64(z - logits[m]))
	}
	return F(1 / sum), m
}

// ArgMax returns the largest of x and its index (the first, on ties).
func ArgMax[F Float](x []F) (F, int) {
	m := 0
	for k, v := range x {
		if v > x[m] {
			m = k
		}
	}
	return x[m], m
}

func popcount(x uint32) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

// CopyLogit returns the copy score of hashtag t,
//
//	σ_t = Σ_{i ∈ posts(t), i < Memory} (ρ_i + λ·α_i + ν·β_i) + κ·[t is a candidate],
//
// with ρ = CopyPos, (λ, κ, ν) = CopyW, α the sentence-level attention of
// the last hop by memory post and β the last hop's word-level attention on
// t's memory word "#t" in each memory post (tagAttn; 0 where the post
// lacks it). alpha and tagAttn may be nil (none, as with no hops).
func CopyLogit[F Float](p *Params[F], t CopyTag, alpha, tagAttn []F) F {
	var s F
	lambda, nu := p.CopyW[0], p.CopyW[2]
	for i := 0; i < p.Memory; i++ {
		if t.Posts&(1<<uint(i)) == 0 {
			continue
		}
		s += p.CopyPos[i]
		if i < len(alpha) {
			s += lambda * alpha[i]
		}
		if i < len(tagAttn) {
			s += nu * tagAttn[i]
		}
	}
	if t.Cand >= 0 {
		s += p.CopyW[1]
	}
	return s
}

// GateLogit returns the gate's logit γ = GateW·x + Σ_f GateV_f·φ_f + b for
// x = [o0 ‖ oH] and φ the memory features (CopyFeatures); the gate is
// g = sigmoid(γ).
func GateLogit[F Float](p *Params[F], x, phi []F) F {
	var s F
	for j, w := range p.GateW {
		s += w * x[j]
	}
	for f := 0; f < GateFeatures; f++ {
		s += p.GateV[f] * phi[f]
	}
	return s + p.GateV[GateFeatures]
}

// Sigmoid returns 1/(1+exp(-x)).
func Sigmoid[F Float](x F) F { return F(1 / (1 + math.Exp(-float64(x)))) }

// copyPath computes, for HMemN2NCopy, the gate g and the copy distribution
// over in.Tags (into s.copy), given the candidate scores (logits), the last
// hop's sentence and word attention by memory post (nil with no hops) and x =
// [o0 ‖ oH]. With no memory hashtag the gate is 1 and the copy
// distribution empty.
func (m *Model) copyPath(in Input, scores, alpha []float32, word [][]float32, x []float32, s *Scratch) (float32, []float32) {
	s.copy = grow(s.copy, len(in.Tags))
	if len(in.Tags) == 0 {
		return 1, s.copy
	}
	var att []float32
	if alpha != nil {
		att = make([]float32, m.Memory)
	}
	for j, t := range in.Tags {
		if att != nil {
			clear(att)
			for i := 0; i < len(in.Memory) && i < len(word) && i < m.Memory; i++ {
				if t.Posts&(1<<uint(i)) == 0 || t.Word < 0 {
					continue
				}
				for k, w := range in.Memory[i] {
					if w == t.Word && k < len(word[i]) {
						att[i] = word[i][k]
						break
					}
				}
			}
		}
		s.copy[j] = CopyLogit(&m.Params, t, alpha, att)
	}
	num.Softmax(s.copy)
	var phi [GateFeatures]float32
	CopyFeatures(in.Tags, m.Memory, phi[:])
	phi[3], _ = MaxProb(scores)
	phi[4], _ = ArgMax(s.copy)
	return Sigmoid(GateLogit(&m.Params, x, phi[:])), s.copy
}

// MixCandidates turns candidate probabilities ps (the softmax, in place)
// into the copy model's probabilities of the candidates,
// g·ps(c) + (1−g)·pc(t) where t is the memory hashtag of candidate c (if
// any). The probabilities of the memory hashtags that are not candidates
// are (1−g)·copy[j] for their tags[j].
func MixCandidates[F Float](ps []F, g F, tags []CopyTag, copyP []F) {
	if g == 1 {
		return
	}
	for c := range ps {
		ps[c] *= g
	}
	for j, t := range tags {
		if t.Cand >= 0 {
			ps[t.Cand] += (1 - g) * copyP[j]
		}
	}
}
