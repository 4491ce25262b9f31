package publisher

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/circulate-dev/circulate/internal/config"
	"github.com/circulate-dev/circulate/internal/fakebsky"
	"github.com/circulate-dev/circulate/internal/fakemastodon"
	"github.com/circulate-dev/circulate/internal/fakex"
	"github.com/circulate-dev/circulate/internal/item"
)

// three is a site with X, Mastodon and Bluesky enabled against fakes.
type three struct {
	t    *testing.T
	root string
	cfg  *config.Config
	x    *fakex.Server
	m    *fakemastodon.Server
	b    *fakebsky.Server
	env  map[string]string

	mu    sync.Mutex
	clock time.Time // the fakes' clock (Mastodon, Bluesky)
}

func newThree(t *testing.T) *three {
	h := &three{t: t, root: t.TempDir(), clock: time.Now().UTC()}
	fakeNow := func() time.Time { h.mu.Lock(); defer h.mu.Unlock(); return h.clock }
	h.x = fakex.New(t, fakex.Options{})
	h.m = fakemastodon.New(t, fakemastodon.Options{Now: fakeNow})
	h.b = fakebsky.New(t, fakebsky.Options{Now: fakeNow})
	h.cfg = config.Default()
	h.cfg.Social.X.Enabled, h.cfg.Social.X.Handle = true, "RiversideLib"
	h.cfg.Social.Mastodon.Enabled, h.cfg.Social.Mastodon.Handle, h.cfg.Social.Mastodon.Server = true, "riversidelib", "https://mastodon.example"
	h.cfg.Social.Bluesky.Enabled, h.cfg.Social.Bluesky.Handle = true, "riversidelib.bsky.social"
	h.env = map[string]string{}
	for _, kv := range append(append(h.x.Env(), h.m.Env()...), h.b.Env()...) {
		k, v, _ := strings.Cut(kv, "=")
		h.env[k] = v
	}
	return h
}

func (h *three) advance(d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.clock = h.clock.Add(d)
}

// run is one CI run at the real clock.
func (h *three) run(items []*item.Item, mod ...func(*Setup)) (*Result, error) {
	h.t.Helper()
	s := Setup{Root: h.root, Config: h.cfg, Getenv: func(k string) string { return h.env[k] },
		Written: func(*item.Item) bool { return true }, Sleep: func(context.Context, time.Duration) error { return nil }}
	for _, m := range mod {
		m(&s)
	}
	return Run(context.Background(), s, items)
}

// counts is how many posts each network holds for each item URL.
func (h *three) counts() map[string]map[string]int {
	out := map[string]map[string]int{"x": {}, "mastodon": {}, "bluesky": {}}
	for _, p := range h.x.Posts() {
		for _, u := range p.URLs {
			out["x"][u.ExpandedURL]++
		}
	}
	for _, st := range h.m.Own() {
		for _, f := range strings.Fields(st.Text) {
			if strings.HasPrefix(f, "https://") {
				out["mastodon"][f]++
			}
		}
	}
	for _, p := range h.b.Own() {
		if e, ok := p.Record["embed"].(map[string]any); ok {
			out["bluesky"][e["external"].(map[string]any)["uri"].(string)]++
		}
	}
	return out
}

func (h *three) wantOnce(items []*item.Item, others int) {
	h.t.Helper()
	c := h.counts()
	for net, byURL := range c {
		total := 0
		for _, n := range byURL {
			total += n
		}
		if total != len(items)+others {
			h.t.Errorf("%s holds %d posts, want %d: %v", net, total, len(items)+others, byURL)
		}
		for _, it := range items {
			if byURL[it.URL] != 1 {
				h.t.Errorf("%s: %d posts of %s, want 1", net, byURL[it.URL], it.ID)
			}
		}
	}
}

func items3(prefix string, date time.Time) []*item.Item {
	var out []*item.Item
	for i := range 3 {
		it := newsItem(fmt.Sprintf("%s-%d", prefix, i), date.Add(time.Duration(i)*time.Minute))
		it.Summary = "What is new at the library, part " + fmt.Sprint(i)
		out = append(out, it)
	}
	return out
}

func TestRunThreeNetworks(t *testing.T) {
	h := newThree(t)
	old := items3("old", time.Now().Add(-48*time.Hour))
	res, err := h.run(old)
	if err != nil || len(res.Reports) != 3 {
		t.Fatalf("first run: %v %+v", err, res)
	}
	for _, rep := range res.Reports {
		if !rep.Baseline || rep.Posted != 0 {
			t.Errorf("%s: first run %+v", rep.Network, rep)
		}
	}
	h.wantOnce(nil, 0)

	fresh := items3("new", time.Now().Add(-time.Hour))
	all := append(append([]*item.Item{}, old...), fresh...)
	res, err = h.run(all)
	if err != nil {
		t.Fatal(err)
	}
	for _, rep := range res.Reports {
		if rep.Posted != 3 {
			t.Errorf("%s posted %d: %+v", rep.Network, rep.Posted, rep.Outcomes)
		}
	}
	h.wantOnce(fresh, 0)
	if h.b.Sessions() != 1 {
		t.Errorf("%d Bluesky sessions in one run", h.b.Sessions())
	}
	if _, err := h.run(all); err != nil {
		t.Fatal(err)
	}
	h.wantOnce(fresh, 0)

	l, _ := LoadLedger(LedgerFile(h.root))
	for _, net := range []string{"x", "mastodon", "bluesky"} {
		for _, it := range fresh {
			if e := l.Get(net, it.ID); e == nil || e.State != Posted || e.PostURL == "" {
				t.Errorf("ledger %s %s: %+v", net, it.ID, e)
			}
		}
	}
}

// Faults on one network leave the others alone, and every item ends
// posted exactly once on each network.
func TestRunFaultsOnOneNetwork(t *testing.T) {
	cases := []struct {
		name   string
		inject func(h *three)
	}{
		{"mastodon 5xx after the status is made, every attempt", func(h *three) {
			h.m.Fail(fakemastodon.CreateThen5xx(502), fakemastodon.CreateThen5xx(502), fakemastodon.CreateThen5xx(502))
		}},
		{"mastodon dropped connection", func(h *three) { h.m.Fail(fakemastodon.AcceptThenDrop()) }},
		{"mastodon 429", func(h *three) { h.m.Fail(fakemastodon.RateLimited(h.clock.Add(time.Hour))) }},
		{"bluesky 500 after the record is made", func(h *three) {
			h.b.Fail(fakebsky.CreateThen5xx(500), fakebsky.CreateThen5xx(502))
		}},
		{"bluesky dropped connection", func(h *three) { h.b.Fail(fakebsky.AcceptThenDrop(), fakebsky.AcceptThenDrop()) }},
		{"bluesky 429", func(h *three) { h.b.Fail(fakebsky.RateLimited(h.clock.Add(time.Hour))) }},
		{"bluesky expired session", func(h *three) { h.b.ExpireAccessTokens() }},
		{"x dropped connection", func(h *three) { h.x.Fail(fakex.AcceptThenDrop()) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newThree(t)
			old := items3("old", time.Now().Add(-48*time.Hour))
			if _, err := h.run(old); err != nil {
				t.Fatal(err)
			}
			fresh := items3("new", time.Now().Add(-time.Hour))
			all := append(append([]*item.Item{}, old...), fresh...)
			c.inject(h)
			res, err := h.run(all)
			if err != nil {
				t.Fatalf("faulty run: %v", err)
			}
			// The networks without faults posted everything at once.
			faulty := strings.Fields(c.name)[0]
			for _, rep := range res.Reports {
				if rep.Network != faulty && rep.Posted != 3 {
					t.Errorf("%s was held up: %+v", rep.Network, rep.Outcomes)
				}
			}
			for i := 0; i < 3; i++ {
				h.advance(61 * time.Minute)
				if _, err := h.run(all); err != nil {
					t.Fatalf("run %d: %v", i+2, err)
				}
			}
			h.wantOnce(fresh, 0)
		})
	}
}

// A network that refuses its credentials does not stop the others; the
// run reports it by name.
func TestRunAuthOnOneNetwork(t *testing.T) {
	h := newThree(t)
	old := items3("old", time.Now().Add(-48*time.Hour))
	h.run(old)
	h.env["MASTODON_ACCESS_TOKEN"] = "revoked"
	fresh := items3("new", time.Now().Add(-time.Hour))
	res, err := h.run(append(old, fresh...))
	var ne *NetworkError
	if !errors.As(err, &ne) || ne.Network != "mastodon" || ne.Err.Kind != Auth || !strings.Contains(ne.Err.Hint, "MASTODON_ACCESS_TOKEN") {
		t.Fatalf("err %v", err)
	}
	if strings.Contains(err.Error(), "revoked") {
		t.Error("the token is in the error")
	}
	posted := map[string]int{}
	for _, rep := range res.Reports {
		posted[rep.Network] = rep.Posted
	}
	if posted["x"] != 3 || posted["bluesky"] != 3 || posted["mastodon"] != 0 {
		t.Errorf("posted %v", posted)
	}
	// --network limits a run.
	h.env["MASTODON_ACCESS_TOKEN"] = h.m.Options().Token
	res, err = h.run(append(old, fresh...), func(s *Setup) { s.Networks = []string{"mastodon"} })
	if err != nil || len(res.Reports) != 1 || res.Reports[0].Posted != 3 {
		t.Fatalf("--network mastodon: %v %+v", err, res)
	}
	h.wantOnce(fresh, 0)
}

// The snapshot holds each account's own posts, staff's by hand too, and
// keeps a network's last good posts when it cannot be read.
func TestRefreshTimeline(t *testing.T) {
	h := newThree(t)
	h.m.Seed("Written by hand on Mastodon https://news.lib.org/news/sale/", time.Now().Add(-time.Hour))
	h.b.Seed("Written by hand on Bluesky https://news.lib.org/news/sale/", time.Now().Add(-2*time.Hour))
	setup := Setup{Root: h.root, Config: h.cfg, Getenv: func(k string) string { return h.env[k] }}
	st, err := RefreshTimeline(context.Background(), setup)
	if err != nil || len(st) != 3 {
		t.Fatalf("%+v %v", st, err)
	}
	if st[0].Network != "x" || st[0].Skipped == "" || st[1].Posts != 1 || st[2].Posts != 1 {
		t.Errorf("statuses %+v", st)
	}
	posts := SitePosts(setup)
	if len(posts) != 2 || posts[0].Network != "mastodon" || posts[1].Network != "bluesky" ||
		posts[0].Parts[1].Link != "https://news.lib.org/news/sale/" || posts[1].Parts[1].Text != "news.lib.org/news/sale/" {
		t.Fatalf("posts %+v", posts)
	}
	// Mastodon is down: its last posts stay; Bluesky's are read again.
	h.env["CIRCULATE_MASTODON_URL"] = "http://127.0.0.1:1"
	h.b.Seed("Another one", time.Now())
	st, _ = RefreshTimeline(context.Background(), setup)
	if st[1].Err == nil {
		t.Errorf("mastodon down: %+v", st[1])
	}
	posts = SitePosts(setup)
	if len(posts) != 3 || posts[0].Network != "bluesky" || posts[1].Network != "mastodon" {
		t.Errorf("after a failed read: %+v", posts)
	}
	// X's part comes from the ledger.
	h.run(items3("old", time.Now().Add(-48*time.Hour)))
	h.run(items3("new", time.Now().Add(-time.Hour)))
	n := 0
	for _, p := range SitePosts(setup) {
		if p.Network == "x" {
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d X posts from the ledger", n)
	}
}

// With social.x.read_timeline the box reads X's timeline, t.co links
// replaced by where they lead.
func TestXTimeline(t *testing.T) {
	h := newThree(t)
	h.cfg.Social.X.ReadTimeline = true
	h.x.Seed("Posted by hand on x.com: the sale & more https://news.lib.org/news/sale/", time.Now().Add(-time.Minute))
	setup := Setup{Root: h.root, Config: h.cfg, Getenv: func(k string) string { return h.env[k] }}
	st, err := RefreshTimeline(context.Background(), setup)
	if err != nil || st[0].Network != "x" || st[0].Posts != 1 || st[0].Skipped != "" {
		t.Fatalf("%+v %v", st, err)
	}
	var x []FeedPost
	for _, p := range SitePosts(setup) {
		if p.Network == "x" {
			x = append(x, p)
		}
	}
	if len(x) != 1 || len(x[0].Parts) != 2 || x[0].Parts[0].Text != "Posted by hand on x.com: the sale & more " ||
		x[0].Parts[1].Link != "https://news.lib.org/news/sale/" || x[0].Parts[1].Text != "news.lib.org/news/sale" {
		t.Errorf("X posts %+v", x)
	}
}

// The feed of a public account is read without its secret (a site that
// only shows its posts, a run without secrets): Mastodon's with no token,
// Bluesky's with no session, from the public AppView. A Mastodon server
// that wants a token for its API keeps the last snapshot, and says why in
// a note rather than as a failure.
func TestRefreshTimelineWithoutSecrets(t *testing.T) {
	h := newThree(t)
	delete(h.env, "MASTODON_ACCESS_TOKEN")
	delete(h.env, "BLUESKY_APP_PASSWORD")
	h.m.Seed("Written by hand on Mastodon https://news.lib.org/news/sale/", time.Now().Add(-time.Hour))
	h.b.Seed("Written by hand on Bluesky https://news.lib.org/news/swap/", time.Now().Add(-2*time.Hour))
	setup := Setup{Root: h.root, Config: h.cfg, Getenv: func(k string) string { return h.env[k] }, Networks: []string{"mastodon", "bluesky"}}
	st, err := RefreshTimeline(context.Background(), setup)
	if err != nil || len(st) != 2 {
		t.Fatalf("without secrets: %+v %v", st, err)
	}
	for _, s := range st {
		if s.Posts != 1 || s.Skipped != "" || s.Err != nil || s.Note != "" {
			t.Errorf("without secrets: %+v", s)
		}
	}
	posts := SitePosts(setup)
	if len(posts) != 2 || posts[0].Network != "mastodon" || posts[0].Parts[1].Link != "https://news.lib.org/news/sale/" ||
		posts[1].Network != "bluesky" || posts[1].Parts[1].Link != "https://news.lib.org/news/swap/" {
		t.Fatalf("posts %+v", posts)
	}
	for _, r := range h.m.Requests() {
		if r.Path == "/api/v1/accounts/verify_credentials" || r.Status != 200 {
			t.Errorf("mastodon request %+v", r)
		}
	}
	for _, r := range h.b.Requests() {
		if r.Service != "appview" || r.Status != 200 {
			t.Errorf("bluesky request %+v", r)
		}
	}
	// With the app password, the feed is still read without a login.
	h.env["BLUESKY_APP_PASSWORD"] = h.b.Options().AppPassword
	if st, _ := RefreshTimeline(context.Background(), setup); st[1].Posts != 1 || h.b.Sessions() != 0 {
		t.Errorf("with the app password: %+v, %d sessions", st[1], h.b.Sessions())
	}
	setup.Networks = []string{"mastodon"}

	// The same account on a server that answers signed-in apps only.
	locked := fakemastodon.New(t, fakemastodon.Options{RequireAuth: true})
	locked.Seed("Not seen", time.Now())
	h.env["CIRCULATE_MASTODON_URL"] = locked.URL
	st, err = RefreshTimeline(context.Background(), setup)
	if err != nil || st[0].Err != nil || !strings.Contains(st[0].Note, "signed-in apps") || !strings.Contains(st[0].Note, "MASTODON_ACCESS_TOKEN") {
		t.Fatalf("a server that requires a token: %+v %v", st, err)
	}
	if posts := onNetwork(SitePosts(setup), "mastodon"); len(posts) != 1 || posts[0].Parts[0].Text != "Written by hand on Mastodon " {
		t.Errorf("the last snapshot is not kept: %+v", posts)
	}
	// With the token, that server is read.
	h.env["MASTODON_ACCESS_TOKEN"] = locked.Options().Token
	if st, _ := RefreshTimeline(context.Background(), setup); st[0].Posts != 1 || st[0].Note != "" {
		t.Errorf("with the token: %+v", st)
	}
	if posts := onNetwork(SitePosts(setup), "mastodon"); len(posts) != 1 || posts[0].Parts[0].Text != "Not seen" {
		t.Errorf("with the token: %+v", posts)
	}
}

func onNetwork(posts []FeedPost, network string) []FeedPost {
	var out []FeedPost
	for _, p := range posts {
		if p.Network == network {
			out = append(out, p)
		}
	}
	return out
}
