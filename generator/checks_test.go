package generator

import (
	"strings"
	"testing"

	"github.com/circulate-dev/circulate/internal/diag"
)

// Issue #4: events far in the future, or starting long before they are to
// appear, get a warning at the start: line (a mistyped year, most often).
func TestEventDateWarnings(t *testing.T) {
	cases := []struct {
		name  string
		lines []string
		line  int    // of the warning; 0: no warning
		want  string // in the message
	}{
		{"next month", []string{"date: 2026-11-01", "start: 2026-12-05T10:30"}, 0, ""},
		{"eleven months ahead", []string{"date: 2026-11-01", "start: 2027-10-30"}, 0, ""},
		{"year typo ahead", []string{"date: 2026-11-01", "start: 2062-12-05T10:30"}, 4, "start: 2062-12-05 is more than a year after today (2026-11-28); check the year"},
		{"prepared ahead", []string{"date: 2027-09-01", "start: 2027-12-05"}, 0, ""},
		{"year typo, prepared ahead", []string{"date: 2027-09-01", "start: 2028-12-05"}, 4, "start: 2028-12-05 is more than a year after its date (2027-09-01)"},
		{"year typo behind", []string{"date: 2026-11-20", "start: 2025-12-05T10:30"}, 4, "start: 2025-12-05 is more than a month before the item's date (2026-11-20)"},
		{"filed the week after", []string{"date: 2026-11-20", "start: 2026-11-14"}, 0, ""},
		{"old archive event", []string{"date: 2019-03-01", "start: 2019-03-09T10:00"}, 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lines := append([]string{"title: A"}, c.lines...)
			lines = append(lines, "location: Hall")
			res, _, err := build(t, siteFS(map[string]string{"content/events/a.md": fm(lines...)}))
			if err != nil {
				t.Fatalf("a warning must not fail the build: %v", err)
			}
			var got []diag.Diagnostic
			for _, d := range res.Diags {
				if strings.HasPrefix(d.Message, "start:") {
					got = append(got, d)
				}
			}
			if c.line == 0 {
				if len(got) > 0 {
					t.Fatalf("unexpected warning: %v", got)
				}
				return
			}
			if len(got) != 1 || got[0].Severity != diag.Warning || got[0].File != "content/events/a.md" || got[0].Line != c.line || !strings.Contains(got[0].Message, c.want) {
				t.Fatalf("got %v, want one warning at line %d containing %q", got, c.line, c.want)
			}
		})
	}
}
