package generator

import (
	"html/template"
	"net/url"
	"regexp"
	"strings"
	"time"
)

var linkRE = regexp.MustCompile(`https?://[^\s<>"]+[^\s<>".,;:!?)\]'’”]`)

// PostPart is a run of a post's text; Link is set when the run is a link.
type PostPart struct {
	Text, Link string
}

// NewPost makes a social box entry from a post's text as sent (X's posts,
// from the ledger), each link shown as short link text.
func NewPost(text, postURL, itemID string, date time.Time) Post {
	var parts []PostPart
	last := 0
	for _, m := range linkRE.FindAllStringIndex(text, -1) {
		parts = append(parts, PostPart{Text: text[last:m[0]]}, PostPart{Text: ShortLink(text[m[0]:m[1]]), Link: text[m[0]:m[1]]})
		last = m[1]
	}
	parts = append(parts, PostPart{Text: text[last:]})
	p := NewPostParts("x", postURL, date, parts, nil)
	p.Item = itemID
	return p
}

// NewPostParts makes a social box entry from a post read from a network:
// its text in runs, links with their link text, and the alt texts of its
// images. Everything is escaped; links are live.
func NewPostParts(network, postURL string, date time.Time, parts []PostPart, imageAlts []string) Post {
	var b strings.Builder
	for _, p := range parts {
		text := template.HTMLEscapeString(p.Text)
		text = strings.ReplaceAll(text, "\n", "<br>")
		if p.Link == "" || !webLink(p.Link) {
			b.WriteString(text)
			continue
		}
		if t := strings.TrimSpace(p.Text); t == "" || t == p.Link || strings.HasPrefix(t, "http://") || strings.HasPrefix(t, "https://") {
			// A raw URL as link text reads badly and wraps over lines.
			text = template.HTMLEscapeString(ShortLink(p.Link))
		}
		b.WriteString(`<a href="` + template.HTMLEscapeString(p.Link) + `">` + text + `</a>`)
	}
	return Post{Text: template.HTML(strings.TrimSpace(b.String())), URL: postURL, Date: date,
		Network: network, NetworkName: networkName(network), ImageAlts: imageAlts}
}

// webLink reports whether u is a link a page may carry: http or https
// only, never javascript: or data: from a post someone else could edit.
func webLink(u string) bool {
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != ""
}

func networkName(n string) string {
	switch n {
	case "x":
		return "X"
	case "mastodon":
		return "Mastodon"
	case "bluesky":
		return "Bluesky"
	}
	return n
}

// ShortLink is how a raw URL reads as link text: no scheme, no "www.", no
// final "/", cut to 30 characters with "…".
func ShortLink(raw string) string {
	s := raw
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		s = strings.TrimPrefix(u.Host, "www.") + u.EscapedPath()
		if u.RawQuery != "" {
			s += "?" + u.RawQuery
		}
		s = strings.TrimSuffix(s, "/")
	}
	if r := []rune(s); len(r) > 30 {
		s = string(r[:29]) + "…"
	}
	return s
}

// accounts lists the enabled accounts, for "Follow us on …" links.
func (b *builder) accounts() []Account {
	so := b.cfg.Social
	var out []Account
	if so.X.Enabled && so.X.Handle != "" {
		out = append(out, Account{Network: "x", NetworkName: "X", Handle: "@" + so.X.Handle, URL: "https://x.com/" + so.X.Handle})
	}
	if m := so.Mastodon; m.Enabled && m.Handle != "" && m.Server != "" {
		host := strings.TrimPrefix(strings.TrimPrefix(m.Server, "https://"), "http://")
		out = append(out, Account{Network: "mastodon", NetworkName: "Mastodon", Handle: "@" + m.Handle + "@" + host, URL: m.Server + "/@" + m.Handle})
	}
	if bs := so.Bluesky; bs.Enabled && bs.Handle != "" {
		out = append(out, Account{Network: "bluesky", NetworkName: "Bluesky", Handle: "@" + bs.Handle, URL: "https://bsky.app/profile/" + bs.Handle})
	}
	return out
}

// accountNames is "X, Mastodon and Bluesky".
func accountNames(accounts []Account) string {
	var names []string
	for _, a := range accounts {
		names = append(names, a.NetworkName)
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
