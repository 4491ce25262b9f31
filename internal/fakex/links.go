package fakex

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/circulate-dev/circulate/internal/twittertext"
)

// shorten replaces each link in text by a t.co link, as X does, and returns
// the entities, indexed in code points of the HTML-escaped text X returns.
//
// Whether something is a link is twittertext's call (a link weighs
// URLLength whatever its length), so the fake wraps exactly what it counted
// as 23. Only links with a scheme are wrapped; twittertext still counts
// scheme-less ones ("example.com/x") as X does, but they stay as written.
func (s *Server) shorten(text string) (string, []URL) {
	var out strings.Builder
	var urls []URL
	pos := 0 // code points of escaped output so far
	for rest := text; rest != ""; {
		start, end := findLink(rest)
		if start < 0 {
			out.WriteString(rest)
			break
		}
		out.WriteString(rest[:start])
		pos += utf8.RuneCountInString(htmlEscape(rest[:start]))
		link := rest[start:end]
		tco := s.newTco()
		out.WriteString(tco)
		urls = append(urls, URL{Start: pos, End: pos + utf8.RuneCountInString(tco), URL: tco, ExpandedURL: link, DisplayURL: displayURL(link)})
		pos += utf8.RuneCountInString(tco)
		rest = rest[end:]
	}
	return out.String(), urls
}

// findLink returns the byte span of the first link with a scheme in s, or
// -1, -1.
func findLink(s string) (start, end int) {
	for i := 0; i < len(s); i++ {
		if !hasPrefixFold(s[i:], "http://") && !hasPrefixFold(s[i:], "https://") {
			continue
		}
		// twitter-text wants no letter, digit or @#$ right before a link.
		if prev, _ := utf8.DecodeLastRuneInString(s[:i]); i > 0 &&
			(unicode.IsLetter(prev) || unicode.IsDigit(prev) || strings.ContainsRune("@#$＠＃", prev)) {
			continue
		}
		cand := s[i:]
		if j := strings.IndexFunc(cand, unicode.IsSpace); j >= 0 {
			cand = cand[:j]
		}
		// The link is the longest prefix twittertext counts as one link:
		// that leaves out trailing punctuation, a TLD it does not know, and
		// whatever else twitter-text's grammar stops at.
		whole := twittertext.Weighted(cand)
		for n := len(cand); n >= len("http://a.co"); {
			// A prefix that is a link on its own may not be one in
			// context ("https://news.li" in "https://news.library.example"):
			// in context, the link and what follows must weigh as the
			// whole does.
			if isLink(cand[:n]) && whole == twittertext.URLLength+twittertext.Weighted(cand[n:]) {
				return i, i + n
			}
			_, size := utf8.DecodeLastRuneInString(cand[:n])
			n -= size
		}
	}
	return -1, -1
}

// hasPrefixFold is strings.HasPrefix ignoring ASCII case ("HTTPS://" is a
// link too).
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// isLink reports whether twittertext counts all of s as one link: it weighs
// URLLength, while text that is not a link weighs at least one per code
// point, and a link followed by more text weighs more.
func isLink(s string) bool {
	if twittertext.Weighted(s) != twittertext.URLLength {
		return false
	}
	if utf8.RuneCountInString(s) != twittertext.URLLength {
		return true
	}
	// Exactly 23 code points weigh 23 whether a link or not; a link one
	// character shorter usually still is one (and weighs 23), plain text 22.
	_, size := utf8.DecodeLastRuneInString(s)
	return twittertext.Weighted(s[:len(s)-size]) == twittertext.URLLength
}

// newTco returns a fresh t.co link, 23 characters like X's. Callers hold mu.
func (s *Server) newTco() string {
	const digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	s.nextTco++
	b := []byte("fakex00000")
	for n, i := s.nextTco, len(b)-1; n > 0 && i >= 5; n, i = n/len(digits), i-1 {
		b[i] = digits[n%len(digits)]
	}
	return "https://t.co/" + string(b)
}

// displayURL is the link as X displays it: no scheme, no "www.", cut with
// an ellipsis past 26 characters.
func displayURL(link string) string {
	d := link
	if i := strings.Index(d, "://"); i >= 0 {
		d = d[i+3:]
	}
	if len(d) >= 4 && strings.EqualFold(d[:4], "www.") {
		d = d[4:]
	}
	if r := []rune(d); len(r) > 26 {
		d = string(r[:25]) + "…"
	}
	return d
}
