package generator

import (
	"bufio"
	"bytes"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/circulate-dev/circulate/internal/diag"
	"github.com/circulate-dev/circulate/internal/scaffold"
)

// placeholders warns about the example text `circulate new` wrote that is
// still in a file ("First Last" as the author): the file builds, so
// nothing else would tell. Front matter values are matched by key, the
// text line by line. fmLine is the file line of the front matter's first
// line, bodyLine that of the text's.
func placeholders(file string, root *yaml.Node, fmLine int, body []byte, bodyLine int) diag.List {
	var diags diag.List
	byKey := map[string]scaffold.Placeholder{}
	var text []scaffold.Placeholder
	for _, p := range scaffold.Placeholders {
		if p.Key == "" {
			text = append(text, p)
		} else {
			byKey[p.Key] = p
		}
	}
	if root != nil && root.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(root.Content); i += 2 {
			p, ok := byKey[root.Content[i].Value]
			if !ok {
				continue
			}
			v := root.Content[i+1]
			values := []*yaml.Node{v}
			if v.Kind == yaml.SequenceNode {
				values = v.Content
			}
			for _, n := range values {
				if n.Kind == yaml.ScalarNode && strings.TrimSpace(n.Value) == p.Text {
					diags = append(diags, diag.Diagnostic{File: file, Line: n.Line + fmLine - 1, Col: n.Column, Severity: diag.Warning, Code: diag.Placeholder,
						Message: p.Key + ": \"" + p.Text + "\" is the example `circulate new` wrote; " + p.Fix})
				}
			}
		}
	}
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(nil, len(body)+1)
	for n := 0; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		for _, p := range text {
			if line == p.Text {
				diags.WarnCode(diag.Placeholder, file, bodyLine+n, "the text still has the example sentence `circulate new` wrote (%q); %s", p.Text, p.Fix)
			}
		}
	}
	return diags
}
