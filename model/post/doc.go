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
//   - FormatMastodon: a Mastodon export's outbox.json (ActivityPub), or a
//     bare array of its activities; its HTML content becomes plain text
//     (htmlText), boosts are posts marked Retweet with no text;
//   - FormatGrailbird: a month of a Twitter archive from before 2019,
//     data/js/tweets/YYYY_MM.js;
//   - FormatTweetsCSV: the tweets.csv of such an archive;
//   - FormatBluesky: a Bluesky repository export (repo.car, from Settings →
//     "Export my data", com.atproto.sync.getRepo): a CAR v1 file of
//     DAG-CBOR blocks (cbor.go decodes them), whose records are walked from
//     the root commit through the Merkle Search Tree in key order; posts
//     (app.bsky.feed.post) keep their text, with the hashtags of their
//     "tags" field appended, reposts are posts marked Retweet with no text,
//     other records (likes, follows, the profile) are ignored. It is the
//     one binary format: recognised by its CAR header, never touched by the
//     BOM and CR handling of text files.
//
// Archives (archive.go): ReadFile (a path: a file or a folder) and ReadBytes
// (the bytes of a file a person picked in the page) read one file, a .gz, or
// a whole .zip, .tar or .tar.gz as X and Mastodon hand them out (a Bluesky
// .car too, zipped or in a folder), finding the posts files by name and
// leaving the rest (media, likes, followers) alone; Stats.Parts lists what
// was read. Both are bounded (Options.MaxBytes, Options.MaxMembers), write
// nothing, and refuse with a *NoPostsError an input from which no post is
// kept, naming the reason.
//
// Post.Kept is the one rule of which posts are used, for the CLI and the
// page: no retweets or boosts; from a research corpus, posts labelled
// English or unlabelled (the benchmark's filter); from a person's own
// archive (Post.Own), every post with text, in any language.
//
// Every reader streams: memory is bounded by one record (the JSON readers
// decode one array element or line at a time), and a .gz file is
// decompressed on the fly (ReadFile, Decompress). The exception is a Bluesky
// repository, whose blocks may come in any order: its reader holds the
// file's blocks (bounded by Options.MaxBytes, a section by 4 MiB) before it
// walks them. A record that cannot be read becomes a *RecordError naming the
// file, the line where the record starts (a CAR file has none: its errors
// name the record's key, or the byte offset of a broken section), the record
// number, the field and what was expected. By default (Options.SkipBad
// false) the reader goes on to the end to collect errors and then refuses
// the file with a *BadFileError listing the first few; with SkipBad it skips
// them and counts them in Stats. A fault that leaves the rest of the file
// unreadable (a JSON syntax error inside an array, a truncated or corrupt
// gzip stream, a missing CSV column) ends reading with a *RecordError naming
// the file and line; one from the gzip stream wraps its cause
// (io.ErrUnexpectedEOF for a truncated file). Without SkipBad the callback
// sees no post after the first bad record. No record is ever dropped
// silently: Stats counts what was read, what was skipped and what was
// ignored as not a post (streaming API notices, Mastodon likes).
//
// The package has no dependency on the operating system beyond ReadFile, so
// the browser build uses the same readers (Read) on a file the person
// picked.
package post
