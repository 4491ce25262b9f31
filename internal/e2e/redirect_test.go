package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// TestRedirectPages loads every redirect page of the example (an item's
// old address, from `aliases:`) in Chromium: it must send the browser on
// to the item, and pass axe while it shows. The browser's move to the item
// is caught and answered "204 No Content", which leaves the redirect page
// in the tab, so axe checks it rather than the page it leads to.
func TestRedirectPages(t *testing.T) {
	root := repoRoot(t)
	browser := startBrowser(t)
	axeJS, err := os.ReadFile(filepath.Join(root, "node_modules", "axe-core", "axe.min.js"))
	needTool(t, err, "npm ci --ignore-scripts")

	s := exampleSite(t, "")
	var pages []string
	for _, f := range s.htmlFiles(t) {
		data, err := os.ReadFile(filepath.Join(s.Dir, filepath.FromSlash(f)))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte(`http-equiv="refresh"`)) {
			pages = append(pages, f)
		}
	}
	if len(pages) == 0 {
		t.Fatal("the example has no redirect pages (an item with `aliases:`), so nothing is tested")
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(s.Dir))) // on 127.0.0.1
	defer srv.Close()

	for _, f := range pages {
		t.Run(f, func(t *testing.T) {
			tab, cancelTab := chromedp.NewContext(browser)
			defer cancelTab()
			ctx, cancel := context.WithTimeout(tab, 30*time.Second)
			defer cancel()
			left := make(chan string, 4)
			if err := holdNavigations(ctx, srv.URL, left); err != nil {
				t.Fatal(err)
			}
			pageURL := srv.URL + "/" + strings.TrimSuffix(f, "index.html")
			if _, err := chromedp.Run(ctx, chromedp.Navigate(pageURL)); err != nil {
				t.Fatal(err)
			}
			select {
			case to := <-left:
				if !strings.HasPrefix(to, "https://news.riverside-library.example.org/") {
					t.Errorf("the page sends the browser to %s", to)
				}
			case <-ctx.Done():
				t.Fatal("the page did not send the browser on")
			}
			title, err := chromedp.Run(ctx, chromedp.Evaluate[string]("document.title"))
			if err != nil || !strings.HasPrefix(title, "Moved:") {
				t.Fatalf("the tab shows %q (%v), not the redirect page", title, err)
			}
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](string(axeJS))); err != nil {
				t.Fatalf("loading axe-core: %v", err)
			}
			raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](axeRun, chromedp.EvalAwaitPromise, chromedp.EvalAsValue))
			if err != nil {
				t.Fatalf("running axe-core: %v", err)
			}
			var res axeResult
			if err := json.Unmarshal(raw, &res); err != nil {
				t.Fatal(err)
			}
			for _, v := range res.Violations {
				t.Errorf("%s (%s): %s", v.ID, v.Impact, v.Help)
			}
		})
	}
}

// holdNavigations answers every page load of the tab that is not on
// local with "204 No Content" (the browser then stays where it is) and
// sends its URL to left; local page loads go through.
func holdNavigations(ctx context.Context, local string, left chan<- string) error {
	paused := make(chan *fetch.EventRequestPaused, 16)
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*fetch.EventRequestPaused); ok {
			paused <- e
		}
	}); err != nil {
		return err
	}
	go func() {
		for {
			select {
			case e := <-paused:
				if strings.HasPrefix(e.Request.URL, local+"/") {
					_, _ = chromedp.Call(ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: e.RequestID})
					continue
				}
				_, _ = chromedp.Call(ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: e.RequestID, ResponseCode: http.StatusNoContent})
				select {
				case left <- e.Request.URL:
				default:
				}
			case <-ctx.Done():
				return
			}
		}
	}()
	_, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{
		{URLPattern: "*", ResourceType: network.ResourceTypeDocument},
	}})
	if err != nil {
		return fmt.Errorf("intercepting page loads: %w", err)
	}
	return nil
}
