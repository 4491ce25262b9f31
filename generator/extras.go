package generator

import (
	"bytes"
	"encoding/xml"
	"maps"
	"slices"
	"time"

	"github.com/circulate-dev/circulate/internal/item"
)

func (b *builder) robots() []byte {
	return []byte("User-agent: *\nAllow: /\n\nSitemap: " + b.base.abs("/sitemap.xml") + "\n")
}

// sitemap lists the pages of the plan (not the 404 page, not redirects).
func (b *builder) sitemap(p *plan, buf *bytes.Buffer) {
	buf.WriteString(xml.Header)
	buf.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, o := range p.outputs {
		if o.Kind != FilePage || o.Name == "404.html" {
			continue
		}
		var loc string
		var it *item.Item
		switch {
		case o.page != nil:
			loc = o.page.Canonical
		case o.from.kind == fromItem:
			it = o.from.item
			loc = b.base.abs(it.Path)
		default:
			continue
		}
		buf.WriteString("  <url><loc>")
		xml.EscapeText(buf, []byte(loc))
		buf.WriteString("</loc>")
		if it != nil && !it.Date.IsZero() {
			buf.WriteString("<lastmod>" + it.Date.Format(time.DateOnly) + "</lastmod>")
		}
		buf.WriteString("</url>\n")
	}
	buf.WriteString("</urlset>\n")
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
