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
	"strconv"
	"strings"

	"github.com/hashtag-rec/hashtag/model"
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
	// VuguScriptFile holds vugu's renderer helper script (vuguScript).
	VuguScriptFile = "vugu-render.js"
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
	modelBytes, err := pageModel(o.path(o.Model))
	if err != nil {
		return rep, err
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
	}
	// The model bytes checked above, not the file again: what is packaged
	// is what was checked.
	if err := os.WriteFile(filepath.Join(o.Out, ModelFile), modelBytes, 0o644); err != nil {
		return rep, err
	}
	vugu, err := vuguScript(o)
	if err != nil {
		return rep, err
	}
	if err := os.WriteFile(filepath.Join(o.Out, VuguScriptFile), vugu, 0o644); err != nil {
		return rep, err
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

	names := []string{WasmFile, ModelFile, VuguScriptFile}
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

// maxModelBytes bounds the model file a site packages: the page reads it
// whole into memory (the compact reader allows a 1 GiB body).
const maxModelBytes = 1 << 30

// pageModel reads the model file at path and loads it exactly as the page
// does (model.ReadCompact, which wasm/model.go calls on the fetched bytes),
// so that a file the page cannot load (a float32 training model, a
// truncated or foreign file, non-finite weights) is refused before anything
// is written. It returns the file's bytes.
func pageModel(path string) ([]byte, error) {
	fail := func(err error) ([]byte, error) {
		return nil, fmt.Errorf("model file %s: %w; the page could not load it (make a browser model with \"hashtag export\")", path, err)
	}
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		return fail(err)
	case !fi.Mode().IsRegular():
		return fail(fmt.Errorf("not a regular file (%s)", fi.Mode().Type()))
	case fi.Size() > maxModelBytes:
		return fail(fmt.Errorf("%d bytes, more than the %d a page can load", fi.Size(), maxModelBytes))
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return fail(err)
	}
	if _, err := model.ReadCompact(bytes.NewReader(b)); err != nil {
		return fail(err)
	}
	return b, nil
}

// vuguHelperPrefix is how vugu v0.4.0's renderer helper script begins: it
// returns at once when its functions are already defined.
const vuguHelperPrefix = "(function(){if(window.vuguRender)return;"

// vuguEvalShim follows the helper script in VuguScriptFile.
const vuguEvalShim = `
// vugu's renderer (domrender.New) passes the script above to window.eval
// when the program starts. Loaded as a file instead, it lets the page's
// Content-Security-Policy leave out 'unsafe-eval': that eval call finds the
// helpers defined (the script would return at once) and is answered without
// evaluating anything. Any other eval is left to the browser, which the
// policy makes refuse it.
(function () {
  "use strict";
  const prefix = ` + "`" + vuguHelperPrefix + "`" + `;
  const native = window.eval;
  window.eval = function (src) {
    if (typeof src === "string" && src.startsWith(prefix) && typeof window.vuguRender === "function") {
      return undefined;
    }
    return native(src);
  };
})();
`

// vuguScript returns the content of VuguScriptFile: the renderer helper
// script of the vugu module the wasm is built with (the string constant
// jsHelperScript of its domrender package, which the renderer would
// otherwise eval), then vuguEvalShim. index.html loads it before the
// program starts.
func vuguScript(o Options) ([]byte, error) {
	cmd := exec.Command(o.Go, "list", "-m", "-f", "{{.Dir}}", "github.com/vugu/vugu")
	cmd.Dir = o.Root
	cmd.Stderr = o.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s list -m github.com/vugu/vugu: %w", o.Go, err)
	}
	src := filepath.Join(strings.TrimSpace(string(out)), "domrender", "renderer-js-script.go")
	b, err := os.ReadFile(src)
	if err != nil {
		return nil, fmt.Errorf("vugu's renderer helper script: %w", err)
	}
	const decl = "const jsHelperScript = "
	for _, line := range strings.Split(string(b), "\n") {
		lit, ok := strings.CutPrefix(line, decl)
		if !ok {
			continue
		}
		script, err := strconv.Unquote(strings.TrimSpace(lit))
		if err != nil {
			return nil, fmt.Errorf("%s: jsHelperScript: %w", src, err)
		}
		if !strings.HasPrefix(script, vuguHelperPrefix) {
			return nil, fmt.Errorf("%s: jsHelperScript does not begin with %q: another vugu version? The eval shim of %s needs checking", src, vuguHelperPrefix, VuguScriptFile)
		}
		return []byte("// vugu's renderer helper script (github.com/vugu/vugu/domrender, MIT licence).\n" + script + ";\n" + vuguEvalShim), nil
	}
	return nil, fmt.Errorf("%s: no %q line: another vugu version?", src, decl)
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
