package publisher

import (
	"strings"

	"golang.org/x/net/html"
)

// htmlParts reads a Mastodon status's HTML as text and links. Mastodon
// writes a link's URL in three spans: the scheme hidden ("invisible"), 30
// characters shown ("ellipsis" when cut), the rest hidden; the parts keep
// what a reader of the status sees, with "…" where it was cut, and the
// link's full href. Paragraphs become blank lines, <br> a line break.
func htmlParts(content string) []Part {
	var parts []Part
	addText := func(s string) {
		if s == "" {
			return
		}
		if n := len(parts); n > 0 && parts[n-1].Link == "" {
			parts[n-1].Text += s
			return
		}
		parts = append(parts, Part{Text: s})
	}
	z := html.NewTokenizer(strings.NewReader(content))
	var (
		spans    []string // class of each open span
		inLink   bool
		href     string
		linkText strings.Builder
		paras    int
	)
	hidden := func() bool {
		for _, c := range spans {
			if c == "invisible" {
				return true
			}
		}
		return false
	}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return parts
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			switch tok.Data {
			case "p":
				if paras > 0 {
					addText("\n\n")
				}
				paras++
			case "br":
				if inLink {
					linkText.WriteString(" ")
				} else {
					addText("\n")
				}
			case "a":
				inLink, href = true, attr(tok, "href")
				linkText.Reset()
			case "span":
				if tt == html.StartTagToken {
					spans = append(spans, attr(tok, "class"))
				}
			}
		case html.EndTagToken:
			tok := z.Token()
			switch tok.Data {
			case "span":
				if n := len(spans); n > 0 {
					if spans[n-1] == "ellipsis" {
						linkText.WriteString("…")
					}
					spans = spans[:n-1]
				}
			case "a":
				if inLink {
					t := linkText.String()
					if href == "" {
						addText(t)
					} else {
						parts = append(parts, Part{Text: t, Link: href})
					}
					inLink = false
				}
			}
		case html.TextToken:
			if hidden() {
				continue
			}
			t := string(z.Text())
			if inLink {
				linkText.WriteString(t)
			} else {
				addText(t)
			}
		}
	}
}

func attr(t html.Token, name string) string {
	for _, a := range t.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}
