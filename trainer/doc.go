// Package trainer trains the memory networks of package model on a
// prepared dataset (package trainer/dataset) and ranks with them for
// package trainer/eval.
//
// # Objective and optimisation
//
// The loss of an example is the cross-entropy between softmax(scores) and
// the uniform distribution on its gold set G: -(1/|G|) Σ_{g∈G} log p_g,
// the mean of the per-tag cross-entropies. A batch's loss is the mean over
// its examples. Adagrad (learning rate 0.01, accumulators start at 0,
// epsilon 1e-10 as in PyTorch) updates the embeddings A, B, C sparsely:
// only rows some example of the batch used are touched. Inverted dropout
// (rate 0.2) applies to [o0 ‖ oH], the input of the output layer Wf, in
// training only. L2 weight decay (flag, default 1e-6) is added to the
// gradients of Wo, Ws, Wms, Wf and Theta (not the embeddings, not Bf).
// Early stopping keeps the epoch of the best validation P@1. The paper's
// settings are the defaults: dim 300, 2 hops, memory 5, 52 words, batch
// 128.
//
// # Vocabulary and data
//
// The vocabulary is every dataset word seen at least MinCount times in
// train posts, plus for HMemN2NTags the memory word "#tag" of every hashtag
// in at least MinCount train posts. Data encodes every post once by the
// rules of model.Encode; a test checks the ids against model.Encode on real
// posts.
//
// # Beyond the paper
//
// Options the paper's reproduction leaves at their defaults, each recorded
// in the checkpoint: HideTags (hidden candidates for the copy path),
// TagPosts (the copy variant's softmax widened to hashtags in at least
// that many train posts; the closed evaluation still ranks the candidates
// only), WordDropout (words of a training post left out), SelectOpen (the
// best epoch by open validation P@1) and TimeChunks (each epoch in time
// order, by chunks shuffled on their own). README ("Your own hashtags")
// gives what each did on the validation splits.
//
// # Speed and determinism
//
// A batch runs hop by hop: per-example work (word attention, softmaxes,
// sparse gradients) in goroutines over fixed contiguous slices of the
// batch, with per-worker gradient buffers merged in worker order; every
// dense product (the output layer Theta, Wf, Ws, Wo, over the whole batch)
// is one matrix product by an AVX2/FMA kernel (plain Go elsewhere) whose
// sum order is fixed. Shuffling and dropout masks derive from the seed and
// the epoch, so the same seed and flags give the same model, and a run
// resumed from a checkpoint repeats the uninterrupted run exactly.
//
// # Gradients
//
// The engine is generic over float32 and float64: training runs in
// float32, and the tests check every parameter's gradient in float64
// against central finite differences.
package trainer
