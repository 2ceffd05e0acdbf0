package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestScript runs the scripts in testdata/script: each runs the real
// command, "hashtag", built into this test binary (TestMain), in a folder
// of its own, with $SAMPLE the bundled howyoutag sample. Besides
// testscript's commands they have:
//
//	exitcode N CMD [ARGS...]   run CMD and check that it exits with status N
//	truncate FILE SIZE         keep the first SIZE bytes of FILE
func TestScript(t *testing.T) {
	sample, err := filepath.Abs("../../assets/sample/howyoutag")
	if err != nil {
		t.Fatal(err)
	}
	shipped, err := filepath.Abs("../../assets/model.bin")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		RequireExplicitExec: true,
		Setup: func(e *testscript.Env) error {
			e.Setenv("SAMPLE", sample)
			e.Setenv("MODEL", shipped)
			return nil
		},
		Condition: func(cond string) (bool, error) {
			if cond == "sample" {
				_, err := os.Stat(sample)
				return err == nil, nil
			}
			if cond == "model" {
				_, err := os.Stat(shipped)
				return err == nil, nil
			}
			return false, errors.New("unknown condition " + cond)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exitcode": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) < 2 {
					ts.Fatalf("usage: exitcode N CMD [ARGS...]")
				}
				want, err := strconv.Atoi(args[0])
				ts.Check(err)
				got := 0
				var ee *exec.ExitError
				if err := ts.Exec(args[1], args[2:]...); errors.As(err, &ee) {
					got = ee.ExitCode()
				} else {
					ts.Check(err)
				}
				if got != want {
					ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
				}
			},
			"truncate": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 2 {
					ts.Fatalf("usage: truncate FILE SIZE")
				}
				n, err := strconv.ParseInt(args[1], 10, 64)
				ts.Check(err)
				ts.Check(os.Truncate(ts.MkAbs(args[0]), n))
			},
		},
	})
}
