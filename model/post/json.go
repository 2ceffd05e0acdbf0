package post

import (
	"fmt"
	"io"
)

// The JSON-family readers are written in twitter.go, tweetsjs.go and
// mastodon.go.

func readTwitterJSON(r io.Reader, s *sink) error { return fmt.Errorf("%s: twitter-json: not written yet", s.file) }
func readTweetsJS(r io.Reader, s *sink) error    { return fmt.Errorf("%s: tweets-js: not written yet", s.file) }
func readMastodon(r io.Reader, s *sink) error    { return fmt.Errorf("%s: mastodon: not written yet", s.file) }
