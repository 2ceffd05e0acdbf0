package dataset

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hashtag-rec/hashtag/internal/binfile"
	"github.com/hashtag-rec/hashtag/internal/golden"
	"github.com/hashtag-rec/hashtag/model/post"
)

// TestGoldenCache checks that a cache written now equals, byte for byte,
// one written by the code before the formats moved to internal/binfile,
// and that such a cache still loads.
func TestGoldenCache(t *testing.T) {
	d := build(t, SplitRandom, []post.Post{mk("a", "2016-01-01 00:00:01", "hello world #x"),
		mk("a", "2016-01-01 00:00:02", "again #x"), mk("b", "2016-01-01 00:00:03", "other #Y words")})
	path := filepath.Join(t.TempDir(), "d.ds")
	if err := d.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	gold := golden.Check(t, got, "golden.ds")
	e, err := Load(gold)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(e.Tok, d.Tok) || !reflect.DeepEqual(e.Words, d.Words) || !reflect.DeepEqual(e.TagForm, d.TagForm) || !reflect.DeepEqual(e.TimeOrder, d.TimeOrder) {
		t.Error("golden cache loads as another dataset")
	}
}

// TestCacheDamageNamed checks that a truncated or flipped cache is refused
// with an error naming the file and wrapping binfile's sentinel.
func TestCacheDamageNamed(t *testing.T) {
	good, err := os.ReadFile(filepath.Join("testdata", "golden.ds"))
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		data []byte
		want error
	}{
		"truncated": {good[:len(good)-3], binfile.ErrTruncated},
		"flipped":   {flip(good, len(good)-5), binfile.ErrChecksum},
		"foreign":   {[]byte("PK\x03\x04 not a cache at all, a zip maybe"), binfile.ErrMagic},
	} {
		p := filepath.Join(t.TempDir(), name+".ds")
		os.WriteFile(p, c.data, 0o644)
		_, err := Load(p)
		if !errors.Is(err, c.want) || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error %v, want %v naming %s", name, err, c.want, p)
		}
	}
}
