package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// axeSample is one page of each layout: the pages checked at the two
// viewport and scheme pairs that do not check every page.
var axeSample = map[string]bool{
	"/": true, "/events/": true, "/events/night-at-the-library/": true,
	"/titles/the-women/": true, "/news/holiday-hours/": true, "/tags/kids/": true,
	"/social/": true,
	// The events pages of issue 13: a series, an online event, a branch's
	// and an audience's lists, the calendars, past events.
	"/events/family-storytime-winter-tales/": true, "/events/online-talk-spotting-scams/": true,
	"/events/branch/eastside/": true, "/events/audience/kids/": true, "/events/calendars/": true,
	"/events/past/": true,
}

// axeViewports are a desktop and a phone: the theme's layout changes
// between them (navigation, cards), and so can contrast and target sizes.
var axeViewports = []struct {
	name          string
	width, height int64
	mobile        bool
}{
	{"desktop", 1280, 900, false},
	{"phone", 390, 844, true},
}

// axeRun runs axe-core on the page's WCAG 2.0, 2.1 and 2.2 A and AA rules
// and returns what the test needs of its violations.
const axeRun = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})
.then(r => ({
	incomplete: r.incomplete.map(v => v.id + ' (' + v.nodes.length + ')'),
	violations: r.violations.map(v => ({
		id: v.id, impact: v.impact || '', help: v.help,
		nodes: v.nodes.map(n => ({
			target: n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : String(t)),
			html: n.html,
		})),
	})),
}))`

type axeResult struct {
	Incomplete []string `json:"incomplete"`
	Violations []struct {
		ID     string `json:"id"`
		Impact string `json:"impact"`
		Help   string `json:"help"`
		Nodes  []struct {
			Target []string `json:"target"`
			HTML   string   `json:"html"`
		} `json:"nodes"`
	} `json:"violations"`
}

// TestAccessibility runs axe-core in headless Chromium on every page of
// the example site (not a sample: a task list in one news post had
// checkboxes without labels, issue 11), at each viewport, in light and dark
// mode (the theme has both color schemes, and each has its own contrast).
// One browser, one tab per viewport and scheme, every page loaded in turn.
func TestAccessibility(t *testing.T) {
	root := repoRoot(t)
	browser := startBrowser(t)
	axeJS, err := os.ReadFile(filepath.Join(root, "node_modules", "axe-core", "axe.min.js"))
	needTool(t, err, "npm ci --ignore-scripts")

	s := exampleSite(t, "")
	srv := httptest.NewServer(http.FileServer(http.Dir(s.Dir))) // on 127.0.0.1
	defer srv.Close()
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Fatalf("the test server is at %s; the browser lets only http://127.0.0.1 through", srv.URL)
	}
	pages := s.pages(t)

	// Every page in light mode on a desktop and in dark mode on a phone, so
	// each page is checked at both widths and in both schemes; the other
	// two pairs on one page of each layout (the theme's colors do not
	// depend on the width). That keeps CI's run within minutes.
	every := map[string]bool{"desktop/light": true, "phone/dark": true}
	for _, vp := range axeViewports {
		for _, scheme := range []string{"light", "dark"} {
			combo := vp.name + "/" + scheme
			t.Run(combo, func(t *testing.T) {
				tab, cancelTab := chromedp.NewContext(browser)
				defer cancelTab()
				// The first run opens the tab: without a timeout, which
				// would close the tab with it.
				_, err := chromedp.Run(tab, axeSetup(vp.width, vp.height, vp.mobile, scheme))
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range pages {
					if !every[combo] && !axeSample[p] {
						continue
					}
					name := strings.Trim(p, "/")
					if name == "" {
						name = "home"
					}
					t.Run(name, func(t *testing.T) {
						ctx, cancel := context.WithTimeout(tab, 30*time.Second)
						defer cancel()
						res, err := chromedp.Run(ctx, axeAction(srv.URL+p, string(axeJS)))
						if err != nil {
							t.Fatalf("%s: %v", p, err)
						}
						for _, v := range res.Violations {
							var b strings.Builder
							fmt.Fprintf(&b, "%s (%s): %s", v.ID, v.Impact, v.Help)
							for _, n := range v.Nodes {
								fmt.Fprintf(&b, "\n\t%s\n\t\t%s", strings.Join(n.Target, ", "), n.HTML)
							}
							t.Error(b.String())
						}
						if len(res.Incomplete) > 0 {
							// Not failures: axe could not decide (text over an image, say).
							t.Logf("for a person to review (axe's incomplete): %s", strings.Join(res.Incomplete, ", "))
						}
					})
				}
			})
		}
	}
	t.Logf("checked all %d pages at %s, and %d of them at the other viewport and scheme pairs", len(pages), strings.Join(slices.Sorted(maps.Keys(every)), " and "), len(axeSample))
}

// axeSetup prepares a tab: only the test server reachable, the viewport
// and the color scheme.
func axeSetup(width, height int64, mobile bool, scheme string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		var v chromedp.Void
		if err := onlyTestServer(ctx, t); err != nil {
			return v, err
		}
		if _, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		}); err != nil {
			return v, err
		}
		_, err := chromedp.EmulateViewport(width, height, func(p1 *emulation.SetDeviceMetricsOverrideParams, p2 *emulation.SetTouchEmulationEnabledParams) {
			p1.Mobile, p2.Enabled = mobile, mobile
		})(ctx, t)
		return v, err
	}
}

// axeAction loads a page in a tab set up by axeSetup and runs axe-core.
func axeAction(pageURL, axeJS string) chromedp.Action[axeResult] {
	return func(ctx context.Context, t *chromedp.Target) (axeResult, error) {
		var res axeResult
		if _, err := chromedp.Navigate(pageURL)(ctx, t); err != nil {
			return res, err
		}
		if _, err := chromedp.Evaluate[chromedp.Void](axeJS)(ctx, t); err != nil {
			return res, fmt.Errorf("loading axe-core: %w", err)
		}
		raw, err := chromedp.Evaluate[[]byte](axeRun, chromedp.EvalAwaitPromise, chromedp.EvalAsValue)(ctx, t)
		if err != nil {
			return res, fmt.Errorf("running axe-core: %w", err)
		}
		err = json.Unmarshal(raw, &res)
		return res, err
	}
}

// onlyTestServer lets the page reach the test server alone: the example's
// covers come from another host, which this machine cannot reach; blocking
// it makes those images fail at once instead of holding up the load event.
func onlyTestServer(ctx context.Context, t *chromedp.Target) error {
	if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
		return err
	}
	if _, err := cdp.Call(ctx, t, network.SetBlockedURLs, network.SetBlockedURLsParams{
		URLPatterns: []*network.BlockPattern{
			{URLPattern: "http://127.0.0.1:*/*", Block: false},
			{URLPattern: "*://*:*/*", Block: true},
		},
	}); err != nil {
		return fmt.Errorf("blocking other hosts: %w", err)
	}
	return nil
}
