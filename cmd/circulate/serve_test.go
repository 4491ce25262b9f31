package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/circulate-dev/circulate/internal/fakex"
)

// lockedBuffer is an output the server goroutine writes while the test
// reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// served is a `circulate serve` running in-process.
type served struct {
	url            string // "http://127.0.0.1:PORT/"
	stdout, stderr *lockedBuffer
	stop           func() error // cancels, as Ctrl-C does, and returns run's error
}

// exampleCopy copies the example library into a temp folder.
func exampleCopy(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "content"), os.DirFS("../../content")); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("../../config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "config.yaml"), string(data))
	return dir
}

func writeFile(t *testing.T, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

var servingLine = regexp.MustCompile(`serving .* at (http://\S+) \(Ctrl-C to stop\)`)

// startServe runs `circulate serve --port 0` on dir and waits until it
// prints its address.
func startServe(t *testing.T, dir string, args ...string) *served {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &served{stdout: &lockedBuffer{}, stderr: &lockedBuffer{}}
	e := &env{stdout: s.stdout, stderr: s.stderr, getenv: func(string) string { return "" }}
	done := make(chan error, 1)
	go func() {
		done <- runEnv(ctx, append([]string{"serve", "--source", dir, "--port", "0"}, args...), e)
	}()
	var once sync.Once
	var runErr error
	s.stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case runErr = <-done:
			case <-time.After(10 * time.Second):
				runErr = errors.New("serve did not stop within 10s of Ctrl-C")
			}
		})
		return runErr
	}
	t.Cleanup(func() { s.stop() })
	deadline := time.Now().Add(15 * time.Second)
	for {
		if m := servingLine.FindStringSubmatch(s.stdout.String()); m != nil {
			s.url = m[1]
			return s
		}
		select {
		case err := <-done:
			t.Fatalf("serve returned before serving: %v\nstdout:\n%s\nstderr:\n%s", err, s.stdout, s.stderr)
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve printed no address within 15s\nstdout:\n%s\nstderr:\n%s", s.stdout, s.stderr)
		}
	}
}

// get fetches a page of the served site.
func (s *served) get(t *testing.T, path string) (int, string, string) {
	t.Helper()
	res, err := http.Get(strings.TrimSuffix(s.url, "/") + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, res.Header.Get("Content-Type"), string(body)
}

// reloads is a page's view of the reload stream: what it would react to.
type reloads struct{ msgs chan string }

func (s *served) listen(t *testing.T) *reloads {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", strings.TrimSuffix(s.url, "/")+"/_circulate/reload", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r := &reloads{msgs: make(chan string, 16)}
	go func() {
		defer close(r.msgs)
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			if d, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				r.msgs <- d
			}
		}
	}()
	t.Cleanup(func() { cancel(); res.Body.Close() })
	if v := r.next(t); !strings.HasPrefix(v, "version ") {
		t.Fatalf("the stream starts with %q, want the version", v)
	}
	return r
}

// next waits up to 10 s for the next message.
func (r *reloads) next(t *testing.T) string {
	t.Helper()
	select {
	case m, ok := <-r.msgs:
		if !ok {
			return "(closed)"
		}
		return m
	case <-time.After(10 * time.Second):
		t.Fatal("no reload signal within 10s")
		return ""
	}
}

func (r *reloads) wait(t *testing.T, what string) {
	t.Helper()
	if m := r.next(t); m != "reload" {
		t.Fatalf("after %s: %q, want reload", what, m)
	}
}

// until waits for reload signals until the page at path satisfies ok, and
// returns it. An editor's save can come as two bursts of events (say,
// truncate, then write); the page must be right after the last signal.
func (s *served) until(t *testing.T, r *reloads, what, path string, ok func(status int, body string) bool) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		r.wait(t, what)
		status, _, body := s.get(t, path)
		if ok(status, body) {
			return body
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %s, %s is still not as expected: %d\n%s", what, path, status, body)
		}
	}
}

func has(want string) func(int, string) bool {
	return func(_ int, body string) bool { return strings.Contains(body, want) }
}

const knit = "content/events/knit-and-natter.md"

func TestServe(t *testing.T) {
	dir := exampleCopy(t)
	at := func(p string) string { return filepath.Join(dir, filepath.FromSlash(p)) }
	s := startServe(t, dir, "--now", "2026-11-28T09:00", "-v")
	if !strings.HasPrefix(s.url, "http://127.0.0.1:") || strings.HasSuffix(s.url, ":0/") {
		t.Fatalf("serving at %s; want 127.0.0.1 and the port picked", s.url)
	}
	if !strings.Contains(s.stdout.String(), "serving Riverside Public Library — News at ") {
		t.Errorf("stdout: %s", s.stdout)
	}

	status, ctype, body := s.get(t, "/events/knit-and-natter/")
	if status != 200 || ctype != "text/html; charset=utf-8" || !strings.Contains(body, "<h1>Knit &amp; Natter: Winter Session</h1>") {
		t.Fatalf("the event page: %d %s\n%s", status, ctype, body)
	}
	if !strings.Contains(body, "/_circulate/reload") || strings.Index(body, "/_circulate/reload") > strings.LastIndex(body, "</body>") {
		t.Error("the page has no reload script before </body>")
	}
	for path, want := range map[string]string{
		"/feed.xml": "application/xml; charset=utf-8", "/events.ics": "text/calendar; charset=utf-8",
		"/feed.json": "application/json; charset=utf-8", "/css/style.css": "text/css; charset=utf-8",
	} {
		if status, ctype, body := s.get(t, path); status != 200 || ctype != want || strings.Contains(body, "_circulate") {
			t.Errorf("%s: %d %s (reload script in it: %v)", path, status, ctype, strings.Contains(body, "_circulate"))
		}
	}
	if status, _, body := s.get(t, "/no-such-page/"); status != 404 || !strings.Contains(body, "/_circulate/reload") {
		t.Errorf("a missing page: %d, want the site's 404 page with status 404", status)
	}
	// Built for the preview's address, so feed links stay on it.
	if _, _, body := s.get(t, "/feed.xml"); !strings.Contains(body, s.url+"events/knit-and-natter/") {
		t.Errorf("the feed's links do not point at the preview (%s)", s.url)
	}

	page := s.listen(t)
	original, err := os.ReadFile(at(knit))
	if err != nil {
		t.Fatal(err)
	}

	t.Run("edit", func(t *testing.T) {
		writeFile(t, at(knit), strings.Replace(string(original), "Knit & Natter: Winter Session", "Knit & Natter: Snow Edition", 1))
		s.until(t, page, "an edit", "/events/knit-and-natter/", has("Knit &amp; Natter: Snow Edition"))
		if !regexp.MustCompile(`rebuilt in \d+ms \(changed: content/events/knit-and-natter\.md\); reload signal \d+ms after the change, to 1 open page\n`).MatchString(s.stdout.String()) {
			t.Errorf("-v does not report the rebuild:\n%s", s.stdout)
		}
	})

	t.Run("broken file shows the overlay", func(t *testing.T) {
		broken := strings.Replace(string(original), "start: 2026-12-08T14:00", "start: 2026-12-45T14:00", 1)
		writeFile(t, at(knit), broken)
		body := s.until(t, page, "a broken save", "/events/knit-and-natter/", has("circulate-overlay"))
		for _, want := range []string{`role="alert"`, "The site could not be rebuilt", "content/events/knit-and-natter.md:4</code>: start: &#34;2026-12-45T14:00&#34; is not a date",
			"Knit &amp; Natter: Snow Edition"} { // the last good page stays
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
		if _, _, body := s.get(t, "/"); !strings.Contains(body, "content/events/knit-and-natter.md:4") {
			t.Error("another page has no overlay")
		}
		if !strings.Contains(s.stderr.String(), at(knit)[len(dir)+1:]+":4:8: error: start:") {
			t.Errorf("the terminal does not show the problem:\n%s", s.stderr)
		}

		writeFile(t, at(knit), string(original))
		body = s.until(t, page, "the fix", "/events/knit-and-natter/", has("Knit &amp; Natter: Winter Session"))
		if strings.Contains(body, "circulate-overlay") {
			t.Error("the overlay stays after the fix")
		}
	})

	t.Run("folders made after start", func(t *testing.T) {
		writeFile(t, at("content/events/2027/lantern-walk.md"), "---\ntitle: Lantern Walk\ndate: 2026-11-20\nstart: 2027-01-10T17:00\nlocation: Riverside Park\n---\nBring a lantern.\n")
		s.until(t, page, "a new folder with an event", "/events/lantern-walk/", func(status int, body string) bool {
			return status == 200 && strings.Contains(body, "Lantern Walk")
		})
		// The new folder is watched: editing the file in it rebuilds too.
		writeFile(t, at("content/events/2027/lantern-walk.md"), "---\ntitle: Lantern Walk by the River\ndate: 2026-11-20\nstart: 2027-01-10T17:00\nlocation: Riverside Park\n---\nBring a lantern.\n")
		s.until(t, page, "an edit in the new folder", "/events/lantern-walk/", has("Lantern Walk by the River"))

		writeFile(t, at("static/img/new/map.svg"), `<svg xmlns="http://www.w3.org/2000/svg"/>`)
		s.until(t, page, "a new static folder", "/img/new/map.svg", func(status int, _ string) bool { return status == 200 })
		if _, ctype, _ := s.get(t, "/img/new/map.svg"); ctype != "image/svg+xml" {
			t.Errorf("/img/new/map.svg: %s", ctype)
		}
	})

	t.Run("save by rename", func(t *testing.T) {
		for _, title := range []string{"First Rename", "Second Rename"} {
			tmp := at("content/events/.knit-and-natter.md.swp-save")
			writeFile(t, tmp, strings.Replace(string(original), "Knit & Natter: Winter Session", title, 1))
			if err := os.Rename(tmp, at(knit)); err != nil {
				t.Fatal(err)
			}
			s.until(t, page, "a save by rename", "/events/knit-and-natter/", has(title))
		}
		if strings.Contains(s.stdout.String(), ".swp-save") {
			t.Errorf("the editor's temporary file is reported as a change:\n%s", s.stdout)
		}
	})

	t.Run("config", func(t *testing.T) {
		cfg, _ := os.ReadFile(at("config.yaml"))
		writeFile(t, at("config.yaml"), strings.Replace(string(cfg), "title: Riverside Public Library — News", "title: Riverside Library Preview", 1))
		s.until(t, page, "a config change", "/", has("<title>Riverside Library Preview</title>"))
		writeFile(t, at("config.yaml"), strings.Replace(string(cfg), "timezone: America/New_York", "timezone: America/Riverside", 1))
		s.until(t, page, "a broken config", "/", has("config.yaml:"))
		writeFile(t, at("config.yaml"), string(cfg))
		s.until(t, page, "the config's fix", "/", func(_ int, body string) bool { return !strings.Contains(body, "circulate-overlay") })
	})

	t.Run("edits that change nothing of the site", func(t *testing.T) {
		// Let any rebuild of the last save finish first.
		for quiet := false; !quiet; {
			select {
			case <-page.msgs:
			case <-time.After(300 * time.Millisecond):
				quiet = true
			}
		}
		writeFile(t, at("content/events/.knit-and-natter.md.swp"), "vim swap")
		writeFile(t, at("public/index.html"), "old output")
		writeFile(t, at("README.md"), "notes")
		select {
		case m := <-page.msgs:
			t.Errorf("got %q for files that are not the site's", m)
		case <-time.After(300 * time.Millisecond):
		}
	})

	// Ctrl-C: run returns nil, the page's stream ends, the port is free.
	if err := s.stop(); err != nil {
		t.Fatalf("serve after Ctrl-C: %v", err)
	}
	if m := page.next(t); m != "(closed)" {
		t.Errorf("after Ctrl-C the reload stream got %q, want it closed", m)
	}
	host := strings.TrimSuffix(strings.TrimPrefix(s.url, "http://"), "/")
	if c, err := net.DialTimeout("tcp", host, time.Second); err == nil {
		c.Close()
		t.Error("the server still accepts connections after Ctrl-C")
	}
}

func TestServeDraftsAndNow(t *testing.T) {
	dir := exampleCopy(t)
	writeFile(t, filepath.Join(dir, "content/news/new-wing.md"), "---\ntitle: The New Wing Opens\ndate: 2026-11-20\ndraft: true\n---\nSoon.\n")
	writeFile(t, filepath.Join(dir, "content/news/spring-sale.md"), "---\ntitle: Spring Book Sale\ndate: 2027-03-01\n---\nSoon.\n")

	plain := startServe(t, dir, "--now", "2026-11-28T09:00")
	if status, _, _ := plain.get(t, "/news/new-wing/"); status != 404 {
		t.Errorf("a draft without --drafts: %d, want 404", status)
	}
	if status, _, _ := plain.get(t, "/news/spring-sale/"); status != 404 {
		t.Errorf("a future item: %d, want 404", status)
	}

	drafts := startServe(t, dir, "--now", "2026-11-28T09:00", "--drafts")
	if status, _, body := drafts.get(t, "/news/new-wing/"); status != 200 || !strings.Contains(body, "Draft") {
		t.Errorf("a draft with --drafts: %d, marked Draft: %v", status, strings.Contains(body, "Draft"))
	}

	later := startServe(t, dir, "--now", "2027-03-02")
	if status, _, _ := later.get(t, "/news/spring-sale/"); status != 200 {
		t.Errorf("--now after the item's date: %d, want 200", status)
	}
	for _, s := range []*served{plain, drafts, later} {
		if err := s.stop(); err != nil {
			t.Error(err)
		}
	}
}

func TestServeBrokenFromTheStart(t *testing.T) {
	dir := exampleCopy(t)
	knitFile := filepath.Join(dir, filepath.FromSlash(knit))
	good, _ := os.ReadFile(knitFile)
	writeFile(t, knitFile, strings.Replace(string(good), "start: ", "strat: ", 1))
	s := startServe(t, dir)
	if !strings.Contains(s.stderr.String(), "could not be built") {
		t.Errorf("stderr: %s", s.stderr)
	}
	page := s.listen(t)
	if status, _, body := s.get(t, "/events/"); status != 503 || !strings.Contains(body, "content/events/knit-and-natter.md:") {
		t.Errorf("before any good build: %d\n%s", status, body)
	}
	writeFile(t, knitFile, string(good))
	s.until(t, page, "the fix", "/events/", func(status int, body string) bool {
		return status == 200 && !strings.Contains(body, "circulate-overlay")
	})
	if !strings.Contains(s.stdout.String(), "rebuilt: the problems are fixed") {
		t.Errorf("stdout: %s", s.stdout)
	}
}

func TestServeUsage(t *testing.T) {
	dir := exampleCopy(t)
	var stdout, stderr bytes.Buffer
	e := &env{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
	err := runEnv(t.Context(), []string{"serve", "--source", dir, "--port", "0", "--now", "next tuesday"}, e)
	if code := exitCode(err, &stderr); code != exitUsage || !strings.Contains(stderr.String(), `--now "next tuesday" is not a time`) {
		t.Errorf("a bad --now: exit %d\n%s", code, stderr.String())
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	stderr.Reset()
	err = runEnv(t.Context(), []string{"serve", "--source", dir, "--port", strings.TrimPrefix(ln.Addr().String(), "127.0.0.1:")}, e)
	if code := exitCode(err, &stderr); code != exitBuild || !strings.Contains(stderr.String(), "--port (0 picks a free one)") {
		t.Errorf("port %d in use: exit %d\n%s", port, code, stderr.String())
	}

	stdout.Reset()
	if err := runEnv(t.Context(), []string{"serve", "-h"}, e); exitCode(err, &stderr) != 0 || !strings.Contains(stdout.String(), "-port port") {
		t.Errorf("serve -h:\n%s", stdout.String())
	}
}

// TestBuildHasNoReloadScript: the reload script and the overlay exist only
// in serve's responses, never in what `circulate build` writes.
func TestBuildHasNoReloadScript(t *testing.T) {
	dir := exampleCopy(t)
	out := filepath.Join(t.TempDir(), "public")
	var stdout, stderr bytes.Buffer
	e := &env{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
	if err := runEnv(t.Context(), []string{"build", "--source", dir, "--out", out, "--now", "2026-11-28T09:00", "--no-publish"}, e); err != nil {
		t.Fatalf("build: %v\n%s", err, stderr.String())
	}
	n := 0
	err := filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		n++
		for _, s := range []string{"_circulate", "EventSource", "circulate-overlay", "data-circulate-serve"} {
			if bytes.Contains(data, []byte(s)) {
				t.Errorf("%s holds %q", p, s)
			}
		}
		return nil
	})
	if err != nil || n < 50 {
		t.Fatalf("walking the build (%d files): %v", n, err)
	}
}

// TestServeMovedRedirect: an item renamed after it was posted keeps its
// old address as a redirect page in the preview, as in the built site
// (the post links there), also after it is renamed again while serving.
func TestServeMovedRedirect(t *testing.T) {
	dir := t.TempDir()
	at := func(p string) string { return filepath.Join(dir, filepath.FromSlash(p)) }
	writeFile(t, at("config.yaml"), "title: Test Library\nbase_url: https://news.test-library.org/\ntimezone: America/New_York\nsocial:\n  x:\n    enabled: true\n    handle: RiversideLib\n")
	writeFile(t, at("content/news/old.md"), "---\ntitle: Old news\ndate: 2026-01-05\n---\nOld.\n")

	// The ledger comes from real runs against the fake X: the first
	// records the items there are, the second posts the new one.
	x := fakex.New(t, fakeCreds)
	vars := map[string]string{"CI": "true"}
	for _, kv := range x.Env() {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	build := func() {
		t.Helper()
		var stdout, stderr bytes.Buffer
		e := &env{stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return vars[k] }}
		if err := runEnv(t.Context(), []string{"build", "--source", dir}, e); err != nil {
			t.Fatalf("build: %v\n%s%s", err, stdout.String(), stderr.String())
		}
	}
	build()
	sale := "---\ntitle: Book sale\ndate: " + time.Now().Add(-time.Hour).UTC().Format(time.RFC3339) + "\n---\nSaturday, in the hall.\n"
	writeFile(t, at("content/news/old-name.md"), sale)
	build()
	if n := len(x.Posts()); n != 1 {
		t.Fatalf("the fake X has %d posts, want the sale's 1", n)
	}
	if err := os.Rename(at("content/news/old-name.md"), at("content/news/new-name.md")); err != nil {
		t.Fatal(err)
	}

	s := startServe(t, dir)
	redirects := func(body, to string) bool {
		return strings.Contains(body, `http-equiv="refresh" content="0; url=`+s.url+to+`"`)
	}
	if status, _, body := s.get(t, "/news/old-name/"); status != 200 || !redirects(body, "news/new-name/") {
		t.Fatalf("/news/old-name/ of the renamed posted item: %d, want its redirect page to /news/new-name/\n%s", status, body)
	}
	if status, _, body := s.get(t, "/news/new-name/"); status != 200 || !strings.Contains(body, "Book sale") {
		t.Fatalf("/news/new-name/: %d\n%s", status, body)
	}

	// Renamed again while serving: the rebuild finds the old address's
	// new item (the ledger still knows it as news/old-name).
	page := s.listen(t)
	if err := os.Rename(at("content/news/new-name.md"), at("content/news/newer-name.md")); err != nil {
		t.Fatal(err)
	}
	s.until(t, page, "the second rename", "/news/old-name/", func(status int, body string) bool {
		return status == 200 && redirects(body, "news/newer-name/")
	})
	if err := s.stop(); err != nil {
		t.Error(err)
	}
}

// A damaged post ledger leaves the preview without the redirect pages of
// renamed items and without the social box: serve says so, with the
// ledger's file and line and the fix, as build does, instead of serving a
// site that silently differs from the live one.
func TestServeDamagedLedger(t *testing.T) {
	dir := exampleCopy(t)
	writeFile(t, filepath.Join(dir, ".circulate", "ledger.json"), "{\n  \"version\": 2,\n  oops\n}\n")
	s := startServe(t, dir)
	stderr := s.stderr.String()
	for _, want := range []string{".circulate/ledger.json:3", "the post ledger is damaged", "no redirect pages for renamed items", "git checkout -- .circulate/ledger.json"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if status, _, _ := s.get(t, "/"); status != 200 {
		t.Errorf("the home page: %d; a damaged ledger must not stop the preview", status)
	}
}
