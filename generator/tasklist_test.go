package generator

import (
	"bytes"
	"strings"
	"testing"
)

// TestTaskListLabels: a GFM task list's checkboxes are named by their
// item's text (axe: "Form elements must have labels"), tight or loose,
// with links inside working (issue 11).
func TestTaskListLabels(t *testing.T) {
	md := newMarkdown(false, siteURL{})
	var buf bytes.Buffer
	r, err := md.convert([]byte("- [x] Collection packed\n- [ ] Read a true story (try [Educated](/titles/educated/))\n- Not a task\n\nLoose:\n\n- [x] First\n\n  More about it.\n\n- [ ] Second\n"), &buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<li><label><input checked="" disabled="" type="checkbox"> Collection packed</label></li>`,
		`<li><label><input disabled="" type="checkbox"> Read a true story (try <a href="/titles/educated/">Educated</a>)</label></li>`,
		`<li>Not a task</li>`,
		`<p><label><input checked="" disabled="" type="checkbox"> First</label></p>`,
		`<p>More about it.</p>`,
	} {
		if !strings.Contains(r.HTML, want) {
			t.Errorf("no %s in:\n%s", want, r.HTML)
		}
	}
	if strings.Count(r.HTML, "<input") != strings.Count(r.HTML, "<label><input") {
		t.Errorf("a checkbox without its label:\n%s", r.HTML)
	}
}
