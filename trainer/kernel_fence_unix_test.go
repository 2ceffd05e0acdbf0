//go:build unix

package trainer

import (
	"sync"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// placements are where the guard tests put operands: fences first, as a
// fault names the first element out of bounds.
var placements = []placement{fenceAfter, fenceBefore, onHeap}

// fencePool keeps mappings for reuse, by the number of accessible pages.
var fencePool struct {
	sync.Mutex
	free map[int][][]byte
}

// fenced returns n float32s in memory of their own that end where an
// inaccessible page begins (after) or start where one ends, so that a
// kernel reading or writing past that end faults; and a func that gives the
// memory back for reuse.
func fenced(t *testing.T, n int, after bool) ([]float32, func()) {
	t.Helper()
	page := unix.Getpagesize()
	pages := max(1, (4*n+page-1)/page)
	fencePool.Lock()
	var mem []byte
	if l := fencePool.free[pages]; len(l) > 0 {
		mem, fencePool.free[pages] = l[len(l)-1], l[:len(l)-1]
	}
	fencePool.Unlock()
	if mem == nil {
		var err error
		mem, err = unix.Mmap(-1, 0, (pages+2)*page, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)
		if err != nil {
			t.Fatalf("mmap: %v", err)
		}
		if err := unix.Mprotect(mem[:page], unix.PROT_NONE); err != nil {
			t.Fatalf("mprotect: %v", err)
		}
		if err := unix.Mprotect(mem[(pages+1)*page:], unix.PROT_NONE); err != nil {
			t.Fatalf("mprotect: %v", err)
		}
	}
	start := page
	if after {
		start = (pages+1)*page - 4*n
	}
	s := unsafe.Slice((*float32)(unsafe.Pointer(&mem[start])), n)
	return s, func() {
		fencePool.Lock()
		defer fencePool.Unlock()
		if fencePool.free == nil {
			fencePool.free = make(map[int][][]byte)
		}
		fencePool.free[pages] = append(fencePool.free[pages], mem)
	}
}
