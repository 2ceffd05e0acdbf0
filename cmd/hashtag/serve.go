package main

import (
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"

	"github.com/hashtag-rec/hashtag/ui/site"
)

func newServe() *Command {
	c := newCommand("hashtag serve [flags]",
		"serve a built site folder over HTTP (127.0.0.1 only by default; nothing outside the folder, no dotfiles; timeouts; CSP header)", `
Serves the folder "hashtag site" wrote over HTTP: nothing outside the folder, no dotfiles,
timeouts and a Content-Security-Policy header. It listens on 127.0.0.1 unless --addr says
otherwise.`)
	fs := c.Flag
	dir := fs.String("dir", "site", "site folder (from \"hashtag site\")")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on; a non-loopback address exposes the site to the network")
	c.Run = func(args []string, stdout, stderr io.Writer) error {
		if len(args) > 0 {
			return fmt.Errorf("unexpected arguments %q", args)
		}
		if _, err := os.Stat(filepath.Join(*dir, "index.html")); err != nil {
			return fmt.Errorf("%s is not a built site (%v); run \"hashtag site --out %s\" first", *dir, err, *dir)
		}
		ln, err := net.Listen("tcp", *addr)
		if err != nil {
			return err
		}
		if host, _, _ := net.SplitHostPort(*addr); host != "127.0.0.1" && host != "localhost" && host != "::1" {
			fmt.Fprintf(stderr, "warning: listening on %s, reachable from other machines\n", ln.Addr())
		}
		fmt.Fprintf(stdout, "serving %s at http://%s/\n", *dir, ln.Addr())
		return site.NewServer(site.Handler(*dir)).Serve(ln)
	}
	return c
}
