package circulate

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeWhatIsWhere: README's "What is where" table names only paths
// that exist, and every folder of the repository (and every package under
// internal/) is in it, so the table follows the tree.
func TestReadmeWhatIsWhere(t *testing.T) {
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "## What is where")
	if !ok {
		t.Fatal("README has no What is where")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	named := map[string]bool{}
	for _, line := range strings.Split(section, "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		first := strings.Split(line, "|")[1]
		for _, m := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(first, -1) {
			p := strings.TrimSuffix(m[1], "/")
			named[p] = true
			if _, err := os.Stat(filepath.FromSlash(p)); err != nil {
				t.Errorf("the table names %s, which does not exist", m[1])
			}
		}
	}
	var want []string
	entries, _ := os.ReadDir(".")
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") && e.Name() != "node_modules" && e.Name() != "public" {
			want = append(want, e.Name())
		}
	}
	internal, _ := os.ReadDir("internal")
	for _, e := range internal {
		if e.IsDir() {
			want = append(want, "internal/"+e.Name())
		}
	}
	for _, w := range want {
		if named[w] {
			continue
		}
		// A folder whose parent is named stands for itself: cmd/circulate
		// for cmd, themes/default for themes.
		found := false
		for n := range named {
			if strings.HasPrefix(n, w+"/") {
				found = true
			}
		}
		if !found {
			t.Errorf("README's What is where does not mention %s/", w)
		}
	}
}
