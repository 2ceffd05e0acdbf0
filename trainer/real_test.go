package trainer

import (
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/hashtag-rec/hashtag/model"
	"github.com/hashtag-rec/hashtag/model/post"
	"github.com/hashtag-rec/hashtag/model/text"
	"github.com/hashtag-rec/hashtag/trainer/dataset"
)

const iraPath = "../../shared/data/ira/ira_tweets.csv.gz"

var errEnough = errors.New("enough posts")

// TestEncodeRealPosts checks, on the first 30,000 kept IRA posts, that the
// trainer's examples hold exactly the ids model.Encode gives from the raw
// texts, for every variant (skipped without the corpus).
//
// The trainer's memory hashtags are the posts' hashtags by the dataset's
// rule (the protocol's, which also gives the gold hashtags), while Encode
// reads a person's history by the platforms' rule (text.HashtagKeys, what
// the page shows as their hashtags). The two rules differ on a few IRA texts
// ("#acab#PoliceBrutality", "❤️#MAGA"); an example whose post or memory
// holds such a text is left out, and the test fails if more than 1% are.
func TestEncodeRealPosts(t *testing.T) {
	if _, err := os.Stat(iraPath); err != nil {
		t.Skip("IRA corpus not found:", err)
	}
	b, err := dataset.NewBuilder("ira", dataset.SplitRandom)
	if err != nil {
		t.Fatal(err)
	}
	var raw []string
	var differ []bool // the two rules find different hashtags in raw[p]
	_, _, err = post.ReadFile(iraPath, "", post.Options{}, func(p post.Post) error {
		if !dataset.Keep(&p) {
			return nil
		}
		raw = append(raw, p.Text)
		differ = append(differ, fmt.Sprint(p.Tags) != fmt.Sprint(text.HashtagKeys(p.Text)))
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
	skip := func(p int32) bool {
		if differ[p] {
			return true
		}
		for _, q := range d.History(p) {
			if differ[q] {
				return true
			}
		}
		return false
	}
	for _, v := range model.Variants() {
		c := model.Config{Variant: v, Dim: 2, Hops: 1, Memory: 5, MaxWords: 52}
		m, err := model.New(c, Vocabulary(d, v, 2), Candidates(d))
		if err != nil {
			t.Fatal(err)
		}
		if n := checkEncode(t, d, m, func(p int32) string { return raw[p] }, skip); n*100 > d.Posts() {
			t.Errorf("%s: %d of %d examples left out, the rules differ on too many texts", v, n, d.Posts())
		} else {
			t.Logf("%s: %d of %d examples left out (the rules differ)", v, n, d.Posts())
		}
	}
}
