package serve

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/circulate-dev/circulate/bench/sitegen"
	"github.com/circulate-dev/circulate/generator"
	"github.com/circulate-dev/circulate/internal/config"
)

// BenchmarkSaveToReload measures what issue 4 asks of serve: the time from
// saving one file to the reload signal reaching an open page, on the
// example site and on a 10,000-item site (target: under 100 ms). Each
// iteration saves an edited title the way editors do (a new file renamed
// over the old one) and waits for "reload" on the page's event stream.
// Besides ns/op it reports build-ms (the rebuild alone) and debounce-ms
// (the quiet wait that groups an editor's burst of events).
//
//	go test -run '^$' -bench SaveToReload -benchtime 5x ./internal/serve/
func BenchmarkSaveToReload(b *testing.B) {
	b.Run("example", func(b *testing.B) {
		dir := b.TempDir()
		root := filepath.Join("..", "..")
		if err := os.CopyFS(filepath.Join(dir, "content"), os.DirFS(filepath.Join(root, "content"))); err != nil {
			b.Fatal(err)
		}
		cfg, err := os.ReadFile(filepath.Join(root, "config.yaml"))
		if err != nil {
			b.Fatal(err)
		}
		writeBench(b, filepath.Join(dir, "config.yaml"), cfg)
		benchSave(b, dir, "content/events/knit-and-natter.md", "Knit & Natter: Winter Session", sitegen.Now)
	})
	b.Run("items=10000", func(b *testing.B) {
		dir := b.TempDir()
		writeBench(b, filepath.Join(dir, "config.yaml"), []byte(sitegen.CirculateConfig))
		var edit *sitegen.Entry
		for _, e := range sitegen.Plan(10000, 1) {
			writeBench(b, filepath.Join(dir, filepath.FromSlash(e.Name())), e.Circulate())
			if e.Kind == "events" {
				edit = e // the newest event: on the home page and the first list pages
			}
		}
		benchSave(b, dir, edit.Name(), edit.Title, sitegen.Now)
	})
}

func writeBench(b *testing.B, name string, data []byte) {
	b.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(name, data, 0o644); err != nil {
		b.Fatal(err)
	}
}

// benchSave serves the site in dir and, per iteration, replaces title in
// file and waits for the reload signal.
func benchSave(b *testing.B, dir, file, title string, now time.Time) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	base := "http://" + ln.Addr().String() + "/"
	// As `circulate serve` does: a cache of the content files, told by the
	// server what changed.
	cache := generator.NewCache()
	build := func(ctx context.Context) (*Site, error) {
		fsys := os.DirFS(dir)
		cfg, diags := config.Load(fsys)
		if diags.HasErrors() {
			return nil, &generator.BuildError{Diags: diags.Errors()}
		}
		cfg.BaseURL, _ = url.Parse(base)
		return Generate(ctx, generator.Config{Site: cfg, Now: func() time.Time { return now }, Cache: cache}, fsys, nil)
	}
	srv := New(Options{Build: build, Changed: func(paths []string) { cache.Changed(paths...) }})
	first := srv.Rebuild(b.Context())
	if first.Err != nil {
		b.Fatalf("first build: %v", first.Err)
	}
	b.Logf("first load of %d files: %s", cache.Len(), first.Took.Round(time.Millisecond))
	reports := make(chan Report, 16)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx, ln, dir, func(r Report) { reports <- r }) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			b.Error(err)
		}
	}()

	page := benchEvents(b, base+strings.TrimPrefix(ReloadPath, "/"))
	name := filepath.Join(dir, filepath.FromSlash(file))
	original, err := os.ReadFile(name)
	if err != nil {
		b.Fatal(err)
	}
	if !strings.Contains(string(original), title) {
		b.Fatalf("%s does not hold %q", file, title)
	}
	var builds, latencies time.Duration
	n := 0
	for b.Loop() {
		n++
		text := strings.Replace(string(original), title, fmt.Sprintf("%s (edit %d)", title, n), 1)
		tmp := name + ".saving"
		if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
		if err := os.Rename(tmp, name); err != nil {
			b.Fatal(err)
		}
		select {
		case m := <-page:
			if m != "reload" {
				b.Fatalf("got %q, want reload", m)
			}
		case <-time.After(60 * time.Second):
			b.Fatal("no reload signal within 60s")
		}
		r := <-reports
		if r.Err != nil {
			b.Fatalf("rebuild: %v", r.Err)
		}
		builds += r.Took
		latencies += r.Latency
	}
	b.ReportMetric(float64(builds.Milliseconds())/float64(n), "build-ms")
	b.ReportMetric(float64((latencies-builds).Milliseconds())/float64(n), "debounce-ms")
}

// benchEvents opens the reload stream as a page does and returns its
// messages after the first (the version).
func benchEvents(b *testing.B, url string) <-chan string {
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	msgs := make(chan string, 16)
	go func() {
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			if d, ok := strings.CutPrefix(sc.Text(), "data: "); ok && !strings.HasPrefix(d, "version ") {
				msgs <- d
			}
		}
	}()
	return msgs
}
