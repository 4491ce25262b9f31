package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/circulate-dev/circulate/generator"
	"github.com/circulate-dev/circulate/internal/config"
	"github.com/circulate-dev/circulate/internal/item"
)

// schemaProps are the schema.org properties of each type the event pages
// use, from https://schema.org/Event, /Place, /PostalAddress,
// /VirtualLocation, /Offer, /Audience and /Library (a property a type
// inherits from Thing or Organization included). A property not listed is
// a typo or a property of another type, which search engines ignore.
var schemaProps = map[string][]string{
	"Event": {"name", "url", "description", "image", "startDate", "endDate", "eventStatus", "eventAttendanceMode",
		"location", "organizer", "offers", "audience", "typicalAgeRange", "isAccessibleForFree",
		"maximumAttendeeCapacity", "performer", "doorTime", "duration", "superEvent", "subEvent", "eventSchedule"},
	"Place":           {"name", "address", "hasMap", "telephone", "url", "geo"},
	"PostalAddress":   {"streetAddress", "addressLocality", "addressRegion", "postalCode", "addressCountry"},
	"VirtualLocation": {"name", "url"},
	"Offer":           {"url", "availability", "validFrom", "price", "priceCurrency", "description"},
	"Audience":        {"audienceType"},
	"Library":         {"name", "url", "address", "telephone", "email"},
}

var (
	eventStatuses = []string{"https://schema.org/EventScheduled", "https://schema.org/EventCancelled",
		"https://schema.org/EventPostponed", "https://schema.org/EventRescheduled", "https://schema.org/EventMovedOnline"}
	availabilities = []string{"https://schema.org/InStock", "https://schema.org/SoldOut", "https://schema.org/PreOrder"}
	modes          = map[string]string{item.Offline: "https://schema.org/OfflineEventAttendanceMode",
		item.Online: "https://schema.org/OnlineEventAttendanceMode", item.Mixed: "https://schema.org/MixedEventAttendanceMode"}
	ldScript = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)
	dateList = regexp.MustCompile(`(?s)<ul class="date-list">(.*?)</ul>`)
	datetime = regexp.MustCompile(`datetime="([^"]+)"`)
)

// exampleItems loads the example site's items as the e2e builds see it.
func exampleItems(t *testing.T) ([]*item.Item, time.Time) {
	t.Helper()
	fsys := os.DirFS(repoRoot(t))
	cfg, diags := config.Load(fsys)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, cfg.Location)
	s, err := generator.Load(context.Background(), generator.Config{Site: cfg, Now: func() time.Time { return now }}, fsys)
	if err != nil {
		t.Fatal(err)
	}
	return s.Result.Items, now
}

// TestEventJSONLD checks the schema.org data of every event page of the
// example: an Event (one per listed date for a recurring event) with what
// schema.org and search engines need, and only what the event's file says:
// its branch's own address, its online link, a price only when `cost:`
// says it is free, availability from `registration:`.
func TestEventJSONLD(t *testing.T) {
	s := exampleSite(t, "")
	items, now := exampleItems(t)
	checked := map[string]bool{}
	for _, it := range items {
		if it.Event == nil || !it.Visible(now) {
			continue
		}
		t.Run(it.Slug, func(t *testing.T) {
			page, err := os.ReadFile(filepath.Join(s.Dir, "events", it.Slug, "index.html"))
			if err != nil {
				t.Fatal(err)
			}
			nodes := ldNodes(t, page)
			var want []string // the dates the page lists
			if it.Event.Repeat != nil {
				if m := dateList.FindSubmatch(page); m != nil {
					for _, d := range datetime.FindAllSubmatch(m[1], -1) {
						want = append(want, string(d[1]))
					}
				}
			} else {
				want = []string{ldDate(it.FirstOccurrence().Start, it.Event.AllDay)}
			}
			if len(want) == 0 {
				last, _ := it.LastOccurrence()
				want = []string{ldDate(last.Start, it.Event.AllDay)}
			}
			var got []string
			for _, n := range nodes {
				for _, p := range checkNode(n, "") {
					t.Error(p)
				}
				if n["@type"] == "Event" {
					for _, p := range checkEvent(n, it) {
						t.Error(p)
					}
					got = append(got, fmt.Sprint(n["startDate"]))
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("the Events start %v; the page lists %v", got, want)
			}
			checked[it.Event.Attendance()] = true
			if it.Event.Repeat != nil {
				checked["recurring"] = true
			}
			if it.Event.Cost != "" {
				checked["cost"] = true
			}
		})
	}
	// The example has each kind, so that each check above ran.
	for _, k := range []string{item.Offline, item.Online, item.Mixed, "recurring", "cost"} {
		if !checked[k] {
			t.Errorf("no event page of the example is %s", k)
		}
	}
}

// ldNodes are the top-level nodes of a page's JSON-LD: each script's
// object, or the objects of its @graph.
func ldNodes(t *testing.T, page []byte) []map[string]any {
	t.Helper()
	var nodes []map[string]any
	for _, m := range ldScript.FindAllSubmatch(page, -1) {
		var v map[string]any
		if err := json.Unmarshal(m[1], &v); err != nil {
			t.Fatalf("JSON-LD does not parse: %v\n%s", err, m[1])
		}
		if v["@context"] != "https://schema.org" {
			t.Errorf("@context %v", v["@context"])
		}
		if g, ok := v["@graph"].([]any); ok {
			for _, n := range g {
				nodes = append(nodes, n.(map[string]any))
			}
			continue
		}
		nodes = append(nodes, v)
	}
	if len(nodes) == 0 {
		t.Fatal("no JSON-LD")
	}
	return nodes
}

// checkNode checks that every property of n and of the nodes in it is one
// schema.org has for its type.
func checkNode(n map[string]any, at string) []string {
	var problems []string
	typ, _ := n["@type"].(string)
	props, known := schemaProps[typ]
	if !known {
		return []string{fmt.Sprintf("%s: @type %q is not one the check knows", at, typ)}
	}
	for k, v := range n {
		if k == "@type" || k == "@context" || k == "@id" {
			continue
		}
		if !slices.Contains(props, k) {
			problems = append(problems, fmt.Sprintf("%s%s: not a property of schema.org/%s", at, k, typ))
		}
		for _, c := range children(v) {
			problems = append(problems, checkNode(c, at+k+".")...)
		}
	}
	return problems
}

func children(v any) []map[string]any {
	switch x := v.(type) {
	case map[string]any:
		return []map[string]any{x}
	case []any:
		var out []map[string]any
		for _, e := range x {
			out = append(out, children(e)...)
		}
		return out
	}
	return nil
}

func ldDate(t time.Time, allDay bool) string {
	if allDay {
		return t.Format(time.DateOnly)
	}
	return t.Format(time.RFC3339)
}

// checkEvent checks an Event against what Google's event results require
// and against the event's file.
func checkEvent(n map[string]any, it *item.Item) []string {
	e := it.Event
	var p []string
	bad := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	if n["name"] != it.Title {
		bad("name %v, want %q", n["name"], it.Title)
	}
	start, _ := n["startDate"].(string)
	layout := time.RFC3339
	if e.AllDay {
		layout = time.DateOnly
	}
	st, err := time.Parse(layout, start)
	if err != nil {
		bad("startDate %q is not an ISO 8601 %s", start, layout)
	}
	if end, ok := n["endDate"].(string); ok {
		if et, err := time.Parse(layout, end); err != nil || et.Before(st) {
			bad("endDate %q: not a date after startDate", end)
		}
	} else if e.HasEnd {
		bad("no endDate, though the file gives `end:`")
	}
	if s, _ := n["eventStatus"].(string); !slices.Contains(eventStatuses, s) {
		bad("eventStatus %q", s)
	}
	if got, want := n["eventAttendanceMode"], modes[e.Attendance()]; got != want {
		bad("eventAttendanceMode %v, want %s", got, want)
	}
	p = append(p, checkLocation(n["location"], e)...)
	if org, _ := n["organizer"].(map[string]any); org == nil || org["name"] == "" {
		bad("no organizer")
	}

	// Only what the file says.
	free := strings.EqualFold(strings.TrimSpace(e.Cost), "free")
	offer, _ := n["offers"].(map[string]any)
	price, hasPrice := offer["price"]
	switch {
	case hasPrice && !free:
		bad("offers.price %v, but the file's cost is %q", price, e.Cost)
	case hasPrice && price != "0":
		bad("offers.price %v for a free event", price)
	case free && !hasPrice:
		bad("cost: Free, but no price 0")
	}
	if _, ok := offer["priceCurrency"]; ok {
		bad("offers.priceCurrency: the file says no currency")
	}
	if v, ok := n["isAccessibleForFree"]; ok != free || ok && v != true {
		bad("isAccessibleForFree %v, cost %q", v, e.Cost)
	}
	r := e.Registration
	hasURL := r != nil && r.URL != ""
	if (offer != nil) != (hasURL || e.Cost != "") {
		bad("offers %v, though the file has registration %+v and cost %q", offer, r, e.Cost)
	}
	if hasURL {
		avail, _ := offer["availability"].(string)
		if offer["url"] != r.URL || !slices.Contains(availabilities, avail) || (avail == "https://schema.org/SoldOut") != r.Full {
			bad("offers %v for registration %+v", offer, r)
		}
	}
	if v, ok := n["typicalAgeRange"]; ok != (e.Ages != "") || ok && v != e.Ages {
		bad("typicalAgeRange %v, ages %q", v, e.Ages)
	}
	if v, ok := n["maximumAttendeeCapacity"]; (r != nil && r.Capacity > 0) != ok || ok && int(v.(float64)) != r.Capacity {
		bad("maximumAttendeeCapacity %v", v)
	}
	return p
}

// checkLocation: a Place with the branch's own PostalAddress, a
// VirtualLocation with the online link, or both for a hybrid event.
func checkLocation(v any, e *item.EventInfo) []string {
	var p []string
	var place, virtual map[string]any
	for _, n := range children(v) {
		switch n["@type"] {
		case "Place":
			place = n
		case "VirtualLocation":
			virtual = n
		default:
			p = append(p, fmt.Sprintf("location of @type %v", n["@type"]))
		}
	}
	if (virtual != nil) != (e.Online != "") {
		p = append(p, fmt.Sprintf("location has a VirtualLocation: %v; the file's online: %q", virtual != nil, e.Online))
	} else if virtual != nil && virtual["url"] != e.Online {
		p = append(p, fmt.Sprintf("VirtualLocation url %v, want %s", virtual["url"], e.Online))
	}
	if (place != nil) != (e.Attendance() != item.Online) {
		p = append(p, fmt.Sprintf("location has a Place: %v, for an event %s", place != nil, e.Attendance()))
	}
	if place == nil {
		return p
	}
	if place["name"] == "" || place["name"] == nil {
		p = append(p, "the Place has no name")
	}
	br := e.Branch
	if br == nil {
		return append(p, "an event at a place without `branch:`: its address is not known")
	}
	addr, _ := place["address"].(map[string]any)
	want := map[string]string{"@type": "PostalAddress", "streetAddress": br.Street, "addressLocality": br.Locality,
		"addressRegion": br.Region, "postalCode": br.PostalCode, "addressCountry": br.Country}
	for k, w := range want {
		if w != "" && addr[k] != w {
			p = append(p, fmt.Sprintf("location.address.%s %v, want %q (the branch's own)", k, addr[k], w))
		}
	}
	if br.Map != "" && place["hasMap"] != br.Map {
		p = append(p, fmt.Sprintf("hasMap %v", place["hasMap"]))
	}
	return p
}
