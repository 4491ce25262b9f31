package e2e

import (
	"context"
	"encoding/json"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/circulate-dev/circulate/generator"
	"github.com/circulate-dev/circulate/internal/config"
	"github.com/circulate-dev/circulate/internal/serve"
)

// TestServeInBrowser is issue 4's first "done when": in a headless
// Chromium tab open on `circulate serve`, an edited title shows without a
// manual reload, a broken file shows the overlay naming file and line, and
// the fix brings the page back.
func TestServeInBrowser(t *testing.T) {
	browser := startBrowser(t)
	dir := t.TempDir()
	root := repoRoot(t)
	if err := os.CopyFS(filepath.Join(dir, "content"), os.DirFS(filepath.Join(root, "content"))); err != nil {
		t.Fatal(err)
	}
	cfgData, err := os.ReadFile(filepath.Join(root, "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), cfgData, 0o644); err != nil {
		t.Fatal(err)
	}

	base := startServe(t, dir)

	tab, cancelTab := chromedp.NewContext(browser)
	defer cancelTab()
	ctx, cancel := context.WithTimeout(tab, 60*time.Second)
	defer cancel()
	// Only the preview server: the example's covers come from another
	// host, which this machine cannot reach.
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.SetBlockedURLs, network.SetBlockedURLsParams{
		URLPatterns: []*network.BlockPattern{
			{URLPattern: "http://127.0.0.1:*/*", Block: false},
			{URLPattern: "*://*:*/*", Block: true},
		},
	}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"events/knit-and-natter/")); err != nil {
		t.Fatal(err)
	}
	s := waitPage(t, ctx, "the page", func(s pageState) bool { return s.H1 != "" })
	if s.H1 != "Knit & Natter: Winter Session" || s.Overlay != "" {
		t.Fatalf("the page before any edit: %+v", s)
	}

	knit := filepath.Join(dir, "content", "events", "knit-and-natter.md")
	original, err := os.ReadFile(knit)
	if err != nil {
		t.Fatal(err)
	}
	save := func(text string) {
		t.Helper()
		if err := os.WriteFile(knit, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	save(strings.Replace(string(original), "Knit & Natter: Winter Session", "Knit & Natter: Snow Edition", 1))
	s = waitPage(t, ctx, "the new title", func(s pageState) bool { return s.H1 == "Knit & Natter: Snow Edition" })
	if s.Navigation != "reload" {
		t.Errorf("the page changed by a %q navigation, want the script's reload", s.Navigation)
	}

	save(strings.Replace(string(original), "start: 2026-12-08T14:00", "start: 2026-12-45T14:00", 1))
	s = waitPage(t, ctx, "the overlay", func(s pageState) bool { return s.Overlay != "" })
	for _, want := range []string{"The site could not be rebuilt", "content/events/knit-and-natter.md:4: start: \"2026-12-45T14:00\" is not a date"} {
		if !strings.Contains(s.Overlay, want) {
			t.Errorf("the overlay lacks %q:\n%s", want, s.Overlay)
		}
	}
	if s.Role != "alert" || !s.OverlayVisible {
		t.Errorf("the overlay: role %q, visible %v", s.Role, s.OverlayVisible)
	}
	if s.H1 != "Knit & Natter: Snow Edition" {
		t.Errorf("under the overlay: %q, want the last good page", s.H1)
	}

	save(string(original))
	waitPage(t, ctx, "the fixed page", func(s pageState) bool {
		return s.Overlay == "" && s.H1 == "Knit & Natter: Winter Session"
	})
}

// startServe serves the site in dir as `circulate serve --now
// 2026-11-28T09:00` does, until the test ends, and returns its URL.
func startServe(t *testing.T, dir string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String() + "/"
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, ny)
	build := func(ctx context.Context) (*serve.Site, error) {
		fsys := os.DirFS(dir)
		cfg, diags := config.Load(fsys)
		if diags.HasErrors() {
			return nil, &generator.BuildError{Diags: diags.Errors()}
		}
		cfg.BaseURL, _ = url.Parse(base)
		return serve.Generate(ctx, generator.Config{Site: cfg, Now: func() time.Time { return now }}, fsys, nil)
	}
	srv := serve.New(serve.Options{Build: build})
	if r := srv.Rebuild(t.Context()); r.Err != nil {
		t.Fatalf("building the example site: %v", r.Err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx, ln, dir, nil) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return base
}

// pageState is what the test reads of the tab.
type pageState struct {
	H1             string `json:"h1"`
	Overlay        string `json:"overlay"` // its text, "" when there is none
	Role           string `json:"role"`
	OverlayVisible bool   `json:"visible"`
	Navigation     string `json:"navigation"` // how the page was last loaded: "navigate", "reload"
}

const readPage = `JSON.stringify((() => {
	const h1 = document.querySelector("main h1"), o = document.getElementById("circulate-overlay");
	const r = o && o.getBoundingClientRect();
	return {
		h1: h1 ? h1.textContent.trim() : "",
		overlay: o ? o.innerText : "",
		role: o ? o.getAttribute("role") : "",
		visible: !!r && r.width > 0 && r.height > 0 && getComputedStyle(o).position === "fixed",
		navigation: performance.getEntriesByType("navigation")[0]?.type || "",
	};
})())`

// waitPage reads the tab until ok, for up to 10 s, as a person would look
// at it; reads during a reload fail and are retried.
func waitPage(t *testing.T, ctx context.Context, what string, ok func(pageState) bool) pageState {
	t.Helper()
	start := time.Now()
	deadline := start.Add(10 * time.Second)
	var last pageState
	var lastErr error
	for time.Now().Before(deadline) {
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](readPage))
		if err == nil {
			var s pageState
			if err = json.Unmarshal([]byte(raw), &s); err == nil {
				if ok(s) {
					t.Logf("%s: %s", what, time.Since(start).Round(time.Millisecond))
					return s
				}
				last = s
			}
		}
		lastErr = err
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("waiting 10s for %s: the tab shows %+v (last error: %v)", what, last, lastErr)
	return last
}
