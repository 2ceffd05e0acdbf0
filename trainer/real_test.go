package trainer

import (
	"errors"
	"os"
	"testing"

	"github.com/hashtag-rec/hashtag/model"
	"github.com/hashtag-rec/hashtag/model/post"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
)

const iraPath = "../../shared/data/ira/ira_tweets.csv.gz"

var errEnough = errors.New("enough posts")

// TestEncodeRealPosts checks, on the first 30,000 kept IRA posts, that the
// trainer's examples hold exactly the ids model.Encode gives from the raw
// texts, for every variant (skipped without the corpus).
func TestEncodeRealPosts(t *testing.T) {
	if _, err := os.Stat(iraPath); err != nil {
		t.Skip("IRA corpus not found:", err)
	}
	b, err := dataset.NewBuilder("ira", dataset.SplitRandom)
	if err != nil {
		t.Fatal(err)
	}
	var raw []string
	_, _, err = post.ReadFile(iraPath, "", post.Options{}, func(p post.Post) error {
		if !dataset.Keep(&p) {
			return nil
		}
		raw = append(raw, p.Text)
		if err := b.Add(p); err != nil {
			return err
		}
		if len(raw) == 30000 {
			return errEnough
		}
		return nil
	})
	if !errors.Is(err, errEnough) {
		t.Fatal(err)
	}
	d := b.Build()
	if d.Posts() != len(raw) || len(d.Candidates) == 0 {
		t.Fatalf("%d posts, %d texts, %d candidates", d.Posts(), len(raw), len(d.Candidates))
	}
	for _, v := range []model.Variant{model.HMemN2N, model.MemN2N, model.HMemN2NTags} {
		c := model.Config{Variant: v, Dim: 2, Hops: 1, Memory: 5, MaxWords: 52}
		m, err := model.New(c, Vocabulary(d, v, 2), Candidates(d))
		if err != nil {
			t.Fatal(err)
		}
		checkEncode(t, d, m, func(p int32) string { return raw[p] })
	}
}
