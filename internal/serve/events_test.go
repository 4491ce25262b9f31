package serve

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// sse reads the data lines of an event stream.
type sse struct {
	res   *http.Response
	lines chan string
}

func openEvents(t *testing.T, url string) *sse {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	s := &sse{res: res, lines: make(chan string, 16)}
	go func() {
		defer close(s.lines)
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			if d, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				s.lines <- d
			}
		}
	}()
	t.Cleanup(func() { res.Body.Close() })
	return s
}

// next is the next message, or "" when the stream ended or nothing came.
func (s *sse) next(t *testing.T, within time.Duration) string {
	t.Helper()
	select {
	case d, ok := <-s.lines:
		if !ok {
			return "(closed)"
		}
		return d
	case <-time.After(within):
		return ""
	}
}

func TestEventStream(t *testing.T) {
	s := serverWith(t, testFiles(), nil)
	ts := httptest.NewServer(s)
	defer ts.Close()

	a := openEvents(t, ts.URL+ReloadPath)
	if ct := a.res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("Content-Type %q", ct)
	}
	s.mu.RLock()
	v := s.version
	s.mu.RUnlock()
	if got := a.next(t, 5*time.Second); got != "version "+v {
		t.Fatalf("first message %q, want %q", got, "version "+v)
	}
	b := openEvents(t, ts.URL+ReloadPath)
	b.next(t, 5*time.Second)

	// A good build and a failed one both make every page reload.
	if n := s.update(&Site{Files: testFiles()}, nil); n != 2 {
		t.Errorf("told %d pages, want 2", n)
	}
	for _, c := range []*sse{a, b} {
		if got := c.next(t, 5*time.Second); got != "reload" {
			t.Errorf("after a build: %q, want reload", got)
		}
	}
	s.update(nil, context.DeadlineExceeded)
	if got := a.next(t, 5*time.Second); got != "reload" {
		t.Errorf("after a failed build: %q, want reload", got)
	}

	// A page that connects later learns the version, which its script
	// compares with its own.
	c := openEvents(t, ts.URL+ReloadPath)
	if got := c.next(t, 5*time.Second); got == "version "+v || !strings.HasPrefix(got, "version ") {
		t.Errorf("after two builds, a new stream starts with %q; want a version other than %q", got, v)
	}

	// Stopping the server ends the streams, so Shutdown need not wait.
	s.hub.close()
	for _, c := range []*sse{a, b, c} {
		got := c.next(t, 5*time.Second)
		for got == "reload" { // b has not read its last one
			got = c.next(t, 5*time.Second)
		}
		if got != "(closed)" {
			t.Errorf("after close: %q, want the stream to end", got)
		}
	}
}

func TestReloadScriptComparesVersion(t *testing.T) {
	got := string(scriptHTML("abc-3"))
	for _, want := range []string{`var version = "abc-3";`, `new EventSource("/_circulate/reload")`, "location.reload()", `e.data === "reload"`} {
		if !strings.Contains(got, want) {
			t.Errorf("the script lacks %q:\n%s", want, got)
		}
	}
}
