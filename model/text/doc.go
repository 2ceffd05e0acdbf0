// Package text holds the two pieces of text processing that the trainer and
// the browser must share byte for byte: hashtag extraction, which defines the
// gold labels of the benchmark protocol, and the tokeniser, which turns a
// post into the words the model sees.
//
// # Hashtags
//
// Hashtags follows ../shared/BENCHMARK.md exactly. A hashtag is a '#' at the
// start of the text or after a character that is not a hashtag character,
// followed by one or more hashtag characters of which at least one is a
// letter. Hashtag characters are Unicode letters (L*), marks (M*), decimal
// digits (Nd) and '_'. The hashtag is that run, lower-cased rune by rune with
// Unicode simple case mapping (unicode.ToLower). A post's hashtags are
// deduplicated in order of first appearance. No HTML entity is decoded before
// extraction, so "&#39;" is not a hashtag. StripHashtags deletes every
// hashtag (the '#' and its run) and nothing else.
//
// # Tokens
//
// Tokens follows the paper's preprocessing (Huang et al. 2016, section 4.1):
//
//  1. hashtags are deleted (StripHashtags), so a model never sees a gold label;
//  2. HTML entities are decoded (&amp; becomes &);
//  3. URLs (http://, https://, www. and pic.twitter.com/ up to the next
//     space) and mentions ('@' followed by word characters) are dropped
//     where they start a word (not after a letter, mark or digit: in
//     "awww.nice" nothing is dropped);
//  4. the rest is lower-cased and split into words: maximal runs of letters,
//     marks and decimal digits; an apostrophe inside a word is dropped
//     ("don't" becomes "dont"); every other character separates words;
//  5. words of one character, words made only of digits, and English
//     stopwords (the NLTK list plus the Twitter words "rt", "amp", "via")
//     are removed;
//  6. at most MaxWords words are kept, the first ones of the post.
//
// The tokeniser never fails: any byte string, valid UTF-8 or not, gives a
// (possibly empty) list of words.
package text
