package main

import (
	"bytes"

	"github.com/hashtag-rec/hashtag/model"
)

// loadModel reads the compact browser model (model.bin, written by
// "hashtag export").
func loadModel(data []byte) (model.Recommender, error) {
	c, err := model.ReadCompact(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	return c, nil
}
