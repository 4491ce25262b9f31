package publisher

import (
	"fmt"
	"html"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Post text hygiene. Titles pasted from word processors, PDFs and web
// pages carry characters nobody sees: a byte order mark (U+FEFF) in the
// middle of a title, zero-width spaces, line and paragraph separators,
// control characters. X refuses a post with U+FEFF, U+FFFE or U+FFFF for
// good ("invalid characters"), and the others split words and links where
// no one can see why. So the composer leaves them out of every post, and
// `check` and `publish --dry-run` say which file has them, so that they are
// deleted where they are (they are no better on the web page).
//
// Left alone: the zero-width joiner and non-joiner (U+200D, U+200C), which
// build emoji sequences and spell Persian, Indic and other scripts, and the
// direction marks (U+200E, U+200F, U+061C), which keep mixed right-to-left
// and left-to-right text in order.

// unwanted reports whether r is left out of post texts.
func unwanted(r rune) bool {
	switch r {
	case '\uFEFF', '\uFFFE', '\uFFFF', // BOM and non-characters: X refuses them
		'\u200B',           // zero-width space
		'\u2060',           // word joiner
		'\u180E',           // Mongolian vowel separator, a zero-width space in old data
		'\u00AD',           // soft hyphen: invisible unless a word breaks there
		'\u2028', '\u2029': // line and paragraph separators
		return true
	case '\t', '\n', '\r':
		return false // white space: folded into single spaces
	}
	return unicode.Is(unicode.Cc, r) || // control characters
		unicode.Is(unicode.Co, r) || // private use: shows as boxes elsewhere
		(0x202A <= r && r <= 0x202E) || (0x2066 <= r && r <= 0x2069) || // bidi embeddings and isolates, easily left unbalanced
		r == 0xE0001 // the deprecated language tag (tags U+E0020.. spell emoji flags)
}

// cleanText drops the unwanted characters, folds white space into single
// spaces and puts the text in NFC, as X stores it; removed lists what was
// dropped, once each, as "U+FEFF (zero width no-break space)".
func cleanText(s string) (clean string, removed []string) {
	seen := map[rune]bool{}
	s = strings.Map(func(r rune) rune {
		if !unwanted(r) {
			return r
		}
		if !seen[r] {
			seen[r] = true
			removed = append(removed, runeName(r))
		}
		if r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return -1
	}, s)
	return norm.NFC.String(strings.Join(strings.Fields(s), " ")), removed
}

// runeName is "U+FEFF (zero width no-break space)".
func runeName(r rune) string {
	names := map[rune]string{
		'\uFEFF': "zero width no-break space, a byte order mark", '\uFFFE': "a non-character", '\uFFFF': "a non-character",
		'\u200B': "zero width space", '\u2060': "word joiner", '\u180E': "Mongolian vowel separator",
		'\u00AD': "soft hyphen", '\u2028': "line separator", '\u2029': "paragraph separator",
	}
	name, ok := names[r]
	switch {
	case ok:
	case unicode.Is(unicode.Cc, r):
		name = "a control character"
	case unicode.Is(unicode.Co, r):
		name = "a private-use character"
	default:
		name = "an invisible formatting character"
	}
	return fmt.Sprintf("U+%04X (%s)", r, name)
}

// findUnwanted returns the 1-based column (in characters) and the name of
// the first unwanted character in s, or 0.
func findUnwanted(s string) (col int, name string) {
	i := 0
	for _, r := range s {
		i++
		if unwanted(r) {
			return i, runeName(r)
		}
	}
	return 0, ""
}

// sameText reports whether a post on the account is the text circulate
// sent: what the network shows (links expanded back from t.co, &amp; and
// the like unescaped) and what was recorded, both in NFC with white space
// folded, as X normalises what it stores. The whole text must match: a
// post of another item that links to this one is not this item's post.
func sameText(shown, recorded string) bool {
	return normText(shown) == normText(recorded) && normText(recorded) != ""
}

func normText(s string) string {
	return norm.NFC.String(strings.Join(strings.Fields(s), " "))
}

// expandLinks rewrites what X shows (its t.co links, its HTML escapes)
// into the text as it was sent: each t.co link replaced by its
// expanded_url, then &amp;, &lt; and &gt; unescaped.
func expandLinks(text string, links []tcoLink) string {
	for _, l := range links {
		if l.Short != "" && l.Expanded != "" {
			text = strings.Replace(text, l.Short, l.Expanded, 1)
		}
	}
	return html.UnescapeString(text)
}

// tcoLink is a link as X shows it (a t.co link) and where it leads.
type tcoLink struct{ Short, Expanded string }
