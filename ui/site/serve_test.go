package site

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
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
