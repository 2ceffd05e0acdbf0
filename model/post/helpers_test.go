package post

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// writeFile writes content to name in a fresh temporary directory and
// returns its path.
func writeFile(t *testing.T, name string, content []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// gzipped returns data compressed with gzip.
func gzipped(t testing.TB, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// result is what one ReadFile call gave.
type result struct {
	posts  []Post
	stats  Stats
	format Format
	err    error
}

// readPath reads path with ReadFile, collecting the posts.
func readPath(t *testing.T, path string, format Format, opts Options) result {
	t.Helper()
	var r result
	r.stats, r.format, r.err = ReadFile(path, format, opts, func(p Post) error {
		r.posts = append(r.posts, p)
		return nil
	})
	return r
}

// readString reads content as a file of the given format with Read.
func readString(content string, name string, format Format, opts Options) result {
	var r result
	r.format = format
	r.stats, r.err = Read(strings.NewReader(content), name, format, opts, func(p Post) error {
		r.posts = append(r.posts, p)
		return nil
	})
	return r
}

// checkPosts compares posts with want field by field.
func checkPosts(t *testing.T, got, want []Post) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("got %d posts, want %d:", len(got), len(want))
		for i, p := range got {
			t.Errorf("  got[%d] = %+v", i, p)
		}
		return
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("post %d:\n got  %#v\n want %#v", i, got[i], want[i])
		}
	}
}

// badRecord is what one expected RecordError must hold.
type badRecord struct {
	line  int
	field string
	msg   string // a substring of Msg
}

// checkBadFile checks that err is a *BadFileError for path listing want (in
// order), and that Stats agrees.
// At most limit errors are listed (0 means the default, 5).
func checkBadFile(t *testing.T, r result, path string, limit int, want []badRecord) {
	t.Helper()
	var bf *BadFileError
	if !errors.As(r.err, &bf) {
		t.Fatalf("err = %v (%T), want a *BadFileError", r.err, r.err)
	}
	if bf.File != path || bf.Bad != len(want) || r.stats.Bad != len(want) {
		t.Errorf("BadFileError{File: %q, Bad: %d}, Stats.Bad %d; want file %q, %d bad", bf.File, bf.Bad, r.stats.Bad, path, len(want))
	}
	checkRecordErrors(t, bf.First, path, limit, want)
	if !strings.Contains(bf.Error(), "refused") {
		t.Errorf("BadFileError message %q does not say the file is refused", bf.Error())
	}
}

// checkRecordErrors checks errs against the first limit of want (0 means
// the default, 5).
func checkRecordErrors(t *testing.T, errs []*RecordError, path string, limit int, want []badRecord) {
	t.Helper()
	if limit == 0 {
		limit = 5
	}
	n := min(len(want), limit)
	if len(errs) != n {
		t.Errorf("%d record errors listed, want %d:", len(errs), n)
		for _, e := range errs {
			t.Errorf("  %v", e)
		}
		return
	}
	for i, w := range want[:n] {
		e := errs[i]
		if e.File != path || e.Line != w.line || e.Field != w.field || !strings.Contains(e.Msg, w.msg) {
			t.Errorf("error %d = %#v\n  want file %q line %d field %q msg containing %q", i, e, path, w.line, w.field, w.msg)
		}
		prefix := path + ":" + strconv.Itoa(w.line) + ":"
		if !strings.HasPrefix(e.Error(), prefix) {
			t.Errorf("error %d reads %q, want it to start with %q", i, e.Error(), prefix)
		}
	}
}

// checkFatal checks that err is a *RecordError (not a BadFileError) for
// path at line, whose message holds msg.
func checkFatal(t *testing.T, err error, path string, line int, msg string) {
	t.Helper()
	var bf *BadFileError
	if errors.As(err, &bf) {
		t.Fatalf("err = %v, want a fatal *RecordError, not a BadFileError", err)
	}
	var re *RecordError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v (%T), want a *RecordError", err, err)
	}
	if re.File != path || re.Line != line || !strings.Contains(re.Msg, msg) {
		t.Errorf("err = %#v\n  want file %q line %d msg containing %q", re, path, line, msg)
	}
}

// readGood writes content to a file called name (gzip-compressed when name
// ends in .gz), reads it back with format detection, and fails the test
// unless it reads without error as the format want.
func readGood(t *testing.T, name, content string, want Format) result {
	t.Helper()
	data := []byte(content)
	if strings.HasSuffix(name, ".gz") {
		data = gzipped(t, data)
	}
	r := readPath(t, writeFile(t, name, data), "", Options{})
	if r.err != nil {
		t.Fatal(r.err)
	}
	if r.format != want {
		t.Errorf("detected %q, want %q", r.format, want)
	}
	return r
}
