package sitegen

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// words make sentences that read like library prose closely enough for
// Markdown: the parser's cost is in the structure, not the meaning.
var words = strings.Fields(`the library our patrons readers join us for an afternoon of stories
songs and crafts with local authors volunteers families children teens adults community room
main branch catalog collection shelves new arrivals award winning novel memoir history garden
river town archive photographs newspapers workshop free open to everyone registration required
bring a friend coffee tea cookies provided we will discuss explore learn share celebrate read
listen write draw build discover season program series speaker guest librarian staff friends`)

func sentence(r *rand.Rand) string {
	n := 8 + r.IntN(11)
	w := make([]string, n)
	for i := range w {
		w[i] = words[r.IntN(len(words))]
	}
	switch r.IntN(6) {
	case 0:
		w[2] = "*" + w[2] + "*"
	case 1:
		w[4] = "**" + w[4] + " " + w[5] + "**"
		w[5] = ""
	}
	s := strings.Join(strings.Fields(strings.Join(w, " ")), " ")
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

// link is a Markdown link to an older item, or to the library's own site.
func link(r *rand.Rand, older []*Entry) string {
	if len(older) == 0 || r.IntN(4) == 0 {
		return "[the library's website](https://riverside-library.example.org/" + words[r.IntN(len(words))] + "/)"
	}
	o := older[r.IntN(len(older))]
	return "[" + o.Title + "](/" + o.Kind + "/" + o.Slug + "/)"
}

func paragraph(r *rand.Rand, older []*Entry) string {
	n := 3 + r.IntN(4)
	s := make([]string, n)
	for i := range s {
		s[i] = sentence(r)
	}
	if r.IntN(2) == 0 {
		s[n-1] = "See also " + link(r, older) + "."
	}
	return strings.Join(s, " ")
}

func list(r *rand.Rand, older []*Entry) string {
	var b strings.Builder
	ordered := r.IntN(3) == 0
	for i := range 3 + r.IntN(3) {
		if ordered {
			fmt.Fprintf(&b, "%d. ", i+1)
		} else {
			b.WriteString("- ")
		}
		if r.IntN(4) == 0 {
			b.WriteString(link(r, older))
		} else {
			b.WriteString(strings.TrimSuffix(sentence(r), "."))
		}
		b.WriteByte('\n')
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func table(r *rand.Rand) string {
	var b strings.Builder
	b.WriteString("| Day | Time | Where |\n|---|---|---|\n")
	days := []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	for range 2 + r.IntN(4) {
		fmt.Fprintf(&b, "| %s | %d:%02d | %s |\n", days[r.IntN(len(days))], 9+r.IntN(9), 15*r.IntN(4), locations[r.IntN(len(locations))])
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// body is lo to hi blocks: mostly paragraphs, with the odd heading, list
// and table.
func body(r *rand.Rand, older []*Entry, lo, hi int) string {
	blocks := []string{paragraph(r, older)}
	for range lo - 1 + r.IntN(hi-lo+1) {
		switch x := r.IntN(20); {
		case x < 3:
			blocks = append(blocks, "## "+strings.TrimSuffix(sentence(r), "."))
		case x < 7:
			blocks = append(blocks, list(r, older))
		case x < 8:
			blocks = append(blocks, table(r))
		default:
			blocks = append(blocks, paragraph(r, older))
		}
	}
	return strings.Join(blocks, "\n\n") + "\n"
}
