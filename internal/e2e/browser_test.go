package e2e

import (
	"context"
	"os/exec"
	"testing"

	"github.com/chromedp/chromedp"
)

// startBrowser starts Debian's headless Chromium, as CI installs it, with a
// fresh profile, and returns its context; tabs are chromedp.NewContext of
// it. It skips the test when Chromium is missing (fails with CIRCULATE_E2E=1).
// TestAccessibility starts its browser the same way, inline.
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		chromium, err = "/usr/bin/chromium", fileIn("/usr/bin/chromium", "chromium")
	}
	needTool(t, err, "apt-get install chromium")
	// The flags keep it off the network (the machine has none) and out of
	// any profile.
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.Flag("headless", "new"),
		chromedp.NoSandbox, // CI runs as root
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browser, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc() })
	// Start the browser now, without a timeout: one on this first run
	// would end the browser with it.
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("starting %s: %v", chromium, err)
	}
	return browser
}
