package generator

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// markdown is the one converter of a build: CommonMark plus GFM tables,
// strikethrough, autolinks and task lists. Raw HTML is escaped unless the
// site sets markup.unsafe.
type markdown struct {
	md       goldmark.Markdown
	basePath string // the base URL's path without its final "/"
}

func newMarkdown(unsafe bool, base siteURL) *markdown {
	opts := []renderer.Option{renderer.WithNodeRenderers(util.Prioritized(taskLabelRenderer{}, 500))}
	if unsafe {
		opts = append(opts, html.WithUnsafe())
	}
	return &markdown{
		md: goldmark.New(
			goldmark.WithExtensions(extension.GFM),
			goldmark.WithRendererOptions(opts...),
		),
		basePath: base.path,
	}
}

// mdLink is a link or image in a body, kept to check it points somewhere.
type mdLink struct {
	Dest string
	Line int // in the body
}

// rendered is a converted body.
type rendered struct {
	HTML    string // one copy of the rendered bytes, kept as the item's Body
	Summary string // first paragraph as plain text
	Links   []mdLink
}

// convert renders body. Headings are shifted so the body's first level is
// h2 (the page title is the only h1), and site-relative links ("/news/x/")
// get the base URL's path so they work under a sub-path.
func (m *markdown) convert(body []byte, buf *bytes.Buffer) (rendered, error) {
	doc := m.md.Parser().Parse(text.NewReader(body))
	labelTasks(doc)
	var r rendered
	minLevel := 7
	var firstPara ast.Node
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			minLevel = min(minLevel, n.Level)
		case *ast.Paragraph:
			if firstPara == nil {
				firstPara = n
			}
		case *ast.Link:
			r.Links = append(r.Links, mdLink{string(n.Destination), lineOf(n, body)})
			n.Destination = m.siteLink(n.Destination)
		case *ast.Image:
			r.Links = append(r.Links, mdLink{string(n.Destination), lineOf(n, body)})
			n.Destination = m.siteLink(n.Destination)
		}
		return ast.WalkContinue, nil
	})
	if minLevel < 7 && minLevel != 2 {
		shift := 2 - minLevel
		ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if h, ok := n.(*ast.Heading); ok && entering {
				h.Level = min(max(h.Level+shift, 2), 6)
			}
			return ast.WalkContinue, nil
		})
	}
	if firstPara != nil {
		r.Summary = plainText(firstPara, body)
	}
	buf.Reset()
	if err := m.md.Renderer().Render(buf, body, doc); err != nil {
		return r, err
	}
	r.HTML = buf.String()
	return r, nil
}

func (m *markdown) siteLink(dest []byte) []byte {
	if m.basePath == "" || len(dest) < 2 || dest[0] != '/' || dest[1] == '/' {
		return dest
	}
	return append([]byte(m.basePath), dest...)
}

// lineOf finds the 1-based line of an inline node from its first text
// segment; goldmark keeps offsets, not lines, for inlines.
func lineOf(n ast.Node, src []byte) int {
	for c := n; c != nil; c = c.FirstChild() {
		if t, ok := c.(*ast.Text); ok {
			return bytes.Count(src[:t.Segment.Start], []byte("\n")) + 1
		}
	}
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
			return bytes.Count(src[:p.Lines().At(0).Start], []byte("\n")) + 1
		}
	}
	return 0
}

// plainText is a block's text without markup, on one line.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.AutoLink:
			b.Write(c.URL(src))
		}
		return ast.WalkContinue, nil
	})
	return strings.Join(strings.Fields(b.String()), " ")
}

// clip shortens s to at most n characters, at a word boundary, with "…".
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)[:n-1]
	cut := string(rs)
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.—-") + "…"
}
