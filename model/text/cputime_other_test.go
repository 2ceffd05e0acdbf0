//go:build !unix

package text

import "time"

// cpuTime cannot tell the CPU time here (js/wasm): timing tests only log.
func cpuTime() (time.Duration, bool) { return 0, false }
