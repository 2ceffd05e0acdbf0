package ui

import (
	"bytes"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// genFile is the file go generate writes (vugugen -s, then gofmt).
const genFile = "0_components_gen.go"

// TestGeneratedCurrent runs go generate's vugugen command (read from
// generate.go) on a copy of the package's .vugu and .go files, formats the
// output as gofmt does and fails if it differs from the committed
// 0_components_gen.go: a .vugu file changed without "go generate ./ui".
// It is skipped if the go command cannot build the vugugen tool. (Tests in
// this directory stay in package ui: vugugen parses every .go file here and
// wants one package.)
func TestGeneratedCurrent(t *testing.T) {
	args := vugugenArgs(t)
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command to run vugugen with: %v", err)
	}
	out, err := exec.Command(goCmd, "tool", "-n", "vugugen").Output()
	if err != nil {
		t.Skipf("go tool vugugen cannot run here: %v", err)
	}
	tool := strings.TrimSpace(string(out))

	dir := t.TempDir()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || name == genFile || (filepath.Ext(name) != ".go" && filepath.Ext(name) != ".vugu") {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(tool, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("vugugen %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	gen, err := os.ReadFile(filepath.Join(dir, genFile))
	if err != nil {
		t.Fatal(err)
	}
	if gen, err = format.Source(gen); err != nil {
		t.Fatalf("gofmt %s: %v", genFile, err)
	}
	have, err := os.ReadFile(genFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(have, gen) {
		g, h := strings.Split(string(gen), "\n"), strings.Split(string(have), "\n")
		i := 0
		for i < len(g) && i < len(h) && g[i] == h[i] {
			i++
		}
		line := func(s []string) string {
			if i < len(s) {
				return s[i]
			}
			return "(end of file)"
		}
		t.Fatalf("%s is stale: run go generate ./ui\nfirst difference at line %d:\ncommitted: %s\ngenerated: %s", genFile, i+1, line(h), line(g))
	}
}

// vugugenArgs returns the arguments generate.go's //go:generate line
// passes to go tool vugugen.
func vugugenArgs(t *testing.T) []string {
	src, err := os.ReadFile("generate.go")
	if err != nil {
		t.Fatal(err)
	}
	const prefix = "//go:generate go tool vugugen"
	for _, l := range strings.Split(string(src), "\n") {
		if rest, ok := strings.CutPrefix(l, prefix); ok && (rest == "" || rest[0] == ' ') {
			return strings.Fields(rest)
		}
	}
	t.Fatalf("generate.go has no %q line: update this test with the new generator", prefix)
	return nil
}
