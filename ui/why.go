package ui

import (
	"fmt"

	"github.com/hashtag-rec/hashtag/model"
)

// WhyPanel is the explanation card (why.vugu): for the top suggestion, how
// much came from the person's history and how much from the text, a bar
// per past post (sentence-level attention) and shaded words (word-level
// attention). Root sets its fields on each build.
type WhyPanel struct {
	// Sugs are the suggestions shown, best first.
	Sugs []model.Suggestion
	// Why is the model's explanation of the top suggestion.
	Why model.Why
	// Hist are the history posts the suggestions were computed with, most
	// recent first.
	Hist []Entry
}

// Title heads the explanation card.
func (c *WhyPanel) Title() string {
	if len(c.Sugs) == 0 {
		return "Why these hashtags"
	}
	return "Why #" + Shown(c.Sugs[0])
}

// Source says how much of the top suggestion came from the person's
// history and how much from the text (the copy gate's split).
func (c *WhyPanel) Source() string {
	if len(c.Sugs) == 0 {
		return ""
	}
	s := c.Sugs[0]
	switch {
	case s.Copy >= 0.995:
		return fmt.Sprintf("#%s comes from your recent posts: the model did not learn it, it copied it from your history.", Shown(s))
	case s.Copy > 0.005:
		return fmt.Sprintf("#%s: %.0f%% from hashtags of your recent posts, %.0f%% from what this post says.", Shown(s), 100*s.Copy, 100*(1-s.Copy))
	}
	return fmt.Sprintf("#%s comes from what this post says.", Shown(s))
}

// Empty explains an empty explanation.
func (c *WhyPanel) Empty() string {
	switch {
	case len(c.Sugs) == 0:
		return "Type a post to see which of your past posts and words the model weighed."
	case len(c.Hist) == 0:
		return "No past posts to weigh: this suggestion comes from the text alone."
	}
	return "The model gave no weights for this suggestion."
}

// WhyWord is one memory word with its weight relative to the post's
// heaviest word.
type WhyWord struct {
	Word  string
	Rel   float32
	Title string
}

// WhyRow is one past post in the explanation.
type WhyRow struct {
	Weight float32
	When   string
	Label  string
	Words  []WhyWord
	Text   string // the post, when the model kept none of its words
}

// Rows pairs the sentence- and word-level weights with the history
// posts the suggestions were computed with.
func (c *WhyPanel) Rows() []WhyRow {
	if len(c.Sugs) == 0 {
		return nil
	}
	var rows []WhyRow
	for i, p := range c.Why.Posts {
		if i >= len(c.Hist) {
			break
		}
		r := WhyRow{Weight: p, When: When(c.Hist[i])}
		var words []model.WordWeight
		if i < len(c.Why.Words) {
			words = c.Why.Words[i]
		}
		var top float32
		for _, w := range words {
			top = max(top, w.Weight)
		}
		for _, w := range words {
			rel := float32(0)
			if top > 0 {
				rel = w.Weight / top
			}
			r.Words = append(r.Words, WhyWord{Word: Clip(w.Word, 60), Rel: rel, Title: fmt.Sprintf("word weight %.3f", w.Weight)})
		}
		if len(r.Words) == 0 {
			r.Text = ShownText(c.Hist[i])
		}
		r.Label = fmt.Sprintf("Past post weighted %s", Percent(p))
		rows = append(rows, r)
	}
	return rows
}
