package ui

import (
	"strings"
	"testing"

	"github.com/hashtag-rec/hashtag/model/post"
	"github.com/hashtag-rec/hashtag/model/post/posttest"
)

// cliKept is the number of posts the CLI's reader keeps from f (what
// "hashtag prepare" counts as filtered posts).
func cliKept(t *testing.T, f posttest.Fixture) int {
	t.Helper()
	n := 0
	_, _, err := post.ReadBytes(f.Name, f.Data, "", post.Options{}, func(p post.Post) error {
		if p.Kept() {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatalf("%s: %v", f.Name, err)
	}
	return n
}

// The page imports every export a person holds and keeps the same posts as
// the CLI.
func TestParseImportWhatPeopleHold(t *testing.T) {
	for _, c := range []struct {
		f     posttest.Fixture
		parts string
	}{
		{posttest.XArchiveZip(), "from data/tweets.js, data/tweets-part1.js,"},
		{posttest.XArchive2020Zip(), "from data/tweet.js, data/tweet-part1.js,"},
		{posttest.MastodonZip(), "from outbox.json,"},
		{posttest.MastodonTarGz(), "from outbox.json,"},
		{posttest.OldArchiveZip(), "from data/js/tweets/2013_01.js, data/js/tweets/2013_02.js,"},
		{posttest.Outbox(true), ""},
		{posttest.ActivityPubArray(), ""},
		{posttest.GrailbirdMonth(1), ""},
		{posttest.TweetsCSV(true), ""},
		{posttest.TweetsJS(), ""},
		{posttest.BlueskyCAR(), ""},
		{posttest.Fixture{Name: "repo.car.gz", Data: posttest.Gzip(posttest.BlueskyCAR().Data),
			Records: posttest.BlueskyCAR().Records, Kept: posttest.BlueskyCAR().Kept}, ""},
		{posttest.Fixture{Name: "bluesky.zip", Data: posttest.Zip("repo.car", posttest.BlueskyCAR().Data),
			Records: posttest.BlueskyCAR().Records, Kept: posttest.BlueskyCAR().Kept}, "from repo.car,"},
	} {
		entries, rep, err := ParseImport(c.f.Name, c.f.Data)
		if err != nil {
			t.Errorf("%s: %v", c.f.Name, err)
			continue
		}
		if len(entries) != c.f.Kept || rep.Kept != c.f.Kept || rep.Read != c.f.Records || cliKept(t, c.f) != c.f.Kept {
			t.Errorf("%s: %d entries, report %+v; want %d kept of %d, as the CLI", c.f.Name, len(entries), rep, c.f.Kept, c.f.Records)
		}
		if rep.NotEn != 0 {
			t.Errorf("%s: %d posts skipped as not English: a person's posts are kept in any language", c.f.Name, rep.NotEn)
		}
		rep.Added = rep.Kept
		if s := rep.String(); !strings.Contains(s, c.parts) || !strings.HasPrefix(s, "Imported ") {
			t.Errorf("%s: report %q does not say %q", c.f.Name, s, c.parts)
		}
		for i := 1; i < len(entries); i++ {
			if entries[i-1].Time < entries[i].Time {
				t.Errorf("%s: entries not most recent first", c.f.Name)
			}
		}
	}
}

// The language rule: posts in French, Japanese, German, an undetermined
// language and without a language are all in the history; retweets and
// boosts and a post of only an image are not.
func TestParseImportLanguages(t *testing.T) {
	entries, rep, err := ParseImport("x.zip", posttest.XArchiveZip().Data)
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]bool{}
	for _, e := range entries {
		texts[e.Text] = true
	}
	for _, want := range []string{"Learning #GoLang & liking it", "Bonjour à tous, c'est parti pour le #DevFest",
		"新しい #プロジェクト を始めました", "🎉🎉 #party", "Kaffee und #Code am Sonntag"} {
		if !texts[want] {
			t.Errorf("%q not imported", want)
		}
	}
	if rep.Retweets != 3 {
		t.Errorf("%d retweets skipped, want 3", rep.Retweets)
	}
	entries, rep, err = ParseImport("archive.zip", posttest.MastodonZip().Data)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range entries {
		found = found || e.Text == "No language here #NoLang"
	}
	if !found || rep.Retweets != 2 || rep.Empty != 1 {
		t.Errorf("Mastodon: note without contentMap imported %v, report %+v (want 2 boosts, 1 empty)", found, rep)
	}
}

// A Bluesky export (the .car of Settings → Export my data): the posts in
// any language, replies, and hashtags given only in the post's "tags"
// field; the repost, the likes, the follow and the profile are skipped, and
// so is the post of only an image.
func TestParseImportBluesky(t *testing.T) {
	f := posttest.BlueskyCAR()
	entries, rep, err := ParseImport(f.Name, f.Data)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, e := range entries {
		texts = append(texts, e.Text)
		if e.From != "bluesky" {
			t.Errorf("entry %+v: From %q, want bluesky", e, e.From)
		}
	}
	// Most recent first; the image-only post (texts[4]) is not there.
	want := []string{posttest.BlueskyPostTexts[6], posttest.BlueskyPostTexts[5], posttest.BlueskyPostTexts[3],
		posttest.BlueskyPostTexts[2], posttest.BlueskyPostTexts[1], posttest.BlueskyPostTexts[0]}
	if strings.Join(texts, "\n") != strings.Join(want, "\n") {
		t.Errorf("entries %q, want %q", texts, want)
	}
	if entries[0].Time != "2024-05-09 03:00:00" {
		t.Errorf("newest entry at %q", entries[0].Time)
	}
	if rep.Format != "bluesky" || rep.Read != 8 || rep.Retweets != 1 || rep.Empty != 1 || rep.Ignored != 4 || rep.Bad != 0 {
		t.Errorf("report %+v; want 8 read, 1 repost, 1 empty, 4 ignored", rep)
	}
	rep.Added = rep.Kept
	if got, want := rep.String(), "Imported 6 posts, skipped 6 (1 retweets/boosts, 1 empty, 4 not posts)."; got != want {
		t.Errorf("report %q, want %q", got, want)
	}
	// A download cut short is refused, naming the file.
	if _, _, err := ParseImport(f.Name, f.Data[:len(f.Data)/2]); err == nil || !strings.HasPrefix(err.Error(), f.Name+": truncated") {
		t.Errorf("a truncated .car: %v", err)
	}
}

// A file with nothing to import says why, in one line.
func TestParseImportNothingKept(t *testing.T) {
	for _, c := range []struct {
		name   string
		data   []byte
		reason string
	}{
		{"likes.json", posttest.LikesJSON().Data, "likes.json"},
		{"outbox.json", posttest.EmptyOutbox().Data, "empty outbox"},
		{"media.zip", posttest.Zip("media_attachments/1.png", "x", "actor.json", "{}"), "no posts file in it"},
		{"ira.csv", []byte("author,content,language,publish_date,retweet\nbob,hi #x,English,2017-01-01 00:00:00,0\n"), "not a person's own export"},
		{"notes.txt", []byte("hello world"), "cannot recognise the format"},
		{"likes.car", posttest.NewBskyRepo("did:plc:abc", []posttest.BskyRecord{{Key: "app.bsky.feed.like/3kaaaaaaaaa22",
			Value: map[string]any{"$type": "app.bsky.feed.like", "createdAt": "2024-01-01T00:00:00Z"}}}).Bytes(),
			"none of the repository's 1 records is a post or a repost"},
		{"photo.car", []byte("\xff\xd8\xff\xe0 not a repository"), "not a Bluesky repository export"},
	} {
		_, _, err := ParseImport(c.name, c.data)
		if err == nil || !strings.Contains(err.Error(), c.reason) || strings.Contains(err.Error(), "\n") || !strings.HasPrefix(err.Error(), c.name) {
			t.Errorf("%s: error %v, want one line saying %q", c.name, err, c.reason)
		}
	}
}
