package generator

import (
	"bytes"
	"fmt"
	"html/template"
	"sync"
	"time"

	"github.com/circulate-dev/circulate/internal/item"
)

// Pages share much of their markup: an item's card is on its section's
// list, on the page of each of its tags and maybe on the home page; the
// header and footer are on every page. Executing a template costs a
// reflective call per value it prints (html/template's escapers), which
// made layouts most of a build's time; so the layouts ask for shared parts
// through two methods of Page, which make each part once per run (one
// Render, one RenderFile) and reuse its bytes:
//
//	{{$.Card "title-card-h2" .}}       instead of {{template "title-card-h2" .}}
//	{{.Shared "footer" .Kind}}         instead of {{template "footer" .}}
//
// The bytes are the same as the template call's: a card depends on its
// item only, and a shared part on the run's SiteData and on the key the
// layout gives, which must say everything else it depends on (the
// built-in footer differs on the home page and /social/, hence .Kind).

// fragments are the shared parts made so far in one run.
type fragments struct {
	th    *theme
	off   bool // make every part afresh (tests compare the two)
	mu    sync.Mutex
	cards map[cardKey]template.HTML
	parts map[partKey]template.HTML
}

type cardKey struct {
	name string
	file string // where the layout defines the card: a layout file may redefine one for its pages
	it   *item.Item
	// An event card shows the event at one date (an Entry), on a day.
	start, day time.Time
}

type partKey struct{ name, kind, key string }

// bufPool holds the buffers parts are made in.
var fragBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Card is the card template name (see partials/cards.html) made for it,
// an item or, for event cards, an Entry: the same bytes as {{template name
// it}}, made once per run. An Entry's card depends on its item, the date
// it is at and the day it is listed under; the rest is the same all run.
func (p *Page) Card(name string, it any) (template.HTML, error) {
	f := p.Site.frag
	if f == nil || f.off {
		return p.execute(name, it)
	}
	k := cardKey{name: name, file: f.th.definedIn[p.Kind][name]}
	switch x := it.(type) {
	case *item.Item:
		k.it = x
	case Entry:
		k.it, k.start, k.day = x.Item, x.Start, x.Day
	default:
		return p.execute(name, it)
	}
	f.mu.Lock()
	h, ok := f.cards[k]
	f.mu.Unlock()
	if ok {
		return h, nil
	}
	h, err := p.execute(name, it)
	if err != nil {
		return "", err
	}
	f.mu.Lock()
	f.cards[k] = h
	f.mu.Unlock()
	return h, nil
}

// Shared is the template name executed with this page, made once per run
// for each key (and page layout): the same bytes as {{template name .}}
// when key holds everything the part depends on besides .Site.
func (p *Page) Shared(name, key string) (template.HTML, error) {
	f := p.Site.frag
	if f == nil || f.off {
		return p.execute(name, p)
	}
	k := partKey{name, p.Kind, key}
	f.mu.Lock()
	h, ok := f.parts[k]
	f.mu.Unlock()
	if ok {
		return h, nil
	}
	h, err := p.execute(name, p)
	if err != nil {
		return "", err
	}
	f.mu.Lock()
	f.parts[k] = h
	f.mu.Unlock()
	return h, nil
}

// execute runs the template name of the page's layout with data.
func (p *Page) execute(name string, data any) (template.HTML, error) {
	f := p.Site.frag
	if f == nil {
		return "", fmt.Errorf("%s: the page is not being rendered", name)
	}
	t := f.th.layouts[p.Kind]
	if t == nil {
		return "", fmt.Errorf("%s: no layout %s", name, p.Kind)
	}
	buf := fragBufs.Get().(*bytes.Buffer)
	defer fragBufs.Put(buf)
	buf.Reset()
	if err := t.ExecuteTemplate(buf, name, data); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil
}
