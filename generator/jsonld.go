package generator

import (
	"html/template"
	"time"

	"github.com/circulate-dev/circulate/internal/item"
)

// JSON-LD makes search engines show events with dates and places, and books
// with their authors. json.Marshal escapes <, > and &, so the result is
// safe inside a <script> element.
type ld = map[string]any

func marshalLD(v ld) template.JS {
	v["@context"] = "https://schema.org"
	data, err := marshalJSON(v)
	if err != nil {
		return ""
	}
	return template.JS(data)
}

func (b *builder) libraryLD() ld {
	l := b.cfg.Library
	o := ld{"@type": "Library", "name": l.Name}
	if l.URL != "" {
		o["url"] = l.URL
	}
	if l.Address != "" {
		o["address"] = l.Address
	}
	if l.Phone != "" {
		o["telephone"] = l.Phone
	}
	return o
}

func (b *builder) websiteLD() template.JS {
	return marshalLD(ld{"@type": "WebSite", "name": b.cfg.Title, "url": b.base.String(),
		"publisher": b.libraryLD()})
}

var eventStatusLD = map[string]string{
	item.Scheduled: "https://schema.org/EventScheduled",
	item.Cancelled: "https://schema.org/EventCancelled",
	item.Postponed: "https://schema.org/EventPostponed",
}

var bookFormatLD = map[string]string{
	"ebook": "https://schema.org/EBook", "audiobook": "https://schema.org/AudiobookFormat",
	"book": "https://schema.org/Hardcover", "hardcover": "https://schema.org/Hardcover",
	"paperback": "https://schema.org/Paperback", "graphic-novel": "https://schema.org/GraphicNovel",
	"large-print": "https://schema.org/Paperback",
}

func (b *builder) itemLD(it *item.Item) template.JS { return marshalLD(b.itemLDValue(it)) }

// itemLDValue is the schema.org data of an item.
func (b *builder) itemLDValue(it *item.Item) ld {
	v := ld{"name": it.Title, "url": it.URL}
	if it.Summary != "" {
		v["description"] = it.Summary
	}
	if it.Image != "" {
		v["image"] = it.Image
	}
	switch it.Kind {
	case item.Event:
		return b.eventLD(it, v)
	case item.Title:
		bk := it.Book
		v["@type"] = "Book"
		if bk.Format == "dvd" || bk.Format == "blu-ray" {
			v["@type"] = "Movie"
		}
		var authors []ld
		for _, a := range bk.Authors {
			authors = append(authors, ld{"@type": "Person", "name": a})
		}
		v["author"] = authors
		if v["@type"] == "Book" {
			if bk.ISBN != "" {
				v["isbn"] = bk.ISBN
			}
			if f, ok := bookFormatLD[bk.Format]; ok {
				v["bookFormat"] = f
			}
		} else {
			v["director"] = authors
			delete(v, "author")
		}
	case item.News:
		v["@type"] = "NewsArticle"
		v["headline"] = it.Title
		delete(v, "name")
		v["datePublished"] = it.Date.Format(time.RFC3339)
		v["dateModified"] = it.Date.Format(time.RFC3339)
		v["author"] = b.libraryLD()
		v["publisher"] = b.libraryLD()
		v["mainEntityOfPage"] = it.URL
	default:
		v["@type"] = "WebPage"
	}
	return v
}
