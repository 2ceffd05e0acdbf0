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
//     status per line;
//   - FormatTweetsJS: a personal Twitter archive's tweets.js;
//   - FormatMastodon: a Mastodon export's outbox.json (ActivityPub).
//
// Every reader streams: memory is bounded by one record, and a .gz file is
// decompressed on the fly (Open). A record that cannot be read becomes a
// *RecordError naming the file, the line or record number, the field and
// what was expected. By default (Options.SkipBad false) the reader goes on
// to the end to collect errors and then refuses the file with a
// *BadFileError listing the first few; with SkipBad it skips them and
// counts them in Stats. No record is ever dropped silently: Stats counts
// what was read, what was skipped and why.
//
// The package has no dependency on the operating system beyond Open, so the
// browser build uses the same readers on a file the person picked.
package post
