//go:build !unix

package trainer

import (
	"errors"
	"os"
	"sync"
)

var errWouldBlock = errors.New("lock held")

// Without flock(2), the lock only keeps two runs of this process apart;
// another process is not excluded (the trainer is built for unix; this
// keeps it compiling elsewhere).
var (
	heldMu sync.Mutex
	held   = map[string]bool{}
)

func lockFile(f *os.File) error {
	heldMu.Lock()
	defer heldMu.Unlock()
	if held[f.Name()] {
		return errWouldBlock
	}
	held[f.Name()] = true
	return nil
}

func unlockFile(f *os.File) {
	heldMu.Lock()
	defer heldMu.Unlock()
	delete(held, f.Name())
}
