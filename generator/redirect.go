package generator

import (
	"bytes"
	"html/template"
	"path"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/circulate-dev/circulate/internal/diag"
	"github.com/circulate-dev/circulate/internal/fields"
	"github.com/circulate-dev/circulate/internal/item"
)

// Old addresses keep working. An item's `aliases:` lists site paths it had
// before (a librarian renamed the file, or moved a page from another
// site); Config.Moved adds the paths the post ledger knows an item was
// posted under. Each old path gets a small page that sends browsers and
// search engines on to the item: a meta refresh, a canonical link and a
// visible link, marked noindex, and left out of the sitemap and feeds.

// Redirect is an old site path of an item and the item it now leads to.
type Redirect struct {
	From string // old site path, like "/news/a-2/" (without the base URL's path)
	To   string // the item's ID now, like "news/a-2-renamed"
}

// redirect is a redirect page to build.
type redirect struct {
	from  string     // normalised site path
	to    *item.Item // a visible item
	line  int        // of the alias in to.File; 0 for a Moved entry
	moved bool       // from Config.Moved: gives way to any other file
}

// aliasCand is an old path claimed by an item, before the checks across
// items: where it was written (file and line), or that the ledger says so.
type aliasCand struct {
	from  string
	to    *item.Item
	line  int  // in to.File; 0 for a Moved entry
	moved bool // from Config.Moved
}

// cleanSitePath checks an old address as written and returns it as a site
// path: "/news/old/" ("/news/old" gains its slash; "/old.html" stays a
// file). msg says what is wrong, for "aliases: %q %s".
func cleanSitePath(p string) (clean, msg string) {
	switch {
	case p == "":
		return "", "is empty"
	case strings.Contains(p, "://") || strings.HasPrefix(p, "//"):
		return "", "is a full web address; write the path alone, from the first / after the site's address, like /news/old-name/"
	case !strings.HasPrefix(p, "/"):
		return "", "must start with /, like /news/old-name/"
	case strings.ContainsAny(p, "?#\\"):
		return "", "must not have ?, # or \\ in it; write the path alone, like /news/old-name/"
	case strings.IndexFunc(p, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		return "", "must not have spaces in it"
	}
	for _, seg := range strings.Split(strings.Trim(p, "/"), "/") {
		if seg == ".." || seg == "." || (seg == "" && p != "/") {
			return "", "must be a plain path without . or .. parts or empty parts (//), like /news/old-name/"
		}
	}
	if p == "/" {
		return "", "is the home page; it cannot redirect"
	}
	if ext := path.Ext(p); ext != ".html" && ext != ".htm" && !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p, ""
}

// redirectFile is the output file of an old path: "/news/a/" ->
// "news/a/index.html", "/old.html" -> "old.html".
func redirectFile(p string) string {
	if strings.HasSuffix(p, "/") {
		return indexFile(p)
	}
	return strings.TrimPrefix(p, "/")
}

// decodeAliases reads `aliases:`, one path or a list, checking each path
// as written; the check against the item's own path waits for its path.
func decodeAliases(dec *fields.Decoder, v *yaml.Node, d *draft) {
	nodes := []*yaml.Node{v}
	if v.Kind == yaml.SequenceNode {
		nodes = v.Content
	}
	for _, n := range nodes {
		if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
			dec.Errorf(n, "aliases: needs a list of old web addresses of this item, like `aliases: [/news/old-name/]`")
			continue
		}
		p, msg := cleanSitePath(strings.TrimSpace(n.Value))
		if msg != "" {
			dec.Errorf(n, "aliases: %q %s", n.Value, msg)
			continue
		}
		d.it.Aliases = append(d.it.Aliases, p)
		d.aliasLines = append(d.aliasLines, dec.Line(n))
	}
}

// checkOwnAliases drops the aliases that are the item's own path.
func checkOwnAliases(src *source, d *draft) {
	it := src.it
	var keep []string
	var lines []int
	for i, a := range it.Aliases {
		if a == it.Path {
			src.diags.Errorf(it.File, d.aliasLines[i], "aliases: %s is this item's own address; remove it from aliases", a)
			continue
		}
		keep, lines = append(keep, a), append(lines, d.aliasLines[i])
	}
	it.Aliases, src.aliasLines = keep, lines
}

// redirectCands checks the old paths of all items and of moved, against
// the paths of the items and of each other, and returns those that may
// become redirect pages (if their item is built). byPath holds every
// loaded item by its path; byID by its ID.
func (b *builder) redirectCands(srcs []*source, byPath, byID map[string]*item.Item, diags *diag.List) []aliasCand {
	var cands []aliasCand
	claimed := map[string]aliasCand{}
	add := func(c aliasCand) {
		if other, ok := byPath[c.from]; ok {
			if c.moved {
				diags.Errorf(other.File, 1, "the web address %s was the address of %s before it was renamed, and posts link to it; give this item another slug (`slug: %s-2`) so that the old links keep leading to %s", c.from, c.to.File, other.Slug, c.to.File)
			} else {
				diags.Errorf(c.to.File, c.line, "aliases: %s is the address of %s; remove it from aliases", c.from, other.File)
			}
			return
		}
		if prev, ok := claimed[c.from]; ok {
			if prev.to == c.to || c.moved {
				return // the same item again, or the ledger after an alias: the alias wins
			}
			if prev.moved {
				// An alias a librarian wrote says where the old address
				// leads now, over what the ledger remembers.
				claimed[c.from] = c
				return
			}
			diags.Errorf(c.to.File, c.line, "aliases: %s is also an alias of %s; an old address can lead to one item only", c.from, prev.to.File)
			return
		}
		claimed[c.from] = c
		cands = append(cands, c)
	}
	for _, s := range srcs {
		for i, a := range s.it.Aliases {
			add(aliasCand{from: a, to: s.it, line: s.aliasLines[i]})
		}
	}
	for _, m := range b.opts.Moved {
		to := byID[m.To]
		if to == nil {
			continue // the item is gone; so is its old address
		}
		from, msg := cleanSitePath(m.From)
		if msg != "" {
			diags.Errorf(to.File, 0, "its old web address %q (from the post ledger) %s", m.From, msg)
			continue
		}
		if from == to.Path {
			continue
		}
		add(aliasCand{from: from, to: to, moved: true})
	}
	// Aliases replaced by a later alias above are looked up in claimed.
	out := cands[:0]
	for _, c := range cands {
		if claimed[c.from] == c {
			out = append(out, c)
		}
	}
	return out
}

// redirectPage is the page at an old address. It is not themed: it shows
// for an instant, if at all, and must stay valid and accessible whatever a
// theme does.
var redirectPage = template.Must(template.New("redirect").Parse(`<!doctype html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Moved: {{.Title}} · {{.Site}}</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{{.URL}}">
<meta http-equiv="refresh" content="0; url={{.URL}}">
</head>
<body>
<main>
<h1>This page has moved</h1>
<p>It is now at <a href="{{.URL}}">{{.Title}}</a>.</p>
</main>
</body>
</html>
`))

// redirectHTML makes the page at r.from.
func (b *builder) redirectHTML(r redirect, w *bytes.Buffer) error {
	return redirectPage.Execute(w, struct{ Lang, Title, Site, URL string }{
		b.cfg.Language, r.to.Title, b.cfg.Title, r.to.URL,
	})
}

// visibleRedirects keeps the old addresses of the items the site shows.
func visibleRedirects(cands []aliasCand, s *site) []redirect {
	if len(cands) == 0 {
		return nil
	}
	shown := make(map[*item.Item]bool, len(s.all)+len(s.pages))
	for _, l := range [][]*item.Item{s.all, s.pages} {
		for _, it := range l {
			shown[it] = true
		}
	}
	var out []redirect
	for _, c := range cands {
		if shown[c.to] {
			out = append(out, redirect{c.from, c.to, c.line, c.moved})
		}
	}
	return out
}
