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
	// (upcoming events: all, a branch's or an audience's), past (past
	// events), calendars (the calendars to subscribe to), titles, news,
	// event, title, newspost (a news item), page, tag, tags, 404.
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
	Items []*item.Item // list pages: titles, news, tag (not its events); past events
	Days  []Day        // events: upcoming events grouped by day (this page of them)
	Pager *Pager       // list pages with more than one page
	Tag   string       // tag pages
	Tags  []TagCount   // the tags index
	// Events are events at one date each: past events (this page), a
	// tag's upcoming events; PastEvents a tag's past ones.
	Events     []Entry
	PastEvents []Entry
	// Events lists: the branch whose events they are (nil for others),
	// the filter bar's links and the list's calendar.
	Branch   *item.Branch
	Filters  *EventFilters
	Calendar *CalendarLinks
	// Calendars are every calendar of the site (the calendars page).
	Calendars []CalendarLinks

	// Home page sections.
	Upcoming []Entry
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
	// Posts are the accounts' latest posts, newest first, all networks
	// together (from .circulate/timeline.json and the ledger).
	Posts []Post
	// Accounts are the library's accounts, for "Follow us on …" links.
	Accounts []Account
	Now      time.Time
	Drafts   bool // drafts are shown (marked "Draft")
	Params   map[string]any
	Feeds    []Feed // feed autodiscovery links

	frag *fragments // the parts pages share, for this run (fragments.go)
}

// Feed is one subscribable feed.
type Feed struct {
	Title, Type, Path string
}

// Day is one calendar day of events.
type Day struct {
	Date time.Time
	// Heading is the date for people, with the year only when it is not
	// this year's: "December 8", "January 6, 2027".
	Heading string
	Events  []Entry
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

// Post is one post on one of the library's accounts, for the social box.
type Post struct {
	Text template.HTML // escaped, links live with short link text
	URL  string        // the post on its network
	Date time.Time
	Item string // ID of the item the post is about, if known
	// Network is "x", "mastodon" or "bluesky"; NetworkName "X", ...
	Network, NetworkName string
	// ImageAlts describe the post's images. The images themselves are not
	// shown: they live on the networks' servers, and loading them would
	// tell the networks who reads the library's site.
	ImageAlts []string
}

// Account is one of the library's social accounts.
type Account struct {
	Network, NetworkName string
	Handle               string // as people write it: "@riversidelib@mastodon.social"
	URL                  string // the account's page
}
