package trainer

import (
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/term"
)

// IsTerminal reports whether f is a terminal, for the choice between a
// redrawn progress line and periodic log lines. Other character devices,
// such as /dev/null, pipes and files are not. It asks through
// f.SyscallConn, which, unlike f.Fd, leaves f's mode as it is.
func IsTerminal(f *os.File) bool {
	c, err := f.SyscallConn()
	if err != nil {
		return false
	}
	var tty bool
	if err := c.Control(func(fd uintptr) { tty = term.IsTerminal(int(fd)) }); err != nil {
		return false
	}
	return tty
}

// progress reports training progress: on a terminal one line redrawn at
// most 5 times a second; otherwise a log line every `every`.
type progress struct {
	w             io.Writer
	term          bool
	every         time.Duration
	epoch, epochs int
	total         int
	start, last   time.Time
}

func newProgress(w io.Writer, term bool, every time.Duration, epoch, epochs, total int) *progress {
	if every <= 0 {
		every = 30 * time.Second
	}
	now := time.Now()
	return &progress{w: w, term: term, every: every, epoch: epoch, epochs: epochs, total: total, start: now, last: now}
}

func (p *progress) update(done int, loss float64) {
	if p.w == nil {
		return
	}
	now := time.Now()
	gap := p.every
	if p.term {
		gap = 200 * time.Millisecond
	}
	if now.Sub(p.last) < gap {
		return
	}
	p.last = now
	el := now.Sub(p.start).Seconds()
	rate := float64(done) / el
	eta := time.Duration(float64(p.total-done)/rate) * time.Second
	line := fmt.Sprintf("epoch %d/%d  %d/%d (%.1f%%)  %.0f examples/s  loss %.4f  ETA %s",
		p.epoch, p.epochs, done, p.total, 100*float64(done)/float64(p.total), rate, loss, eta.Round(time.Second))
	if p.term {
		fmt.Fprintf(p.w, "\r\033[K%s", line)
	} else {
		fmt.Fprintf(p.w, "%s %s\n", now.Format("15:04:05"), line)
	}
}

func (p *progress) done() {
	if p.w != nil && p.term {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
