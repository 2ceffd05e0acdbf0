//go:build unix

package trainer

import (
	"errors"
	"os"
	"syscall"
)

var errWouldBlock = errors.New("lock held")

// lockFile takes an exclusive flock(2) on f without waiting. The lock
// belongs to f's open file description: a second open of the same file,
// in this process or another, cannot take it, and the kernel releases it
// when the descriptor is closed, also by the death of the process.
func lockFile(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, syscall.EWOULDBLOCK):
			return errWouldBlock
		case errors.Is(err, syscall.EINTR):
			continue
		}
		return err
	}
}

func unlockFile(f *os.File) { syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }
