package ui

import "github.com/vugu/vugu"

// HistoryList is the list of the person's posts shown on the page
// (history-list.vugu), most recent first, the ones in the model's memory
// marked, each with its delete button. Root sets its fields on each build.
type HistoryList struct {
	// Entries are the posts shown (Root.Shown: the first pages of the
	// history).
	Entries []Entry
	// Delete deletes the post with this ID.
	Delete func(e vugu.DOMEvent, id string)
}
