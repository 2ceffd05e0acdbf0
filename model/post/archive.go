package post

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"
	"unicode"
)

// This file reads what a person actually holds: the .zip that X or
// Mastodon hands out, an older Mastodon .tar.gz, a .gz, a folder (an
// unzipped archive, or a Grailbird data/js/tweets folder), or one file.
// The same code serves the CLI (ReadFile, on a path) and the page
// (ReadBytes, on the bytes of the file the person picked): nothing is ever
// written, and path names inside an archive are only compared and shown.

// Limits of what an archive or a compressed file may unpack to.
const (
	// DefaultMaxBytes bounds the bytes read once decompressed (8 GiB): the
	// IRA corpus is 1.2 GB, a large X archive's tweets.js a few hundred MB.
	DefaultMaxBytes = 8 << 30
	// DefaultMaxMembers bounds the files of an archive or folder (an X
	// archive with its media holds a few tens of thousands).
	DefaultMaxMembers = 1 << 18
)

// LimitError refuses an input that unpacks to more than Options allow.
type LimitError struct {
	File  string
	What  string // "bytes once decompressed" or "files"
	Limit int64
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("%s: more than %d %s: refused (a decompression bomb, or not an export of posts)", e.File, e.Limit, e.What)
}

// NoPostsError refuses a file, archive or folder from which no post is kept:
// a read that gives nothing is never a success. Reason says why, in one
// line (all retweets, all in another language, an empty outbox, a likes
// file, no posts file in the archive).
type NoPostsError struct {
	File   string
	Reason string
}

func (e *NoPostsError) Error() string { return e.File + ": no posts kept: " + e.Reason }

// ReadFile reads every post of path, as ReadBytes does on a file's bytes.
// path may also be a folder: an unzipped archive, or a Grailbird
// data/js/tweets folder, whose files are chosen as in an archive.
func ReadFile(path string, format Format, opts Options, fn func(Post) error) (Stats, Format, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return Stats{}, format, err
	}
	if fi.IsDir() {
		return readFolder(path, format, opts, fn)
	}
	f, err := os.Open(path)
	if err != nil {
		return Stats{}, format, err
	}
	defer f.Close()
	return readAt(path, f, fi.Size(), format, opts, fn)
}

// ReadBytes reads every post of data, the content of a file called name:
// one file of any format (recognised unless format is non-empty), a .gz of
// one, or an archive (.zip, .tar, .tar.gz) whose posts files it finds by
// name and reads in the archive's order (see archive members below). It
// returns the format read (of the first file read, in an archive) and
// refuses with a *NoPostsError an input from which Post.Kept keeps no
// post. The bytes are read in place: nothing is copied whole or written.
func ReadBytes(name string, data []byte, format Format, opts Options, fn func(Post) error) (Stats, Format, error) {
	return readAt(name, bytes.NewReader(data), int64(len(data)), format, opts, fn)
}

// isZip reports whether head starts a zip archive (a local file header, or
// the end record of an empty archive).
func isZip(head []byte) bool {
	return bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06"))
}

// isTar reports whether head starts a POSIX or GNU tar archive.
func isTar(head []byte) bool {
	return len(head) >= 263 && bytes.Equal(head[257:262], []byte("ustar"))
}

func withDefaults(opts Options) Options {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.MaxMembers <= 0 {
		opts.MaxMembers = DefaultMaxMembers
	}
	if opts.MaxErrors <= 0 {
		opts.MaxErrors = 5
	}
	return opts
}

// readAt reads a file, a .gz or an archive held by ra.
func readAt(name string, ra io.ReaderAt, size int64, format Format, opts Options, fn func(Post) error) (Stats, Format, error) {
	opts = withDefaults(opts)
	var magic [4]byte
	n, _ := ra.ReadAt(magic[:], 0)
	if isZip(magic[:n]) {
		return readZip(name, ra, size, format, opts, fn)
	}
	r, err := Decompress(io.NewSectionReader(ra, 0, size), name)
	if err != nil {
		return Stats{}, format, err
	}
	br := bufio.NewReaderSize(&limitReader{r: r, n: opts.MaxBytes, file: name}, 1<<16)
	head, _ := br.Peek(4096)
	if isTar(head) {
		return readTar(name, br, format, opts, fn)
	}
	if format == "" {
		if format, err = Detect(name, head); err != nil {
			return Stats{}, format, err
		}
	}
	st, err := Read(br, name, format, opts, fn)
	if err != nil {
		return st, format, overLimit(err)
	}
	return st, format, noPosts(name, &st, "")
}

// limitReader fails with a *LimitError past n bytes, the same error every
// time.
type limitReader struct {
	r    io.Reader
	n    int64
	file string
	read int64
	err  *LimitError
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	if int64(len(p)) > l.n-l.read+1 {
		p = p[:l.n-l.read+1]
	}
	n, err := l.r.Read(p)
	l.read += int64(n)
	if l.read > l.n {
		l.err = &LimitError{File: l.file, What: "bytes once decompressed", Limit: l.n}
		return n, l.err
	}
	return n, err
}

// overLimit returns the *LimitError in err, if there is one, else err: a
// decompression bomb is named as such, not as a read error of a record.
func overLimit(err error) error {
	var le *LimitError
	if errors.As(err, &le) {
		return le
	}
	return err
}

// Which files of an archive hold posts, by name. The reader of each format
// then checks the content.
var (
	// X archives: data/tweets.js, split as tweets-part1.js, ...; the
	// 2019-2020 archives name it tweet.js (window.YTD.tweet.part0).
	tweetsJSName = regexp.MustCompile(`^tweets?(-part[0-9]+)?\.js$`)
	// Twitter archives before 2019: data/js/tweets/2013_01.js, ...
	grailbirdName = regexp.MustCompile(`^[0-9]{4}_[0-9]{2}\.js$`)
)

// memberFormat is the format of an archive member that holds posts, or ""
// for one that does not (media, likes, followers, account data).
func memberFormat(name string) Format {
	base := strings.ToLower(path.Base(name))
	switch {
	case strings.HasPrefix(name, "__MACOSX/") || strings.HasPrefix(base, "._"):
		return ""
	case tweetsJSName.MatchString(base):
		return FormatTweetsJS
	case base == "outbox.json":
		return FormatMastodon
	case grailbirdName.MatchString(base):
		return FormatGrailbird
	case base == "tweets.csv":
		return FormatTweetsCSV
	case strings.HasSuffix(base, ".car"):
		// A Bluesky repository export (repo.car, <handle>-<date>.car), zipped.
		return FormatBluesky
	}
	return ""
}

// archive reads the chosen members of an archive, in its order, and adds
// up what they hold.
type archive struct {
	name    string
	format  Format // asked for; "" to take every posts file
	opts    Options
	fn      func(Post) error
	st      Stats
	first   Format
	members int
	names   []string // the first few member names, for messages
	// grailbird is set when the archive holds Grailbird months: its
	// tweets.csv (the same tweets, fewer fields) is then not read.
	grailbird bool
	budget    *limitReader // shared by the members: the archive's MaxBytes
}

// admit counts a member and says whether it is to be read.
func (a *archive) admit(name string) (Format, error) {
	a.members++
	if a.members > a.opts.MaxMembers {
		return "", &LimitError{File: a.name, What: "files", Limit: int64(a.opts.MaxMembers)}
	}
	if len(a.names) < 6 {
		a.names = append(a.names, shown(name))
	}
	f := memberFormat(name)
	switch {
	case f == "":
	case a.format != "" && f != a.format:
		f = ""
	case f == FormatTweetsCSV && a.grailbird:
		f = ""
	case f == FormatGrailbird:
		a.grailbird = true
	}
	if f == "" {
		a.st.Others++
	}
	return f, nil
}

// read reads one member of format f from r.
func (a *archive) read(name string, f Format, r io.Reader) error {
	a.budget.r = r
	full := a.name + "/" + shown(name)
	st, err := Read(a.budget, full, f, a.opts, a.fn)
	a.st.add(st, a.opts.MaxErrors)
	a.st.Parts = append(a.st.Parts, Part{Name: shown(name), Format: f, Records: st.Records, Kept: st.Kept})
	if a.first == "" {
		a.first = f
	}
	return overLimit(err)
}

// finish says why an archive gave no posts, if it gave none.
func (a *archive) finish() (Stats, Format, error) {
	if len(a.st.Parts) == 0 {
		return a.st, a.format, &NoPostsError{File: a.name, Reason: fmt.Sprintf(
			"no posts file in it (expected data/tweets.js of an X archive, outbox.json of a Mastodon export, "+
				"data/js/tweets/YYYY_MM.js or tweets.csv of a Twitter archive before 2019, a Bluesky repository's .car); it holds %d files: %s",
			a.members, strings.Join(a.names, ", ")+more(a.members, len(a.names)))}
	}
	return a.st, a.first, noPosts(a.name, &a.st, "")
}

func more(n, shown int) string {
	if n > shown {
		return ", ..."
	}
	return ""
}

// shown is a member name as messages show it: control and other
// non-printing characters are replaced, so a hostile name cannot rewrite a
// terminal line or the page's text.
func shown(name string) string {
	return strings.Map(func(r rune) rune {
		if !unicode.IsPrint(r) {
			return '?'
		}
		return r
	}, name)
}

func newArchive(name string, format Format, opts Options, fn func(Post) error) *archive {
	return &archive{name: name, format: format, opts: opts, fn: fn,
		budget: &limitReader{n: opts.MaxBytes, file: name}}
}

// readZip reads a zip archive: the posts files it holds, found by name.
func readZip(name string, ra io.ReaderAt, size int64, format Format, opts Options, fn func(Post) error) (Stats, Format, error) {
	zr, err := zip.NewReader(ra, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) { // names are never used as paths
		return Stats{}, format, fmt.Errorf("%s: not a readable zip archive: %v", name, err)
	}
	a := newArchive(name, format, opts, fn)
	if len(zr.File) > opts.MaxMembers {
		return Stats{}, format, &LimitError{File: name, What: "files", Limit: int64(opts.MaxMembers)}
	}
	for _, f := range zr.File {
		if memberFormat(f.Name) == FormatGrailbird {
			a.grailbird = true
		}
	}
	var only *zip.File
	for _, f := range zr.File {
		if !f.Mode().IsRegular() { // folders, and symbolic links (never followed)
			continue
		}
		ft, err := a.admit(f.Name)
		if err != nil {
			return a.st, format, err
		}
		only = f
		if ft == "" {
			continue
		}
		if err := a.readZipMember(f, ft); err != nil {
			return a.st, ft, err
		}
	}
	// A zip of one file of any format (a corpus zipped by hand).
	if len(a.st.Parts) == 0 && a.members == 1 && only != nil {
		a.st.Others = 0
		head, err := zipHead(only)
		if err != nil {
			return a.st, format, fmt.Errorf("%s/%s: %v", name, shown(only.Name), err)
		}
		ft := format
		if ft == "" {
			if ft, err = Detect(name+"/"+shown(only.Name), head); err != nil {
				return a.st, format, err
			}
		}
		if err := a.readZipMember(only, ft); err != nil {
			return a.st, ft, err
		}
	}
	return a.finish()
}

func (a *archive) readZipMember(f *zip.File, ft Format) error {
	if f.Flags&1 != 0 {
		return fmt.Errorf("%s/%s: the file is encrypted: export the archive again without a password", a.name, shown(f.Name))
	}
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("%s/%s: cannot open it in the zip archive: %v", a.name, shown(f.Name), err)
	}
	defer rc.Close()
	return a.read(f.Name, ft, rc)
}

// zipHead is the first bytes of a zip member.
func zipHead(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	head := make([]byte, 4096)
	n, err := io.ReadFull(rc, head)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		err = nil
	}
	return head[:n], err
}

// readTar reads a tar archive (decompressed already, if it was a .tar.gz)
// in one pass: the posts files it holds, found by name, in its order. In one
// pass the Grailbird months are preferred to tweets.csv only when they come
// first.
func readTar(name string, r io.Reader, format Format, opts Options, fn func(Post) error) (Stats, Format, error) {
	a := newArchive(name, format, opts, fn)
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			var le *LimitError
			if errors.As(err, &le) {
				return a.st, format, le
			}
			return a.st, format, fmt.Errorf("%s: not a readable tar archive (after %d files): %v", name, a.members, err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		ft, err := a.admit(h.Name)
		if err != nil {
			return a.st, format, err
		}
		if ft == "" {
			continue
		}
		if err := a.read(h.Name, ft, tr); err != nil {
			return a.st, ft, err
		}
	}
	return a.finish()
}

// readFolder reads a folder as an archive: its posts files, found by name,
// in the order of their paths. Hidden files and folders are skipped.
func readFolder(dir string, format Format, opts Options, fn func(Post) error) (Stats, Format, error) {
	opts = withDefaults(opts)
	a := newArchive(dir, format, opts, fn)
	fsys := os.DirFS(dir)
	var files []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			files = append(files, p)
			if len(files) > opts.MaxMembers {
				return &LimitError{File: dir, What: "files", Limit: int64(opts.MaxMembers)}
			}
			if memberFormat(p) == FormatGrailbird {
				a.grailbird = true
			}
		}
		return nil
	})
	if err != nil {
		return Stats{}, format, err
	}
	sort.Strings(files)
	for _, p := range files {
		ft, err := a.admit(p)
		if err != nil {
			return a.st, format, err
		}
		if ft == "" {
			continue
		}
		f, err := fsys.Open(p)
		if err != nil {
			return a.st, ft, err
		}
		err = a.read(p, ft, f)
		f.Close()
		if err != nil {
			return a.st, ft, err
		}
	}
	return a.finish()
}

// noPosts returns a *NoPostsError when st keeps no post, naming the reason;
// reason, when not empty, is the reader's own (an empty outbox).
func noPosts(file string, st *Stats, reason string) error {
	if st.Kept > 0 {
		return nil
	}
	if reason == "" {
		reason = st.reason
	}
	if reason == "" {
		reason = countsReason(st)
	}
	return &NoPostsError{File: file, Reason: reason}
}

// countsReason says, from the counts, why no post was kept.
func countsReason(st *Stats) string {
	if st.Records == 0 {
		switch {
		case st.Ignored > 0 && st.Bad > 0:
			return fmt.Sprintf("none of its records is a post (%d are well formed but not posts, %d could not be read)", st.Ignored, st.Bad)
		case st.Ignored > 0:
			return fmt.Sprintf("none of its %d records is a post (likes, follows, stream notices or the like)", st.Ignored)
		case st.Bad > 0:
			return fmt.Sprintf("all %d of its records could not be read", st.Bad)
		}
		return "it holds no posts"
	}
	var why []string
	if st.Retweets > 0 {
		why = append(why, fmt.Sprintf("%d retweets or boosts (someone else's posts)", st.Retweets))
	}
	if st.OtherLang > 0 {
		why = append(why, fmt.Sprintf("%d in another language than English (%s; a research corpus keeps English posts)", st.OtherLang, langList(st.Langs)))
	}
	if st.NoText > 0 {
		why = append(why, fmt.Sprintf("%d without text", st.NoText))
	}
	return fmt.Sprintf("none of its %d posts is kept: %s", st.Records, strings.Join(why, ", "))
}

// langList lists language labels by count, most frequent first.
func langList(langs map[string]int) string {
	type lc struct {
		l string
		n int
	}
	var list []lc
	for l, n := range langs {
		list = append(list, lc{l, n})
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].n != list[j].n {
			return list[i].n > list[j].n
		}
		return list[i].l < list[j].l
	})
	var parts []string
	for _, x := range list {
		l := x.l
		if l == "" {
			l = "none"
		}
		parts = append(parts, fmt.Sprintf("%q %d", shown(l), x.n))
	}
	return strings.Join(parts, ", ")
}
