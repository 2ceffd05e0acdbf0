//go:build !(js && wasm)

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBrowserBuildCarriesNoTrainingCode lists the packages of the
// WebAssembly build and fails if any of them is training code, or net/http
// (which would triple the .wasm; the page calls fetch through syscall/js).
func TestBrowserBuildCarriesNoTrainingCode(t *testing.T) {
	goBin := filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		if goBin, err = exec.LookPath("go"); err != nil {
			t.Skip("no go command to list the build's packages")
		}
	}
	cmd := exec.Command(goBin, "list", "-deps", ".")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	pkgs := strings.Fields(string(out))
	if len(pkgs) < 10 {
		t.Fatalf("go list gave only %d packages: %v", len(pkgs), pkgs)
	}
	for _, p := range pkgs {
		if strings.Contains(p, "/hashtag/trainer") || p == "net/http" {
			t.Errorf("the browser build imports %s", p)
		}
	}
}
