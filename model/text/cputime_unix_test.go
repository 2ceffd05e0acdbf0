//go:build unix

package text

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time (user and system) the process has used, or
// false where it cannot tell. Timing tests measure it rather than the wall
// clock, which other jobs on a shared machine stretch.
func cpuTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
