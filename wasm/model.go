//go:build !hashtagdev

package main

import (
	"errors"

	"github.com/hashtag-rec/hashtag/model"
)

// loadModel reads the compact browser model (assets/model.bin, written by
// "hashtag export").
func loadModel(data []byte) (model.Recommender, error) {
	_ = data
	return nil, errors.New("this build has no compact model reader yet (model.ReadCompact, issue 4)")
}
