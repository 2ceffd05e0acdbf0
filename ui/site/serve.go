package site

import (
	"errors"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
	"time"
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

// ContentSecurityPolicy is sent with every response. The page needs only
// its own origin: scripts (wasm_exec.js, app.js, the service worker and web
// workers), WebAssembly compilation ('wasm-unsafe-eval'; Go's wasm needs no
// 'unsafe-eval'), fetches of app.wasm and model.bin, the manifest and the
// icon; IndexedDB needs no directive. frame-ancestors 'none' keeps the page
// out of frames on other sites, which a <meta> policy cannot say. The meta
// policy in assets/web/index.html says the same for static hosts that send
// no header.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; " +
	"style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; worker-src 'self'; " +
	"manifest-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// Limits of the server NewServer builds, so that stalled or slow clients
// cannot hold a connection and an open file for ever.
const (
	ReadHeaderTimeout = 10 * time.Second // to read a request's headers
	ReadTimeout       = 30 * time.Second // to read a whole request (a GET has no body)
	IdleTimeout       = 60 * time.Second // a kept-alive connection waiting for its next request
	// WriteTimeout is the time to write a response that is not a file (an
	// error), and the base of a file's write deadline, which adds the
	// file's size at MinWriteRate: 116 s for the 5.5 MB app.wasm, 106 s
	// for its gzip variant or the 4.9 MB model.
	WriteTimeout = 30 * time.Second
	MinWriteRate = 64 << 10 // bytes per second
)

// NewServer returns an http.Server for h with the timeouts above.
func NewServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: ReadHeaderTimeout, ReadTimeout: ReadTimeout,
		WriteTimeout: WriteTimeout, IdleTimeout: IdleTimeout, MaxHeaderBytes: 64 << 10}
}

// Handler serves the files of dir. A request for "/" gets index.html. When
// the client accepts gzip (Accept-Encoding, q-values honoured) and NAME.gz
// exists, it is sent with Content-Encoding: gzip and NAME's type. Files are
// revalidated on every load (the service worker keeps the offline copy); no
// listing is served. Nothing outside dir is served: files are opened
// through os.Root, so a symbolic link that leads out of dir is refused, and
// a name with a part starting with a dot (.git/config, .env) gets 404. Each
// file's response has a write deadline of WriteTimeout plus its size at
// MinWriteRate (when the ResponseWriter supports deadlines).
func Handler(dir string) http.Handler {
	return &handler{dir: dir, writeTimeout: WriteTimeout, minRate: MinWriteRate}
}

type handler struct {
	dir          string
	writeTimeout time.Duration
	minRate      int64 // bytes per second
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Content-Security-Policy", ContentSecurityPolicy)
	hdr.Set("Referrer-Policy", "no-referrer")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hdr.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := path.Clean("/" + r.URL.Path)
	if strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	rel := strings.TrimPrefix(name, "/")
	if hidden(rel) {
		http.NotFound(w, r)
		return
	}
	root, err := os.OpenRoot(h.dir)
	if err != nil {
		http.Error(w, "site folder unavailable", http.StatusInternalServerError)
		return
	}
	defer root.Close()
	_, gzErr := root.Stat(rel + ".gz")
	hasGz := gzErr == nil
	if hasGz {
		hdr.Add("Vary", "Accept-Encoding")
	}
	if hasGz && AcceptsGzip(r.Header.Values("Accept-Encoding")) {
		if f, st, err := openRegular(root, rel+".gz"); err == nil {
			defer f.Close()
			hdr.Set("Content-Type", ContentType(name))
			hdr.Set("Content-Encoding", "gzip")
			h.serve(w, r, name, st, f)
			return
		}
	}
	f, st, err := openRegular(root, rel)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	hdr.Set("Content-Type", ContentType(name))
	h.serve(w, r, name, st, f)
}

// serve sends f with a write deadline sized for it.
func (h *handler) serve(w http.ResponseWriter, r *http.Request, name string, st fs.FileInfo, f *os.File) {
	d := h.writeTimeout + time.Duration(float64(st.Size())/float64(h.minRate)*float64(time.Second))
	// A ResponseWriter without deadlines (a wrapping middleware) keeps
	// the server's WriteTimeout.
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(d))
	http.ServeContent(w, r, name, st.ModTime(), f)
}

// openRegular opens name in root if it is a regular file (after following
// symbolic links that stay inside root).
func openRegular(root *os.Root, name string) (*os.File, fs.FileInfo, error) {
	f, err := root.Open(name)
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err == nil && !st.Mode().IsRegular() {
		err = errors.New("not a regular file")
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, st, nil
}

// hidden reports whether a slash-separated path has a part starting with a
// dot (a dotfile or a dot-folder).
func hidden(name string) bool {
	for _, part := range strings.Split(name, "/") {
		if strings.HasPrefix(part, ".") {
			return true
		}
	}
	return false
}

// AcceptsGzip reports whether a request's Accept-Encoding field values
// accept the gzip coding, by RFC 9110 section 12.5.3: "gzip" (or
// "x-gzip"), else "*", with a q-value above 0 ("gzip;q=0" refuses it), and
// not below the q-value stated for the identity coding ("identity", else
// "*"). Codings are case-insensitive; an element with a malformed q-value
// is ignored; the first element of a coding counts. No field, or no mention
// of gzip or "*", means no gzip.
func AcceptsGzip(values []string) bool {
	qGzip, qStar, qIdentity := -1.0, -1.0, -1.0 // -1: not stated
	for _, v := range values {
		for _, elem := range strings.Split(v, ",") {
			coding, params, _ := strings.Cut(elem, ";")
			coding = strings.ToLower(strings.TrimSpace(coding))
			q, ok := qValue(params)
			if coding == "" || !ok {
				continue
			}
			switch coding {
			case "gzip", "x-gzip":
				if qGzip < 0 {
					qGzip = q
				}
			case "*":
				if qStar < 0 {
					qStar = q
				}
			case "identity":
				if qIdentity < 0 {
					qIdentity = q
				}
			}
		}
	}
	if qGzip < 0 {
		qGzip = qStar
	}
	if qIdentity < 0 {
		qIdentity = qStar
	}
	return qGzip > 0 && qGzip >= qIdentity
}

// qValue returns the weight in the parameters of one Accept-Encoding
// element (after its first ';'): 1 without a q parameter, false if the
// q-value is malformed. RFC 9110: qvalue = ( "0" [ "." 0*3DIGIT ] ) /
// ( "1" [ "." 0*3("0") ] ).
func qValue(params string) (float64, bool) {
	if strings.TrimSpace(params) == "" {
		return 1, true
	}
	for _, p := range strings.Split(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		v = strings.TrimSpace(v)
		if v == "" || len(v) > 5 || (v[0] != '0' && v[0] != '1') {
			return 0, false
		}
		if len(v) > 1 {
			if v[1] != '.' {
				return 0, false
			}
			for _, c := range v[2:] {
				if c < '0' || c > '9' || (v[0] == '1' && c != '0') {
					return 0, false
				}
			}
		}
		q, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return 0, false
		}
		return q, true
	}
	return 1, true
}
