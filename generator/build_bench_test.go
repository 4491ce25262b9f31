package generator

// Benchmarks of the build's stages on the corpus of bench/sitegen, the
// same content bench/compare.sh times against Hugo. Speed targets live in
// bench/RESULTS.md, not in assertions. CIRCULATE_BENCH_N sets the number of
// items (default 1000), CIRCULATE_BENCH_SHAPE the corpus shape (default
// mixed; see bench/sitegen/shape.go):
//
//	go test -run '^$' -bench . -benchmem ./generator/
//	CIRCULATE_BENCH_N=10000 go test -run '^$' -bench 'Build|Rebuild' ./generator/

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/circulate-dev/circulate/bench/sitegen"
	"github.com/circulate-dev/circulate/internal/config"
)

func benchShape(b *testing.B) sitegen.Shape {
	name := os.Getenv("CIRCULATE_BENCH_SHAPE")
	if name == "" {
		name = "mixed"
	}
	sh, err := sitegen.ShapeOf(name)
	if err != nil {
		b.Fatal(err)
	}
	return sh
}

func benchN() int {
	if n, err := strconv.Atoi(os.Getenv("CIRCULATE_BENCH_N")); err == nil && n > 0 {
		return n
	}
	return 1000
}

// benchSite writes the corpus to a temporary folder, so that loading
// includes reading real files, and returns the build's Config for it.
func benchSite(b *testing.B) (string, Config) {
	b.Helper()
	dir := b.TempDir()
	write := func(name string, data []byte) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	write("config.yaml", []byte(sitegen.CirculateConfig))
	for _, e := range sitegen.PlanShape(benchShape(b), benchN(), 1) {
		write(e.Name(), e.Circulate())
	}
	cfg, diags := config.Load(os.DirFS(dir))
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, cfg.Location)
	return dir, Config{Site: cfg, Now: func() time.Time { return now }}
}

func loadBench(b *testing.B, dir string, cfg Config) *Site {
	b.Helper()
	s, err := Load(context.Background(), cfg, os.DirFS(dir))
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// discard counts what it is given and keeps nothing.
type discard struct{}

func (discard) WriteFile(string, []byte) error { return nil }

// BenchmarkLoad reads, parses and checks every file, Markdown included.
func BenchmarkLoad(b *testing.B) {
	dir, cfg := benchSite(b)
	c := cpuTime()
	for b.Loop() {
		loadBench(b, dir, cfg)
	}
	reportCPU(b, c)
}

// BenchmarkMarkdown converts every body, on one core: the part of loading
// that goldmark does.
func BenchmarkMarkdown(b *testing.B) {
	var bodies [][]byte
	for _, e := range sitegen.Plan(benchN(), 1) {
		_, body, _, _, err := splitFrontMatter(e.Circulate())
		if err != nil {
			b.Fatal(err)
		}
		bodies = append(bodies, body)
	}
	md := newMarkdown(false, siteURL{})
	var buf bytes.Buffer
	for b.Loop() {
		for _, body := range bodies {
			if _, err := md.convert(body, &buf); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkRenderPages executes the layouts for every HTML page, on all
// cores, writing nowhere.
func BenchmarkRenderPages(b *testing.B) {
	dir, cfg := benchSite(b)
	s := loadBench(b, dir, cfg)
	var pages []*output
	for _, o := range s.plan.outputs {
		if o.Kind == FilePage {
			pages = append(pages, o)
		}
	}
	c := cpuTime()
	for b.Loop() {
		if err := s.run(context.Background(), pages, nil, discard{}, nil); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, c)
	b.ReportMetric(float64(len(pages)), "pages/op")
}

// BenchmarkFeeds writes the RSS, Atom and JSON feeds.
func BenchmarkFeeds(b *testing.B) {
	dir, cfg := benchSite(b)
	s := loadBench(b, dir, cfg)
	var feeds []*output
	for _, o := range s.plan.outputs {
		if o.Kind == FileFeed {
			feeds = append(feeds, o)
		}
	}
	for b.Loop() {
		if err := s.run(context.Background(), feeds, nil, discard{}, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkICal makes events.ics and one calendar per event, on one core.
func BenchmarkICal(b *testing.B) {
	dir, cfg := benchSite(b)
	s := loadBench(b, dir, cfg)
	var cals []*output
	for _, o := range s.plan.outputs {
		if o.Kind == FileCalendar {
			cals = append(cals, o)
		}
	}
	var buf bytes.Buffer
	c := cpuTime()
	defer reportCPU(b, c)
	for b.Loop() {
		s.b.vevents.Clear() // each event's VEVENT is made once per load
		for _, o := range cals {
			buf.Reset()
			if err := o.make(s.plan.sd, &buf); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(cals)-1), "events/op")
}

// reportCPU reports the CPU time (user + system, all cores) per op since
// start: a steadier measure than the wall time on a shared machine.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric((cpuTime()-start).Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkBuild is a full build from the files to a folder on disk.
func BenchmarkBuild(b *testing.B) {
	dir, cfg := benchSite(b)
	pub := filepath.Join(b.TempDir(), "public")
	c := cpuTime()
	for b.Loop() {
		buildInto(b, dir, cfg, pub)
	}
	reportCPU(b, c)
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(benchN()), "µs/item")
}

// BenchmarkBuildNoWrite is a full build that writes nowhere: all its CPU
// but the file system's, which is steadier to compare than BenchmarkBuild
// on a disk that recent builds and deletes have left busy.
func BenchmarkBuildNoWrite(b *testing.B) {
	dir, cfg := benchSite(b)
	c := cpuTime()
	for b.Loop() {
		s := loadBench(b, dir, cfg)
		if _, err := s.Render(context.Background(), nil, discard{}); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, c)
}

// BenchmarkRebuildOneChange edits one news item and rebuilds the way
// `serve` does: a Load with the Cache told of the file (only it is read
// and parsed again; the checks across items, the theme and the site's
// model are redone), then the edited item's page and the home page
// rendered on their own. `circulate build` still renders everything
// (BenchmarkBuild).
func BenchmarkRebuildOneChange(b *testing.B) {
	dir, cfg := benchSite(b)
	cfg.Cache = NewCache()
	fsys := os.DirFS(dir)
	if _, err := Load(context.Background(), cfg, fsys); err != nil {
		b.Fatal(err)
	}
	var rel string
	_ = fs.WalkDir(fsys, "content/news", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && rel == "" {
			rel = p
		}
		return err
	})
	name := filepath.Join(dir, filepath.FromSlash(rel))
	orig, err := os.ReadFile(name)
	if err != nil {
		b.Fatal(err)
	}
	var page string
	i := 0
	for b.Loop() {
		i++
		if err := os.WriteFile(name, append(orig, "\nEdited "+strconv.Itoa(i)+" times.\n"...), 0o644); err != nil {
			b.Fatal(err)
		}
		cfg.Cache.Changed(rel)
		s, err := Load(context.Background(), cfg, fsys)
		if err != nil {
			b.Fatal(err)
		}
		if page == "" {
			for _, it := range s.Result.Items {
				if it.File == rel {
					page = indexFile(it.Path)
				}
			}
		}
		for _, f := range []string{page, "index.html"} {
			if _, err := s.RenderFile(context.Background(), f, nil); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkLoadOneChange is the part of BenchmarkRebuildOneChange that
// serve waits for before it sends the reload signal: the Load.
func BenchmarkLoadOneChange(b *testing.B) {
	dir, cfg := benchSite(b)
	cfg.Cache = NewCache()
	fsys := os.DirFS(dir)
	if _, err := Load(context.Background(), cfg, fsys); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		cfg.Cache.Changed("content/news/x.md") // not a file: only the listing and the checks
		if _, err := Load(context.Background(), cfg, fsys); err != nil {
			b.Fatal(err)
		}
	}
}

func buildInto(b *testing.B, dir string, cfg Config, pub string) {
	b.Helper()
	out, err := NewDirOutput(pub)
	if err != nil {
		b.Fatal(err)
	}
	cfg.Out = out
	if _, err := Build(context.Background(), cfg, os.DirFS(dir)); err != nil {
		b.Fatal(err)
	}
	if err := out.Commit(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkPlan makes the plan of outputs, which every Load does (serve
// after every edit).
func BenchmarkPlan(b *testing.B) {
	dir, cfg := benchSite(b)
	s := loadBench(b, dir, cfg)
	th, _ := s.b.loadTheme()
	m := s.b.model(s.Result.Items)
	for b.Loop() {
		s.b.makePlan(m, th)
	}
	b.ReportMetric(float64(len(s.plan.outputs)), "files/op")
}
