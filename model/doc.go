// Package model holds HMemN2N (Huang et al., COLING 2016) and MemN2N
// (Sukhbaatar et al., 2015) as the browser and the trainer both run them:
// the parameters, the forward pass, and the model file formats.
//
// # Architecture
//
// A post is a bag of words: o0 = Σ_w A w. Its memory is the author's (at
// most Memory) most recent earlier posts; empty memory posts take no part
// in attention, and with none the memory read is u = 0. Hop h = 0..H-1:
//
//   - HMemN2N (the paper): word-level attention inside memory post i,
//     p_ij = softmax_j(o_h·B w_ij), s_i = Σ_j p_ij C w_ij; sentence-level
//     attention m_i = tanh(Wo o_h + Ws s_i), p_i = softmax_i(Wms·m_i),
//     u = Σ_i p_i s_i.
//   - MemN2N (the paper's degeneration model, Sukhbaatar et al.): m_i =
//     Σ_j B w_ij, c_i = Σ_j C w_ij, p_i = softmax_i(o_h·m_i), u = Σ_i p_i c_i.
//   - HMemN2NTags (beyond the paper): HMemN2N whose memory posts also hold
//     their first MaxMemoryTags hashtags as words "#tag" after their words.
//   - HMemN2NCopy (beyond the paper): HMemN2NTags with a copy path (below).
//
// and o_{h+1} = o_h + u. B, C, Wo, Ws, Wms are shared by all hops. Output:
// h = Wf [o0 ‖ oH] + Bf, scores = Theta h, softmax over the candidates.
// Training (package trainer) adds dropout on [o0 ‖ oH].
//
// # The copy path (HMemN2NCopy, beyond the paper)
//
// HMemN2NTags can only rank the K candidate hashtags of its training
// corpus. HMemN2NCopy adds a pointer distribution over the hashtags that
// stand in the memory posts, so that a person's own hashtags, known to the
// model or not, can be suggested. Let T be the distinct hashtags of the
// memory posts (the first MaxMemoryTags of each post; Input.Tags), and for
// t ∈ T let P(t) be the memory posts that carry it. With α_i the
// sentence-level attention of the last hop on memory post i (0 for an
// empty post; no term with no hops):
//
//	σ_t = Σ_{i∈P(t)} (ρ_i + λ·α_i) + κ·[t is a candidate]     (CopyLogit)
//	p_copy(t) = softmax_{t∈T}(σ_t)
//	g = sigmoid(w_g·[o0 ‖ oH] + v·φ + b)                       (GateLogit)
//	p(t) = g·p_softmax(t) + (1−g)·p_copy(t)
//
// where p_softmax(t) = 0 for a hashtag that is not a candidate, p_copy(t) =
// 0 for one not in memory, and with T empty g = 1. ρ (CopyPos, one weight
// per memory position) lets a hashtag's recency and count in memory add
// up; λ lets the posts the attention finds related to the post being
// written lend their hashtags more weight; κ is a prior for the hashtags
// the model knows. The gate reads the post and its memory read [o0 ‖ oH]
// (what is being written) and three memory features φ (CopyFeatures: the
// share of memory posts that carry a hashtag, the largest count of one
// hashtag over the memory, the number of distinct hashtags): how much the
// person's recent hashtags are worth now. A candidate in memory is helped
// by both paths.
//
// Training minimises -(1/|G|) Σ_{t∈G} log p(t) over the post's hashtags G
// the model can give (candidates and memory hashtags; train posts with at
// least one), so the copy path also learns from hashtags outside the
// candidates. Recommend ranks the candidates and the memory hashtags
// together by p.
//
// ReadFile (or Unmarshal) loads a float32 training model; ReadCompact (or
// UnmarshalCompact) loads the compact browser model into the same Model,
// its embeddings kept packed and decoded row by row as the forward pass
// reads them, to the very floats full dequantisation (Dequantize) gives.
// Encode turns raw texts into an Input with the model's vocabulary, Forward
// returns the scores and the last hop's attention, and Recommend does all
// three: the browser calls it on every keystroke, so it runs the very
// forward pass the trainer evaluated.
//
// Sub-packages: model/text (hashtag extraction and the tokeniser) and
// model/post (readers for the post formats people export).
package model

// Input is one post as a model sees it: word ids of the post's own text
// (hashtags removed, at most text.MaxWords of them) and its memory, the
// word ids of up to 5 earlier posts of the same author, most recent first.
// An empty Words or Memory is valid (a post that was only hashtags; a
// person's first post).
type Input struct {
	Words  []int32
	Memory [][]int32
	// Tags are the distinct hashtags of the memory posts, for the copy path
	// of HMemN2NCopy (other variants ignore them).
	Tags []CopyTag
}
