package generator

import (
	"html/template"
	"regexp"
	"strings"
	"time"
)

var linkRE = regexp.MustCompile(`https?://[^\s<>"]+[^\s<>".,;:!?)\]'’”]`)

// NewPost makes a social box entry from a post's text, with its links made
// live and everything else escaped.
func NewPost(text, postURL, itemID string, date time.Time) Post {
	var b strings.Builder
	last := 0
	for _, m := range linkRE.FindAllStringIndex(text, -1) {
		b.WriteString(template.HTMLEscapeString(text[last:m[0]]))
		u := template.HTMLEscapeString(text[m[0]:m[1]])
		b.WriteString(`<a href="` + u + `">` + u + `</a>`)
		last = m[1]
	}
	b.WriteString(template.HTMLEscapeString(text[last:]))
	return Post{Text: template.HTML(b.String()), URL: postURL, Date: date, Item: itemID}
}
