package post_test

import (
	"fmt"

	"github.com/hashtag-rec/hashtag/model/post"
)

// ReadBytes reads a Mastodon outbox as an export hands it out, here with
// the duplicate "orderedItems" key some Mastodon 4 versions write (every
// array is read). Every post read reaches fn; a boost is not the person's
// own post, and Post.Kept says so.
func ExampleReadBytes() {
	outbox := `{"@context":"https://www.w3.org/ns/activitystreams","type":"OrderedCollection",
"orderedItems":[],
"orderedItems":[
 {"type":"Create","actor":"https://example.social/users/ana","published":"2025-03-01T08:00:00Z","object":{"type":"Note",
  "content":"<p>Long run in the rain, 25 km done <a href=\"https://example.social/tags/Running\" class=\"mention hashtag\" rel=\"tag\">#<span>Running</span></a></p>",
  "contentMap":{"en":"..."}}},
 {"type":"Announce","actor":"https://example.social/users/ana","published":"2025-03-02T09:00:00Z","object":"https://example.social/users/x/statuses/1"}
]}`
	st, format, err := post.ReadBytes("outbox.json", []byte(outbox), "", post.Options{}, func(p post.Post) error {
		fmt.Printf("%s %q %v kept: %v\n", p.Time, p.Text, p.Tags, p.Kept())
		return nil
	})
	fmt.Println(format, "records", st.Records, "ignored", st.Ignored, "kept", st.Kept, "boosts", st.Retweets, err)
	// Output:
	// 2025-03-01 08:00:00 "Long run in the rain, 25 km done #Running" [running] kept: true
	// 2025-03-02 09:00:00 "" [] kept: false
	// mastodon records 2 ignored 0 kept 1 boosts 1 <nil>
}
