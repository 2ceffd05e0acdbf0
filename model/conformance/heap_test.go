package conformance

import (
	"os"
	"runtime"
	"testing"

	"github.com/hashtag-rec/hashtag/model"
)

// TestLoadHeap logs the Go heap the shipped model holds once loaded (after a
// garbage collection, the file's bytes freed), natively and as WebAssembly:
//
//	go test -run LoadHeap -v ./model/conformance
//	GOOS=js GOARCH=wasm PATH=$(go env GOROOT)/lib/wasm:$PATH go test -run LoadHeap -v ./model/conformance
//
// It fails if the model takes more than maxLoadedHeap.
func TestLoadHeap(t *testing.T) {
	const maxLoadedHeap = 16 << 20
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	m, err := load()
	if err != nil {
		t.Skip(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	alloc := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("%s: after loading %s: HeapAlloc %.1f MB (+%.1f MB for the model), HeapInuse %.1f MB (was %.1f MB), Sys %.1f MB",
		runtime.GOARCH, modelPath, mb(after.HeapAlloc), float64(alloc)/(1<<20), mb(after.HeapInuse), mb(before.HeapInuse), mb(after.Sys))
	if alloc > maxLoadedHeap {
		t.Errorf("the loaded model holds %.1f MB of heap, want at most %.1f MB", float64(alloc)/(1<<20), mb(maxLoadedHeap))
	}
	runtime.KeepAlive(m)
}

// load reads the shipped model the way the browser does, from its bytes,
// which it then drops.
func load() (*model.Model, error) {
	data, err := os.ReadFile(modelPath)
	if err != nil {
		return nil, err
	}
	return model.UnmarshalCompact(data)
}

func mb(n uint64) float64 { return float64(n) / (1 << 20) }
