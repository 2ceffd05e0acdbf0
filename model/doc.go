// Package model holds HMemN2N (Huang et al., COLING 2016) and MemN2N
// (Sukhbaatar et al., 2015) as the browser and the trainer both run them:
// the parameters, the forward pass, and the model file formats.
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
}
