package main

import (
	"fmt"
	"io"

	"github.com/hashtag-rec/hashtag/ui/site"
)

func newSite() *Command {
	c := newCommand("hashtag site [flags]",
		"build the in-browser recommender as a folder of static files", `
Builds the WebAssembly recommender and writes it, the compact model and the page's files
into --out, a folder of static files any web server can serve ("hashtag serve" does).
The model is loaded as the page loads it, and refused before anything is written if the
page could not.`)
	fs := c.Flag
	var o site.Options
	fs.StringVar(&o.Out, "out", "site", "output folder")
	fs.StringVar(&o.Model, "model", "assets/model.bin", "compact model file (from \"hashtag export\"); loaded as the page loads it, and refused before anything is written if the page could not")
	fs.StringVar(&o.Web, "web", "assets/web", "page files (index.html, app.js, app.css, sw.js, manifest, icon)")
	fs.StringVar(&o.Pkg, "pkg", "./wasm", "the WebAssembly main package")
	fs.StringVar(&o.Tags, "tags", "", "extra build tags for the WebAssembly build")
	fs.StringVar(&o.Go, "go", "go", "go command (its GOROOT also gives wasm_exec.js)")
	c.Run = func(args []string, stdout, stderr io.Writer) error {
		if len(args) > 0 {
			return fmt.Errorf("unexpected arguments %q", args)
		}
		o.Stderr = stderr
		rep, err := site.Build(o)
		if err != nil {
			return err
		}
		for _, f := range rep.Files {
			if f.GzSize > 0 {
				fmt.Fprintf(stdout, "%-22s %10d bytes  (.gz %d)\n", f.Name, f.Size, f.GzSize)
			} else {
				fmt.Fprintf(stdout, "%-22s %10d bytes\n", f.Name, f.Size)
			}
		}
		fmt.Fprintf(stdout, "wrote %s (cache version %s); serve it with: hashtag serve --dir %s\n", o.Out, rep.Version, o.Out)
		return nil
	}
	return c
}
