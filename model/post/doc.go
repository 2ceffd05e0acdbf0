// Package post reads posts from the real formats people and researchers have
// them in, one record at a time, and turns each into a Post.
//
// Formats:
//
//   - FormatIRA: the Internet Research Agency tweets CSV (FiveThirtyEight
//     release and its re-splits), header row, columns found by name;
//   - FormatHowYouTag: the HowYouTagTweets TSV, no header,
//     "text \t user_id \t hashtag \t hashtag ...";
//   - FormatTwitterJSON: Twitter API v1.1 statuses, a JSON array or one
//     status per line (JSON Lines), as ../shared/BENCHMARK.md reads them;
//   - FormatTweetsJS: a personal Twitter archive's data/tweets.js;
//   - FormatMastodon: a Mastodon export's outbox.json (ActivityPub); its
//     HTML content becomes plain text (htmlText), boosts are posts marked
//     Retweet with no text.
//
// Every reader streams: memory is bounded by one record (the JSON readers
// decode one array element or line at a time), and a .gz file is
// decompressed on the fly (ReadFile, Decompress). A record that cannot be
// read becomes a *RecordError naming the file, the line where the record
// starts, the record number, the field and what was expected. By default
// (Options.SkipBad false) the reader goes on to the end to collect errors
// and then refuses the file with a *BadFileError listing the first few; with
// SkipBad it skips them and counts them in Stats. A fault that leaves the
// rest of the file unreadable (a JSON syntax error inside an array, a
// truncated or corrupt gzip stream, a missing CSV column) ends reading with
// a *RecordError naming the file and line; one from the gzip stream wraps
// its cause (io.ErrUnexpectedEOF for a truncated file). Without SkipBad the
// callback sees no post after the first bad record. No record is ever
// dropped silently: Stats counts what was read, what was skipped and what
// was ignored as not a post (streaming API notices, Mastodon likes).
//
// The package has no dependency on the operating system beyond ReadFile, so
// the browser build uses the same readers (Read) on a file the person
// picked.
package post
