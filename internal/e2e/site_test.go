package e2e

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/circulate-dev/circulate/generator"
	"github.com/circulate-dev/circulate/internal/config"
	"github.com/circulate-dev/circulate/internal/sitefs"
)

// buildRoot holds every build of this test binary. It is made by TestMain
// rather than t.TempDir because the builds are shared between tests and a
// t.TempDir is removed when the test that made it ends.
var buildRoot string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "circulate-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	buildRoot = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// repoRoot is the folder with go.mod above the package folder: the example
// site lives there.
func repoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's folder: cannot find the example site")
		}
		dir = parent
	}
}

// site is one build of the example site.
type site struct {
	Dir  string   // the output folder
	Base *url.URL // the base URL it was built for (ends in "/")
}

type buildOnce struct {
	n    int // names the output folder
	once sync.Once
	site *site
	err  error
}

var (
	buildsMu sync.Mutex
	builds   = map[string]*buildOnce{}
)

// exampleSite builds the example site once per base URL per test binary
// ("" keeps base_url from config.yaml) and returns it. A failed build fails
// every test that asks for it, with the generator's diagnostics.
func exampleSite(t testing.TB, baseURL string) *site {
	t.Helper()
	buildsMu.Lock()
	b := builds[baseURL]
	if b == nil {
		b = &buildOnce{n: len(builds)}
		builds[baseURL] = b
	}
	buildsMu.Unlock()
	b.once.Do(func() { b.site, b.err = buildSite(repoRoot(t), baseURL, b.n) })
	if b.err != nil {
		t.Fatalf("building the example site (base URL %q): %v", baseURL, b.err)
	}
	return b.site
}

// buildSite does what `circulate build --now 2026-11-28T09:00` does, into a
// fresh folder under buildRoot. The fixed date keeps upcoming and past
// events, and so the pages, the same from run to run.
func buildSite(root, baseURL string, n int) (*site, error) {
	// As the command line reads a site: nothing outside its folder.
	fsys, closeFS, err := sitefs.Open(root)
	if err != nil {
		return nil, err
	}
	defer closeFS()
	cfg, diags := config.Load(fsys)
	if diags.HasErrors() {
		return nil, fmt.Errorf("config.yaml: %v", diags.Errors())
	}
	// All three networks, so that the social box is full (issue 12).
	cfg.Social.Mastodon.Enabled, cfg.Social.Mastodon.Server, cfg.Social.Mastodon.Handle = true, "https://mastodon.example", "riversidelib"
	cfg.Social.Bluesky.Enabled, cfg.Social.Bluesky.Handle = true, "riversidelib.bsky.social"
	if baseURL != "" {
		u, err := url.Parse(baseURL)
		if err != nil {
			return nil, err
		}
		cfg.BaseURL = u
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		return nil, err
	}
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, ny)
	dir := filepath.Join(buildRoot, fmt.Sprintf("site%d", n))
	out, err := generator.NewDirOutput(dir)
	if err != nil {
		return nil, err
	}
	// Posts as the ledger gives them, so the social box is checked too
	// (issue #3): links, an ampersand and an emoji in the text.
	posts := []generator.Post{
		generator.NewPost("Family Storytime: Winter Tales, Saturday 10:30 & songs 📚 https://news.riverside-library.example.org/events/family-storytime-winter-tales/",
			"https://x.com/RiversideLib/status/1850000000000000002", "events/family-storytime-winter-tales", now.Add(-time.Hour)),
		generator.NewPost("New on our shelves: The Women by Kristin Hannah https://news.riverside-library.example.org/titles/the-women/",
			"https://x.com/RiversideLib/status/1850000000000000001", "titles/the-women", now.Add(-26*time.Hour)),
		// Read from the accounts' timelines, as written by hand: link
		// text cut short, an image described by its alt text, a line
		// break, a long word.
		generator.NewPostParts("mastodon", "https://mastodon.example/@riversidelib/113000000000000001", now.Add(-30*time.Minute), []generator.PostPart{
			{Text: "Our spring book sale starts Saturday!\nHardcovers $2, paperbacks $1 — all proceeds to the Friends of the Library. "},
			{Text: "news.riverside-library.example…", Link: "https://news.riverside-library.example.org/news/holiday-hours/"},
			{Text: " "}, {Text: "#books", Link: "https://mastodon.example/tags/books"},
		}, []string{"Tables of books under a banner reading Book Sale"}),
		generator.NewPostParts("bluesky", "https://bsky.app/profile/riversidelib.bsky.social/post/3kxyz2abcde22", now.Add(-2*time.Hour), []generator.PostPart{
			{Text: "Seed swap this weekend 🌱 bring seeds, take seeds: "},
			{Text: "news.riverside-library.example.org/titles/the-wo...", Link: "https://news.riverside-library.example.org/titles/the-women/"},
		}, nil),
		generator.NewPostParts("bluesky", "https://bsky.app/profile/riversidelib.bsky.social/post/3kxyz2abcde23", now.Add(-50*time.Hour), []generator.PostPart{
			{Text: "Supercalifragilisticexpialidociousantidisestablishmentarianism week: the longest words in the catalogue."},
		}, nil),
		generator.NewPostParts("mastodon", "https://mastodon.example/@riversidelib/113000000000000002", now.Add(-74*time.Hour), []generator.PostPart{
			{Text: "Thank you to everyone who came to the author talk!"},
		}, []string{"", "A full reading room"}),
	}
	gs, err := generator.Load(context.Background(), generator.Config{Site: cfg, Now: func() time.Time { return now }}, fsys)
	res := gs.Result
	if err == nil {
		res, err = gs.Render(context.Background(), posts, out)
	}
	if err != nil {
		_ = out.Abort()
		if res != nil && len(res.Diags) > 0 {
			return nil, fmt.Errorf("%w\n%s", err, res.Diags.Error())
		}
		return nil, err
	}
	if err := out.Commit(); err != nil {
		return nil, err
	}
	return &site{Dir: dir, Base: cfg.BaseURL}, nil
}

// htmlFiles lists the site's HTML files, slash-separated and relative to
// its folder, sorted.
func (s *site) htmlFiles(t testing.TB) []string {
	t.Helper()
	var files []string
	err := fs.WalkDir(os.DirFS(s.Dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && filepath.Ext(p) == ".html" {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("the build has no HTML files")
	}
	sort.Strings(files)
	return files
}

// needTool skips the test when an external tool is missing, or fails it
// when CIRCULATE_E2E=1: CI installs the tools, so there a missing one is a
// broken CI setup, not a reason to pass.
func needTool(t testing.TB, err error, install string) {
	t.Helper()
	if err == nil {
		return
	}
	msg := fmt.Sprintf("%v (install: %s)", err, install)
	if os.Getenv("CIRCULATE_E2E") == "1" {
		t.Fatal(msg + "; CIRCULATE_E2E=1, so this fails instead of skipping")
	}
	t.Skip(msg + "; set CIRCULATE_E2E=1 to make this a failure")
}

// fileIn checks that the file at path exists; the error names what it is.
func fileIn(path, what string) error {
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s not found at %s", what, path)
		}
		return err
	}
	return nil
}

// pages lists the URL paths of the site's pages: every HTML file but the
// redirect pages of old addresses, which send the browser on at once.
func (s *site) pages(t testing.TB) []string {
	t.Helper()
	var paths []string
	for _, f := range s.htmlFiles(t) {
		data, err := os.ReadFile(filepath.Join(s.Dir, filepath.FromSlash(f)))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), `http-equiv="refresh"`) {
			continue
		}
		p := "/" + strings.TrimSuffix(f, "index.html")
		// Paths of tag pages keep their letters: the browser encodes them.
		paths = append(paths, (&url.URL{Path: p}).EscapedPath())
	}
	return paths
}
