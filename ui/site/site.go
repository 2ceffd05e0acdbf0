// Package site builds the in-browser recommender as a folder of plain
// static files (the .wasm and its gzip variant, wasm_exec.js from the Go
// that built it, the model, the page, a service worker whose cache version
// is the content hash, the web manifest) and serves such a folder.
package site

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// Options say where the parts of the site come from.
type Options struct {
	Out    string // output folder, created if needed
	Root   string // module root the paths below are relative to ("" = ".")
	Web    string // page files (index.html, app.js, app.css, sw.js, ...); default assets/web
	Model  string // model file; default assets/model.bin
	Pkg    string // the wasm main package; default ./wasm
	Tags   string // extra build tags for the wasm build
	Go     string // go command; default "go"
	Stderr io.Writer
}

// File is one file written.
type File struct {
	Name   string
	Size   int64
	GzSize int64 // size of Name.gz, 0 if none was written
}

// Report says what Build wrote.
type Report struct {
	Version string // content hash, the service worker's cache version
	Files   []File
}

// Size returns the sizes of the named file (raw and gzip).
func (r Report) Size(name string) (raw, gz int64) {
	for _, f := range r.Files {
		if f.Name == name {
			return f.Size, f.GzSize
		}
	}
	return 0, 0
}

// Names of the built files.
const (
	WasmFile  = "app.wasm"
	ModelFile = "model.bin"
)

func (o *Options) defaults() {
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&o.Root, ".")
	def(&o.Web, "assets/web")
	def(&o.Model, "assets/model.bin")
	def(&o.Pkg, "./wasm")
	def(&o.Go, "go")
	if o.Stderr == nil {
		o.Stderr = io.Discard
	}
}

func (o *Options) path(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(o.Root, p)
}

// Build writes the site into o.Out.
func Build(o Options) (Report, error) {
	o.defaults()
	var rep Report
	if o.Out == "" {
		return rep, errors.New("no output folder given")
	}
	if _, err := os.Stat(o.path(o.Model)); err != nil {
		return rep, fmt.Errorf("model file: %w (build it with \"hashtag export\")", err)
	}
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return rep, err
	}
	goroot, err := goEnv(o, "GOROOT")
	if err != nil {
		return rep, err
	}
	if err := buildWasm(o, filepath.Join(o.Out, WasmFile)); err != nil {
		return rep, err
	}
	copies := map[string]string{
		"wasm_exec.js": filepath.Join(goroot, "lib", "wasm", "wasm_exec.js"),
		ModelFile:      o.path(o.Model),
	}
	web, err := os.ReadDir(o.path(o.Web))
	if err != nil {
		return rep, err
	}
	var swTemplate []byte
	for _, e := range web {
		if e.IsDir() {
			continue
		}
		if e.Name() == "sw.js" {
			if swTemplate, err = os.ReadFile(filepath.Join(o.path(o.Web), "sw.js")); err != nil {
				return rep, err
			}
			continue
		}
		copies[e.Name()] = filepath.Join(o.path(o.Web), e.Name())
	}
	if swTemplate == nil {
		return rep, fmt.Errorf("%s: no sw.js", o.Web)
	}
	for name, src := range copies {
		if err := copyFile(filepath.Join(o.Out, name), src); err != nil {
			return rep, err
		}
	}

	names := []string{WasmFile}
	for n := range copies {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(o.Out, n))
		if err != nil {
			return rep, err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(b))
		h.Write(b)
	}
	rep.Version = hex.EncodeToString(h.Sum(nil))[:16]
	assets := append([]string{"./"}, names...)
	list, _ := json.Marshal(assets)
	sw := bytes.ReplaceAll(swTemplate, []byte("%%VERSION%%"), []byte(rep.Version))
	sw = bytes.ReplaceAll(sw, []byte("%%ASSETS%%"), list)
	if err := os.WriteFile(filepath.Join(o.Out, "sw.js"), sw, 0o644); err != nil {
		return rep, err
	}
	names = append(names, "sw.js")
	sort.Strings(names)

	for _, n := range names {
		f, err := gzipVariant(filepath.Join(o.Out, n))
		if err != nil {
			return rep, err
		}
		f.Name = n
		rep.Files = append(rep.Files, f)
	}
	return rep, nil
}

func goEnv(o Options, key string) (string, error) {
	cmd := exec.Command(o.Go, "env", key)
	cmd.Dir = o.Root
	cmd.Stderr = o.Stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s env %s: %w", o.Go, key, err)
	}
	return strings.TrimSpace(string(out)), nil
}

func buildWasm(o Options, out string) error {
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	args := []string{"build", "-trimpath", "-ldflags=-s", "-o", abs}
	if o.Tags != "" {
		args = append(args, "-tags", o.Tags)
	}
	args = append(args, o.Pkg)
	cmd := exec.Command(o.Go, args...)
	cmd.Dir = o.Root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	var stderr bytes.Buffer
	cmd.Stdout = o.Stderr
	cmd.Stderr = io.MultiWriter(o.Stderr, &stderr)
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("GOOS=js GOARCH=wasm %s %s: %w\n%s", o.Go, strings.Join(args, " "), err, stderr.String())
	}
	return nil
}

func copyFile(dst, src string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}

// gzipVariant writes path.gz (gzip -9) beside path when the file is worth
// compressing, and removes a stale one otherwise.
func gzipVariant(path string) (File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return File{}, err
	}
	f := File{Size: int64(len(b))}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		return f, err
	}
	if len(b) < 1024 || buf.Len() > len(b)*9/10 {
		if err := os.Remove(path + ".gz"); err != nil && !errors.Is(err, os.ErrNotExist) {
			return f, err
		}
		return f, nil
	}
	f.GzSize = int64(buf.Len())
	return f, os.WriteFile(path+".gz", buf.Bytes(), 0o644)
}
