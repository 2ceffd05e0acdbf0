package site

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestHandler(t *testing.T) {
	dir := t.TempDir()
	wasm := bytes.Repeat([]byte("\x00asm wasm body "), 200)
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("index.html", []byte("<!doctype html><title>x</title>"))
	write("app.wasm", wasm)
	write("manifest.webmanifest", []byte("{}"))
	if _, err := gzipVariant(filepath.Join(dir, "app.wasm")); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(Handler(dir))
	defer srv.Close()

	get := func(path, enc string) *http.Response {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.Header.Set("Accept-Encoding", enc) // set: the transport then does not decode
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	for _, c := range []struct {
		path, enc, status, ctype, cenc string
	}{
		{"/", "", "200 OK", "text/html; charset=utf-8", ""},
		{"/app.wasm", "gzip, deflate", "200 OK", "application/wasm", "gzip"},
		{"/app.wasm", "identity", "200 OK", "application/wasm", ""},
		{"/app.wasm", "gzip;q=0", "200 OK", "application/wasm", ""},
		{"/manifest.webmanifest", "gzip", "200 OK", "application/manifest+json", ""},
		{"/missing.js", "gzip", "404 Not Found", "text/plain; charset=utf-8", ""},
		{"/../../etc/passwd", "", "404 Not Found", "text/plain; charset=utf-8", ""},
	} {
		resp := get(c.path, c.enc)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.Status != c.status || resp.Header.Get("Content-Type") != c.ctype || resp.Header.Get("Content-Encoding") != c.cenc {
			t.Errorf("GET %s (Accept-Encoding %q): %s, type %q, encoding %q; want %s, %q, %q", c.path, c.enc,
				resp.Status, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Encoding"), c.status, c.ctype, c.cenc)
			continue
		}
		if c.path == "/app.wasm" {
			if c.cenc == "gzip" {
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				body, _ = io.ReadAll(zr)
			}
			if !bytes.Equal(body, wasm) {
				t.Errorf("GET /app.wasm (%q): body differs from the file", c.enc)
			}
		}
	}
}

// get requests path from srv with the given Accept-Encoding, the body not
// decoded.
func get(t *testing.T, srv *httptest.Server, path, enc string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL+path, nil)
	req.Header.Set("Accept-Encoding", enc)
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

// TestHandlerConfinement checks that nothing outside the folder is served
// (symbolic links leading out of it, in the name or as a .gz variant) and
// no dotfile or dot-folder, while a link inside the folder works.
func TestHandlerConfinement(t *testing.T) {
	outside := t.TempDir()
	secret := []byte("secret: outside the site folder, " + strings.Repeat("x", 2000))
	for _, n := range []string{"secret.txt", "app.js.gz", "index.html"} {
		if err := os.WriteFile(filepath.Join(outside, n), secret, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	files := map[string]string{
		"index.html": "<!doctype html><title>site</title>", "app.js": "console.log('app')",
		".env": "TOKEN=1", ".git/config": "[remote]", "sub/.hidden": "h", ".well/x.js": "x",
		"real.txt": "inside",
	}
	for n, c := range files {
		p := filepath.Join(dir, filepath.FromSlash(n))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{
		"passwd":    "/etc/passwd",
		"leak.txt":  filepath.Join(outside, "secret.txt"),
		"out":       outside,                             // a folder link: /out/secret.txt
		"app.js.gz": filepath.Join(outside, "app.js.gz"), // a variant leading out
		"rel.txt":   "../" + filepath.Base(outside) + "/secret.txt",
		"alias.txt": "real.txt", // inside: served
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(Handler(dir))
	defer srv.Close()
	for _, p := range []string{"/passwd", "/leak.txt", "/out/secret.txt", "/out/index.html", "/rel.txt",
		"/.env", "/.git/config", "/.git/", "/sub/.hidden", "/.well/x.js", "/%2egit/config", "/sub/../.env",
		"/../../etc/passwd", "/sub"} {
		resp, body := get(t, srv, p, "")
		if resp.StatusCode != http.StatusNotFound || bytes.Contains(body, []byte("secret")) || bytes.Contains(body, []byte("TOKEN")) {
			t.Errorf("GET %s: %s %q, want 404", p, resp.Status, body)
		}
	}
	resp, body := get(t, srv, "/alias.txt", "")
	if resp.StatusCode != http.StatusOK || string(body) != "inside" {
		t.Errorf("GET /alias.txt (a link inside the folder): %s %q", resp.Status, body)
	}
	// app.js.gz leads out of the folder: app.js is sent as it is.
	resp, body = get(t, srv, "/app.js", "gzip")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Encoding") != "" || string(body) != files["app.js"] {
		t.Errorf("GET /app.js with an outside .gz link: %s, encoding %q, %q", resp.Status, resp.Header.Get("Content-Encoding"), body)
	}
}

// TestHandlerHeaders checks the security headers on every kind of
// response.
func TestHandlerHeaders(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "index.html"), []byte("<!doctype html>"), 0o644)
	srv := httptest.NewServer(Handler(dir))
	defer srv.Close()
	for _, p := range []string{"/", "/index.html", "/missing.js", "/.env"} {
		resp, _ := get(t, srv, p, "")
		csp := resp.Header.Get("Content-Security-Policy")
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" || csp != ContentSecurityPolicy {
			t.Errorf("GET %s: X-Content-Type-Options %q, CSP %q", p, resp.Header.Get("X-Content-Type-Options"), csp)
		}
	}
	for _, want := range []string{"script-src 'self' 'wasm-unsafe-eval';", "frame-ancestors 'none'", "default-src 'self';", "object-src 'none'"} {
		if !strings.Contains(ContentSecurityPolicy, want) {
			t.Errorf("CSP lacks %q: %s", want, ContentSecurityPolicy)
		}
	}
	if strings.Contains(ContentSecurityPolicy, "'unsafe-eval'") {
		t.Errorf("CSP allows 'unsafe-eval': %s", ContentSecurityPolicy)
	}
	req, _ := http.NewRequest("POST", srv.URL+"/", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Content-Security-Policy") == "" {
		t.Errorf("POST /: %s, CSP %q", resp.Status, resp.Header.Get("Content-Security-Policy"))
	}
}

// TestIndexCSPMatchesHeader checks that the page's own meta policy (for
// static hosts that send no header) allows no more than the header: the
// same directives but frame-ancestors, which a meta policy cannot carry.
func TestIndexCSPMatchesHeader(t *testing.T) {
	b, err := os.ReadFile("../../assets/web/index.html")
	if err != nil {
		t.Skipf("no assets/web/index.html: %v", err)
	}
	m := regexp.MustCompile(`http-equiv="Content-Security-Policy" content="([^"]*)"`).FindSubmatch(b)
	if m == nil {
		t.Fatal("index.html has no Content-Security-Policy meta tag")
	}
	want := strings.TrimSuffix(ContentSecurityPolicy, "; frame-ancestors 'none'")
	if string(m[1]) != want {
		t.Errorf("index.html's meta CSP\n  %s\ndiffers from the header's (without frame-ancestors)\n  %s", m[1], want)
	}
}

func TestAcceptsGzip(t *testing.T) {
	for _, c := range []struct {
		values []string
		want   bool
	}{
		{nil, false},
		{[]string{""}, false},
		{[]string{"gzip"}, true},
		{[]string{"GZIP"}, true},
		{[]string{"x-gzip"}, true},
		{[]string{"gzip, deflate, br, zstd"}, true},
		{[]string{"deflate, br"}, false},
		{[]string{"gzip;q=0"}, false},
		{[]string{"gzip; q=0"}, false},
		{[]string{"gzip;Q=0"}, false},
		{[]string{"gzip;q=0.0"}, false},
		{[]string{"gzip;q=0.000"}, false},
		{[]string{"gzip;q=0.001"}, true},
		{[]string{"gzip;q=0.5"}, true},
		{[]string{"gzip;q=1.0"}, true},
		{[]string{"gzip;q=1.5"}, false},    // malformed: ignored
		{[]string{"gzip;q=0.0001"}, false}, // malformed: ignored
		{[]string{"gzip;q=abc"}, false},
		{[]string{"gzip;level=9"}, true},
		{[]string{"*"}, true},
		{[]string{"*;q=0"}, false},
		{[]string{"gzip;q=0, *"}, false},          // the named coding wins over *
		{[]string{"*, gzip;q=0"}, false},          // in any order
		{[]string{"gzip, *;q=0"}, true},           // gzip named, identity refused by *
		{[]string{"gzip;q=0.5, identity"}, false}, // identity preferred
		{[]string{"gzip;q=0.5, identity;q=0.5"}, true},
		{[]string{"gzip;q=0.5, *;q=1"}, false},
		{[]string{"identity;q=0, gzip;q=0.1"}, true},
		{[]string{"br", "gzip"}, true}, // several field lines
		{[]string{"br", "gzip;q=0"}, false},
		{[]string{"gzipx, xgzip"}, false},
		{[]string{" , ,gzip ,"}, true},
	} {
		if got := AcceptsGzip(c.values); got != c.want {
			t.Errorf("AcceptsGzip(%q) = %v, want %v", c.values, got, c.want)
		}
	}
}

// TestNewServerTimeouts checks that the server has every timeout set.
func TestNewServerTimeouts(t *testing.T) {
	s := NewServer(Handler(t.TempDir()))
	for name, d := range map[string]time.Duration{"ReadHeaderTimeout": s.ReadHeaderTimeout, "ReadTimeout": s.ReadTimeout,
		"WriteTimeout": s.WriteTimeout, "IdleTimeout": s.IdleTimeout} {
		if d <= 0 || d > 2*time.Minute {
			t.Errorf("%s = %v, want set (0 < d <= 2m)", name, d)
		}
	}
	if s.ReadHeaderTimeout > s.ReadTimeout {
		t.Errorf("ReadHeaderTimeout %v > ReadTimeout %v", s.ReadHeaderTimeout, s.ReadTimeout)
	}
	// A file's deadline allows the largest file of the site at MinWriteRate:
	// the 5.5 MB app.wasm within 2 minutes.
	if d := WriteTimeout + 5_500_000/MinWriteRate*time.Second; d > 2*time.Minute {
		t.Errorf("app.wasm's write deadline %v", d)
	}
}

// TestStalledDownloadCut checks the per-file write deadline: a client that
// stops reading a large file is disconnected once the deadline passes,
// while one that reads gets the whole file.
func TestStalledDownloadCut(t *testing.T) {
	dir := t.TempDir()
	const size = 64 << 20 // beyond what the loopback socket buffers hold
	big := bytes.Repeat([]byte("0123456789abcdef"), size/16)
	if err := os.WriteFile(filepath.Join(dir, "big.bin"), big, 0o644); err != nil {
		t.Fatal(err)
	}
	h := &handler{dir: dir, writeTimeout: 300 * time.Millisecond, minRate: 1 << 40}
	srv := httptest.NewServer(h)
	defer srv.Close()

	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.(*net.TCPConn).SetReadBuffer(64 << 10)
	fmt.Fprintf(conn, "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
	head := make([]byte, 512)
	if _, err := io.ReadFull(conn, head); err != nil || !bytes.HasPrefix(head, []byte("HTTP/1.1 200")) {
		t.Fatalf("start of response: %q, %v", head, err)
	}
	time.Sleep(1500 * time.Millisecond) // stalled past the deadline
	conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	n, err := io.Copy(io.Discard, conn)
	if n+512 >= size {
		t.Errorf("stalled client still got %d of %d bytes (err %v): no write deadline", n+512, size, err)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Errorf("the server kept the connection open: %v", err)
	}

	h.writeTimeout, h.minRate = WriteTimeout, MinWriteRate
	resp, body := get(t, srv, "/big.bin", "")
	if resp.StatusCode != http.StatusOK || len(body) != size {
		t.Errorf("reading client: %s, %d of %d bytes", resp.Status, len(body), size)
	}
}
