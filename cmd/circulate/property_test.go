package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/circulate-dev/circulate/internal/fakex"
)

// TestNeverTwice is issue 10's property: over a random sequence of the
// edits librarians make (create an item, edit its title, rename its file,
// change its slug, delete it) interleaved with CI runs under random
// faults (a 5xx before the post is made or after, a connection dropped
// before or after, an answer that comes too late, a timeline that lags,
// a kill -9 of the run), no item is ever posted twice, and every item
// that stays on the site (and new enough) is posted in the end, or
// reported for a person to settle.
//
// Items are compared by identity, not text: each item's title carries its
// number ("Item #12"), which edits keep. The run is seeded; a failure
// prints the seed. CIRCULATE_PROPERTY_SEED=N replays one, and
// CIRCULATE_PROPERTY_STEPS=N (or CIRCULATE_PROPERTY_LONG=1, 3000 steps)
// runs more than the few hundred of the normal run.
func TestNeverTwice(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("kill -9 is a Unix signal")
	}
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("CIRCULATE_PROPERTY_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("CIRCULATE_PROPERTY_SEED=%q: %v", v, err)
		}
		seed = n
	}
	steps := 300
	switch {
	case os.Getenv("CIRCULATE_PROPERTY_LONG") != "":
		steps = 3000
	case raceEnabled || testing.Short():
		steps = 100 // the race detector makes each run several times slower
	}
	if v := os.Getenv("CIRCULATE_PROPERTY_STEPS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			t.Fatalf("CIRCULATE_PROPERTY_STEPS=%q: %v", v, err)
		}
		steps = n
	}
	t.Logf("seed %d, %d steps (replay: CIRCULATE_PROPERTY_SEED=%d)", seed, steps, seed)
	defer func() {
		if t.Failed() {
			t.Logf("FAILED with seed %d: replay with CIRCULATE_PROPERTY_SEED=%d CIRCULATE_PROPERTY_STEPS=%d", seed, seed, steps)
		}
	}()
	p := newProperty(t, seed)
	for i := 0; i < steps; i++ {
		p.step(i)
	}
	p.settle()
}

// property is the state of one run of the property test.
type property struct {
	t    *testing.T
	rng  *rand.Rand
	dir  string // the site
	x    *fakex.Server
	bin  string // circulate, built once, for the runs that are killed
	envv map[string]string

	items   []*mItem // every item ever made, by number
	counter int      // for fresh file names and slugs
	runs    int
	kills   int
	last    string // the output of the last run
}

// mItem is an item of the model.
type mItem struct {
	n       int
	file    string // content/news/item-3.md
	slug    string // "" for the file's name
	version int    // title edits
	date    time.Time
	deleted bool
}

func (m *mItem) id() string {
	slug := m.slug
	if slug == "" {
		slug = strings.TrimSuffix(filepath.Base(m.file), ".md")
	}
	return "news/" + slug
}

func newProperty(t *testing.T, seed uint64) *property {
	p := &property{t: t, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), dir: t.TempDir()}
	// X's rate limits are not what this test is about: far above what it
	// sends (publish_faults.txtar has a 429).
	p.x = fakex.New(t, fakex.Options{WindowLimit: 1 << 20, UserDayLimit: 1 << 20})
	p.envv = map[string]string{"CI": "true"}
	for _, kv := range p.x.Env() {
		k, v, _ := strings.Cut(kv, "=")
		p.envv[k] = v
	}
	p.write("config.yaml", "title: Test Library\nbase_url: https://news.test-library.org/\ntimezone: America/New_York\n"+
		"social:\n  x:\n    enabled: true\n    handle: RiversideLib\n    timeout: 250ms\n    max_posts_per_run: 4\n")
	p.write("content/news/old.md", "---\ntitle: Old news\ndate: 2026-01-05\n---\nOld.\n")
	bin := filepath.Join(t.TempDir(), "circulate")
	goCmd := filepath.Join(runtime.GOROOT(), "bin", "go")
	if out, err := exec.Command(goCmd, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	p.bin = bin
	p.run(false) // the first run: the baseline
	if !strings.Contains(p.last, "first run") {
		t.Fatalf("the first run was not a baseline:\n%s", p.last)
	}
	return p
}

func (p *property) write(name, data string) {
	p.t.Helper()
	path := filepath.Join(p.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		p.t.Fatal(err)
	}
}

func (p *property) save(m *mItem) {
	slug := ""
	if m.slug != "" {
		slug = "slug: " + m.slug + "\n"
	}
	title := fmt.Sprintf("Item #%d", m.n)
	if m.version > 0 {
		title += fmt.Sprintf(" (edit %d)", m.version)
	}
	p.write(m.file, fmt.Sprintf("---\ntitle: %q\ndate: %s\n%s---\nThe text of item %d, which does not change.\n",
		title, m.date.Format(time.RFC3339), slug, m.n))
}

func (p *property) fresh(prefix string) string {
	p.counter++
	return fmt.Sprintf("%s-%d", prefix, p.counter)
}

// live lists the items still on the site.
func (p *property) live() []*mItem {
	var out []*mItem
	for _, m := range p.items {
		if !m.deleted {
			out = append(out, m)
		}
	}
	return out
}

// step makes one random edit or run.
func (p *property) step(i int) {
	live := p.live()
	r := p.rng.IntN(100)
	switch {
	case r < 18 || len(live) == 0:
		m := &mItem{n: len(p.items) + 1, file: "content/news/" + p.fresh("item") + ".md", date: time.Now().Add(-time.Hour).Truncate(time.Second)}
		p.items = append(p.items, m)
		p.save(m)
	case r < 32:
		m := live[p.rng.IntN(len(live))]
		m.version++
		p.save(m)
	case r < 44:
		m := live[p.rng.IntN(len(live))]
		old := filepath.Join(p.dir, filepath.FromSlash(m.file))
		m.file = "content/news/" + p.fresh("renamed") + ".md"
		if err := os.Rename(old, filepath.Join(p.dir, filepath.FromSlash(m.file))); err != nil {
			p.t.Fatal(err)
		}
	case r < 52:
		m := live[p.rng.IntN(len(live))]
		m.slug = p.fresh("slug")
		p.save(m)
	case r < 57:
		m := live[p.rng.IntN(len(live))]
		m.deleted = true
		if err := os.Remove(filepath.Join(p.dir, filepath.FromSlash(m.file))); err != nil {
			p.t.Fatal(err)
		}
	default:
		p.faults()
		p.run(p.rng.IntN(100) < 8)
	}
	p.checkOnce(fmt.Sprintf("after step %d", i))
}

// faults sets up what goes wrong in the next run.
func (p *property) faults() {
	p.x.SetTimelineLag(p.rng.IntN(4), 0)
	kinds := []func() fakex.Fault{
		func() fakex.Fault { return fakex.Status5xx(503) },
		func() fakex.Fault { return fakex.PostThen5xx(502) },
		func() fakex.Fault { return fakex.AcceptThenDrop() },
		func() fakex.Fault { return fakex.DropBeforePost() },
		func() fakex.Fault { return fakex.Slow(time.Second) },
	}
	for n := p.rng.IntN(4); n > 0; n-- {
		p.x.Fail(kinds[p.rng.IntN(len(kinds))]())
	}
}

// run is one CI run: `circulate build` in this process, or, killed,
// the circulate binary killed with -9 at a random moment.
func (p *property) run(kill bool) {
	p.t.Helper()
	p.runs++
	if kill {
		p.kills++
		p.killedRun()
		return
	}
	var out bytes.Buffer
	e := &env{stdout: &out, stderr: &out, getenv: func(k string) string { return p.envv[k] },
		sleep: func(ctx context.Context, d time.Duration) error { return ctx.Err() }}
	err := runEnv(context.Background(), []string{"build", "--source", p.dir}, e)
	p.last = out.String()
	if err != nil && exitCode(err, &out) != exitPosting {
		p.t.Fatalf("run %d failed: %v\n%s", p.runs, err, out.String())
	}
}

// killedRun kills the binary either while X holds its post request (X has
// made the post, the run has not heard back) or after a random moment.
func (p *property) killedRun() {
	p.t.Helper()
	cmd := exec.Command(p.bin, "build", "--source", p.dir)
	cmd.Env = os.Environ()
	for k, v := range p.envv {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	midPost := p.rng.IntN(2) == 0
	if midPost {
		p.x.ClearFaults()
		p.x.Fail(fakex.Slow(5 * time.Second))
	}
	before := len(p.x.Posts())
	if err := cmd.Start(); err != nil {
		p.t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	if midPost {
		// Until X has stored a post, or the run ended without posting.
		tick := time.NewTicker(2 * time.Millisecond)
		for len(p.x.Posts()) == before {
			select {
			case <-done:
			case <-tick.C:
				continue
			}
			break
		}
		tick.Stop()
	} else {
		select {
		case <-done:
		case <-time.After(time.Duration(p.rng.IntN(300)) * time.Millisecond):
		}
	}
	_ = cmd.Process.Kill()
	<-done
	p.x.ClearFaults() // a Slow fault no request took stays for no one
	p.last = out.String()
}

var identityRE = regexp.MustCompile(`^Item #(\d+)\b`)

// checkOnce fails if an item has more than one post on the account.
func (p *property) checkOnce(when string) map[int]int {
	p.t.Helper()
	count := map[int]int{}
	for _, post := range p.x.Posts() {
		m := identityRE.FindStringSubmatch(post.Text)
		if m == nil {
			p.t.Fatalf("%s: a post of no item: %q", when, post.Text)
		}
		n, _ := strconv.Atoi(m[1])
		count[n]++
		if count[n] > 1 {
			var texts []string
			for _, q := range p.x.Posts() {
				if strings.HasPrefix(q.Text, m[0]) {
					texts = append(texts, q.Text)
				}
			}
			p.t.Fatalf("%s (run %d): item #%d was posted twice: %q\nlast run:\n%s", when, p.runs, n, texts, p.last)
		}
	}
	return count
}

// settle ends the test: the faults stop, the timeline catches up, and a
// few runs later every item still on the site is posted, or the last run
// says a person must settle it.
func (p *property) settle() {
	p.t.Helper()
	p.x.ClearFaults()
	p.x.SetTimelineLag(0, 0)
	// Runs until one has nothing left to do on its own: no post made, none
	// pending, none waiting for the next run's turn.
	busy := regexp.MustCompile(`(?m)^x: (posted [a-z]|pending |waiting .*: at most |.* was posted by an earlier run)`)
	for i := 0; i < 30; i++ {
		p.run(false)
		if i >= 2 && !busy.MatchString(p.last) {
			break
		}
	}
	count := p.checkOnce("at the end")
	reported := regexp.MustCompile(`(?m)^x: (?:unresolved|failed|waiting) (\S+): (.*)$`)
	says := map[string]string{}
	for _, m := range reported.FindAllStringSubmatch(p.last, -1) {
		says[m[1]] = m[2]
	}
	posted, forPerson := 0, 0
	for _, m := range p.live() {
		switch msg := says[m.id()]; {
		case count[m.n] == 1:
			posted++
		case msg != "" && (strings.Contains(msg, "--resolve") || strings.Contains(msg, "aliases:")):
			forPerson++
			p.t.Logf("item #%d (%s) is left for a person: %s", m.n, m.id(), msg)
		default:
			p.t.Errorf("item #%d (%s) is on the site but was never posted, and the last run does not say why (%q)\nlast run:\n%s", m.n, m.id(), msg, p.last)
		}
	}
	p.t.Logf("%d items made, %d on the site: %d posted, %d left for a person; %d runs, %d killed; %d posts on X",
		len(p.items), len(p.live()), posted, forPerson, p.runs, p.kills, len(p.x.Posts()))
}
