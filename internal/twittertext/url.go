package twittertext

import (
	"cmp"
	"regexp"
	"strings"
	"unicode/utf8"
)

// This file finds the links twitter-text's extractUrlsWithIndices finds (the
// JavaScript library, which the conformance cases are written against).
// Its regular expression needs look-aheads after the TLD, which Go's RE2
// lacks, so the prefix and domain are matched by hand, replaying the
// backtracking order of the original; only the port, path and query part,
// which has no look-arounds, is a Go regexp (leftmost-first, so it picks the
// same match a backtracking engine would).

// span is a recognised link: bytes [start, end) of the normalised text.
type span struct{ start, end int }

const (
	maxURLLength     = 4096 // twitter-text's MAX_URL_LENGTH, in UTF-16 units
	maxTcoSlugLength = 40
)

// Character classes of twitter-text's URL regexes, written out in both cases
// instead of using (?i), whose Unicode folding would also admit the Kelvin
// sign and the long s, which JavaScript's does not.
const (
	latinAccents = `\x{00C0}-\x{00D6}\x{00D8}-\x{00F6}\x{00F8}-\x{00FF}\x{0100}-\x{024F}` +
		`\x{0253}\x{0254}\x{0256}\x{0257}\x{0259}\x{025B}\x{0263}\x{0268}\x{026F}\x{0272}` +
		`\x{0289}\x{028B}\x{02BB}\x{0300}-\x{036F}\x{1E00}-\x{1EFF}`
	cyrillic  = `\x{0400}-\x{04FF}`
	pathChar  = `[a-zA-Z` + cyrillic + `0-9!*';:=+,.$/%#\[\]\-\x{2013}_~@|&` + latinAccents + `]`
	parens    = `\((?:` + pathChar + `+|` + pathChar + `*\(` + pathChar + `+\)` + pathChar + `*)\)`
	pathEnd   = `(?:[+\-a-zA-Z` + cyrillic + `0-9=_#/` + latinAccents + `]|` + parens + `)`
	pathPart  = `(?:` + pathChar + `*(?:` + parens + pathChar + `*)*` + pathEnd + `|@` + pathChar + `+/)`
	queryChar = `[a-zA-Z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]`
	queryEnd  = `[a-zA-Z0-9\-_&=#/]`
	query     = `\?` + queryChar + `*` + queryEnd
)

var (
	// urlRest is what may follow a link's domain: port, path (group 1), query.
	urlRest = regexp.MustCompile(`^(?::[0-9]+)?(/` + pathPart + `*)?(?:` + query + `)?`)
	// tcoURL is twitter-text's validTcoUrl: a t.co link ends after its slug
	// (group 1) and query.
	tcoURL = regexp.MustCompile(`^[hH][tT][tT][pP][sS]?://[tT]\.[cC][oO]/([a-zA-Z0-9]+)(?:` + query + `)?`)
)

// extractURLs returns the links twitter-text would extract from s (valid
// UTF-8, NFC), in order, with and without a scheme.
func extractURLs(s string) []span {
	if !strings.Contains(s, ".") {
		return nil // no domain without a dot: twitter-text's own shortcut
	}
	runEnd := runEnds(s, isLabelRune)
	var links []span
	for from := 0; from < len(s); {
		m, ok := nextURLMatch(s, runEnd, from)
		if !ok {
			break
		}
		links = m.appendLinks(s, links)
		from = m.end // the regex resumes after the whole match, kept or not
	}
	return links
}

// urlMatch is one match of twitter-text's extractUrl regex, before the checks
// that may discard or shorten it.
type urlMatch struct {
	before           rune // the character before the link, -1 at the start of the text
	start            int  // the link, including any scheme
	domStart, domEnd int  // the domain
	path             bool // a path follows the domain (and port)
	end              int  // the end of the whole match: port, path and query
}

// nextURLMatch finds the first match at or after from. The regex begins with
// "(?:[^A-Za-z0-9@＠$#＃\uFFFE\uFEFF\uFFFF]|[directional marks]|^)", so a
// link is tried after each such character, and at the start of the text.
func nextURLMatch(s string, runEnd []int, from int) (urlMatch, bool) {
	for i := from; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if isURLPreceding(r) {
			if m, ok := matchURLAt(s, runEnd, i+size); ok {
				m.before = r
				return m, true
			}
		}
		if i == 0 {
			if m, ok := matchURLAt(s, runEnd, 0); ok {
				m.before = -1
				return m, true
			}
		}
		i += size
	}
	return urlMatch{}, false
}

// matchURLAt matches "(https?://)?domain(:port)?(/path)?(?query)?" at start.
func matchURLAt(s string, runEnd []int, start int) (urlMatch, bool) {
	m := urlMatch{start: start, domStart: start}
	switch {
	case hasPrefixFoldASCII(s[start:], "https://"):
		m.domStart += len("https://")
	case hasPrefixFoldASCII(s[start:], "http://"):
		m.domStart += len("http://")
	}
	// Without the scheme the domain would start at "http:", which is no
	// domain, so failing here is final, as in the original.
	end, ok := matchDomain(s, runEnd, m.domStart)
	if !ok {
		return m, false
	}
	m.domEnd = end
	loc := urlRest.FindStringSubmatchIndex(s[end:])
	m.path = loc[2] >= 0
	m.end = end + loc[1]
	return m, true
}

// matchDomain matches twitter-text's "subdomain* domainName TLD" at start:
// labels of domain characters, "-" and "_" (not at either end) each followed
// by a dot, then a TLD (see matchTLD). The greedy subdomain* means the most
// labels are tried first; the label right before the TLD may not hold "_".
func matchDomain(s string, runEnd []int, start int) (int, bool) {
	var tldStarts []int
	var underscore []bool
	for p := start; p < len(s); {
		e := runEnd[p]
		if e <= p || e >= len(s) || s[e] != '.' {
			break
		}
		first, _ := utf8.DecodeRuneInString(s[p:e])
		last, _ := utf8.DecodeLastRuneInString(s[p:e])
		if !isDomainRune(first) || !isDomainRune(last) {
			break
		}
		tldStarts = append(tldStarts, e+1)
		underscore = append(underscore, strings.IndexByte(s[p:e], '_') >= 0)
		p = e + 1
	}
	for k := len(tldStarts) - 1; k >= 0; k-- {
		if underscore[k] {
			continue
		}
		if end, ok := matchTLD(s, tldStarts[k]); ok {
			return end, true
		}
	}
	return 0, false
}

// appendLinks applies extractUrlsWithIndices's checks to m and appends the
// links it yields: none, one, or (without a scheme) each ASCII domain in it.
func (m urlMatch) appendLinks(s string, links []span) []span {
	url, domain := s[m.start:m.end], s[m.domStart:m.domEnd]
	scheme := s[m.start:m.domStart]
	// isValidUrl: DNS label lengths after punycode, and the overall length
	// (twitter-text adds the scheme, or "https://" if none, to the URL text).
	if !validLabels(domain) || strings.HasPrefix(domain, "xn--") && len(asciiDomains(domain)) == 0 {
		return links
	}
	if utf16Len(cmp.Or(scheme, "https://"))+utf16Len(url) > maxURLLength {
		return links
	}
	if scheme != "" {
		if loc := tcoURL.FindStringSubmatchIndex(url); loc != nil {
			if utf16Len(url[loc[2]:loc[3]]) > maxTcoSlugLength {
				return links
			}
			return append(links, span{m.start, m.start + loc[1]})
		}
		return append(links, span{m.start, m.end})
	}
	// Without a scheme: not after "-", "_", "." or "/", only the ASCII
	// domains inside, and a bare two-label domain with a country TLD
	// ("example.de") is not a link unless it is .co or .tv or has a path.
	if m.before >= 0 && strings.ContainsRune("-_./", m.before) {
		return links
	}
	found := asciiDomains(domain)
	for i, d := range found {
		name := domain[d.start:d.end]
		if !m.path && !specialShortDomain(name) && invalidShortDomain(name) {
			continue
		}
		link := span{m.domStart + d.start, m.domStart + d.end}
		if i == len(found)-1 && m.path {
			// twitter-text puts the ASCII domain in place of the domain in
			// the matched text and skips that text's length (in UTF-16
			// units) from the link's start.
			link.end = advanceUTF16(s, link.end, utf16Len(s[m.domEnd:m.end]))
		}
		links = append(links, link)
	}
	return links
}

// asciiDomains finds twitter-text's validAsciiDomain,
// "(?:[-a-z0-9latinAccents]+\.)+TLD" (global, case-insensitive), in domain.
func asciiDomains(domain string) []span {
	runEnd := runEnds(domain, isASCIILabelRune)
	var found []span
	for i := 0; i < len(domain); {
		if end, ok := matchASCIIDomain(domain, runEnd, i); ok {
			found = append(found, span{i, end})
			i = end
			continue
		}
		_, size := utf8.DecodeRuneInString(domain[i:])
		i += size
	}
	return found
}

func matchASCIIDomain(d string, runEnd []int, start int) (int, bool) {
	var tldStarts []int
	for p := start; ; {
		e := runEnd[p]
		if e <= p || e >= len(d) || d[e] != '.' {
			break
		}
		tldStarts = append(tldStarts, e+1)
		p = e + 1
	}
	for k := len(tldStarts) - 1; k >= 0; k-- {
		if end, ok := matchTLD(d, tldStarts[k]); ok {
			return end, true
		}
	}
	return 0, false
}

// invalidShortDomain is twitter-text's "^domainName ccTLD$" and
// specialShortDomain its "^domainName (co|tv)$".
func invalidShortDomain(name string) bool {
	tld, ok := shortDomainTLD(name)
	return ok && tlds().country[tld]
}

func specialShortDomain(name string) bool {
	tld, ok := shortDomainTLD(name)
	return ok && (tld == "co" || tld == "tv")
}

// shortDomainTLD splits an ASCII domain "label.rest" whose label is a valid
// domainName label and returns rest in lower case.
func shortDomainTLD(name string) (string, bool) {
	label, rest, ok := strings.Cut(name, ".")
	if !ok || label == "" || label[0] == '-' || label[len(label)-1] == '-' {
		return "", false
	}
	return strings.ToLower(rest), true
}

// isDomainRune is twitter-text's validDomainChars: anything but ASCII
// punctuation (except '"' and '`'), white space, the invalid characters and
// the directional marks.
func isDomainRune(r rune) bool {
	if r < utf8.RuneSelf && strings.ContainsRune(`!'#%&()*+,\-./:;<=>?@[]^_{|}~$`, r) {
		return false
	}
	return !isURLSpace(r) && !isInvalidChar(r) && !isDirectional(r)
}

func isLabelRune(r rune) bool { return r == '-' || r == '_' || isDomainRune(r) }

func isASCIILabelRune(r rune) bool {
	return r < utf8.RuneSelf && (isASCIIAlnum(byte(r)) || r == '-') ||
		0xC0 <= r && r <= 0x24F && r != 0xD7 && r != 0xF7 ||
		strings.ContainsRune("\u0253\u0254\u0256\u0257\u0259\u025B\u0263\u0268\u026F\u0272\u0289\u028B\u02BB", r) ||
		0x300 <= r && r <= 0x36F || 0x1E00 <= r && r <= 0x1EFF
}

// isURLPreceding is the first alternatives of the regex's prefix group.
func isURLPreceding(r rune) bool {
	if isDirectional(r) {
		return true
	}
	if r < utf8.RuneSelf && isASCIIAlnum(byte(r)) {
		return false
	}
	return !strings.ContainsRune("@＠$#＃", r) && !isInvalidChar(r)
}

// isURLSpace is twitter-text's spaces group.
func isURLSpace(r rune) bool {
	return 0x09 <= r && r <= 0x0D || r == 0x20 || r == 0x85 || r == 0xA0 || r == 0x1680 || r == 0x180E ||
		0x2000 <= r && r <= 0x200A || r == 0x2028 || r == 0x2029 || r == 0x202F || r == 0x205F || r == 0x3000
}

func isInvalidChar(r rune) bool { return r == 0xFFFE || r == 0xFEFF || r == 0xFFFF }

func isDirectional(r rune) bool {
	return 0x202A <= r && r <= 0x202E || r == 0x061C || r == 0x200E || r == 0x200F || 0x2066 <= r && r <= 0x2069
}

// runEnds gives, for each rune start i of s, the end of the run of runes
// satisfying in that starts at i (i itself if none). Computing it once keeps
// trying a link after every character linear instead of quadratic.
func runEnds(s string, in func(rune) bool) []int {
	ends := make([]int, len(s)+1)
	ends[len(s)] = len(s)
	for i := len(s); i > 0; {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		j := i - size
		ends[j] = j
		if in(r) {
			ends[j] = ends[i]
		}
		i = j
	}
	return ends
}

func hasPrefixFoldASCII(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := range len(prefix) {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

// utf16Len is the length of s in UTF-16 code units, JavaScript's String.length.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

// advanceUTF16 moves from byte p of s past n UTF-16 code units.
func advanceUTF16(s string, p, n int) int {
	for n > 0 && p < len(s) {
		r, size := utf8.DecodeRuneInString(s[p:])
		p += size
		n--
		if r >= 0x10000 {
			n--
		}
	}
	return p
}
