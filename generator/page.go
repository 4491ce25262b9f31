package generator

import (
	"html/template"
	"time"

	"github.com/circulate-dev/circulate/internal/config"
	"github.com/circulate-dev/circulate/internal/item"
)

// Page is the data every layout receives as ".". Fields a kind of page does
// not use are left empty; docs/theming.md lists which kinds set which.
type Page struct {
	Site *SiteData
	// Kind selects the layout: layouts/<Kind>.html. One of home, events
	// (upcoming events), past (past events), titles, news, event, title,
	// newspost (a news item), page, tag, tags, 404.
	Kind        string
	Title       string // for <title> and the h1
	Description string // meta description and og:description
	Path        string // site-relative path, "/events/"; use with rel
	Canonical   string // absolute URL
	Image       string // absolute URL of the card image, or ""
	ImageAlt    string
	// JSONLD is the page's schema.org data, already JSON; put it in a
	// <script type="application/ld+json"> as is.
	JSONLD template.JS

	Item  *item.Item   // item pages (event, title, newspost, page)
	Event *EventView   // event pages: dates, place, registration, calendar links
	Items []*item.Item // list pages: titles, news, tag; past events
	Days  []Day        // events: upcoming events grouped by day
	Pager *Pager       // list pages with more than one page
	Tag   string       // tag pages
	Tags  []TagCount   // the tags index

	// Home page sections.
	Upcoming []*item.Item
	Titles   []*item.Item
	News     []*item.Item
}

// SiteData is what every page knows about the site.
type SiteData struct {
	Title       string
	Description string
	Lang        string
	BaseURL     string // absolute, ends in "/"
	Library     config.Library
	XHandle     string // without "@", "" if none
	Posts       []Post // latest posts on X, newest first, from the ledger
	Now         time.Time
	Drafts      bool // drafts are shown (marked "Draft")
	Params      map[string]any
	Feeds       []Feed // feed autodiscovery links
}

// Feed is one subscribable feed.
type Feed struct {
	Title, Type, Path string
}

// Day is one calendar day of events.
type Day struct {
	Date   time.Time
	Events []*item.Item
}

// Pager links the pages of a paginated list.
type Pager struct {
	Page, Pages int
	Prev, Next  string // site-relative paths, "" at the ends
	First, Last string
}

// TagCount is a tag and how many visible items carry it.
type TagCount struct {
	Tag   string
	Count int
}

// Post is one post on the library's social account, for the social box.
type Post struct {
	Text template.HTML // with links made live
	URL  string        // the post on x.com
	Date time.Time
	Item string // ID of the item the post is about
}
