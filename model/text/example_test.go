package text_test

import (
	"fmt"

	"github.com/hashtag-rec/hashtag/model/text"
)

// The platforms' rule: what the page treats as a person's hashtags.
func ExampleFindHashtags() {
	s := "Docs at docs.example.org/admin/config/#s3 ✌️#Peace ＃日本語 #il·lusió #a#b"
	for _, h := range text.FindHashtags(s) {
		fmt.Printf("%s (key %s) at [%d, %d): %s\n", h.Form, h.Key, h.Start, h.End, s[h.Start:h.End])
	}
	// Output:
	// Peace (key peace) at [48, 54): #Peace
	// 日本語 (key 日本語) at [55, 67): ＃日本語
	// il·lusió (key il·lusió) at [68, 79): #il·lusió
}

// The model's rule, the benchmark's, finds other hashtags in the same text:
// it must not change, since the shipped models were trained with it.
func ExampleModelHashtags() {
	s := "Docs at docs.example.org/admin/config/#s3 ✌️#Peace ＃日本語 #il·lusió #a#b"
	fmt.Println(text.ModelHashtags(s))
	fmt.Println(text.HashtagKeys(s))
	// Output:
	// [s3 il a]
	// [peace 日本語 il·lusió]
}

// DistinctHashtags keeps each hashtag once, as first written.
func ExampleDistinctHashtags() {
	for _, h := range text.DistinctHashtags("#GoLang is fun #golang #Go") {
		fmt.Println(h.Key, h.Form)
	}
	// Output:
	// golang GoLang
	// go Go
}

// HashtagBefore finds the hashtag being typed at the cursor, so that a
// suggestion can replace it.
func ExampleHashtagBefore() {
	s := "Off to ＃東京 #trav"
	if start, ok := text.HashtagBefore(s, len(s)); ok {
		fmt.Printf("%q + %q\n", s[:start], "#travel")
	}
	_, ok := text.HashtagBefore("see example.org/#", len("see example.org/#"))
	fmt.Println(ok)
	// Output:
	// "Off to ＃東京 " + "#travel"
	// false
}
