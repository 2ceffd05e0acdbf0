package trainer

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// LockFile is the file in the Out folder that a training run holds locked
// while it runs, holding its process id.
const LockFile = "lock"

// ErrLocked is returned (wrapped) by Train when another run holds the Out
// folder.
var ErrLocked = errors.New("the output folder is in use by another training run")

// dirLock is a held lock on an Out folder.
type dirLock struct {
	f *os.File
}

// lockDir takes the lock of folder dir, so that two runs never write the
// same checkpoint and model. On unix it is flock(2) on dir/LockFile: the
// kernel drops it when the process ends in any way, kill -9 included, so a
// crashed run never leaves a lock that refuses the next one. The file holds
// the holder's process id, for the message a second run gives.
func lockDir(dir string) (*dirLock, error) {
	path := filepath.Join(dir, LockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("cannot write to the output folder %s: %w", dir, err)
	}
	if err := lockFile(f); err != nil {
		defer f.Close()
		if !errors.Is(err, errWouldBlock) {
			return nil, fmt.Errorf("locking %s: %w", path, err)
		}
		who := "another process"
		if pid := readPID(f); pid > 0 {
			who = "process " + strconv.Itoa(pid)
		}
		return nil, fmt.Errorf("%w: %s is held by %s (lock file %s); wait for it to finish, stop it, or give another --out",
			ErrLocked, dir, who, path)
	}
	if err := writePID(f); err != nil {
		unlockFile(f)
		f.Close()
		return nil, fmt.Errorf("cannot write to the output folder %s: %w", dir, err)
	}
	return &dirLock{f: f}, nil
}

// unlock releases the lock. The file stays (removing it would let a third
// run lock a new file while a second still waits on the old one).
func (l *dirLock) unlock() {
	if l == nil || l.f == nil {
		return
	}
	l.f.Truncate(0)
	unlockFile(l.f)
	l.f.Close()
	l.f = nil
}

func writePID(f *os.File) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	if _, err := f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0); err != nil {
		return err
	}
	return nil
}

// readPID returns the process id written in the lock file, or 0.
func readPID(f *os.File) int {
	b, err := io.ReadAll(io.NewSectionReader(f, 0, 32))
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}

// Temporary files: binfile.WriteFile (internal/binfile) writes NAME through ".NAME.tmp*"
// in the same folder; a run killed during such a write leaves one behind
// (a float32 model or checkpoint: up to hundreds of MB each).
const probeName = ".write-probe"

// tempPrefixes are the prefixes of the temporary files a run writes into
// its Out folder.
var tempPrefixes = []string{"." + CheckpointFile + ".tmp", "." + BestModelFile + ".tmp", probeName + ".tmp"}

// removeStaleTemps removes the temporary files an interrupted run left in
// dir, and returns how many and their bytes. Only call it holding dir's
// lock: no other run then writes there.
func removeStaleTemps(dir string) (n int, bytes int64, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, 0, err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || !isTempName(e.Name()) {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue // removed meanwhile
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, os.ErrNotExist) {
			return n, bytes, fmt.Errorf("removing the stale temporary file %s: %w", filepath.Join(dir, e.Name()), err)
		}
		n++
		bytes += fi.Size()
	}
	return n, bytes, nil
}

func isTempName(name string) bool {
	for _, p := range tempPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// checkWritable fails if a file cannot be created, written and synced in
// dir: found before the first epoch rather than when its checkpoint is due.
func checkWritable(dir string) error {
	f, err := os.CreateTemp(dir, probeName+".tmp*")
	if err != nil {
		return fmt.Errorf("cannot write to the output folder %s: %w", dir, err)
	}
	_, err = f.Write([]byte("probe\n"))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if rerr := os.Remove(f.Name()); err == nil {
		err = rerr
	}
	if err != nil {
		return fmt.Errorf("cannot write to the output folder %s: %w", dir, err)
	}
	return nil
}
