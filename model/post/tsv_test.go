package post

import (
	"testing"
)

// howYouTagGood is shaped like data/howyoutag/train.tsv: cleaned text, the
// user id, then the hashtags, verbatim (a repeated one, an empty field).
const howYouTagGood = "rupee gain on fund inflow ; budget next trigger - the time of india\t458716389\trupee\tgain\tindia\trupee\n" +
	"give $ 8 million + a day to steal & amp ; imprison\t970875331\treleaseissawi\t\tGaza\n" +
	"a text with a stray # sign\t20240739\n" +
	"crlf line\t1\tx_y\r\n"

func TestHowYouTagGood(t *testing.T) {
	for _, name := range []string{"train.tsv", "valid.tsv.gz"} {
		t.Run(name, func(t *testing.T) {
			data := []byte(howYouTagGood)
			split := "train"
			if name == "valid.tsv.gz" {
				data, split = gzipped(t, data), "valid"
			}
			path := writeFile(t, name, data)
			r := readPath(t, path, "", Options{})
			if r.err != nil {
				t.Fatal(r.err)
			}
			if r.format != FormatHowYouTag {
				t.Errorf("detected %q", r.format)
			}
			checkPosts(t, r.posts, []Post{
				{Author: "458716389", Text: "rupee gain on fund inflow ; budget next trigger - the time of india", Tags: []string{"rupee", "gain", "india"}, Split: split},
				{Author: "970875331", Text: "give $ 8 million + a day to steal & amp ; imprison", Tags: []string{"releaseissawi", "Gaza"}, Split: split},
				{Author: "20240739", Text: "a text with a stray # sign", Tags: []string{}, Split: split},
				{Author: "1", Text: "crlf line", Tags: []string{"x_y"}, Split: split},
			})
			if r.stats.Records != 4 || r.stats.Bad != 0 {
				t.Errorf("stats %+v", r.stats)
			}
		})
	}
}

func TestHowYouTagBad(t *testing.T) {
	content := "good one\t7\ttag\n" +
		"no user id here\n" + // line 2
		"bad \xff utf8\t8\ttag\n" + // line 3
		"empty user\t \ttag\n" + // line 4
		"good two\t9\n"
	path := writeFile(t, "test.tsv", []byte(content))
	want := []badRecord{
		{2, "user_id", "missing"},
		{3, "", "not valid UTF-8"},
		{4, "user_id", "missing"},
	}
	r := readPath(t, path, "", Options{})
	checkBadFile(t, r, path, 0, want)

	r = readPath(t, path, "", Options{SkipBad: true})
	if r.err != nil {
		t.Fatal(r.err)
	}
	checkPosts(t, r.posts, []Post{
		{Author: "7", Text: "good one", Tags: []string{"tag"}, Split: "test"},
		{Author: "9", Text: "good two", Tags: []string{}, Split: "test"},
	})
	if r.stats.Records != 2 || r.stats.Bad != 3 {
		t.Errorf("stats %+v", r.stats)
	}
}
