package twittertext

import (
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"
)

// tldLib is twitter-text's list of top-level domains. A link only counts as a
// link (and so as URLLength) when its domain ends in one of these, which is
// why "news.library.example" is counted letter by letter.
//
//go:embed tld_lib.yml
var tldLib string

// tldTable ranks every known TLD in the order twitter-text's regular
// expression tries them: the generic TLDs first, then the country ones, each
// in file order. The order only matters where two TLDs match at one place.
type tldTable struct {
	rank     map[string]int  // lower-case TLD -> rank
	country  map[string]bool // lower-case country TLDs, for the short-domain rule
	maxRunes int             // the longest TLD, which bounds a look-up
}

// tlds is built once, on first use, and never changed afterwards.
var tlds = sync.OnceValue(func() tldTable { return parseTLDLib(tldLib) })

// parseTLDLib reads the "country:" and "generic:" lists of tld_lib.yml. The
// file is two flat lists of "- name" items, so it needs no YAML library.
func parseTLDLib(src string) tldTable {
	var generic, country []string
	var cur *[]string
	for line := range strings.Lines(src) {
		line = strings.TrimSpace(line)
		switch {
		case line == "generic:":
			cur = &generic
		case line == "country:":
			cur = &country
		case strings.HasPrefix(line, "- ") && cur != nil:
			*cur = append(*cur, strings.ToLower(strings.TrimSpace(line[2:])))
		}
	}
	t := tldTable{
		rank:    make(map[string]int, len(generic)+len(country)),
		country: make(map[string]bool, len(country)),
	}
	for i, name := range append(generic, country...) {
		if _, dup := t.rank[name]; !dup {
			t.rank[name] = i
		}
		t.maxRunes = max(t.maxRunes, utf8.RuneCountInString(name))
	}
	for _, name := range country {
		t.country[name] = true
	}
	return t
}

// matchTLD returns the end of the top-level domain that starts at byte p of
// s, as twitter-text's "(?:gTLD|ccTLD|punycode)" alternation would match it:
// a listed TLD must not be followed by [0-9A-Za-z@+-] (so "example.community"
// does not stop at "com"), and punycode ("xn--" and letters, digits and
// hyphens) takes all it can. ok is false if no TLD starts at p.
func matchTLD(s string, p int) (end int, ok bool) {
	t := tlds()
	best := -1
	for q, n := p, 0; q < len(s) && n < t.maxRunes; n++ {
		_, size := utf8.DecodeRuneInString(s[q:])
		q += size
		if rank, found := t.rank[strings.ToLower(s[p:q])]; found && tldBoundary(s, q) && (best < 0 || rank < best) {
			best, end = rank, q
		}
	}
	if best >= 0 {
		return end, true
	}
	if len(s)-p > 4 && strings.EqualFold(s[p:p+4], "xn--") && isPunycodeChar(s[p+4]) {
		end = p + 4
		for end < len(s) && isPunycodeChar(s[end]) {
			end++
		}
		return end, true
	}
	return 0, false
}

// tldBoundary is twitter-text's look-ahead after a TLD: (?=[^0-9a-zA-Z@+-]|$).
func tldBoundary(s string, q int) bool {
	if q == len(s) {
		return true
	}
	c := s[q]
	return !(isASCIIAlnum(c) || c == '@' || c == '+' || c == '-')
}

func isPunycodeChar(c byte) bool { return isASCIIAlnum(c) || c == '-' }

func isASCIIAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}
