package main

import (
	"fmt"

	"github.com/circulate-dev/circulate/internal/diag"
)

// shownPerKind is how many warnings of one kind build and serve print
// before summing up the rest; check prints them all.
const shownPerKind = 10

// kindNouns name the warnings of a code in a count: "3,412 images have no
// `image_alt`".
var kindNouns = map[string][2]string{
	diag.ImageAlt:    {"image has no `image_alt`", "images have no `image_alt`"},
	diag.BrokenLink:  {"link points to a page or file the site does not have", "links point to pages or files the site does not have"},
	diag.UnknownKey:  {"front matter key is unknown", "front matter keys are unknown"},
	diag.Placeholder: {"example text from `circulate new` is left", "example texts from `circulate new` are left"},
	diag.EventDate:   {"event date looks mistyped", "event dates look mistyped"},
	diag.NotMarkdown: {"file in content/ is not Markdown", "files in content/ are not Markdown"},
}

// printSummed prints diagnostics as printDiags does, but of a kind of
// warning that repeats over many files only the first few, then one line
// with how many there are: at 10,000 items a build printed 356 KB of
// warnings, one per image without `image_alt`.
func printSummed(e *env, source string, diags diag.List) {
	shown, groups := diags.Summarize(shownPerKind)
	printDiags(e, source, shown)
	for _, g := range groups {
		noun := kindNouns[g.Code]
		if noun[0] == "" {
			noun = [2]string{"warning of this kind", "warnings of this kind"}
		}
		fmt.Fprintf(e.stderr, "circulate: warning: %s (the first %d are above); `circulate check` lists all\n",
			countOf(g.Count, noun[0], noun[1]), shownPerKind)
	}
}
