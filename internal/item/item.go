// Package item is circulate's content model: one typed Item per Markdown file
// (an event, a new title, a news post or a page), in the site's time zone.
//
// It is the only type the generator (which builds the site from items) and the
// publisher (which posts items to social networks) share, so it holds what both
// need and nothing about either's workings.
package item

import (
	"html/template"
	"time"
)

// Kind is the section an item belongs to.
type Kind string

const (
	Event Kind = "event"
	Title Kind = "title"
	News  Kind = "news"
	Page  Kind = "page"
)

// sections pairs each kind with its section: the folder in content/ and,
// except for pages, the first segment of its items' URLs. It is the one
// place that says which is which.
var sections = [...]struct {
	kind    Kind
	section string
}{{Event, "events"}, {Title, "titles"}, {News, "news"}, {Page, "pages"}}

// Section is the content folder and URL segment of a kind ("events", ...).
func (k Kind) Section() string {
	for _, s := range sections {
		if s.kind == k {
			return s.section
		}
	}
	return ""
}

// KindOf is the kind of the items in a section's folder ("events" ->
// Event); ok is false for a folder that is no section.
func KindOf(section string) (k Kind, ok bool) {
	for _, s := range sections {
		if s.section == section {
			return s.kind, true
		}
	}
	return "", false
}

// Kinds lists the kinds that have a section of their own, in display order.
var Kinds = [...]Kind{Event, Title, News}

// Item is one content file, decoded and checked.
type Item struct {
	Kind Kind
	Slug string
	// ID identifies the item across builds and in the post ledger:
	// "<section>/<slug>", e.g. "events/winter-storytime".
	ID string
	// File is the source path relative to the site root, with forward slashes.
	File string

	Title   string
	Date    time.Time // when the item goes live, in the site's zone
	Summary string    // plain text, at most 200 characters
	Tags    []string
	Draft   bool
	Image   string // absolute URL of the card image, or ""
	// ImageAlt describes Image for screen readers and X cards.
	ImageAlt string
	// Tweet is custom post text; NoTweet is set by `tweet: false`.
	Tweet   string
	NoTweet bool

	// Path is the item's site-relative URL path ("/events/slug/"), without
	// the base URL's own path; URL is the absolute permalink.
	Path string
	URL  string
	// Aliases are old site paths of the item ("/news/old-slug/", front
	// matter `aliases:`), like Path without the base URL's path; each gets
	// a page that redirects to the item.
	Aliases []string

	// Body is the rendered Markdown.
	Body template.HTML

	Event *EventInfo // set for events
	Book  *BookInfo  // set for new titles
}

// EventInfo holds what only events have (event.go has their helpers).
type EventInfo struct {
	// Start and End are the first (or only) date of the event. End is the
	// end of the event; for an all-day event it is the last day
	// (inclusive), for a timed event without an end it equals Start.
	Start  time.Time
	End    time.Time
	HasEnd bool
	AllDay bool
	// Location is the room or place as written; with a Branch it is the
	// room inside the branch. "" for an event only online.
	Location string
	Branch   *Branch // nil when the file names none
	// Online is the web address of the stream or meeting: the event is
	// online, or hybrid when it also has a Location or Branch.
	Online string
	// Audience lists audience keys (config `audiences:`), as written.
	Audience      []string
	Ages          string // "0-5", "18+"
	Cost          string // "Free", "$5, members free"; "" claims nothing
	Accessibility string
	Registration  *Registration // nil when the file has none
	Status        string        // "scheduled", "cancelled" or "postponed"
	// Repeat is set for a recurring event; Start and End are then its
	// first occurrence.
	Repeat *Repeat
}

// Event statuses.
const (
	Scheduled = "scheduled"
	Cancelled = "cancelled"
	Postponed = "postponed"
)

// BookInfo holds what only new titles have.
type BookInfo struct {
	Authors    []string
	ISBN       string // digits only (and a final X for ISBN-10), "" if none
	ISBNText   string // as written, for display
	Format     string
	CallNumber string
	Cover      string // absolute URL, or ""
	Catalog    string // absolute URL, or ""
}

// Visible reports whether the item is live at now: not a draft and not dated
// in the future.
func (it *Item) Visible(now time.Time) bool {
	return !it.Draft && !it.Date.After(now)
}

// Finished reports whether an event is over at now: its end (or, for an
// all-day event, the end of its last day) has passed. A recurring event is
// over when its last date is.
func (it *Item) Finished(now time.Time) bool {
	if it.Event == nil {
		return false
	}
	return !it.EventEnd().After(now)
}

// EventEnd is the instant an event ends: the end of the last day for all-day
// events, End for timed ones; for a recurring event, the end of its last
// date (far in the future for a series without an end).
func (it *Item) EventEnd() time.Time {
	e := it.Event
	if e.Repeat != nil {
		if o, ok := it.LastOccurrence(); ok {
			return o.Ends()
		}
		return endless
	}
	return it.FirstOccurrence().Ends()
}
