package diag

import "testing"

func TestSummarize(t *testing.T) {
	var l List
	for i := range 12 {
		l.WarnCode(ImageAlt, "a.md", i+1, "no alt")
	}
	l.Errorf("b.md", 1, "an error")
	for i := range 3 {
		l.WarnCode(BrokenLink, "c.md", i+1, "a link")
	}
	l.Warnf("d.md", 1, "a warning of its own")
	shown, groups := l.Summarize(10)
	if len(shown) != 10+1+3+1 {
		t.Errorf("shown %d: %v", len(shown), shown)
	}
	if shown[9].Line != 10 || shown[10].Severity != Error {
		t.Errorf("not the first ten, in order: %v", shown)
	}
	if len(groups) != 1 || groups[0] != (Group{Code: ImageAlt, Count: 12}) {
		t.Errorf("groups = %v", groups)
	}
}

func TestNearest(t *testing.T) {
	if got := Suggest("timzone", []string{"title", "timezone", "theme"}); got != "timezone" {
		t.Errorf("Suggest = %q", got)
	}
	if got := Nearest("riverside", []string{"merida"}, 2); got != "" {
		t.Errorf("Nearest beyond the distance = %q", got)
	}
}
