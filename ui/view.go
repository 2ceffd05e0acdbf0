package ui

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hashtag-rec/hashtag/model"
)

// Blank reports whether there is nothing to publish.
func (c *Root) Blank() bool { return strings.TrimSpace(c.Text) == "" }

// NoHistory reports whether suggestions come from the text alone.
func (c *Root) NoHistory() bool { return len(c.History.Entries) == 0 }

// Hint is the line under the text box.
func (c *Root) Hint() string {
	if c.rec == nil {
		return ""
	}
	if n := len(c.History.Entries); n > 0 {
		return fmt.Sprintf("Using this post and your %d most recent posts.", min(n, MemorySize))
	}
	return "Using this post's words."
}

// Count is the character count.
func (c *Root) Count() string { return strconv.Itoa(utf8.RuneCountInString(c.Text)) + " chars" }

// SugSeq identifies the input generation the suggestions answer, for tests.
func (c *Root) SugSeq() string { return strconv.Itoa(c.doneSeq) }

// OptionID is the element id of suggestion i.
func OptionID(i int) string { return "sug-" + strconv.Itoa(i) }

// ActiveID is the id of the chosen suggestion for aria-activedescendant.
func (c *Root) ActiveID() any {
	if c.Active < 0 || c.Active >= len(c.Sugs) {
		return nil
	}
	return OptionID(c.Active)
}

// EmptyText explains an empty suggestion list.
func (c *Root) EmptyText() string {
	switch {
	case c.modelErr != "":
		return "No suggestions: the model could not be loaded (see above). Reload to try again."
	case c.rec == nil:
		return "Suggestions appear once the model has loaded."
	case c.Blank():
		return "Start typing to see hashtags."
	}
	return "No hashtags for this text yet."
}

// BarStyle is the style of a confidence bar's fill for weight w in [0, 1].
func BarStyle(w float32) string {
	p := math.Max(2, math.Min(100, float64(w)*100))
	return "width:" + strconv.FormatFloat(p, 'f', 1, 64) + "%"
}

// Percent formats a probability.
func Percent(w float32) string {
	p := float64(w) * 100
	if p < 1 && p > 0 {
		return "<1%"
	}
	return strconv.FormatFloat(p, 'f', 0, 64) + "%"
}

// WordStyle highlights a word by its weight relative to the post's
// heaviest word (rel in [0, 1]).
func WordStyle(rel float32) string {
	a := 0.08 + 0.72*float64(rel)
	return "background-color:rgba(245,158,11," + strconv.FormatFloat(a, 'f', 2, 64) + ")"
}

// HistClass is the class of history item i.
func HistClass(i int) string {
	if i < MemorySize {
		return "item mem"
	}
	return "item"
}

// When is an entry's time for display.
func When(e Entry) string {
	if e.Time == "" {
		return "undated"
	}
	t := e.Time
	if len(t) >= 16 {
		t = t[:16]
	}
	return t + " UTC"
}

// HistoryTitle heads the history card.
func (c *Root) HistoryTitle() string {
	return fmt.Sprintf("Your posts (%d)", len(c.History.Entries))
}

// ConfirmText asks before clearing.
func (c *Root) ConfirmText() string {
	return fmt.Sprintf("Delete all %d posts from this browser?", len(c.History.Entries))
}

// Shown is the form of a suggestion the page shows and inserts: the
// person's own for a hashtag of their history, else the hashtag's usual
// form in the training posts (#ClimateMarch), else its key.
func Shown(s model.Suggestion) string {
	if s.Display != "" {
		return s.Display
	}
	return s.Tag
}

// SourceText says, beside a suggestion, how much of it came from the
// person's history (the model's copy path): "yours" when all of it.
func SourceText(s model.Suggestion) string {
	if s.Copy >= 0.995 {
		return "yours"
	}
	return fmt.Sprintf("%.0f%% yours", 100*s.Copy)
}

// SourceTitle is the tooltip of SourceText.
func SourceTitle(s model.Suggestion) string {
	return fmt.Sprintf("%.0f%% of this suggestion comes from hashtags of your recent posts, %.0f%% from what this post says", 100*s.Copy, 100*(1-s.Copy))
}

// SugText is the text the suggestions answer, for tests.
func (c *Root) SugText() string { return c.sugText }

// pageSize is how many history posts the page shows at first and adds per
// "Show more": an imported archive can hold tens of thousands, and every
// render would walk them all.
const pageSize = 24

// Shown is the part of the history on the page.
func (c *Root) Shown() []Entry {
	n := max(c.showing, pageSize)
	return c.History.Entries[:min(n, len(c.History.Entries))]
}

// Hidden is how many history posts are not on the page.
func (c *Root) Hidden() int { return len(c.History.Entries) - len(c.Shown()) }

// MoreText labels the "Show more" button.
func (c *Root) MoreText() string {
	return fmt.Sprintf("Show %d more (of %d hidden)", min(pageSize, c.Hidden()), c.Hidden())
}
