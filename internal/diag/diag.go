// Package diag is how circulate reports problems in a site's files to the
// librarian who wrote them: each Diagnostic names the file, the line (and
// column when known), how serious it is, and what to do about it.
package diag

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Severity says whether a problem stops the build.
type Severity int

const (
	Warning Severity = iota
	Error
)

func (s Severity) String() string {
	if s == Error {
		return "error"
	}
	return "warning"
}

// MarshalText lets JSON output say "error" or "warning".
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Diagnostic is one problem in one file.
type Diagnostic struct {
	File     string   `json:"file"`
	Line     int      `json:"line,omitempty"`
	Col      int      `json:"col,omitempty"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	// Code names the kind of problem ("image-alt"), for summing up the
	// warnings that repeat over many files (Summarize); "" for a problem
	// of its own kind.
	Code string `json:"code,omitempty"`
}

// Codes of the warnings that can repeat over many files of a large site.
const (
	ImageAlt    = "image-alt"    // an image without image_alt
	BrokenLink  = "link"         // a link to a page or file the site does not have
	UnknownKey  = "unknown-key"  // a front matter key circulate does not know
	Placeholder = "placeholder"  // example text `circulate new` wrote
	EventDate   = "event-date"   // an event date that is probably mistyped
	NotMarkdown = "not-markdown" // a file in content/ that is not .md
)

// String formats d as "file:line:col: error: message", the form editors
// and CI logs recognise.
func (d Diagnostic) String() string {
	var b strings.Builder
	b.WriteString(d.File)
	if d.Line > 0 {
		fmt.Fprintf(&b, ":%d", d.Line)
		if d.Col > 0 {
			fmt.Fprintf(&b, ":%d", d.Col)
		}
	}
	b.WriteString(": ")
	b.WriteString(d.Severity.String())
	b.WriteString(": ")
	b.WriteString(d.Message)
	return b.String()
}

// List collects the problems of a whole build, so a librarian sees all of
// them at once rather than one per try.
type List []Diagnostic

// Errorf adds an error at file:line.
func (l *List) Errorf(file string, line int, format string, args ...any) {
	*l = append(*l, Diagnostic{File: file, Line: line, Severity: Error, Message: fmt.Sprintf(format, args...)})
}

// Warnf adds a warning at file:line.
func (l *List) Warnf(file string, line int, format string, args ...any) {
	*l = append(*l, Diagnostic{File: file, Line: line, Severity: Warning, Message: fmt.Sprintf(format, args...)})
}

// WarnCode adds a warning of the kind code at file:line.
func (l *List) WarnCode(code, file string, line int, format string, args ...any) {
	*l = append(*l, Diagnostic{File: file, Line: line, Severity: Warning, Message: fmt.Sprintf(format, args...), Code: code})
}

// Group is the warnings of one code beyond the first few, summed up.
type Group struct {
	Code  string
	Count int // all of them, shown or not
}

// Summarize keeps, of the warnings of each code, the first max (in the
// list's order) and sums up the rest: at 10,000 items a build printed one
// warning per image without image_alt, 356 KB of them. Errors and
// warnings without a code are all kept.
func (l List) Summarize(max int) (List, []Group) {
	count := map[string]int{}
	for _, d := range l {
		if d.Severity == Warning && d.Code != "" {
			count[d.Code]++
		}
	}
	var shown List
	seen := map[string]int{}
	var groups []Group
	for _, d := range l {
		if d.Severity != Warning || d.Code == "" || count[d.Code] <= max {
			shown = append(shown, d)
			continue
		}
		if seen[d.Code]++; seen[d.Code] <= max {
			shown = append(shown, d)
		}
		if seen[d.Code] == max+1 {
			groups = append(groups, Group{Code: d.Code, Count: count[d.Code]})
		}
	}
	return shown, groups
}

// HasErrors reports whether any diagnostic is an error.
func (l List) HasErrors() bool {
	return slices.ContainsFunc(l, func(d Diagnostic) bool { return d.Severity == Error })
}

// Errors returns the errors only.
func (l List) Errors() List {
	return slices.DeleteFunc(slices.Clone(l), func(d Diagnostic) bool { return d.Severity != Error })
}

// Sort orders by file, line, column, then message, so output is stable
// whatever order the parallel loaders finished in.
func (l List) Sort() {
	slices.SortStableFunc(l, func(a, b Diagnostic) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Col, b.Col), cmp.Compare(a.Message, b.Message))
	})
}

// Error makes a List usable as an error: one diagnostic per line.
func (l List) Error() string {
	s := make([]string, len(l))
	for i, d := range l {
		s[i] = d.String()
	}
	return strings.Join(s, "\n")
}

// Suggest returns the candidate closest to word by edit distance, or "" if
// none is close enough to be what was meant.
func Suggest(word string, candidates []string) string {
	return Nearest(word, candidates, len(word)/2+1)
}

// Nearest returns the candidate closest to word, at most maxDist edits
// away, or "".
func Nearest(word string, candidates []string, maxDist int) string {
	best, bestD := "", maxDist+1
	for _, c := range candidates {
		if d := distance(word, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b, by bytes; keys are ASCII.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
