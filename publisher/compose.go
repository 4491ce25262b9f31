package publisher

import (
	"fmt"
	"strings"
	"text/template"
	"unicode"
	"unicode/utf8"

	"github.com/circulate-dev/circulate/internal/item"
)

// Composer writes post texts from the per-kind templates of config.yaml.
type Composer struct {
	key       string // "social.x", for messages
	templates map[item.Kind]*template.Template
}

// NewComposer parses the templates (by kind name: event, title, news) of
// the network whose settings are at key in config.yaml ("social.x").
func NewComposer(key string, templates map[string]string) (*Composer, error) {
	c := &Composer{key: key, templates: map[item.Kind]*template.Template{}}
	for kind, text := range templates {
		t, err := template.New(kind).Option("missingkey=error").Parse(text)
		if err != nil {
			return nil, fmt.Errorf("%s.templates.%s: %w", key, kind, err)
		}
		c.templates[item.Kind(kind)] = t
	}
	return c, nil
}

// TemplateData is what a post template sees.
type TemplateData struct {
	Title    string
	URL      string
	When     string // events: "Saturday, December 5, 10:30–11:15 AM"
	Location string // events
	Author   string // titles: "A, B and C"
	Summary  string
	Hashtags string // "#storytime #AuthorTalk", from tags
	Kind     string
}

// Composed is a post text and how it was made.
type Composed struct {
	Text      string
	Weight    int  // as the network counts
	Limit     int  // the network's limit
	Shortened bool // the text was cut to fit
	// Notes say what was left out of the text (invisible characters) and
	// where to delete it.
	Notes []string
}

// Compose makes the post text of it for net: the item's own `tweet:` text
// or the template of its kind, cut to fit without touching the link. The
// link to the item is always in the post, since posts are matched back to
// items by it and it makes the preview card; a custom text without it gets
// it appended.
func (c *Composer) Compose(it *item.Item, net Network) (Composed, error) {
	text := it.Tweet
	if text == "" {
		t := c.templates[it.Kind]
		if t == nil {
			return Composed{}, fmt.Errorf("no post template for %s items: add %s.templates.%s to config.yaml", it.Kind, c.key, it.Kind)
		}
		var b strings.Builder
		if err := t.Execute(&b, dataOf(it)); err != nil {
			return Composed{}, fmt.Errorf("%s.templates.%s: %w", c.key, it.Kind, err)
		}
		text = b.String()
	}
	text, removed := cleanText(text)
	var notes []string
	if len(removed) > 0 {
		notes = append(notes, fmt.Sprintf("left out of the post: %s, which %s; delete it from %s", strings.Join(removed, ", "),
			"networks refuse or show as gaps", sourceOf(it, removed)))
	}
	body, tail := text, ""
	if i := strings.Index(text, it.URL); i >= 0 {
		body, tail = text[:i], text[i:]
	} else {
		body, tail = text+" ", it.URL
	}
	out := Composed{Text: body + tail, Notes: notes}
	out.Weight, out.Limit = net.Weigh(out.Text)
	if out.Weight > out.Limit {
		out.Text = net.Fit(strings.TrimRight(body, " "), " "+strings.TrimLeft(tail, " "))
		if strings.TrimSpace(body) == "" {
			out.Text = strings.TrimSpace(tail)
		}
		out.Weight, _ = net.Weigh(out.Text)
		out.Shortened = true
	}
	out.Text = strings.TrimSpace(out.Text)
	return out, nil
}

// sourceOf names the field of the item an unwanted character is in, as
// "the title", "`tweet:`", or "the item's text".
func sourceOf(it *item.Item, _ []string) string {
	for _, f := range textFields(it) {
		if col, _ := findUnwanted(f.value); col > 0 {
			return f.name
		}
	}
	return it.File
}

// textField is a field of an item that may end up in a post.
type textField struct {
	key   string // the front matter key, for its line
	name  string // for messages
	value string
}

func textFields(it *item.Item) []textField {
	fs := []textField{{"title", "`title:`", it.Title}, {"tweet", "`tweet:`", it.Tweet}, {"summary", "`summary:` (or the first paragraph)", it.Summary}}
	if e := it.Event; e != nil {
		fs = append(fs, textField{"location", "`location:`", e.Location})
	}
	if b := it.Book; b != nil {
		fs = append(fs, textField{"author", "`author:`", strings.Join(b.Authors, " ")})
	}
	return fs
}

func dataOf(it *item.Item) TemplateData {
	d := TemplateData{Title: it.Title, URL: it.URL, Summary: it.Summary, Kind: string(it.Kind)}
	if e := it.Event; e != nil {
		d.When, d.Location = item.When(it), e.Place()
	}
	if b := it.Book; b != nil {
		d.Author = item.JoinAnd(b.Authors)
	}
	var tags []string
	for _, t := range it.Tags {
		if h := hashtag(t); h != "" {
			tags = append(tags, h)
		}
	}
	d.Hashtags = strings.Join(tags, " ")
	return d
}

// hashtag turns a tag into one: "kids" -> "#kids", "author-talk" ->
// "#AuthorTalk" (a hashtag stops at a dash).
func hashtag(tag string) string {
	parts := strings.FieldsFunc(tag, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(parts) == 0 {
		return ""
	}
	if len(parts) == 1 {
		return "#" + parts[0]
	}
	var b strings.Builder
	b.WriteByte('#')
	for _, p := range parts {
		r, n := utf8.DecodeRuneInString(p)
		b.WriteRune(unicode.ToUpper(r))
		b.WriteString(p[n:])
	}
	return b.String()
}
