package generator

import (
	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// GFM task lists ("- [x] Collection packed") render as checkboxes, which
// are form controls: without a label a screen reader announces "checkbox,
// checked" and nothing of what was done (axe: "Form elements must have
// labels", critical). Each item's text is wrapped, with its checkbox, in a
// <label>, so the checkbox is named by the text beside it:
//
//	<li><label><input checked="" disabled="" type="checkbox"> Collection packed</label></li>
//
// Only the item's first paragraph goes in the label (a label holds phrasing
// content); links inside it work as before.

// taskLabel is the <label> around a task list item's text.
type taskLabel struct{ ast.BaseInline }

var kindTaskLabel = ast.NewNodeKind("TaskLabel")

func (n *taskLabel) Kind() ast.NodeKind            { return kindTaskLabel }
func (n *taskLabel) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// labelTasks wraps the text of each task list item in a taskLabel.
func labelTasks(doc ast.Node) {
	var boxes []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if _, ok := n.(*extast.TaskCheckBox); ok && entering {
			boxes = append(boxes, n)
		}
		return ast.WalkContinue, nil
	})
	for _, box := range boxes {
		block := box.Parent() // the item's TextBlock or Paragraph
		if block == nil {
			continue
		}
		label := &taskLabel{}
		for c := block.FirstChild(); c != nil; {
			next := c.NextSibling()
			block.RemoveChild(block, c)
			label.AppendChild(label, c)
			c = next
		}
		block.AppendChild(block, label)
	}
}

// taskLabelRenderer writes a taskLabel.
type taskLabelRenderer struct{}

func (taskLabelRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindTaskLabel, func(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString("<label>")
		} else {
			_, _ = w.WriteString("</label>")
		}
		return ast.WalkContinue, nil
	})
}
