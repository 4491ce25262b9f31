package publisher

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/circulate-dev/circulate/internal/fakebsky"
)

func newBluesky(srv *fakebsky.Server, mod ...func(*BlueskyConfig)) *Bluesky {
	cfg := BlueskyConfig{PDS: srv.URL, AppView: srv.AppViewURL, Handle: srv.Options().Handle, Language: "en", Timeout: 2 * time.Second}
	for _, m := range mod {
		m(&cfg)
	}
	return NewBluesky(cfg, srv.Options().AppPassword)
}

func TestRKey(t *testing.T) {
	seen := map[string]string{}
	for i := range 2000 {
		key := fmt.Sprintf("events/item-%d", i)
		r := RKey(key)
		if !fakebsky.ValidTID(r) {
			t.Fatalf("RKey(%q) = %q, not a TID", key, r)
		}
		if r != RKey(key) {
			t.Fatalf("RKey(%q) not stable", key)
		}
		if other, dup := seen[r]; dup {
			t.Fatalf("%q and %q share %s", key, other, r)
		}
		seen[r] = key
	}
}

func TestBlueskySend(t *testing.T) {
	srv := fakebsky.New(t, fakebsky.Options{})
	b := newBluesky(srv)
	text := "Café storytime 🦆 for kids: Saturday " + storyLink
	msg := Message{Key: "events/storytime", Text: text, Link: storyLink, Title: "Storytime in the park", Description: "Songs and stories", Lang: "en", Image: pngImage("Kids on a rug")}
	p, err := b.Send(context.Background(), msg)
	if err != nil {
		t.Fatal(err)
	}
	own := srv.Own()
	if len(own) != 1 || own[0].RKey != RKey("events/storytime") || p.ID != own[0].RKey || p.URL != "https://bsky.app/profile/riversidelib.bsky.social/post/"+p.ID {
		t.Fatalf("post %+v, stored %+v", p, own)
	}
	rec := own[0].Record
	facet := rec["facets"].([]any)[0].(map[string]any)
	idx := facet["index"].(map[string]any)
	start, _ := idx["byteStart"].(interface{ Int64() (int64, error) }).Int64()
	end, _ := idx["byteEnd"].(interface{ Int64() (int64, error) }).Int64()
	if text[start:end] != storyLink {
		t.Errorf("facet %d..%d is %q", start, end, text[start:end])
	}
	ext := rec["embed"].(map[string]any)["external"].(map[string]any)
	if ext["uri"] != storyLink || ext["title"] != "Storytime in the park" || ext["thumb"] == nil || fmt.Sprint(rec["langs"]) != "[en]" {
		t.Errorf("record %+v", rec)
	}
	// The next run posts the same item again (say, its entry was lost):
	// the PDS holds one record per key, and the client finds it.
	p2, err := newBluesky(srv).Send(context.Background(), msg)
	if err != nil || p2.ID != p.ID || len(srv.Own()) != 1 {
		t.Fatalf("second send: %+v %v, %d posts", p2, err, len(srv.Own()))
	}
	if srv.Sessions() != 2 {
		t.Errorf("%d sessions for two runs", srv.Sessions())
	}
}

func TestBlueskyUnknownOutcomes(t *testing.T) {
	for _, f := range []fakebsky.Fault{fakebsky.CreateThen5xx(500), fakebsky.CreateThen5xx(502), fakebsky.AcceptThenDrop(), fakebsky.Status5xx(503)} {
		t.Run(f.String(), func(t *testing.T) {
			srv := fakebsky.New(t, fakebsky.Options{})
			srv.Fail(f)
			p, err := newBluesky(srv).Send(context.Background(), Message{Key: "news/sale", Text: "Book sale " + storyLink})
			if err != nil || len(srv.Own()) != 1 || p.ID != RKey("news/sale") {
				t.Fatalf("%v; %d posts", err, len(srv.Own()))
			}
		})
	}
	srv := fakebsky.New(t, fakebsky.Options{})
	srv.Fail(fakebsky.Status5xx(502), fakebsky.Status5xx(502), fakebsky.Status5xx(502))
	if _, err := newBluesky(srv).Send(context.Background(), Message{Key: "k", Text: "x"}); failureOf(err).Kind != Transient || len(srv.Own()) != 0 {
		t.Errorf("502 every time: %v", err)
	}
}

func TestBlueskySessionOncePerRun(t *testing.T) {
	clock := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	srv := fakebsky.New(t, fakebsky.Options{Now: now})
	b := newBluesky(srv)
	for i := range 5 {
		if i == 3 {
			srv.ExpireAccessTokens()
		}
		if _, err := b.Send(context.Background(), Message{Key: fmt.Sprint(i), Text: fmt.Sprint("post ", i)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Recent(context.Background()); err != nil {
		t.Fatal(err)
	}
	if srv.Sessions() != 1 || len(srv.Own()) != 5 {
		t.Errorf("%d sessions, %d posts", srv.Sessions(), len(srv.Own()))
	}
}

func TestBlueskyFailures(t *testing.T) {
	cases := []struct {
		name string
		opts fakebsky.Options
		pw   string
		text string
		lang string
		pre  func(*fakebsky.Server)
		kind Failure
		hint string
	}{
		{name: "wrong app password", pw: "wrong", kind: Auth, hint: "BLUESKY_APP_PASSWORD"},
		{name: "too many logins", opts: fakebsky.Options{SessionLimitDay: 1}, pre: func(s *fakebsky.Server) {
			NewBluesky(BlueskyConfig{PDS: s.URL, Handle: s.Options().Handle}, "wrong").Send(context.Background(), Message{Text: "x"})
		}, kind: RateLimited},
		{name: "301 graphemes", text: strings.Repeat("a", 301), kind: Rejected},
		{name: "bad language", lang: "English!", kind: Rejected},
		{name: "rate limited", pre: func(s *fakebsky.Server) { s.Fail(fakebsky.RateLimited(time.Now().Add(time.Hour))) }, kind: RateLimited},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := fakebsky.New(t, c.opts)
			if c.pre != nil {
				c.pre(srv)
			}
			b := newBluesky(srv)
			if c.pw != "" {
				b = NewBluesky(BlueskyConfig{PDS: srv.URL, Handle: srv.Options().Handle}, c.pw)
			}
			text := c.text
			if text == "" {
				text = "hello"
			}
			_, err := b.Send(context.Background(), Message{Key: "k", Text: text, Lang: c.lang})
			f := failureOf(err)
			if err == nil || f.Kind != c.kind {
				t.Fatalf("err %v kind %d, want %d", err, f.Kind, c.kind)
			}
			if c.hint != "" && !strings.Contains(f.Hint, c.hint) {
				t.Errorf("hint %q", f.Hint)
			}
			if strings.Contains(err.Error()+f.Hint, srv.Options().AppPassword) {
				t.Errorf("the password is in the error")
			}
		})
	}
}

func TestBlueskyWeighAndFit(t *testing.T) {
	b := newBluesky(fakebsky.New(t, fakebsky.Options{}))
	body := strings.Repeat("Lecture 👨‍👩‍👧 à la bibliothèque ", 20)
	out := b.Fit(body, " "+storyLink)
	if n, limit := b.Weigh(out); n > limit || !strings.HasSuffix(out, "… "+storyLink) {
		t.Errorf("Fit: %d %q", n, out)
	}
	srv := fakebsky.New(t, fakebsky.Options{})
	if _, err := newBluesky(srv).Send(context.Background(), Message{Key: "k", Text: out, Link: storyLink, Title: "t"}); err != nil {
		t.Errorf("the fitted text was refused: %v", err)
	}
}

func TestBlueskyTimelineAndReplies(t *testing.T) {
	clock := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	srv := fakebsky.New(t, fakebsky.Options{Now: func() time.Time { return clock }})
	b := newBluesky(srv, func(c *BlueskyConfig) { c.Now = func() time.Time { return clock } })
	hand := srv.Seed("Book sale today! https://news.riverside-library.example.org/news/spring-book-sale-2026/", clock.Add(-time.Hour))
	p, err := b.Send(context.Background(), Message{Key: "events/a", Text: "Storytime " + storyLink, Link: storyLink, Title: "Storytime"})
	if err != nil {
		t.Fatal(err)
	}
	own := srv.Own()
	srv.SeedReply(fakebsky.Profile{Handle: "patron.bsky.social", DisplayName: "Pat"}, "Is it free?", own[1].URI, clock.Add(time.Minute))
	srv.SeedMention(fakebsky.Profile{Handle: "friend.bsky.social"}, "Thanks @riversidelib.bsky.social", clock.Add(2*time.Minute))
	srv.SeedNotification("like", fakebsky.Profile{Handle: "fan.bsky.social"}, own[1].URI, clock.Add(3*time.Minute))

	feed, err := b.Timeline(context.Background(), 10)
	if err != nil || len(feed) != 2 {
		t.Fatalf("timeline %+v %v", feed, err)
	}
	if feed[1].URL != "https://bsky.app/profile/riversidelib.bsky.social/post/"+hand.RKey ||
		len(feed[1].Parts) != 2 || feed[1].Parts[1].Text != "news.riverside-library.example.org/news/spring-..." ||
		feed[1].Parts[1].Link != "https://news.riverside-library.example.org/news/spring-book-sale-2026/" {
		t.Errorf("by hand: %+v", feed[1])
	}
	recent, _ := b.Recent(context.Background())
	if len(recent) != 2 || recent[0].Text != "Storytime "+storyLink || recent[0].ID != p.ID {
		t.Errorf("recent %+v", recent)
	}
	replies, err := b.Replies(context.Background(), clock)
	if err != nil || len(replies) != 2 {
		t.Fatalf("replies %+v %v", replies, err)
	}
	if r := replies[1]; r.Kind != "reply" || r.Handle != "@patron.bsky.social" || r.Author != "Pat" || r.Text != "Is it free?" || r.InReplyTo != p.URL ||
		!strings.HasPrefix(r.URL, "https://bsky.app/profile/patron.bsky.social/post/") {
		t.Errorf("reply %+v", r)
	}
	if r := replies[0]; r.Kind != "mention" || r.InReplyTo != "" {
		t.Errorf("mention %+v", r)
	}
}

// The account's feed is public: read from the public AppView without a
// session (no app password needed, no login used up); through the PDS
// with the run's session once there is one.
func TestBlueskyFeedWithoutSession(t *testing.T) {
	srv := fakebsky.New(t, fakebsky.Options{})
	srv.Seed("By hand https://news.riverside-library.example.org/news/sale/", time.Now().Add(-time.Hour))
	served := func() []string {
		var out []string
		for _, r := range srv.Requests() {
			if r.NSID == "app.bsky.feed.getAuthorFeed" {
				out = append(out, fmt.Sprint(r.Service, " ", r.Status))
			}
		}
		return out
	}
	anon := NewBluesky(BlueskyConfig{PDS: srv.URL, AppView: srv.AppViewURL, Handle: srv.Options().Handle}, "")
	feed, err := anon.Timeline(context.Background(), 10)
	if err != nil || len(feed) != 1 || feed[0].Parts[1].Link != "https://news.riverside-library.example.org/news/sale/" {
		t.Fatalf("without the app password: %+v %v", feed, err)
	}
	b := newBluesky(srv)
	if feed, err := b.Timeline(context.Background(), 10); err != nil || len(feed) != 1 {
		t.Fatalf("with the app password: %+v %v", feed, err)
	}
	if n := srv.Sessions(); n != 0 {
		t.Errorf("reading the feed made %d sessions", n)
	}
	if _, err := b.Send(context.Background(), Message{Key: "events/a", Text: "Storytime " + storyLink, Link: storyLink, Title: "Storytime"}); err != nil {
		t.Fatal(err)
	}
	if recent, err := b.Recent(context.Background()); err != nil || len(recent) != 2 {
		t.Fatalf("recent %+v %v", recent, err)
	}
	if got := strings.Join(served(), ","); got != "appview 200,appview 200,pds 200" {
		t.Errorf("getAuthorFeed served by %s", got)
	}
	if srv.Sessions() != 1 {
		t.Errorf("%d sessions", srv.Sessions())
	}
	// A handle nobody has: the feed says which setting to check.
	wrong := NewBluesky(BlueskyConfig{PDS: srv.URL, AppView: srv.AppViewURL, Handle: "riversidelbi.bsky.social"}, "")
	if _, err := wrong.Timeline(context.Background(), 10); failureOf(err).Kind != Rejected || !strings.Contains(err.Error(), "social.bluesky.handle") {
		t.Errorf("unknown handle: %v", err)
	}
}

var _ Network = (*Bluesky)(nil)
var _ Sender = (*Bluesky)(nil)
var _ ReplyReader = (*Bluesky)(nil)
var _ TimelineReader = (*Bluesky)(nil)
