package generator

import (
	"regexp"
	"time"

	"github.com/circulate-dev/circulate/internal/item"
)

// listedDates is how many coming dates of a recurring event its page lists
// (and its JSON-LD describes).
const listedDates = 10

// eventLD is an event's schema.org data; v holds the fields every item
// has. It claims only what the file says: no price unless `cost:` gives
// one, no address the event does not have.
//
// A recurring event is one Event per date its page lists, in an @graph,
// rather than an EventSeries: search engines show events with dates from
// Event (Google's event results do not read EventSeries), and each listed
// date is a real event a patron can come to, on a page that shows it.
func (b *builder) eventLD(it *item.Item, v ld) ld {
	e := it.Event
	v["@type"] = "Event"
	v["eventStatus"] = eventStatusLD[e.Status]
	v["eventAttendanceMode"] = attendanceLD[e.Attendance()]
	v["location"] = b.locationLD(e)
	v["organizer"] = b.libraryLD()
	if len(e.Audience) > 0 {
		var labels []string
		for _, a := range e.Audience {
			labels = append(labels, b.cfg.AudienceLabel(a))
		}
		v["audience"] = ld{"@type": "Audience", "audienceType": item.JoinAnd(labels)}
	}
	if e.Ages != "" {
		v["typicalAgeRange"] = e.Ages
	}
	if free(e.Cost) {
		v["isAccessibleForFree"] = true
	}
	if r := e.Registration; r != nil && r.Capacity > 0 {
		v["maximumAttendeeCapacity"] = r.Capacity
	}
	if o := offerLD(e); o != nil {
		v["offers"] = o
	}
	if e.Repeat == nil {
		setDates(v, it.FirstOccurrence(), e.HasEnd)
		return v
	}
	dates := it.Occurrences(b.now, listedDates)
	if len(dates) == 0 {
		last, _ := it.LastOccurrence()
		dates = []item.Occurrence{last}
	}
	var graph []ld
	for _, o := range dates {
		one := make(ld, len(v)+2)
		for k, x := range v {
			one[k] = x
		}
		one["@id"] = it.URL + "#" + o.Start.Format("2006-01-02")
		setDates(one, o, e.HasEnd)
		graph = append(graph, one)
	}
	return ld{"@graph": graph}
}

var attendanceLD = map[string]string{
	item.Offline: "https://schema.org/OfflineEventAttendanceMode",
	item.Online:  "https://schema.org/OnlineEventAttendanceMode",
	item.Mixed:   "https://schema.org/MixedEventAttendanceMode",
}

func setDates(v ld, o item.Occurrence, hasEnd bool) {
	if o.AllDay {
		v["startDate"] = o.Start.Format(time.DateOnly)
		v["endDate"] = o.End.Format(time.DateOnly)
		return
	}
	v["startDate"] = o.Start.Format(time.RFC3339)
	if hasEnd {
		v["endDate"] = o.End.Format(time.RFC3339)
	}
}

// locationLD is the Place (with the branch's own PostalAddress), the
// VirtualLocation of an online event, or both for a hybrid one.
func (b *builder) locationLD(e *item.EventInfo) any {
	var virtual ld
	if e.Online != "" {
		virtual = ld{"@type": "VirtualLocation", "url": e.Online}
	}
	if e.Attendance() == item.Online {
		return virtual
	}
	place := ld{"@type": "Place"}
	if br := e.Branch; br != nil {
		addr := ld{"@type": "PostalAddress"}
		for k, s := range map[string]string{"streetAddress": br.Street, "addressLocality": br.Locality,
			"addressRegion": br.Region, "postalCode": br.PostalCode, "addressCountry": br.Country} {
			if s != "" {
				addr[k] = s
			}
		}
		if len(addr) > 1 {
			place["address"] = addr
		}
		if br.Map != "" {
			place["hasMap"] = br.Map
		}
		if br.Phone != "" {
			place["telephone"] = br.Phone
		}
	} else if len(b.cfg.Branches) == 0 && b.cfg.Library.Address != "" {
		// A library of one building: the event is at its address. With
		// branches, an event that names none is somewhere we do not know.
		place["address"] = ld{"@type": "PostalAddress", "streetAddress": b.cfg.Library.Address}
	}
	place["name"] = e.Venue()
	if virtual != nil {
		return []ld{place, virtual}
	}
	return place
}

// offerLD is how to get in: the registration link and whether places are
// left, and a price only when the file gives the event's cost as free.
// Nil when the file says neither.
func offerLD(e *item.EventInfo) ld {
	r := e.Registration
	hasURL := r != nil && r.URL != ""
	if e.Cost == "" && !hasURL {
		return nil
	}
	o := ld{"@type": "Offer"}
	if hasURL {
		o["url"] = r.URL
		o["availability"] = "https://schema.org/InStock"
		if r.Full {
			o["availability"] = "https://schema.org/SoldOut"
		}
		if !r.Opens.IsZero() {
			o["validFrom"] = r.Opens.Format(time.RFC3339)
		}
	}
	if e.Cost != "" {
		o["description"] = e.Cost
	}
	if free(e.Cost) {
		o["price"] = "0"
	}
	return o
}

var freeRE = regexp.MustCompile(`(?i)^\s*free\s*[.!]?\s*$`)

// free reports a cost that says the event is free, and only that ("Free",
// not "Free for members, $5 otherwise").
func free(cost string) bool { return freeRE.MatchString(cost) }
