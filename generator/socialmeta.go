package generator

import (
	"html/template"
	"strings"
)

// socialMeta writes the Open Graph and X card tags of a page: what a link
// to it shows when it is posted (its title, description, address and
// image). It is a function, not template text, because a page prints a
// dozen values here, and html/template calls its escapers by reflection
// for every value it prints: a third of the time of a page's <head>. The
// bytes are the ones the template text wrote (TestSocialMetaIsTheTemplate).
func socialMeta(p *Page) template.HTML {
	var b strings.Builder
	b.Grow(1024)
	sd := p.Site
	tag := func(attr, name, value string) {
		b.WriteString(`<meta `)
		b.WriteString(attr)
		b.WriteString(`="`)
		b.WriteString(name)
		b.WriteString(`" content="`)
		writeAttr(&b, value)
		b.WriteString("\">\n")
	}
	title := p.Title
	if title == "" {
		title = sd.Title
	}
	desc := p.Description
	if desc == "" {
		desc = sd.Description
	}
	alt := p.ImageAlt
	if alt == "" {
		alt = p.Title
	}
	if alt == "" {
		alt = sd.Title
	}
	ogType := "website"
	if p.Item != nil && p.Kind != "page" {
		ogType = "article"
	}
	tag("property", "og:type", ogType)
	tag("property", "og:title", title)
	if desc != "" {
		tag("property", "og:description", desc)
	}
	if p.Canonical != "" {
		tag("property", "og:url", p.Canonical)
	}
	tag("property", "og:site_name", sd.Title)
	if p.Image != "" {
		tag("property", "og:image", p.Image)
		tag("property", "og:image:alt", alt)
		tag("name", "twitter:card", "summary_large_image")
	} else {
		tag("name", "twitter:card", "summary")
	}
	if sd.XHandle != "" {
		tag("name", "twitter:site", "@"+sd.XHandle)
	}
	tag("name", "twitter:title", title)
	if desc != "" {
		tag("name", "twitter:description", desc)
	}
	if p.Image != "" {
		tag("name", "twitter:image", p.Image)
	}
	tag("name", "twitter:image:alt", alt)
	return template.HTML(strings.TrimSuffix(b.String(), "\n"))
}

// writeAttr writes s as html/template escapes a value in a quoted
// attribute.
func writeAttr(b *strings.Builder, s string) {
	start := 0
	for i := 0; i < len(s); i++ {
		var repl string
		switch s[i] {
		case 0:
			repl = "\uFFFD"
		case '"':
			repl = "&#34;"
		case '&':
			repl = "&amp;"
		case '\'':
			repl = "&#39;"
		case '+':
			repl = "&#43;"
		case '<':
			repl = "&lt;"
		case '>':
			repl = "&gt;"
		default:
			continue
		}
		b.WriteString(s[start:i])
		b.WriteString(repl)
		start = i + 1
	}
	b.WriteString(s[start:])
}
