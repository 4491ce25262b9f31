package twittertext

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"
	"golang.org/x/text/unicode/norm"
)

// Ellipsis is appended where Truncate cut the body. It weighs 2.
const Ellipsis = "…"

// maxWordLoss is how many grapheme clusters Truncate gives up, at most, to
// end the body on a whole word rather than in the middle of one.
const maxWordLoss = 20

// Truncate returns body+tail if it weighs at most limit. Otherwise it
// shortens body, appends Ellipsis, and returns that followed by tail, which
// is kept whole: tail is meant for what must survive, such as " " and the
// link being announced. The result weighs at most limit.
//
// The body is cut only between grapheme clusters, so an emoji sequence, a
// flag or a letter with its combining marks stays whole, and never inside a
// link of the body, which is kept or dropped entirely. Among the cuts that
// fit, the longest is taken, unless one that ends on a whole word loses at
// most 20 more clusters; trailing white space and ",;:" before the ellipsis
// are dropped. A shortened body is in NFC, the form X counts and keeps.
//
// ok is false, and the text empty, when not even Ellipsis and tail fit.
func Truncate(body, tail string, limit int) (text string, ok bool) {
	if Weighted(body+tail) <= limit {
		return body + tail, true
	}
	b := norm.NFC.String(strings.ToValidUTF8(body, "\uFFFD"))
	if trimmed := strings.TrimRightFunc(b, unicode.IsSpace); Weighted(trimmed+tail) <= limit {
		return trimmed + tail, true // only white space lost: no ellipsis
	}
	cuts := cutPoints(b)
	build := func(i int) string { return trimCut(b[:cuts[i]]) + Ellipsis + tail }
	fits := func(i int) bool { return Weighted(build(i)) <= limit }
	if !fits(0) {
		return "", false
	}
	// The weight of a prefix grows with the cut: cuts are grapheme
	// boundaries outside links, so no emoji or link changes its count. The
	// loop only guards against a corner where the ellipsis or the tail
	// interacts with the prefix (forming a new link, say).
	best := sort.Search(len(cuts), func(i int) bool { return !fits(i) }) - 1
	for !fits(best) {
		best--
	}
	for i := best; i > 0 && uniseg.GraphemeClusterCount(b[cuts[i]:cuts[best]]) <= maxWordLoss; i-- {
		if endsWord(b, cuts[i]) && fits(i) {
			return build(i), true
		}
	}
	return build(best), true
}

// cutPoints returns the byte offsets at which body may be cut, ascending:
// the start, and each grapheme cluster boundary not inside a link (the end
// of the body excluded, as the whole body does not fit).
func cutPoints(body string) []int {
	links := extractURLs(body)
	cuts := []int{0}
	for rest, p, state := body, 0, -1; len(rest) > 0; {
		var cluster string
		cluster, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
		p += len(cluster)
		for len(links) > 0 && links[0].end <= p {
			links = links[1:]
		}
		if p < len(body) && (len(links) == 0 || p <= links[0].start) {
			cuts = append(cuts, p)
		}
	}
	return cuts
}

// endsWord reports whether cutting at p leaves whole words: a non-space
// before p, and white space (or the end) at p.
func endsWord(s string, p int) bool {
	before, _ := utf8.DecodeLastRuneInString(s[:p])
	at, _ := utf8.DecodeRuneInString(s[p:])
	return p > 0 && !unicode.IsSpace(before) && (p == len(s) || unicode.IsSpace(at))
}

// trimCut drops what should not dangle before the ellipsis. None of these
// characters can end a link, so a link at the end stays the same.
func trimCut(prefix string) string {
	return strings.TrimRightFunc(prefix, func(r rune) bool {
		return unicode.IsSpace(r) || r == ',' || r == ';' || r == ':'
	})
}
