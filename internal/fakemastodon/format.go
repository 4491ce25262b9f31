package fakemastodon

import (
	"html"
	"regexp"
	"strings"

	"github.com/rivo/uniseg"
)

// urlRE finds the links Mastodon links: a scheme, then anything up to a
// space or a character a URL does not end with. Mastodon uses
// twitter-text's extractor with extract_url_without_protocol: false, so
// "example.org" without a scheme is plain text, counted in full.
var urlRE = regexp.MustCompile(`(?i)\bhttps?://[^\s<>"]+`)

// mentionRE finds "@user" and "@user@domain" not inside a word.
var mentionRE = regexp.MustCompile(`(?i)(^|[^\w/@])@([a-z0-9_]+(?:[a-z0-9_.-]*[a-z0-9_])?)(@[a-z0-9.-]+\.[a-z]{2,})?`)

// hashtagRE finds "#tag" not inside a word or link.
var hashtagRE = regexp.MustCompile(`(^|[^\w/#&])#([\p{L}\p{N}_]*[\p{L}_][\p{L}\p{N}_]*)`)

type entity struct {
	start, end int // byte offsets in the text
	kind       string
	value      string // the URL, the acct or the tag
}

// trimURL drops the trailing punctuation that ends a sentence rather than
// the link, as twitter-text does, keeping a ")" that closes a "(" inside.
func trimURL(u string) string {
	for len(u) > 0 {
		c := u[len(u)-1]
		switch {
		case strings.ContainsRune(".,:;!?'\"", rune(c)):
			u = u[:len(u)-1]
		case c == ')' && strings.Count(u, "(") < strings.Count(u, ")"):
			u = u[:len(u)-1]
		default:
			return u
		}
	}
	return u
}

// entities lists the links, mentions and hashtags of text, in order,
// without overlaps.
func entities(text string) []entity {
	var out []entity
	taken := func(a, b int) bool {
		for _, e := range out {
			if a < e.end && e.start < b {
				return true
			}
		}
		return false
	}
	for _, m := range urlRE.FindAllStringIndex(text, -1) {
		u := trimURL(text[m[0]:m[1]])
		out = append(out, entity{m[0], m[0] + len(u), "url", u})
	}
	for _, m := range mentionRE.FindAllStringSubmatchIndex(text, -1) {
		start := m[3] // after the preceding character
		end := m[5]
		if m[6] >= 0 {
			end = m[7]
		}
		if !taken(start, end) {
			out = append(out, entity{start, end, "mention", strings.TrimPrefix(text[start:end], "@")})
		}
	}
	for _, m := range hashtagRE.FindAllStringSubmatchIndex(text, -1) {
		start, end := m[3], m[5]
		if !taken(start, end) {
			out = append(out, entity{start, end, "tag", text[m[4]:m[5]]})
		}
	}
	// Sort by start (few entities: insertion sort).
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].start < out[j-1].start; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// Length is a status text's length as Mastodon's StatusLengthValidator
// counts it: grapheme clusters, each URL as 23 characters, a mention of a
// remote account as its local part only.
func Length(text string) int {
	var b strings.Builder
	last := 0
	for _, e := range entities(text) {
		b.WriteString(text[last:e.start])
		switch e.kind {
		case "url":
			b.WriteString(strings.Repeat("x", 23))
		case "mention":
			user, _, _ := strings.Cut(e.value, "@")
			b.WriteString("@" + user)
		default:
			b.WriteString(text[e.start:e.end])
		}
		last = e.end
	}
	b.WriteString(text[last:])
	return uniseg.GraphemeClusterCount(b.String())
}

// formatContent writes a status's HTML as Mastodon's TextFormatter does:
// paragraphs, <br /> for single line breaks, links shortened for display.
func formatContent(text, base string) string {
	var b strings.Builder
	last := 0
	for _, e := range entities(text) {
		b.WriteString(html.EscapeString(text[last:e.start]))
		switch e.kind {
		case "url":
			b.WriteString(shortenedLink(e.value))
		case "mention":
			user, domain, _ := strings.Cut(e.value, "@")
			href := base + "/@" + user
			if domain != "" {
				href = "https://" + domain + "/@" + user
			}
			b.WriteString(`<span class="h-card" translate="no"><a href="` + html.EscapeString(href) + `" class="u-url mention">@<span>` + html.EscapeString(user) + `</span></a></span>`)
		case "tag":
			b.WriteString(`<a href="` + html.EscapeString(base+"/tags/"+strings.ToLower(e.value)) + `" class="mention hashtag" rel="tag">#<span>` + html.EscapeString(e.value) + `</span></a>`)
		}
		last = e.end
	}
	b.WriteString(html.EscapeString(text[last:]))
	var out strings.Builder
	for _, para := range strings.Split(strings.TrimSpace(b.String()), "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			out.WriteString("<p>" + strings.ReplaceAll(para, "\n", "<br />") + "</p>")
		}
	}
	return out.String()
}

var prefixRE = regexp.MustCompile(`^(?i)https?://(www\.)?`)

// shortenedLink is TextFormatter.shortened_link: the scheme (and "www.")
// hidden, 30 characters shown, the rest hidden behind an ellipsis.
func shortenedLink(u string) string {
	prefix := prefixRE.FindString(u)
	rest := []rune(u[len(prefix):])
	display, suffix, class := string(rest), "", ""
	if len(rest) > 30 {
		display, suffix, class = string(rest[:30]), string(rest[30:]), "ellipsis"
	}
	return `<a href="` + html.EscapeString(u) + `" target="_blank" rel="nofollow noopener" translate="no">` +
		`<span class="invisible">` + html.EscapeString(prefix) + `</span>` +
		`<span class="` + class + `">` + html.EscapeString(display) + `</span>` +
		`<span class="invisible">` + html.EscapeString(suffix) + `</span></a>`
}
