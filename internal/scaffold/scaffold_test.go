package scaffold

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func TestPinVersion(t *testing.T) {
	wf := "env:\n  # the release\n  CIRCULATE_VERSION: latest\njobs: {}\n"
	for _, c := range []struct{ version, want string }{
		{"v1.2.3", "  CIRCULATE_VERSION: v1.2.3\n"},
		{"v0.0.0-20261128125000-6af4070abcde", "  CIRCULATE_VERSION: v0.0.0-20261128125000-6af4070abcde\n"},
		{"v0.0.0-20261128125000-6af4070abcde+dirty", "  CIRCULATE_VERSION: latest\n"},
		{"(devel)", "  CIRCULATE_VERSION: latest\n"},
		{"", "  CIRCULATE_VERSION: latest\n"},
	} {
		got := string(PinVersion([]byte(wf), c.version))
		if !strings.Contains(got, c.want) || !strings.HasPrefix(got, "env:\n  # the release\n") || !strings.HasSuffix(got, "\njobs: {}\n") {
			t.Errorf("PinVersion(%q):\n%s\nwant the line %q and the rest unchanged", c.version, got, c.want)
		}
	}
}

func TestInitWritesTheWorkflow(t *testing.T) {
	example := fstest.MapFS{
		"config.yaml":       {Data: []byte("title: T\n")},
		"content/news/a.md": {Data: []byte("---\ntitle: A\n---\n")},
		Workflow:            {Data: []byte("env:\n  CIRCULATE_VERSION: latest\n")},
	}
	dir := filepath.Join(t.TempDir(), "lib")
	files, err := Init(dir, example, "v1.4.0")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(files, " "), Workflow) {
		t.Errorf("Init wrote %v, not %s", files, Workflow)
	}
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(Workflow)))
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != "env:\n  CIRCULATE_VERSION: v1.4.0\n" {
		t.Errorf("the workflow is:\n%s", data)
	}
}
