package site

import (
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// contentTypes are the types a static site of this kind needs; the
// platform's MIME tables often lack some (application/wasm above all).
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".wasm":        "application/wasm",
	".webmanifest": "application/manifest+json",
	".json":        "application/json",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".bin":         "application/octet-stream",
}

// ContentType is the Content-Type the server sends for a file name.
func ContentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// Handler serves the files of dir. A request for "/" gets index.html. When
// the client accepts gzip and NAME.gz exists, it is sent with
// Content-Encoding: gzip and NAME's type. Files are revalidated on every
// load (the service worker keeps the offline copy); no listing is served.
func Handler(dir string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		name := path.Clean("/" + r.URL.Path)
		if strings.HasSuffix(name, "/") {
			name += "index.html"
		}
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "no-cache")
		h.Set("Content-Type", ContentType(name))
		full := filepath.Join(dir, filepath.FromSlash(name))
		if acceptsGzip(r) {
			if f, err := os.Open(full + ".gz"); err == nil {
				defer f.Close()
				if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
					h.Set("Content-Encoding", "gzip")
					h.Add("Vary", "Accept-Encoding")
					http.ServeContent(w, r, name, st.ModTime(), f)
					return
				}
			}
		}
		f, err := os.Open(full)
		if err != nil {
			h.Del("Content-Type")
			http.NotFound(w, r)
			return
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil || !st.Mode().IsRegular() {
			h.Del("Content-Type")
			http.NotFound(w, r)
			return
		}
		if _, err := os.Stat(full + ".gz"); err == nil {
			h.Add("Vary", "Accept-Encoding")
		}
		http.ServeContent(w, r, name, st.ModTime(), f)
	})
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(enc) == "gzip" {
			return !strings.Contains(strings.ReplaceAll(q, " ", ""), "q=0") || strings.Contains(q, "q=0.")
		}
	}
	return false
}
