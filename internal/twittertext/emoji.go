package twittertext

import (
	"unicode"
	"unicode/utf8"
)

const (
	zwj           = '\u200D'
	emojiVS       = '\uFE0F' // variation selector 16: show as emoji
	keycapMark    = '\u20E3'
	modifierFirst = 0x1F3FB // skin tones
	modifierLast  = 0x1F3FF
	tagFirst      = 0xE0020 // tag characters of subdivision flags (England, ...)
	tagLast       = 0xE007F
	riFirst       = 0x1F1E6 // regional indicators, two of which make a flag
	riLast        = 0x1F1FF
)

// emojiPrefix returns the length in bytes of the emoji sequence that starts
// cluster (one grapheme cluster), or 0 if there is none. X counts such a
// sequence as 2 however many code points it has, where counting code points
// would give a family of four 11.
//
// twitter-text finds emoji with twemoji's regular expression; this matches
// the same sequences by their structure instead of by a list:
//
//   - a flag: two regional indicators;
//   - a keycap: one of #*0-9, an optional U+FE0F, then U+20E3;
//   - an Extended_Pictographic code point with at least one of U+FE0F, a skin
//     tone, tag characters, or ZWJ plus another pictograph attached.
//
// A cluster of one code point returns 0: its own weight then applies, which
// is what twemoji gives too (2 for any emoji outside the weight-1 ranges, and
// 1 for a bare "©" or "®", which twemoji only takes as emoji with U+FE0F). A
// pictograph followed by U+FE0E (show as text) is not an emoji sequence either.
// Code points after the sequence in the same cluster (a combining mark on an
// emoji, say) are then counted on their own, as twitter-text does.
func emojiPrefix(cluster string) int {
	first, n := utf8.DecodeRuneInString(cluster)
	if n == len(cluster) {
		return 0
	}
	next, m := utf8.DecodeRuneInString(cluster[n:])
	switch {
	case isRegionalIndicator(first):
		if isRegionalIndicator(next) {
			return n + m
		}
	case first == '#' || first == '*' || '0' <= first && first <= '9':
		i := n
		if next == emojiVS {
			i += m
			next, m = utf8.DecodeRuneInString(cluster[i:])
		}
		if next == keycapMark {
			return i + m
		}
	case unicode.Is(extendedPictographic, first):
		i := n
		for {
			for i < len(cluster) {
				r, size := utf8.DecodeRuneInString(cluster[i:])
				if r != emojiVS && !isModifier(r) && !isTag(r) {
					break
				}
				i += size
			}
			r, size := utf8.DecodeRuneInString(cluster[i:])
			if r != zwj {
				break
			}
			r2, size2 := utf8.DecodeRuneInString(cluster[i+size:])
			if !unicode.Is(extendedPictographic, r2) {
				break // a dangling ZWJ is counted on its own
			}
			i += size + size2
		}
		if i > n {
			return i
		}
	}
	return 0
}

func isRegionalIndicator(r rune) bool { return riFirst <= r && r <= riLast }
func isModifier(r rune) bool          { return modifierFirst <= r && r <= modifierLast }
func isTag(r rune) bool               { return tagFirst <= r && r <= tagLast }
