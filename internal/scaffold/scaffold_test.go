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

// TestPinDocs: the guides the files init copies mention (docs/config.md)
// point to their published copies, which exist; a new site has no docs/.
func TestPinDocs(t *testing.T) {
	for _, c := range []struct{ version, ref string }{
		{"v1.2.3", "v1.2.3"},
		{"v0.0.0-20261128125000-6af4070abcde", "6af4070abcde"},
		{"v1.2.3+dirty", "main"},
		{"(devel)", "main"},
		{"", "main"},
	} {
		if got, want := DocsURL(c.version), "https://github.com/circulate-dev/circulate/blob/"+c.ref+"/docs/"; got != want {
			t.Errorf("DocsURL(%q) = %q, want %q", c.version, got, want)
		}
	}
	in := "# Every key is explained in docs/config.md.\n# (docs/publishing.md) and https://x.org/docs/a.md\n"
	want := "# Every key is explained in https://github.com/circulate-dev/circulate/blob/main/docs/config.md.\n# (https://github.com/circulate-dev/circulate/blob/main/docs/publishing.md) and https://x.org/docs/a.md\n"
	if got := string(PinDocs([]byte(in), "")); got != want {
		t.Errorf("PinDocs:\n%s\nwant:\n%s", got, want)
	}
	// Every guide the example and the bare site mention is one of ours.
	for _, f := range []string{"../../config.yaml", "../../.github/workflows/site.yml", "empty/config.yaml"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range docsRef.FindAllSubmatch(data, -1) {
			if _, err := os.Stat(filepath.Join("../../docs", string(m[2]))); err != nil {
				t.Errorf("%s mentions docs/%s, which does not exist", f, m[2])
			}
		}
	}
}
