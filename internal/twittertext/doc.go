// Package twittertext measures a post the way X (formerly Twitter) does, so
// that circulate can announce a page on X without the post being rejected as
// too long, and shortens the announcement when it would be.
//
// X does not count characters: it counts the "weighted length" defined by
// twitter-text's v3 configuration. Most Latin, Greek, Cyrillic, Hebrew,
// Arabic, Indic and similar letters and common punctuation weigh 1; CJK,
// Hangul, other characters and each emoji sequence (a ZWJ family, a flag, a
// keycap, a skin-toned hand) weigh 2; every link twitter-text recognises
// weighs 23 whatever its length, because X rewrites it to a t.co link. A post
// may weigh at most 280. The text is NFC-normalised before counting, as X does.
//
// Only what twitter-text would extract as a link counts as 23. That needs a
// domain ending in a top-level domain from twitter-text's list (embedded from
// tld_lib.yml): "https://example.org/x" is a link, "https://news.library.example/x"
// is not and is counted character by character. Links without a scheme
// ("example.com/page") count too, under twitter-text's extra rules for them.
//
// Parse and Weighted measure; Truncate shortens a body so that it and a tail
// kept whole (typically " " plus the page's URL) fit a limit, cutting only
// between grapheme clusters and never inside a link. The implementation
// follows the JavaScript twitter-text library and passes its conformance
// cases (testdata/validate.yml).
package twittertext
