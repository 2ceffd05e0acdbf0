package trainer

import (
	"os"
	"path/filepath"
	"testing"
)

// TestIsTerminal checks that the null device (a character device), a pipe
// and a regular file are not terminals: progress is then logged line by
// line, not redrawn.
func TestIsTerminal(t *testing.T) {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	if IsTerminal(null) {
		t.Errorf("%s is a terminal", os.DevNull)
	}

	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if IsTerminal(r) || IsTerminal(w) {
		t.Errorf("a pipe is a terminal")
	}

	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if IsTerminal(f) {
		t.Errorf("a regular file is a terminal")
	}

	f.Close()
	if IsTerminal(f) {
		t.Errorf("a closed file is a terminal")
	}
}
