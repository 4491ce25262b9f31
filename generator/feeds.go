package generator

import (
	"bytes"
	"cmp"
	"encoding/json"
	"encoding/xml"
	"html"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/gorilla/feeds"

	"github.com/circulate-dev/circulate/internal/item"
)

// The feeds are RSS 2.0, Atom 1.0 and JSON Feed 1.1 of all items and RSS
// per section.
//
// gorilla/feeds turns one generic feed into the three formats; what its
// types cannot say (several categories, rel="self" links, dc:creator,
// xml:lang, the JSON feed_url and tags) is added by wrapping its output
// structs rather than by writing the formats by hand.

// feedFile is one feed, made when data is called.
type feedFile struct {
	name string
	what string // "the RSS feed of news", for errors
	data func() ([]byte, error)
}

// feedFiles lists the feeds of the site.
func (b *builder) feedFiles(s *site) []feedFile {
	lib := b.cfg.Library.Name
	desc := b.cfg.Description
	if desc == "" {
		desc = "Events, new titles and news from " + lib + "."
	}
	// The feeds are made when they are written: serve plans the site after
	// every edit, and seldom asks for a feed.
	all := func() siteFeed { return b.feed(b.cfg.Title, desc, "/", s.all) }
	files := []feedFile{
		{"feed.xml", "the site's RSS feed", func() ([]byte, error) { return b.rss(all(), "feed.xml") }},
		{"atom.xml", "the site's Atom feed", func() ([]byte, error) { return b.atom(all(), "atom.xml") }},
		{"feed.json", "the site's JSON feed", func() ([]byte, error) { return b.jsonFeed(all(), "feed.json") }},
	}
	// The events section is ordered by start; its feed, like every feed,
	// lists what was announced last first.
	events := func() []*item.Item {
		events := slices.Clone(s.events)
		slices.SortFunc(events, func(a, b *item.Item) int {
			return cmp.Or(b.Date.Compare(a.Date), cmp.Compare(a.ID, b.ID))
		})
		return events
	}
	for _, sec := range []struct {
		kind        item.Kind
		title, desc string
		items       func() []*item.Item
	}{
		{item.Event, "Events", "Events at " + lib + ".", events},
		{item.Title, "New titles", "New on the shelves at " + lib + ".", func() []*item.Item { return s.titles }},
		{item.News, "News", "News from " + lib + ".", func() []*item.Item { return s.news }},
	} {
		name := sec.kind.Section() + "/feed.xml"
		files = append(files, feedFile{name, "the RSS feed of " + sec.kind.Section(), func() ([]byte, error) {
			return b.rss(b.feed(lib+" — "+sec.title, sec.desc, "/"+sec.kind.Section()+"/", sec.items()), name)
		}})
	}
	return files
}

// siteFeed is a gorilla feed and the items it was made of, for what the
// generic feed has no field for.
type siteFeed struct {
	*feeds.Feed
	items []*item.Item
}

// feed makes the generic feed of the newest items, home being the site
// path of the page the feed follows.
func (b *builder) feed(title, desc, home string, items []*item.Item) siteFeed {
	items = items[:min(len(items), max(b.cfg.FeedItems, 0))]
	author := &feeds.Author{Name: b.cfg.Library.Name, Email: b.cfg.Library.Email}
	f := &feeds.Feed{
		Title:       title,
		Link:        &feeds.Link{Href: b.base.abs(home)},
		Description: desc,
		Author:      author,
	}
	if len(items) > 0 {
		// The newest item's date, not the build time: an unchanged site
		// must build to the same bytes.
		f.Updated = items[0].Date
	}
	origin := b.base.origin
	for _, it := range items {
		fi := &feeds.Item{
			Title:       it.Title,
			Link:        &feeds.Link{Href: it.URL},
			Author:      author,
			Description: feedSummary(it),
			Id:          it.URL,
			IsPermaLink: "true",
			Created:     it.Date,
			Updated:     it.Date,
			Content:     absLinks(string(it.Body), origin),
		}
		img := it.Image
		if it.Book != nil && it.Book.Cover != "" {
			img = it.Book.Cover
		}
		if typ := imageType(img); typ != "" {
			// The size of a remote cover is unknown; RSS best practice is
			// length 0 then.
			fi.Enclosure = &feeds.Enclosure{Url: img, Type: typ, Length: "0"}
		}
		f.Items = append(f.Items, fi)
	}
	return siteFeed{f, items}
}

// feedSummary is the plain-text teaser; an event's says when and where
// first, since a reader shows little more.
func feedSummary(it *item.Item) string {
	e := it.Event
	if e == nil {
		return it.Summary
	}
	s := item.When(it)
	switch where := e.Place(); {
	case e.Attendance() == item.Online:
		s += ", " + where
	case where != "":
		s += " at " + where
	}
	switch e.Status {
	case item.Cancelled:
		s = "Cancelled: " + s
	case item.Postponed:
		s = "Postponed: " + s
	}
	if it.Summary != "" {
		s += ". " + it.Summary
	}
	return s
}

// siteRef matches href and src attributes holding a site path ("/lib/x/"),
// not a protocol-relative URL ("//host/x"). Bodies are rendered HTML, in
// which a quote inside text is always escaped, so the match is an attribute.
var siteRef = regexp.MustCompile(`(\s(?:href|src)=["'])/([^/])`)

// absLinks makes site paths in body absolute: a feed reader resolves them
// against its own address or not at all.
func absLinks(body, origin string) string {
	return siteRef.ReplaceAllString(body, "${1}"+origin+"/${2}")
}

// imageType is the media type of an image URL by its extension, or "".
// A fixed table rather than mime.TypeByExtension, which reads the machine's
// mime files and so could make builds differ between machines.
func imageType(u string) string {
	p, err := url.Parse(u)
	if u == "" || err != nil {
		return ""
	}
	switch strings.ToLower(path.Ext(p.Path)) {
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".png":
		return "image/png"
	case ".gif":
		return "image/gif"
	case ".webp":
		return "image/webp"
	case ".avif":
		return "image/avif"
	case ".svg":
		return "image/svg+xml"
	}
	return ""
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

// The wrappers embed gorilla's structs; encoding/xml lets an outer field
// override an embedded one of the same element name.
type rssDoc struct {
	XMLName   xml.Name `xml:"rss"`
	Version   string   `xml:"version,attr"`
	NSContent string   `xml:"xmlns:content,attr"`
	NSAtom    string   `xml:"xmlns:atom,attr"`
	NSDC      string   `xml:"xmlns:dc,attr"`
	Channel   rssChannel
}

type rssChannel struct {
	*feeds.RssFeed
	Self  atomLink  `xml:"atom:link"`
	Items []rssItem `xml:"item"`
}

type rssItem struct {
	*feeds.RssItem
	Creator    string   `xml:"dc:creator,omitempty"`
	Categories []string `xml:"category"`
}

func (b *builder) rss(f siteFeed, name string) ([]byte, error) {
	ch := (&feeds.Rss{Feed: f.Feed}).RssFeed()
	ch.Language = b.cfg.Language
	ch.Generator = "circulate"
	// RSS wants an e-mail address in managingEditor and author, with the
	// name in brackets; gorilla writes " (Name)" without one.
	person := ""
	if a := f.Author; a.Email != "" {
		person = a.Email + " (" + a.Name + ")"
	}
	ch.ManagingEditor = person
	doc := rssDoc{
		Version: "2.0", NSContent: "http://purl.org/rss/1.0/modules/content/",
		NSAtom: "http://www.w3.org/2005/Atom", NSDC: "http://purl.org/dc/elements/1.1/",
		Channel: rssChannel{RssFeed: ch, Self: atomLink{b.base.abs(name), "self", "application/rss+xml"}},
	}
	for i, ri := range ch.Items {
		// Descriptions are HTML in RSS; ours are plain text.
		ri.Description = html.EscapeString(ri.Description)
		ri.Author = person
		doc.Channel.Items = append(doc.Channel.Items, rssItem{ri, f.Author.Name, f.items[i].Tags})
	}
	ch.Items = nil
	return marshalXML(doc)
}

type atomDoc struct {
	*feeds.AtomFeed
	Lang    string      `xml:"xml:lang,attr,omitempty"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomEntry struct {
	*feeds.AtomEntry
	Categories []atomCategory `xml:"category"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

func (b *builder) atom(f siteFeed, name string) ([]byte, error) {
	af := (&feeds.Atom{Feed: f.Feed}).AtomFeed()
	if af.Updated == "" {
		// Atom requires it even of an empty feed; a fixed date keeps
		// builds reproducible.
		af.Updated = time.Unix(0, 0).UTC().Format(time.RFC3339)
	}
	doc := atomDoc{AtomFeed: af, Lang: b.cfg.Language, Links: []atomLink{
		{f.Link.Href, "alternate", "text/html"},
		{b.base.abs(name), "self", "application/atom+xml"},
	}}
	for i, e := range af.Entries {
		it := f.items[i]
		e.Published = it.Date.Format(time.RFC3339)
		// gorilla marks the summary as HTML; ours is plain text.
		if e.Summary != nil {
			e.Summary.Type = "text"
		}
		for j := range e.Links {
			if e.Links[j].Rel == "enclosure" {
				e.Links[j].Length = "" // unknown, and optional in Atom
			}
		}
		ae := atomEntry{AtomEntry: e}
		for _, t := range it.Tags {
			ae.Categories = append(ae.Categories, atomCategory{t})
		}
		doc.Entries = append(doc.Entries, ae)
	}
	af.Entries = nil
	return marshalXML(doc)
}

func marshalXML(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// jsonFeed writes JSON Feed 1.1. gorilla/feeds v1.2.0 already says version
// 1.1 and fills `authors` (with the 1.0 `author` kept for older readers);
// it leaves out language, feed_url and tags, which are set here.
func (b *builder) jsonFeed(f siteFeed, name string) ([]byte, error) {
	jf := (&feeds.JSON{Feed: f.Feed}).JSONFeed()
	jf.Version = "https://jsonfeed.org/version/1.1"
	jf.Language = b.cfg.Language
	jf.FeedUrl = b.base.abs(name)
	for i, ji := range jf.Items {
		ji.Tags = f.items[i].Tags
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // content_html stays readable
	enc.SetIndent("", "  ")
	err := enc.Encode(jf)
	return buf.Bytes(), err
}
