package generator

import (
	"net/url"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/circulate-dev/circulate/internal/fields"
	"github.com/circulate-dev/circulate/internal/item"
	"github.com/circulate-dev/circulate/internal/slug"
)

// draft is what the front matter of one file decodes to, before the body
// is rendered and defaults filled in.
type draft struct {
	it        *item.Item
	hasTitle  bool
	hasDate   bool
	hasStart  bool
	startDate bool // start given as a date only
	endDate   bool
	hasLoc    bool
	hasAuthor bool
	image     string // as written
	// aliasLines are the lines of it.Aliases, for the checks after decoding.
	aliasLines []int
	cover      string
	lineOf     map[string]int // key -> line, for later checks
	repeat     *repeatDraft   // events: repeat: as written
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// decodeFrontMatter fills d.it from the mapping, key by key.
func (b *builder) decodeFrontMatter(dec *fields.Decoder, root *yaml.Node, d *draft) {
	it := d.it
	loc := b.cfg.Location
	str := func(dst *string) fields.Handler {
		return func(k string, v *yaml.Node) {
			if s, ok := dec.String(k, v); ok {
				*dst = s
			}
		}
	}
	h := map[string]fields.Handler{
		"title": func(k string, v *yaml.Node) {
			if s, ok := dec.String(k, v); ok && s != "" {
				it.Title, d.hasTitle = s, true
			} else if ok {
				dec.Errorf(v, "title: is empty; write the title people should see")
				d.hasTitle = true
			} else {
				d.hasTitle = true // reported already
			}
		},
		"date": func(k string, v *yaml.Node) {
			d.hasDate = true
			if t, _, ok := dec.Date(k, v, loc); ok {
				it.Date = t
			}
		},
		"summary": str(&it.Summary),
		"tags": func(k string, v *yaml.Node) {
			if v.Kind == yaml.ScalarNode && v.Style != yaml.DoubleQuotedStyle && v.Style != yaml.SingleQuotedStyle && strings.Contains(v.Value, ",") {
				// `tags: poetry, open mic` is one text to YAML, and would
				// make one tag "poetry, open mic".
				var list []string
				for _, t := range strings.Split(v.Value, ",") {
					if t = strings.TrimSpace(t); t != "" {
						list = append(list, t)
					}
				}
				dec.Errorf(v, "tags: %q is one text with commas in it, so it would make one tag; write the tags as a list in brackets: `tags: [%s]`", v.Value, strings.Join(list, ", "))
				return
			}
			if tags, ok := dec.Strings(k, v); ok {
				for _, t := range tags {
					if TagSlug(t) == "" {
						dec.Errorf(v, "tags: %q has no letters or digits to make a tag page of", t)
						continue
					}
					it.Tags = append(it.Tags, t)
				}
			}
		},
		"draft": func(k string, v *yaml.Node) {
			if x, ok := dec.Bool(k, v); ok {
				it.Draft = x
			}
		},
		"slug": func(k string, v *yaml.Node) {
			if s, ok := dec.String(k, v); ok {
				if !slugRE.MatchString(s) {
					dec.Errorf(v, "slug: %q can only have lower-case letters a-z, digits and single dashes, like %q", s, slugify(s))
					return
				}
				it.Slug = s
			}
		},
		"image":     imageRef(dec, &d.image),
		"image_alt": str(&it.ImageAlt),
		"tweet": func(k string, v *yaml.Node) {
			if v.Kind == yaml.ScalarNode && v.Style == 0 && (v.Value == "false" || v.Value == "true") {
				if v.Value == "true" {
					dec.Errorf(v, "tweet: write the text to post, or `tweet: false` to never post this item")
				}
				it.NoTweet = v.Value == "false"
				return
			}
			if s, ok := dec.String(k, v); ok {
				it.Tweet = s
			}
		},
		"params":  func(k string, v *yaml.Node) {},
		"aliases": func(k string, v *yaml.Node) { decodeAliases(dec, v, d) },
	}
	d.lineOf = map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		d.lineOf[root.Content[i].Value] = dec.Line(root.Content[i])
	}
	switch it.Kind {
	case item.Event:
		b.eventHandlers(dec, d, h)
	case item.Title:
		bk := &item.BookInfo{}
		it.Book = bk
		h["author"] = func(k string, v *yaml.Node) {
			d.hasAuthor = true
			if a, ok := dec.Strings(k, v); ok {
				bk.Authors = a
			}
		}
		h["isbn"] = func(k string, v *yaml.Node) {
			s, ok := dec.String(k, v)
			if !ok {
				return
			}
			if v.Tag == "!!int" || v.Tag == "!!float" {
				s = v.Value
			}
			digits, err := NormalizeISBN(s)
			if err != nil {
				dec.Errorf(v, "isbn: %q %v", s, err)
				return
			}
			bk.ISBN, bk.ISBNText = digits, s
		}
		h["format"] = func(k string, v *yaml.Node) {
			if s, ok := dec.String(k, v); ok {
				bk.Format = strings.ToLower(s)
			}
		}
		h["call_number"] = str(&bk.CallNumber)
		h["cover"] = imageRef(dec, &d.cover)
		h["catalog"] = func(k string, v *yaml.Node) {
			if u, ok := dec.URL(k, v); ok {
				bk.Catalog = u
			}
		}
	}
	dec.Mapping(root, "the front matter", h)
}

// imageRef decodes an image or cover: a web address (http or https) or a
// path of the site. Anything else (javascript:, data:, a mistyped
// address) would end up in every page's and feed's markup and in the card
// of a post, so it is an error at its line.
func imageRef(dec *fields.Decoder, dst *string) fields.Handler {
	return func(k string, v *yaml.Node) {
		s, ok := dec.String(k, v)
		if !ok || s == "" {
			return
		}
		u, err := url.Parse(s)
		switch {
		case err != nil, u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https",
			u.Scheme == "" && (u.Host != "" || strings.HasPrefix(s, "//")), u.Scheme != "" && u.Host == "":
			dec.Errorf(v, "%s: %q is not a web address or a file of the site; write it in full, like https://example.org/poster.jpg, or as a path, like /images/poster.jpg (a file in static/)", k, s)
			return
		case u.User != nil:
			dec.Errorf(v, "%s: %q has a user name or password in it; use an address without them", k, s)
			return
		}
		*dst = s
	}
}

// resolveLink makes an image or cover reference absolute: URLs stay, site
// paths get the base URL.
func (b *builder) resolveLink(ref string) string {
	if ref == "" {
		return ""
	}
	if u, err := url.Parse(ref); err == nil && u.Scheme != "" {
		return ref
	}
	return b.base.abs(ref)
}

// slugify suggests a slug for a name a librarian wrote: [a-z0-9-], accents
// dropped (Día -> dia).
func slugify(s string) string { return slug.ASCII(s) }
