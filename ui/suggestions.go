package ui

import (
	"strconv"

	"github.com/hashtag-rec/hashtag/model"
	"github.com/vugu/vugu"
)

// SuggestionList is the list of suggested hashtags (suggestion-list.vugu),
// a listbox whose chosen option the arrow keys move (Active). Root sets
// its fields on each build.
type SuggestionList struct {
	// Sugs are the suggestions, best first.
	Sugs []model.Suggestion
	// Active is the chosen suggestion's index, or -1.
	Active int
	// Seq is the sequence number of the input the suggestions answer
	// (data-seq, for tests).
	Seq string
	// Pick inserts suggestion i (on mousedown, so the text box keeps the
	// focus).
	Pick func(e vugu.DOMEvent, i int)
}

// Selected is aria-selected of suggestion i.
func (c *SuggestionList) Selected(i int) string { return strconv.FormatBool(i == c.Active) }

// OptionClass is the class of suggestion i.
func (c *SuggestionList) OptionClass(i int) string {
	if i == c.Active {
		return "opt active"
	}
	return "opt"
}
