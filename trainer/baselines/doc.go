// Package baselines holds the comparison methods of Huang et al. (COLING
// 2016), "Hashtag Recommendation Using End-To-End Memory Networks with
// Hierarchical Attention", reimplemented over the benchmark protocol of
// ../shared/BENCHMARK.md:
//
//   - NB: multinomial Naive Bayes over the post's words, and NB+H, which adds
//     the words of the author's 5 history posts as a second, weighted bag of
//     features (nb.go).
//   - SVM and SVM+H: one-vs-rest linear SVMs trained by mini-batch Pegasos over
//     averaged word vectors, the vectors learnt by our own skip-gram word2vec
//     on the train split (svm.go, word2vec.go).
//   - TTM: the topical translation model of Ding et al. (IJCAI 2013), trained
//     by collapsed Gibbs sampling (ttm.go).
//   - CNN-Attention: the attention-based CNN of Gong and Zhang (IJCAI 2016),
//     a local channel over attention-selected trigger words and a global
//     convolution channel, trained from scratch on the post's text with
//     manual backpropagation and Adam (cnnatt.go, cnnatt_net.go).
//
// Every method trains on the examples of the train split only, and each is an
// eval.Ranker: Rank is safe for concurrent use and takes its per-call scratch
// memory from a sync.Pool. Every random stream takes a seed.
//
// Multi-label examples: a train example with several gold hashtags counts
// once, in full, for each of them (NB and TTM counts, SVM positive labels).
package baselines
