package fields

import (
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

func TestParseTime(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	cases := []struct {
		in       string
		want     string // RFC 3339 in New York, "" for an error
		dateOnly bool
		hint     string
	}{
		{"2026-12-05", "2026-12-05T00:00:00-05:00", true, ""},
		{"2026-12-05T10:30", "2026-12-05T10:30:00-05:00", false, ""},
		{"2026-12-05 10:30", "2026-12-05T10:30:00-05:00", false, ""},
		{"2026-12-05T10:30:15", "2026-12-05T10:30:15-05:00", false, ""},
		{"2027-07-04T18:00", "2027-07-04T18:00:00-04:00", false, ""}, // summer time
		{"2026-12-05T15:30:00Z", "2026-12-05T10:30:00-05:00", false, ""},
		{"2026-12-05T10:30-08:00", "2026-12-05T13:30:00-05:00", false, ""},
		{"2026-13-01", "", false, "no month 13"},
		{"2026-02-30", "", false, "February has no day 30"},
		{"12/05/2026", "", false, "slashes are ambiguous"},
		{"next Tuesday", "", false, "YYYY-MM-DD"},
		{"2026-12-05T25:00", "", false, ""},
	}
	for _, c := range cases {
		got, dateOnly, err := ParseTime(c.in, ny)
		if c.want == "" {
			if err == nil {
				t.Errorf("ParseTime(%q) = %v, want an error", c.in, got)
			} else if !strings.Contains(err.Error(), c.hint) {
				t.Errorf("ParseTime(%q) error %q does not say %q", c.in, err, c.hint)
			}
			continue
		}
		if err != nil || got.Format(time.RFC3339) != c.want || dateOnly != c.dateOnly {
			t.Errorf("ParseTime(%q) = %v, %v, %v; want %s, %v", c.in, got.Format(time.RFC3339), dateOnly, err, c.want, c.dateOnly)
		}
	}
}

func TestYAMLError(t *testing.T) {
	cases := []struct {
		src  string
		line int
		want string
	}{
		{"title: \"Unclosed\ndate: 2026-11-01\n", 1, "quote"},
		{"title: A\n  date: 2026-11-01\n", 2, "second `: `"},
		{"a: 1\ntitle: Time: 10:30\n", 2, "second `: `"},
		{"tags: [a, b\ndate: x\n", 1, "not closed"},
	}
	for _, c := range cases {
		var n yaml.Node
		err := yaml.Unmarshal([]byte(c.src), &n)
		if err == nil {
			t.Errorf("%q parsed", c.src)
			continue
		}
		line, msg := YAMLError([]byte(c.src), err)
		if line != c.line || !strings.Contains(msg, c.want) {
			t.Errorf("YAMLError(%q) = %d, %q; want line %d saying %q (yaml said %v)", c.src, line, msg, c.line, c.want, err)
		}
	}
}

func TestKeyLine(t *testing.T) {
	file := []byte("---\ntitle: A\n  start: nested\ntweet: \"x: y\"\nstart: 2026-12-05\n---\nstart: in the body\n")
	for key, want := range map[string]int{"title": 2, "tweet": 4, "start": 5, "end": 0, "---": 0} {
		if got := KeyLine(file, key); got != want {
			t.Errorf("KeyLine(%q) = %d, want %d", key, got, want)
		}
	}
}
