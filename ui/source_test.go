package ui

import (
	"strings"
	"testing"

	"github.com/hashtag-rec/hashtag/model"
)

func TestShownAndSource(t *testing.T) {
	own := model.Suggestion{Tag: "parkrunberlin", Display: "ParkrunBerlin", Score: 0.4, Copy: 1}
	mixed := model.Suggestion{Tag: "running", Display: "Running", Score: 0.3, Copy: 0.62}
	text := model.Suggestion{Tag: "news", Score: 0.1}
	if Shown(own) != "ParkrunBerlin" || Shown(text) != "news" {
		t.Errorf("Shown: %q, %q", Shown(own), Shown(text))
	}
	if SourceText(own) != "yours" || SourceText(mixed) != "62% yours" {
		t.Errorf("SourceText: %q, %q", SourceText(own), SourceText(mixed))
	}
	for _, c := range []struct {
		s    model.Suggestion
		want string
	}{
		{own, "copied it from your history"},
		{mixed, "62% from hashtags of your recent posts, 38% from what this post says"},
		{text, "#news comes from what this post says"},
	} {
		r := &WhyPanel{Sugs: []model.Suggestion{c.s}}
		if got := r.Source(); !strings.Contains(got, c.want) {
			t.Errorf("Source for %+v = %q, want it to say %q", c.s, got, c.want)
		}
	}
	if got := (&WhyPanel{}).Source(); got != "" {
		t.Errorf("Source with no suggestion = %q", got)
	}
}
