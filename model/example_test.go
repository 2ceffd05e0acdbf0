package model_test

import (
	"fmt"

	"github.com/hashtag-rec/hashtag/model"
)

// A model file is loaded with model.ReadFile; here a tiny untrained model
// stands in for one. Encode turns raw texts into word ids, Forward scores
// the candidates and returns the last hop's attention.
func ExampleModel_Forward() {
	words := []string{"election", "vote", "senate", "#politics"}
	m, err := model.New(model.PaperConfig(model.HMemN2NTags), words, []string{"politics", "sports"})
	if err != nil {
		panic(err)
	}
	m.Init(1)
	in := m.Encode("Go vote in the election!", []string{"The senate vote #Politics", "no known words"})
	fmt.Println("post words:", in.Words, "memory:", in.Memory)
	r, err := m.Forward(in, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println("scores:", len(r.Scores), "posts attended:", len(r.SentAttn), "words of post 0:", len(r.WordAttn[0]))
	fmt.Println("empty memory post gets weight", r.SentAttn[1])
	// Output:
	// post words: [1 0] memory: [[2 1 3] []]
	// scores: 2 posts attended: 2 words of post 0: 3
	// empty memory post gets weight 0
}
