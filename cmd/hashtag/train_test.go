package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/hashtag-rec/hashtag/model"
	"github.com/hashtag-rec/hashtag/trainer"
	"github.com/hashtag-rec/hashtag/ui/site"
)

// subprocessEnv makes the test binary run the hashtag command named by its
// arguments instead of the tests (see TestMain): the CLI tests start real
// processes to kill them with SIGKILL or to run them as another user.
const subprocessEnv = "HASHTAG_TEST_RUN_COMMAND"

func TestMain(m *testing.M) {
	if os.Getenv(subprocessEnv) == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	// The script tests (script_test.go) run this binary as "hashtag".
	testscript.Main(cleanupM{m}, map[string]func(){
		"hashtag": func() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// cleanupM runs the tests, then removes the sample cache they shared.
type cleanupM struct{ m *testing.M }

func (c cleanupM) Run() int {
	code := c.m.Run()
	if sampleCacheDir != "" {
		os.RemoveAll(sampleCacheDir)
	}
	return code
}

var (
	sampleCacheOnce sync.Once
	sampleCacheDir  string
	sampleCache     string
	sampleCacheErr  error
)

// sampleDataset returns a prepared dataset cache of the bundled howyoutag
// sample (prepared once per test binary), or skips.
func sampleDataset(t *testing.T) string {
	t.Helper()
	src := sampleHowYouTag()
	if src == "" {
		t.Skip("no howyoutag corpus: neither assets/sample/howyoutag nor /work/shared/data/howyoutag")
	}
	sampleCacheOnce.Do(func() {
		if sampleCacheDir, sampleCacheErr = os.MkdirTemp("", "hashtag-sample-"); sampleCacheErr != nil {
			return
		}
		var stderr bytes.Buffer
		if code := run([]string{"prepare", "--cache-dir", sampleCacheDir, src}, io.Discard, &stderr); code != 0 {
			sampleCacheErr = fmt.Errorf("prepare %s: exit %d\n%s", src, code, stderr.String())
			return
		}
		m, _ := filepath.Glob(filepath.Join(sampleCacheDir, "*.ds"))
		if len(m) != 1 {
			sampleCacheErr = fmt.Errorf("prepare wrote %v, want one .ds file", m)
			return
		}
		sampleCache = m[0]
	})
	if sampleCacheErr != nil {
		t.Fatal(sampleCacheErr)
	}
	return sampleCache
}

// tinyTrain are the flags of a training that takes well under a second per
// epoch on the sample.
func tinyTrain(cache, out string, more ...string) []string {
	return append([]string{"train", "--cache", cache, "--out", out, "--dim", "8", "--batch", "16",
		"--max-train", "64", "--max-valid", "64", "--patience", "0", "--workers", "1", "--test=false"}, more...)
}

func runCmd(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

// TestTrainSecondRunRefused starts a training in a real process, checks
// that a second one on the same --out is refused naming the first one's
// PID and touching nothing, then kills the first with SIGKILL and checks
// that the lock died with it: the next run trains.
func TestTrainSecondRunRefused(t *testing.T) {
	cache := sampleDataset(t)
	out := filepath.Join(t.TempDir(), "out")
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	first := exec.Command(exe, tinyTrain(cache, out, "--epochs", "1000000")...)
	first.Env = append(os.Environ(), subprocessEnv+"=1")
	pipe, err := first.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	first.Stderr = io.Discard
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	defer func() {
		if !killed {
			first.Process.Kill()
			first.Wait()
		}
	}()
	// Wait for its first epoch: it holds the lock by then.
	lines := bufio.NewScanner(pipe)
	started := false
	for lines.Scan() {
		if strings.HasPrefix(lines.Text(), "epoch 1:") {
			started = true
			break
		}
	}
	if !started {
		t.Fatalf("the first run did not finish an epoch (%v)", lines.Err())
	}
	go io.Copy(io.Discard, pipe)
	ckpt := filepath.Join(out, trainer.CheckpointFile)
	before, err := os.ReadFile(filepath.Join(out, trainer.LockFile))
	if err != nil || strings.TrimSpace(string(before)) != strconv.Itoa(first.Process.Pid) {
		t.Errorf("lock file holds %q (%v), want the first run's PID %d", before, err, first.Process.Pid)
	}

	code, stdout, stderr := runCmd(tinyTrain(cache, out, "--epochs", "1", "--lr", "0.2")...)
	want := fmt.Sprintf("is held by process %d", first.Process.Pid)
	if code != 1 || !strings.Contains(stderr, want) || !strings.Contains(stderr, out) {
		t.Fatalf("second run: exit %d, stderr %q; want exit 1 and %q", code, stderr, want)
	}
	if strings.Contains(stdout, "epoch 1:") {
		t.Errorf("the refused run trained:\n%s", stdout)
	}

	// kill -9: the kernel drops the flock with the process.
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	first.Wait()
	killed = true
	code, stdout, stderr = runCmd(tinyTrain(cache, out, "--epochs", "1")...)
	if code != 0 {
		t.Fatalf("run after the holder was killed with SIGKILL: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(ckpt); err != nil {
		t.Errorf("no checkpoint after the run: %v", err)
	}
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("temporary file %s left in %s (stdout %s)", e.Name(), out, stdout)
		}
	}
}

// TestTrainStaleTempRemoved checks that a temporary file a killed atomic
// write left in --out is removed at the start, and said so.
func TestTrainStaleTempRemoved(t *testing.T) {
	cache := sampleDataset(t)
	out := t.TempDir()
	stale := filepath.Join(out, ".model.bin.tmp3141592")
	if err := os.WriteFile(stale, make([]byte, 4096), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCmd(tinyTrain(cache, out, "--epochs", "1")...)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s still there (%v)", stale, err)
	}
	if !strings.Contains(stdout, "removed 1 stale temporary file(s) of 4096 bytes") {
		t.Errorf("the removal is not reported:\n%s", stdout)
	}
}

// TestTrainReadOnlyOutRefused checks that an --out the process cannot
// write to is refused before the first epoch, with and without a lock file
// an earlier run left there. Root writes through permission bits, so as
// root the training runs as the user nobody (uid 65534) in a real process;
// the folder and lock file are made as they would be for any user who may
// not write the folder.
func TestTrainReadOnlyOutRefused(t *testing.T) {
	cache := sampleDataset(t)
	base := t.TempDir()
	// The process may be another user: give it a copy of the test binary
	// and the dataset it can read.
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(filepath.Dir(base), 0o755)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(base, "hashtag.test")
	ds := filepath.Join(base, "sample.ds")
	for dst, src := range map[string]string{bin: exe, ds: cache} {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, b, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, withLock := range []bool{false, true} {
		out := filepath.Join(base, fmt.Sprintf("out-lock-%v", withLock))
		if err := os.Mkdir(out, 0o755); err != nil {
			t.Fatal(err)
		}
		if withLock { // left by an earlier run, writable by anyone
			if err := os.WriteFile(filepath.Join(out, trainer.LockFile), nil, 0o666); err != nil {
				t.Fatal(err)
			}
			os.Chmod(filepath.Join(out, trainer.LockFile), 0o666)
		}
		if err := os.Chmod(out, 0o555); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, tinyTrain(ds, out, "--epochs", "1")...)
		cmd.Dir = base
		cmd.Env = append(os.Environ(), subprocessEnv+"=1")
		if os.Geteuid() == 0 {
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		}
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			if os.Geteuid() == 0 {
				t.Skipf("cannot start a process as uid 65534 here (%v): a read-only folder cannot be made for root", err)
			}
			t.Fatal(err)
		}
		if ee.ExitCode() != 1 || !strings.Contains(stderr.String(), "cannot write to the output folder "+out) {
			t.Errorf("lock file %v: exit %d, stderr %q; want the folder refused", withLock, ee.ExitCode(), stderr.String())
		}
		if strings.Contains(stdout.String(), "epoch 1") {
			t.Errorf("lock file %v: an epoch ran before the refusal:\n%s", withLock, stdout.String())
		}
		os.Chmod(out, 0o755)
	}
}

// TestTrainResumeRefused checks the command's message for a resume with
// another --max-train and another --workers.
func TestTrainResumeRefused(t *testing.T) {
	cache := sampleDataset(t)
	out := t.TempDir()
	if code, _, stderr := runCmd(tinyTrain(cache, out, "--epochs", "1")...); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, c := range []struct{ flag, value, want string }{
		{"--max-train", "32", "--max-train 64 in the checkpoint, 32 in this run"},
		{"--workers", "2", "--workers 1 in the checkpoint, 2 in this run"},
		{"--lr", "0.05", "--lr 0.01 in the checkpoint, 0.05 in this run"},
		{"--dim", "10", "--dim 8 in the checkpoint, 10 in this run"},
	} {
		code, _, stderr := runCmd(tinyTrain(cache, out, "--epochs", "2", "--resume", c.flag, c.value)...)
		if code != 1 || !strings.Contains(stderr, c.want) {
			t.Errorf("resume with %s %s: exit %d, stderr %q; want %q", c.flag, c.value, code, stderr, c.want)
		}
	}
	code, stdout, stderr := runCmd(tinyTrain(cache, out, "--epochs", "2", "--resume")...)
	if code != 0 || !strings.Contains(stdout, "resumed") || !strings.Contains(stdout, "epoch 2:") {
		t.Errorf("resume with the same settings: exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestTrainDivergedStops checks that a training with a huge learning rate
// stops with an error instead of writing NaN weights.
func TestTrainDivergedStops(t *testing.T) {
	cache := sampleDataset(t)
	out := t.TempDir()
	code, _, stderr := runCmd(tinyTrain(cache, out, "--epochs", "5", "--lr", "1e30")...)
	if code != 1 || !strings.Contains(stderr, "training diverged in epoch") {
		t.Fatalf("lr 1e30: exit %d, stderr %q; want a divergence error", code, stderr)
	}
	// Whatever was written before (an epoch whose weights were still
	// finite) loads.
	if _, err := os.Stat(filepath.Join(out, trainer.BestModelFile)); err == nil {
		if _, err := model.ReadFile(filepath.Join(out, trainer.BestModelFile)); err != nil {
			t.Errorf("the model written before the divergence: %v", err)
		}
	}
}

// TestLoadRefusesNaN checks that eval refuses a model file holding a NaN
// weight, naming the file and the parameter.
func TestLoadRefusesNaN(t *testing.T) {
	cache := sampleDataset(t)
	out := t.TempDir()
	if code, _, stderr := runCmd(tinyTrain(cache, out, "--epochs", "1")...); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	m, err := model.ReadFile(filepath.Join(out, trainer.BestModelFile))
	if err != nil {
		t.Fatal(err)
	}
	m.Theta[2*m.Dim+1] = float32(math.NaN())
	bad := filepath.Join(out, "nan.bin")
	if err := m.WriteFile(bad); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCmd("eval", "--method", "hmemn2n", "--model", bad, "--cache", cache)
	if code != 1 || !strings.Contains(stderr, bad) || !strings.Contains(stderr, "Theta[2][1] is NaN") {
		t.Errorf("eval of a NaN model: exit %d, stderr %q", code, stderr)
	}
}

// TestDefaultOut checks that the default --out differs for every setting
// that changes the result, and not for --epochs or --patience.
func TestDefaultOut(t *testing.T) {
	name := func(args ...string) string {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		var tf trainFlags
		tf.register(fs)
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		return tf.defaultOut("ira", "random")
	}
	if got := name(); got != "train-hmemn2n-ira-random" {
		t.Errorf("defaults: %s", got)
	}
	if got := name("--lr", "0.01", "--epochs", "5", "--patience", "3"); got != "train-hmemn2n-ira-random" {
		t.Errorf("default lr, other epochs and patience: %s", got)
	}
	if got := name("--method", "memn2n", "--lr", "0.05", "--dim", "100"); got != "train-memn2n-ira-random-dim100-lr0.05" {
		t.Errorf("--lr 0.05 --dim 100: %s", got)
	}
	seen := map[string]string{}
	for _, f := range [][]string{{"--dim", "50"}, {"--hops", "3"}, {"--memory", "4"}, {"--words", "40"}, {"--min-count", "3"},
		{"--batch", "64"}, {"--lr", "0.05"}, {"--dropout", "0.1"}, {"--l2", "0"}, {"--seed", "2"}, {"--max-train", "1000"},
		{"--max-valid", "500"}, {"--workers", "1"}, {"--method", "memn2n"}} {
		n := name(f...)
		if n == name() {
			t.Errorf("%v does not change the default --out", f)
		}
		if prev, dup := seen[n]; dup {
			t.Errorf("%v and %s give the same --out %s", f, prev, n)
		}
		seen[n] = strings.Join(f, " ")
	}
}

// TestSiteRefusesBadModel checks that "hashtag site" refuses a model file
// the page could not load, before writing anything.
func TestSiteRefusesBadModel(t *testing.T) {
	dir := t.TempDir()
	m, err := model.New(model.Config{Variant: model.HMemN2N, Dim: 4, Hops: 1, Memory: 2, MaxWords: 5},
		[]string{"cat", "dog"}, []string{"pets"})
	if err != nil {
		t.Fatal(err)
	}
	m.Init(1)
	float32Model := filepath.Join(dir, "float32.bin")
	if err := m.WriteFile(float32Model); err != nil {
		t.Fatal(err)
	}
	good, err := m.MarshalCompact(model.CompactOptions{Embeddings: model.QuantInt8, Output: model.QuantInt8, Dense: model.QuantInt8})
	if err != nil {
		t.Fatal(err)
	}
	truncated := filepath.Join(dir, "truncated.bin")
	os.WriteFile(truncated, good[:len(good)*2/3], 0o644)
	m.Bf[0] = float32(math.Inf(1))
	nan, _ := m.MarshalCompact(model.CompactOptions{Embeddings: model.QuantInt8, Output: model.QuantInt8})
	nanModel := filepath.Join(dir, "inf.bin")
	os.WriteFile(nanModel, nan, 0o644)
	for path, want := range map[string]string{
		float32Model:                      "float32 training model",
		"/etc/passwd":                     "not a hashtag model file",
		truncated:                         "checksum",
		nanModel:                          "Bf[0][0] is +Inf",
		dir:                               "not a regular file",
		filepath.Join(dir, "missing.bin"): "no such file",
	} {
		out := filepath.Join(dir, "site-out")
		code, _, stderr := runCmd("site", "--out", out, "--model", path)
		if code != 1 || !strings.Contains(stderr, path) || !strings.Contains(stderr, want) || !strings.Contains(stderr, "the page could not load it") {
			t.Errorf("site --model %s: exit %d, stderr %q; want a refusal saying %q", path, code, stderr, want)
		}
		if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("site --model %s wrote %s (%v)", path, out, err)
		}
	}
}

// TestServe runs "hashtag serve" in a real process on a folder with a
// dotfile and a link out of it, and checks what it answers, and that a
// folder without index.html is refused.
func TestServe(t *testing.T) {
	empty := t.TempDir()
	code, _, stderr := runCmd("serve", "--dir", empty, "--addr", "127.0.0.1:0")
	if code != 1 || !strings.Contains(stderr, "is not a built site") {
		t.Errorf("serve of an empty folder: exit %d, %q", code, stderr)
	}

	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "index.html"), []byte("<!doctype html><title>t</title>"), 0o644)
	os.Mkdir(filepath.Join(dir, ".git"), 0o755)
	os.WriteFile(filepath.Join(dir, ".git", "config"), []byte("[core]"), 0o644)
	if err := os.Symlink("/etc/passwd", filepath.Join(dir, "passwd")); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "serve", "--dir", dir, "--addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), subprocessEnv+"=1")
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	line, err := bufio.NewReader(pipe).ReadString('\n')
	_, url, ok := strings.Cut(strings.TrimSpace(line), " at ")
	if err != nil || !ok || !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("serve printed %q (%v), want its loopback address", line, err)
	}
	client := &http.Client{Timeout: 10 * time.Second}
	for _, c := range []struct {
		path   string
		status int
	}{{"", 200}, {"index.html", 200}, {".git/config", 404}, {"passwd", 404}} {
		resp, err := client.Get(url + c.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status || bytes.Contains(body, []byte("root:")) || bytes.Contains(body, []byte("[core]")) {
			t.Errorf("GET /%s: %s %q, want %d", c.path, resp.Status, body, c.status)
		}
		if resp.Header.Get("Content-Security-Policy") != site.ContentSecurityPolicy || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET /%s: headers %v", c.path, resp.Header)
		}
	}
}
