// Package text holds the text processing that the trainer and the browser
// share: two hashtag rules, each serving its own purpose, and the
// tokeniser, which turns a post into the words the model sees.
//
// Which rule serves what:
//
//   - The platforms' rule (FindHashtags, DistinctHashtags, HashtagKeys,
//     HashtagBefore) is what the page treats as a person's hashtags: in
//     typed text, at the cursor, in an imported history, in the memory
//     hashtags and on the copy path of the model (model.Encode) and in the
//     forms it displays. It follows what X and Mastodon treat as a hashtag.
//   - The model's rule (ModelHashtags, StripModelHashtags) is the
//     benchmark protocol's (../shared/BENCHMARK.md, "Hashtags of a post"):
//     Tokens removes these hashtags before it makes words, as the shipped
//     models' words were made. It must not change, or trained models and
//     the conformance fixture no longer match. The protocol's gold labels
//     come from trainer/dataset, which owns the same rule (and checks that
//     it is this one).
//
// # Hashtags as the platforms see them
//
// A hashtag is a marker, '#' or the full-width '＃' (U+FF03, typed by
// Japanese and Chinese keyboards), followed by a run of hashtag characters
// that holds at least one letter:
//
//	"I love #Go"        -> Go
//	"＃日本語ハッシュタグ"     -> 日本語ハッシュタグ
//	"#123", "#_"        -> none (no letter); "#1a" -> 1a
//
// Hashtag characters are Unicode letters (L*), marks (M*), decimal digits
// (Nd), '_', and the joiners and in-word marks that words of some scripts
// hold:
//
//	ZWNJ U+200C, ZWJ U+200D     "#می‌خواهم" (Persian), "#ශ්‍රීලංකා" (Sinhala)
//	middle dot U+00B7           "#il·lusió" (Catalan)
//	maqaf U+05BE, geresh U+05F3, gershayim U+05F4
//	                            "#עַל־יְדֵי", "#וכו׳" (Hebrew)
//	wave dash U+301C, full-width tilde U+FF5E
//	                            "#メ〜テレ", "#メ～テレ" (Japanese)
//	ditto mark U+3003           "#各〃" (an ideographic iteration mark;
//	                            々 U+3005 is a letter already)
//	kana sound marks U+309B U+309C, double hyphen U+30A0,
//	katakana middle dot U+30FB  "#ジョン・スミス"
//	kavyka U+A67E               (Old Cyrillic)
//	tsheg U+0F0B, U+0F0C        "#བོད་ཡིག" (Tibetan)
//
// The run is the longest one: "#a.b" is "a", "#il·lusió" is "il·lusió".
//
// Where a marker starts a hashtag: at the start of the text, or after a
// character that is neither a hashtag character nor '&' ("a#b", "_#b",
// "&#x27;" hold none; "(#a)", "x #a", "🙂#a", "##a" hold "a"). A marker
// right after the emoji variation selectors U+FE0E, U+FE0F or the keycap
// mark U+20E3 starts a hashtag although those are marks: "✌️#peace"
// holds "peace", as "👍🏽#yes" does (a skin-tone modifier is a symbol).
// A marker followed by U+FE0F or U+20E3 is the keycap emoji "#️⃣", not a
// hashtag.
//
// Which runs are no hashtag after all:
//
//   - one inside a URL: "http://twitter.com/#hashtag",
//     "docs.example.org/admin/config/#s3" and
//     "https://ja.wikipedia.org/wiki/日本#歴史" hold none, since the '#'
//     is part of the address (see urlSpans for what a URL is here: a
//     scheme and "://", or a host name with a dot and a '/' after it);
//   - one glued to what follows: directly followed by a marker ("#a#b"
//     holds none: neither "#a", nor "#b", which follows a letter) or by
//     "://" ("#http://example.com" holds none).
//
// A hashtag's Key, its identity, is its run lower-cased rune by rune with
// Unicode simple case mapping ("#Go" and "#GO" are one hashtag, "go"); its
// Form is the run as written, which the page shows. DistinctHashtags keeps
// the first form of each key, in order of first appearance. No HTML entity
// is decoded and no Unicode normalisation is applied ("#cafe\u0301" and
// "#café" are two hashtags).
//
// Where X and Mastodon differ, the rule takes X's (whose hashtag
// conformance cases the platform publishes): Mastodon also refuses a
// hashtag after '/', '=' or ')' and wants its joiners between two word
// characters; X, like this rule, does not. The rule requires a letter (L*)
// where X accepts a mark alone, and it lets a marker follow the keycap
// mark U+20E3 ("1️⃣#tag"), where X does not.
//
// # Hashtags as the model sees them
//
// ModelHashtags follows ../shared/BENCHMARK.md exactly. A hashtag is a '#'
// at the start of the text or after a character that is not a hashtag
// character, followed by one or more hashtag characters of which at least
// one is a letter. Hashtag characters are Unicode letters (L*), marks (M*),
// decimal digits (Nd) and '_'. The hashtag is that run, lower-cased rune by
// rune with Unicode simple case mapping (unicode.ToLower). A post's
// hashtags are deduplicated in order of first appearance. No HTML entity
// is decoded before extraction, so "&#39;" is not a hashtag.
// StripModelHashtags deletes every such hashtag (the '#' and its run) and
// nothing else. Unlike the platforms' rule it takes "#s3" from
// "docs.example.org/admin/config/#s3", "a" from "#a#b", and nothing from
// "＃日本語" or "✌️#peace".
//
// # Tokens
//
// Tokens follows the paper's preprocessing (Huang et al. 2016, section 4.1):
//
//  1. hashtags are deleted by the model's rule (StripModelHashtags), so a
//     model never sees a gold label;
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
