package generator

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"slices"
	"time"
)

// extras writes the 404 page, sitemap.xml, robots.txt and the static files.
func (b *builder) extras(s *site, jobs []job, th *theme, out Output) error {
	var buf bytes.Buffer
	if err := b.notFound(th, b.siteData(), &buf); err != nil {
		return err
	}
	if err := out.WriteFile("404.html", buf.Bytes()); err != nil {
		return err
	}
	if err := out.WriteFile("sitemap.xml", b.sitemap(jobs)); err != nil {
		return err
	}
	if err := out.WriteFile("robots.txt", b.robots()); err != nil {
		return err
	}
	for _, name := range b.staticNames() {
		data, err := b.readStatic(name)
		if err != nil {
			return err
		}
		if err := out.WriteFile(name, data); err != nil {
			return err
		}
	}
	return nil
}

// readStatic reads a file copied as is, by its site path.
func (b *builder) readStatic(name string) ([]byte, error) {
	src := b.static[name]
	return fs.ReadFile(src.fsys, src.name)
}

// notFound runs the 404 layout into w.
func (b *builder) notFound(th *theme, sd *SiteData, w io.Writer) error {
	nf := b.page(sd, "404", "Page not found", "/404.html")
	if err := th.layouts["404"].ExecuteTemplate(w, "base.html", nf); err != nil {
		return fmt.Errorf("rendering 404.html: %w", err)
	}
	return nil
}

func (b *builder) robots() []byte {
	return []byte("User-agent: *\nAllow: /\n\nSitemap: " + absURL(b.cfg.BaseURL, "/sitemap.xml") + "\n")
}

func (b *builder) sitemap(jobs []job) []byte {
	type url struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod,omitempty"`
	}
	var urls []url
	for _, j := range jobs {
		u := url{Loc: j.page.Canonical}
		if it := j.page.Item; it != nil && !it.Date.IsZero() {
			u.LastMod = it.Date.Format(time.DateOnly)
		}
		urls = append(urls, u)
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	buf.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, u := range urls {
		buf.WriteString("  <url><loc>")
		xml.EscapeText(&buf, []byte(u.Loc))
		buf.WriteString("</loc>")
		if u.LastMod != "" {
			buf.WriteString("<lastmod>" + u.LastMod + "</lastmod>")
		}
		buf.WriteString("</url>\n")
	}
	buf.WriteString("</urlset>\n")
	return buf.Bytes()
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
