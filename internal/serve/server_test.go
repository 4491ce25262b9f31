package serve

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/circulate-dev/circulate/generator"
	"github.com/circulate-dev/circulate/internal/diag"
)

const page = "<!doctype html>\n<html lang=\"en\"><head><title>Storytime</title></head>\n<body class=\"kind-event\"><h1>Storytime</h1></body>\n</html>\n"

func testFiles() map[string][]byte {
	return map[string][]byte{
		"index.html":                  []byte(page),
		"events/storytime/index.html": []byte(page),
		"events/storytime/event.ics":  []byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"),
		"404.html":                    []byte("<!doctype html><html><body><h1>Not found</h1></body></html>"),
		"feed.xml":                    []byte("<?xml version=\"1.0\"?><rss></rss>"),
		"feed.json":                   []byte(`{"version":"https://jsonfeed.org/version/1.1"}`),
		"css/style.css":               []byte("body{}"),
		"robots.txt":                  []byte("User-agent: *\n"),
	}
}

// serverWith is a Server whose first build gave files (or failed with err).
func serverWith(t *testing.T, files map[string][]byte, err error) *Server {
	t.Helper()
	s := New(Options{Build: func(context.Context) (*Site, error) {
		if err != nil {
			return nil, err
		}
		return &Site{Title: "Test", Files: files}, nil
	}})
	if r := s.Rebuild(t.Context()); (r.Err != nil) != (err != nil) {
		t.Fatalf("Rebuild: %v", r.Err)
	}
	return s
}

func get(t *testing.T, h http.Handler, method, target string) (*http.Response, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

func TestServesFilesWithTheirTypes(t *testing.T) {
	s := serverWith(t, testFiles(), nil)
	for _, tc := range []struct {
		path, ctype string
		status      int
		script      bool
	}{
		{"/", "text/html; charset=utf-8", 200, true},
		{"/events/storytime/", "text/html; charset=utf-8", 200, true},
		{"/events/storytime/index.html", "text/html; charset=utf-8", 200, true},
		{"/events/storytime/event.ics", "text/calendar; charset=utf-8", 200, false},
		{"/feed.xml", "application/xml; charset=utf-8", 200, false},
		{"/feed.json", "application/json; charset=utf-8", 200, false},
		{"/css/style.css", "text/css; charset=utf-8", 200, false},
		{"/robots.txt", "text/plain; charset=utf-8", 200, false},
		{"/no/such/page/", "text/html; charset=utf-8", 404, true},
		{"/../../etc/passwd", "text/html; charset=utf-8", 404, true},
	} {
		res, body := get(t, s, "GET", tc.path)
		if res.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d", tc.path, res.StatusCode, tc.status)
		}
		if got := res.Header.Get("Content-Type"); got != tc.ctype {
			t.Errorf("%s: Content-Type %q, want %q", tc.path, got, tc.ctype)
		}
		if got := strings.Contains(body, ReloadPath); got != tc.script {
			t.Errorf("%s: reload script present = %v, want %v:\n%s", tc.path, got, tc.script, body)
		}
		if res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q: a reload could show a cached page", tc.path, res.Header.Get("Cache-Control"))
		}
	}
	if _, body := get(t, s, "GET", "/nope"); !strings.Contains(body, "Not found") {
		t.Errorf("a missing page is not the site's 404.html:\n%s", body)
	}
}

func TestFolderWithoutSlashRedirects(t *testing.T) {
	s := serverWith(t, testFiles(), nil)
	res, _ := get(t, s, "GET", "/events/storytime?x=1")
	if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/events/storytime/?x=1" {
		t.Errorf("got %d to %q, want 301 to /events/storytime/?x=1", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestHeadAndMethods(t *testing.T) {
	s := serverWith(t, testFiles(), nil)
	res, body := get(t, s, "HEAD", "/")
	if res.StatusCode != 200 || body != "" || res.Header.Get("Content-Length") == "0" {
		t.Errorf("HEAD /: %d, body %q, length %s", res.StatusCode, body, res.Header.Get("Content-Length"))
	}
	if res, _ := get(t, s, "POST", "/"); res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /: %d, want 405", res.StatusCode)
	}
}

func TestPrefix(t *testing.T) {
	s := New(Options{Prefix: "/lib/", Build: func(context.Context) (*Site, error) {
		return &Site{Files: testFiles()}, nil
	}})
	s.Rebuild(t.Context())
	if res, body := get(t, s, "GET", "/lib/events/storytime/"); res.StatusCode != 200 || !strings.Contains(body, "<h1>Storytime") {
		t.Errorf("/lib/events/storytime/: %d", res.StatusCode)
	}
	if res, _ := get(t, s, "GET", "/lib"); res.StatusCode != 200 {
		t.Errorf("/lib: %d, want the home page", res.StatusCode)
	}
	if res, _ := get(t, s, "GET", "/events/storytime/"); res.StatusCode != 404 {
		t.Errorf("/events/storytime/ outside the prefix: %d, want 404", res.StatusCode)
	}
}

func TestInjectPlacesScriptBeforeBodyEnd(t *testing.T) {
	for _, tc := range []struct{ name, page, want string }{
		{"body", "<html><body><p>x</p></body></html>", "<html><body>[O]<p>x</p>[S]</body></html>"},
		{"upper case and attributes", "<HTML><BODY class=\"a\"><p>x</p></BODY></HTML>", "<HTML><BODY class=\"a\">[O]<p>x</p>[S]</BODY></HTML>"},
		{"last </body> wins", "<body><pre>&lt;/body></pre><!-- </body> --></body>", "<body>[O]<pre>&lt;/body></pre><!-- </body> -->[S]</body>"},
		{"no body tags", "<p>x</p>", "<p>x</p>[O][S]"},
	} {
		got := string(inject([]byte(tc.page), []byte("[O]"), []byte("[S]")))
		if got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
	if got := string(inject([]byte("<body>x</body>"), nil, []byte("[S]"))); got != "<body>x[S]</body>" {
		t.Errorf("without overlay: %s", got)
	}
}

func TestOverlayShowsProblemsEscaped(t *testing.T) {
	s := serverWith(t, testFiles(), nil)
	s.update(nil, &generator.BuildError{Diags: diag.List{
		{File: "content/events/storytime.md", Line: 3, Severity: diag.Error, Message: `start: "<script>alert(1)</script>" is not a date`},
		{File: "config.yaml", Severity: diag.Error, Message: "timezone: unknown & wrong"},
	}})
	_, body := get(t, s, "GET", "/events/storytime/")
	if !strings.Contains(body, "<h1>Storytime</h1>") {
		t.Error("the last good page is not served under the overlay")
	}
	for _, want := range []string{
		`role="alert"`, "position:fixed", "The site could not be rebuilt",
		`<code style="all:initial;font:bold .95em ui-monospace,Menlo,Consolas,monospace;color:#1a1a1a">content/events/storytime.md:3</code>: start: &#34;&lt;script&gt;alert(1)&lt;/script&gt;&#34; is not a date`,
		"config.yaml</code>: timezone: unknown &amp; wrong",
		"Fix the 2 problems below",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the overlay lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "<script>alert(1)") {
		t.Error("a diagnostic's text is not escaped")
	}
	if i, j := strings.Index(body, "circulate-overlay"), strings.Index(body, "<h1>Storytime"); i < 0 || i > j {
		t.Error("the overlay is not at the start of the body")
	}
	if _, body := get(t, s, "GET", "/feed.xml"); strings.Contains(body, "overlay") {
		t.Error("the overlay is in a feed")
	}

	// Fixed: the overlay goes.
	s.update(&Site{Files: testFiles()}, nil)
	if _, body := get(t, s, "GET", "/events/storytime/"); strings.Contains(body, "circulate-overlay") {
		t.Error("the overlay stays after a good build")
	}
}

func TestOverlayWithoutAnySite(t *testing.T) {
	s := serverWith(t, nil, errors.New("reading content/: permission denied"))
	res, body := get(t, s, "GET", "/events/")
	if res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("status %d, want 503", res.StatusCode)
	}
	for _, want := range []string{"The site could not be rebuilt", "reading content/: permission denied", "There is no version that built yet", ReloadPath} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q:\n%s", want, body)
		}
	}
}
