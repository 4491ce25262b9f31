package sitegen

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Shape is the kind of library a corpus is: how items are tagged, how long
// they are, what they carry. The same shape, n and seed always give the
// same bytes. bench/compare.sh builds every shape; the generator's tests
// check page sizes on each.
type Shape struct {
	Name string
	Doc  string // one line, for -help and RESULTS.md
	// Kinds are the shares of events and titles in tenths (news is the rest).
	Events, Titles int
	// Tags: each item has TagsMin to TagsMax of the 20 tags.
	TagsMin, TagsMax int
	// Blocks: a body has BlocksMin to BlocksMax Markdown blocks (a
	// paragraph is ~600 bytes).
	BlocksMin, BlocksMax int
	// Summary: items carry a `summary:` of their own.
	Summary bool
	// Image: this many in ten items have an image URL (no image_alt, as an
	// archive imported from elsewhere has).
	Image int
	// Span is how far back the items go; Lead is how long after its date
	// an event starts, at most (from 3 days): with a span of decades most
	// events are past, with a span of weeks and a lead of months most are
	// to come.
	Span, Lead time.Duration
}

// Shapes are the named shapes, by name.
var Shapes = map[string]Shape{
	"mixed": {
		Name: "mixed", Doc: "40% events, 40% titles, 20% news over 30 years; 1-3 of 20 tags; 3-7 blocks (~3 KB); summaries from the text; no images",
		Events: 4, Titles: 4, TagsMin: 1, TagsMax: 3, BlocksMin: 3, BlocksMax: 7,
		Span: 30 * 365 * 24 * time.Hour, Lead: 43 * 24 * time.Hour,
	},
	"archive": {
		Name: "archive", Doc: "like the outside benchmark of issue 11: 0-3 of 20 tags, ~2.5 KB bodies, a summary on every item, an image URL on 6 in 10, events mostly past",
		Events: 4, Titles: 3, TagsMin: 0, TagsMax: 3, BlocksMin: 5, BlocksMax: 9, Summary: true, Image: 6,
		Span: 20 * 365 * 24 * time.Hour, Lead: 30 * 24 * time.Hour,
	},
	"calendar": {
		Name: "calendar", Doc: "a busy events calendar: 70% events, posted over the last 2 months for the year ahead (most are to come); 1-2 tags; short bodies",
		Events: 7, Titles: 2, TagsMin: 1, TagsMax: 2, BlocksMin: 1, BlocksMax: 3, Summary: true,
		Span: 60 * 24 * time.Hour, Lead: 365 * 24 * time.Hour,
	},
}

// ShapeNames lists the shapes, sorted.
func ShapeNames() []string {
	names := make([]string, 0, len(Shapes))
	for n := range Shapes {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ShapeOf finds a shape by name.
func ShapeOf(name string) (Shape, error) {
	s, ok := Shapes[name]
	if !ok {
		return Shape{}, fmt.Errorf("no shape %q: the shapes are %s", name, strings.Join(ShapeNames(), ", "))
	}
	return s, nil
}
