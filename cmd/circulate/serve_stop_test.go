//go:build unix

package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/circulate-dev/circulate/internal/serve"
)

// TestServeStopsOnCtrlC sends Ctrl-C (SIGINT) to a `circulate serve`
// process while a browser would hold connections open: a page's reload
// stream, a kept-alive connection, and one opened ahead and never used
// (Chromium preconnects), with a rebuild just started. serve must end by
// itself, with exit code 0, without waiting for any of them to close
// (issue 11: serve stops within a second of Ctrl-C). The connections stay
// open until the process is gone, so a serve that waited for them would
// never stop; the test's limit is a watchdog, not the measure, which is
// logged.
func TestServeStopsOnCtrlC(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the program")
	}
	bin := buildBinary(t, t.TempDir())
	dir := exampleCopy(t)
	cmd := exec.Command(bin, "serve", "--source", dir, "--port", "0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	defer func() {
		select {
		case <-done:
		default:
			cmd.Process.Kill()
		}
	}()

	lines := bufio.NewScanner(stdout)
	var siteURL string
	for lines.Scan() {
		if m := servingLine.FindStringSubmatch(lines.Text()); m != nil {
			siteURL = m[1]
			break
		}
	}
	if siteURL == "" {
		t.Fatalf("serve printed no address; stderr:\n%s", stderr.String())
	}
	go io.Copy(io.Discard, stdout)
	host := strings.TrimSuffix(strings.TrimPrefix(siteURL, "http://"), "/")

	// A page's reload stream, read until the server ends it.
	res, err := http.Get(strings.TrimSuffix(siteURL, "/") + serve.ReloadPath)
	if err != nil {
		t.Fatal(err)
	}
	streamEnded := make(chan struct{})
	go func() {
		io.Copy(io.Discard, res.Body)
		close(streamEnded)
	}()
	// A kept-alive connection, idle after a page.
	client := &http.Client{Transport: &http.Transport{}}
	if r, err := client.Get(siteURL); err != nil {
		t.Fatal(err)
	} else {
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	// A connection opened ahead and never used.
	idle, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()

	// A save, then Ctrl-C while the rebuild may be running.
	if err := os.WriteFile(filepath.Join(dir, "content", "news", "ctrl-c.md"), []byte("---\ntitle: Ctrl-C\ndate: 2026-11-01\n---\nText.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		t.Logf("serve stopped %s after Ctrl-C", time.Since(start).Round(time.Millisecond))
		if err != nil {
			t.Errorf("serve ended with %v after Ctrl-C; stderr:\n%s", err, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("serve did not stop after Ctrl-C while a browser held connections open; stderr:\n%s", stderr.String())
	}
	select {
	case <-streamEnded:
	case <-time.After(time.Second):
		t.Error("the reload stream is still open after serve ended")
	}
	if strings.Contains(stderr.String(), "error") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
}
