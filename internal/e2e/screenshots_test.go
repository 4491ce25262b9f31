package e2e

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"

	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// -screenshots (or CIRCULATE_SCREENSHOTS=1) writes the screenshots of
// TestScreenshots into docs/images/, where docs/librarians.md shows them:
//
//	go test ./internal/e2e -run TestScreenshots -screenshots
var writeScreenshots = flag.Bool("screenshots", false, "write the screenshots of TestScreenshots to docs/images/")

// screenshots are what docs/librarians.md shows of events: the list, a
// recurring event, a branch's page and the subscribe links. sel, when set,
// takes the element alone instead of the first screen.
var screenshots = []struct {
	name, path, sel string
}{
	{"events", "/events/", ""},
	{"recurring-event", "/events/family-storytime-winter-tales/", ""},
	{"recurring-dates", "/events/family-storytime-winter-tales/", ".dates"},
	{"branch", "/events/branch/eastside/", ""},
	{"subscribe", "/events/branch/eastside/", ".calendar-box"},
}

// TestScreenshots takes the screenshots of the docs in headless Chromium,
// at 1280 and 390 pixels wide, from the example site. The normal run
// checks that each can be taken (a PNG of the width asked, not blank);
// with -screenshots they are saved in docs/images/.
func TestScreenshots(t *testing.T) {
	root := repoRoot(t)
	browser := startBrowser(t)
	s := exampleSite(t, "")
	srv := httptest.NewServer(http.FileServer(http.Dir(s.Dir)))
	defer srv.Close()
	out := t.TempDir()
	if *writeScreenshots || os.Getenv("CIRCULATE_SCREENSHOTS") == "1" {
		out = filepath.Join(root, "docs", "images")
	}
	for _, shot := range screenshots {
		for _, vp := range axeViewports {
			name := fmt.Sprintf("%s-%d.png", shot.name, vp.width)
			t.Run(name, func(t *testing.T) {
				tab, cancelTab := chromedp.NewContext(browser)
				defer cancelTab()
				ctx, cancel := context.WithTimeout(tab, 30*time.Second)
				defer cancel()
				data, err := chromedp.Run(ctx, screenshotAction(srv.URL+shot.path, shot.sel, vp.width, vp.height, vp.mobile))
				if err != nil {
					t.Fatalf("%s: %v", shot.path, err)
				}
				img, err := png.Decode(bytes.NewReader(data))
				if err != nil {
					t.Fatalf("not a PNG: %v", err)
				}
				if w := img.Bounds().Dx(); w != int(vp.width) && shot.sel == "" || w > int(vp.width) {
					t.Errorf("%d pixels wide, want %d", w, vp.width)
				}
				if blank(img) {
					t.Error("the screenshot is blank")
				}
				if err := os.WriteFile(filepath.Join(out, name), data, 0o644); err != nil {
					t.Fatal(err)
				}
			})
		}
	}
}

// screenshotAction loads the page at a width, in light mode, with only the
// test server reachable, and takes the first screen or the element sel.
func screenshotAction(pageURL, sel string, width, height int64, mobile bool) chromedp.Action[[]byte] {
	return func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		if err := onlyTestServer(ctx, t); err != nil {
			return nil, err
		}
		if _, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "light"}},
		}); err != nil {
			return nil, err
		}
		steps := chromedp.Steps(
			chromedp.EmulateViewport(width, height, func(p1 *emulation.SetDeviceMetricsOverrideParams, p2 *emulation.SetTouchEmulationEnabledParams) {
				p1.Mobile, p2.Enabled = mobile, mobile
			}),
			chromedp.Navigate(pageURL),
		)
		if _, err := steps(ctx, t); err != nil {
			return nil, err
		}
		if sel != "" {
			return chromedp.Screenshot(chromedp.CSS(sel))(ctx, t)
		}
		return chromedp.CaptureScreenshot()(ctx, t)
	}
}

// blank reports an image of one colour.
func blank(img image.Image) bool {
	b := img.Bounds()
	first := img.At(b.Min.X, b.Min.Y)
	r0, g0, b0, _ := first.RGBA()
	for y := b.Min.Y; y < b.Max.Y; y += 7 {
		for x := b.Min.X; x < b.Max.X; x += 7 {
			r, g, bb, _ := img.At(x, y).RGBA()
			if r != r0 || g != g0 || bb != b0 {
				return false
			}
		}
	}
	return true
}

// Each screenshot is in docs/images/ and shown in docs/librarians.md.
func TestScreenshotsInDocs(t *testing.T) {
	root := repoRoot(t)
	doc, err := os.ReadFile(filepath.Join(root, "docs", "librarians.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, shot := range screenshots {
		for _, vp := range axeViewports {
			name := fmt.Sprintf("%s-%d.png", shot.name, vp.width)
			if _, err := os.Stat(filepath.Join(root, "docs", "images", name)); err != nil {
				t.Errorf("%v (go test ./internal/e2e -run TestScreenshots -screenshots makes it)", err)
			}
			if !bytes.Contains(doc, []byte("](images/"+name+")")) {
				t.Errorf("docs/librarians.md does not show images/%s", name)
			}
		}
	}
}
