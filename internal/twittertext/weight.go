package twittertext

import (
	"strings"
	"unicode/utf8"

	"github.com/rivo/uniseg"
	"golang.org/x/text/unicode/norm"
)

// The v3 configuration of twitter-text (config/v3.json), the rules X applies
// today. Weights are in hundredths, as in the configuration, so that a
// future configuration with fractional weights would fit;
// TestConfigMatchesV3 keeps these in step with testdata/config-v3.json.
const (
	// MaxLength is the largest weighted length X accepts in one post.
	MaxLength = 280
	// URLLength is what every recognised link weighs, whatever its length.
	URLLength = 23

	scale         = 100
	defaultWeight = 200 // anything outside weightRanges, and each emoji sequence
)

// weightRanges are the code points that weigh 1 (100/scale) instead of 2.
var weightRanges = [...]struct{ lo, hi rune }{
	{0, 4351},    // Latin to Georgian, including most alphabetic scripts
	{8192, 8205}, // General Punctuation: spaces, ZWSP, ZWNJ, ZWJ
	{8208, 8223}, // dashes and quotation marks
	{8242, 8247}, // primes
}

const rangeWeight = 100

// Result is the measure of one post text.
type Result struct {
	// Weighted is the weighted length X counts against MaxLength.
	Weighted int
	// Valid reports whether X would accept the text: not empty, at most
	// MaxLength, and free of the characters twitter-text rejects
	// (U+FFFE, U+FEFF, U+FFFF).
	Valid bool
	// Permillage is Weighted as thousandths of MaxLength (1000 = full),
	// rounded down, as twitter-text reports it for progress indicators.
	Permillage int
}

// Weighted returns the weighted length of text; see Parse.
func Weighted(text string) int {
	return Parse(text).Weighted
}

// Parse measures text as twitter-text's parseTweet does with the v3
// configuration: NFC first, then each recognised link weighs URLLength,
// each emoji sequence 2, and every other code point 1 or 2 by its range.
func Parse(text string) Result {
	s := norm.NFC.String(text)
	links := extractURLs(s)
	total := 0
	for p := 0; p < len(s); {
		// Links are sorted by start; drop any that began inside an
		// already counted one, as twitter-text's index walk skips them.
		for len(links) > 0 && links[0].start < p {
			links = links[1:]
		}
		if len(links) > 0 && links[0].start == p {
			total += URLLength * scale
			p = links[0].end
			links = links[1:]
			continue
		}
		next := len(s)
		if len(links) > 0 {
			next = links[0].start
		}
		// An emoji sequence never spans grapheme clusters, so the cluster
		// (cut short at the next link) bounds the search.
		cluster, _, _, _ := uniseg.FirstGraphemeClusterInString(s[p:next], -1)
		if n := emojiPrefix(cluster); n > 0 {
			total += defaultWeight
			p += n
			continue
		}
		r, size := utf8.DecodeRuneInString(s[p:])
		total += runeWeight(r)
		p += size
	}
	weighted := total / scale
	return Result{
		Weighted:   weighted,
		Valid:      weighted > 0 && weighted <= MaxLength && !strings.ContainsAny(s, "\uFFFE\uFEFF\uFFFF"),
		Permillage: weighted * 1000 / MaxLength,
	}
}

// runeWeight is the weight of one code point outside links and emoji. Invalid
// UTF-8 decodes as U+FFFD and so weighs 2.
func runeWeight(r rune) int {
	for _, wr := range weightRanges {
		if wr.lo <= r && r <= wr.hi {
			return rangeWeight
		}
	}
	return defaultWeight
}
