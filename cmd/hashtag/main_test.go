package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestCommands checks the command table: the order "hashtag help" lists,
// one name each, a usage line and a short description for every command.
func TestCommands(t *testing.T) {
	var names []string
	seen := map[string]bool{}
	for _, c := range commands() {
		n := c.Name()
		if n == "" || seen[n] || c.Short == "" || !strings.HasPrefix(c.UsageLine, "hashtag "+n) || c.Run == nil {
			t.Errorf("command %q: usage line %q, short %q", n, c.UsageLine, c.Short)
		}
		seen[n] = true
		names = append(names, n)
	}
	if got, want := strings.Join(names, " "), "prepare train eval export site serve tags suggest experiments bench"; got != want {
		t.Errorf("commands %s, want %s", got, want)
	}
}

// TestHelp checks "hashtag help", "hashtag help CMD" and the exit codes of
// a command line that names no command.
func TestHelp(t *testing.T) {
	for _, tc := range []struct {
		args     []string
		code     int
		out, err string
		notOut   string
	}{
		{[]string{"help"}, 0, "  prepare      apply the benchmark protocol", "", "flags:"},
		{[]string{"help", "train"}, 0, "usage: hashtag train [flags] (--cache FILE | CORPUS...)\n\nTrains HMemN2N", "", "commands:"},
		{[]string{"help", "nosuch"}, 2, "", "hashtag help nosuch: unknown command", ""},
		{nil, 2, "", "commands:", ""},
		{[]string{"nosuch"}, 2, "", "hashtag: unknown command \"nosuch\"", ""},
	} {
		var stdout, stderr bytes.Buffer
		code := run(tc.args, &stdout, &stderr)
		if code != tc.code || !strings.Contains(stdout.String(), tc.out) || !strings.Contains(stderr.String(), tc.err) ||
			(tc.notOut != "" && strings.Contains(stdout.String(), tc.notOut)) {
			t.Errorf("hashtag %q: exit %d\nstdout:\n%s\nstderr:\n%s", tc.args, code, stdout.String(), stderr.String())
		}
	}
}
