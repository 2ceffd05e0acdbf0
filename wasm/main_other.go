//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

// main off the browser only says how to build the page: this package is
// the WebAssembly entry point.
func main() {
	fmt.Fprintln(os.Stderr, "wasm: this is the browser build; run \"hashtag site\" (GOOS=js GOARCH=wasm) and \"hashtag serve\"")
	os.Exit(2)
}
