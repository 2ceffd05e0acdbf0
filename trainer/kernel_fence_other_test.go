//go:build !unix

package trainer

import "testing"

// placements are where the guard tests put operands: fences need mmap and
// mprotect, so only sentinels here.
var placements = []placement{onHeap}

func fenced(t *testing.T, n int, after bool) ([]float32, func()) {
	t.Helper()
	t.Fatal("no fenced memory on this system")
	return nil, nil
}
