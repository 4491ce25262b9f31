package plural

import "testing"

func TestCount(t *testing.T) {
	for _, c := range []struct {
		n      int
		noun   string
		plural []string
		want   string
	}{
		{0, "item", nil, "0 items"},
		{1, "item", nil, "1 item"},
		{2, "item", nil, "2 items"},
		{3412, "image", nil, "3,412 images"},
		{1234567, "file", nil, "1,234,567 files"},
		{999, "page", nil, "999 pages"},
		{1000, "page", nil, "1,000 pages"},
		{2, "match", nil, "2 matches"},
		{2, "entry", nil, "2 entries"},
		{2, "day", nil, "2 days"},
		{2, "open page", nil, "2 open pages"},
		{1, "feed or calendar", []string{"feeds and calendars"}, "1 feed or calendar"},
		{8, "feed or calendar", []string{"feeds and calendars"}, "8 feeds and calendars"},
		{-1, "day", nil, "-1 day"},
		{-1500, "day", nil, "-1,500 days"},
	} {
		if got := Count(c.n, c.noun, c.plural...); got != c.want {
			t.Errorf("Count(%d, %q) = %q, want %q", c.n, c.noun, got, c.want)
		}
	}
}

func TestNoun(t *testing.T) {
	if got := Noun(1, "item"); got != "item" {
		t.Errorf("Noun(1) = %q", got)
	}
	if got := Noun(3412, "item"); got != "items" {
		t.Errorf("Noun(3412) = %q", got)
	}
}
