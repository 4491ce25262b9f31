package publisher

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/circulate-dev/circulate/internal/fakex"
	"github.com/circulate-dev/circulate/internal/item"
)

func newX(t *testing.T, srv *fakex.Server, mod ...func(*Credentials, *XConfig)) *X {
	t.Helper()
	o := srv.Options()
	c := Credentials{o.ConsumerKey, o.ConsumerSecret, o.AccessToken, o.AccessSecret}
	cfg := XConfig{APIURL: srv.URL, Handle: "RiversideLib", Timeout: 2 * time.Second, PricePost: 0.015, PricePostWithLink: 0.2}
	for _, m := range mod {
		m(&c, &cfg)
	}
	return NewX(cfg, c)
}

func TestXPostAndRecent(t *testing.T) {
	srv := fakex.New(t, fakex.Options{})
	x := newX(t, srv)
	text := "Storytime: Saturday https://news.riverside-library.example.org/events/storytime/"
	p, err := x.Post(context.Background(), text)
	if err != nil {
		t.Fatal(err)
	}
	if p.ID == "" || p.URL != "https://x.com/RiversideLib/status/"+p.ID {
		t.Errorf("post = %+v", p)
	}
	recent, err := x.Recent(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// X shows a t.co link; Recent gives the text as it was sent.
	if len(recent) != 1 || recent[0].Text != text || recent[0].ID != p.ID {
		t.Errorf("recent = %+v", recent)
	}
	if recent[0].Created.IsZero() {
		t.Error("no created_at")
	}
}

// Each answer of X becomes the failure kind that decides what a run does,
// and no message ever holds a secret.
func TestXFailures(t *testing.T) {
	cases := []struct {
		name   string
		opts   fakex.Options
		fault  *fakex.Fault
		mod    func(*Credentials, *XConfig)
		text   string
		kind   Failure
		status int
		hint   string
	}{
		{"wrong secret", fakex.Options{}, nil, func(c *Credentials, _ *XConfig) { c.AccessSecret = "wrong-secret-value" }, "", Auth, 401, "X_API_KEY"},
		{"read-only app", fakex.Options{ReadOnly: true}, nil, nil, "", Auth, 403, "Read and write"},
		{"too long", fakex.Options{}, nil, nil, strings.Repeat("a", 281), Rejected, 400, ""},
		{"server error", fakex.Options{}, ptr(fakex.Status5xx(503)), nil, "", Unknown, 503, ""},
		{"lying gateway", fakex.Options{}, ptr(fakex.PostThen5xx(502)), nil, "", Unknown, 502, ""},
		{"dropped before the post", fakex.Options{}, ptr(fakex.DropBeforePost()), nil, "", Unknown, 0, ""},
		{"rate limited", fakex.Options{}, ptr(fakex.RateLimited(time.Now().Add(10 * time.Minute))), nil, "", RateLimited, 429, ""},
		{"slow past the timeout", fakex.Options{}, ptr(fakex.Slow(5 * time.Second)), nil, "", Unknown, 0, ""},
		{"accept then drop", fakex.Options{}, ptr(fakex.AcceptThenDrop()), nil, "", Unknown, 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := fakex.New(t, c.opts)
			if c.fault != nil {
				srv.Fail(*c.fault)
			}
			mod := func(*Credentials, *XConfig) {}
			if c.mod != nil {
				mod = c.mod
			}
			x := newX(t, srv, mod, func(_ *Credentials, cfg *XConfig) { cfg.Timeout = 500 * time.Millisecond })
			text := c.text
			if text == "" {
				text = "Hello from the library " + c.name
			}
			_, err := x.Post(context.Background(), text)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v", err)
			}
			if e.Kind != c.kind || e.Status != c.status {
				t.Errorf("kind %d status %d, want %d %d (%v)", e.Kind, e.Status, c.kind, c.status, e)
			}
			if !strings.Contains(e.Hint, c.hint) {
				t.Errorf("hint %q does not mention %q", e.Hint, c.hint)
			}
			if c.kind == RateLimited && e.RetryAt.Before(time.Now()) {
				t.Errorf("RetryAt %v is not in the future", e.RetryAt)
			}
			o := srv.Options()
			for _, secret := range []string{o.ConsumerSecret, o.AccessSecret, o.AccessToken, "wrong-secret-value"} {
				if strings.Contains(err.Error()+e.Hint, secret) {
					t.Errorf("the error shows a secret: %v", err)
				}
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// Issue #3: under injected faults, repeated runs end with every new item
// posted exactly once, and no run crashes.
func TestExactlyOnceAgainstFakeX(t *testing.T) {
	srv := fakex.New(t, fakex.Options{})
	srv.Fail(fakex.Status5xx(503), fakex.Status5xx(503), fakex.Slow(3*time.Second), fakex.AcceptThenDrop(),
		fakex.RateLimited(time.Now().Add(time.Second)))
	x := newX(t, srv, func(_ *Credentials, cfg *XConfig) { cfg.Timeout = 700 * time.Millisecond })
	path := filepath.Join(t.TempDir(), "ledger.json")
	l := NewLedger(path)
	l.Set("x", "news/old", &Entry{State: Baseline, Time: now})
	if err := l.Save(); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	var items []*item.Item
	for _, s := range []string{"a", "b", "c", "d", "e"} {
		it := newsItem(s, start.Add(-time.Hour))
		it.URL = "https://news.riverside-library.example.org/news/" + s + "/"
		items = append(items, it)
	}
	for run := 0; run < 6; run++ {
		l, err := LoadLedger(path)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Publish(context.Background(), items, l, x, composer(t), Options{Now: time.Now(), MaxAge: time.Hour * 24, MaxPosts: 10,
			Sleep:   func(context.Context, time.Duration) error { return nil },
			Written: func(*item.Item) bool { return true }})
		if err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		time.Sleep(1100 * time.Millisecond) // past the rate-limit reset and the slow answer
	}
	if n := srv.PendingFaults(); n != 0 {
		t.Fatalf("%d faults were never injected", n)
	}
	seen := map[string]int{}
	for _, p := range srv.Posts() {
		for _, u := range p.URLs {
			seen[u.ExpandedURL]++
		}
	}
	for _, it := range items {
		if seen[it.URL] != 1 {
			t.Errorf("%s posted %d times", it.ID, seen[it.URL])
		}
	}
	l, _ = LoadLedger(path)
	for _, it := range items {
		if e := l.Get("x", it.ID); e == nil || e.State != Posted {
			t.Errorf("%s: ledger %+v", it.ID, e)
		}
	}
}
