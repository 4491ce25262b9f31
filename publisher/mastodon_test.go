package publisher

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/circulate-dev/circulate/internal/fakemastodon"
)

func noSleep(context.Context, time.Duration) error { return nil }

func newMastodon(srv *fakemastodon.Server, mod ...func(*MastodonConfig)) *Mastodon {
	cfg := MastodonConfig{Server: srv.URL, Handle: "riversidelib", Language: "en", Timeout: 2 * time.Second, Sleep: noSleep}
	for _, m := range mod {
		m(&cfg)
	}
	return NewMastodon(cfg, srv.Options().Token)
}

func pngImage(alt string) *Image {
	return &Image{URL: "https://news.example.org/img/storytime.png", Alt: alt,
		Load: func(context.Context) ([]byte, string, error) {
			return []byte("\x89PNG\r\n\x1a\nfake"), "image/png", nil
		}}
}

const storyLink = "https://news.riverside-library.example.org/events/storytime-in-the-park/"

func TestMastodonSend(t *testing.T) {
	srv := fakemastodon.New(t, fakemastodon.Options{MediaPolls: 2})
	m := newMastodon(srv)
	msg := Message{Key: "events/storytime", Text: "Storytime in the park: Saturday 10:30 " + storyLink, Link: storyLink, Lang: "en", Image: pngImage("Children on a rug with a reader")}
	p, err := m.Send(context.Background(), msg)
	if err != nil {
		t.Fatal(err)
	}
	st := srv.Own()
	if len(st) != 1 || p.ID != st[0].ID || p.URL != st[0].URL || st[0].Text != msg.Text || st[0].Language != "en" || st[0].Visibility != "public" {
		t.Fatalf("post %+v, stored %+v", p, st)
	}
	if len(st[0].Media) != 1 || st[0].Media[0].Description != "Children on a rug with a reader" {
		t.Errorf("media %+v", st[0].Media)
	}
	if st[0].IdempotencyKey != idemKey("events/storytime", msg.Text) || !strings.HasPrefix(st[0].IdempotencyKey, "circulate-") {
		t.Errorf("key %q", st[0].IdempotencyKey)
	}
	if p.Text != msg.Text || len(p.Links) != 1 || p.Links[0] != storyLink {
		t.Errorf("answer read as %+v", p)
	}
	recent, err := m.Recent(context.Background())
	if err != nil || len(recent) != 1 || recent[0].Text != msg.Text {
		t.Errorf("recent %+v %v", recent, err)
	}
}

func TestMastodonWeighAndFit(t *testing.T) {
	m := newMastodon(fakemastodon.New(t, fakemastodon.Options{}))
	long := "https://news.riverside-library.example.org/events/" + strings.Repeat("x", 100) + "/"
	if n, limit := m.Weigh("See " + long); n != 27 || limit != 500 {
		t.Errorf("Weigh = %d/%d", n, limit)
	}
	body := strings.Repeat("Storytime 👩‍👧 ", 60)
	out := m.Fit(body, " "+long)
	if n, _ := m.Weigh(out); n > 500 || !strings.HasSuffix(out, "… "+long) || n != fakemastodon.Length(out) {
		t.Errorf("Fit: %d %q", n, out)
	}
	if strings.Contains(out, "\u200d…") || strings.Contains(out, "👩…") {
		t.Errorf("cut inside a grapheme cluster: %q", out)
	}
}

// Each answer of Mastodon becomes the failure kind that decides what a run
// does, with a hint that names the fix.
func TestMastodonFailures(t *testing.T) {
	cases := []struct {
		name   string
		opts   fakemastodon.Options
		faults func(*fakemastodon.Server) []fakemastodon.Fault
		token  string
		text   string
		kind   Failure
		hint   string
		msg    string
	}{
		{name: "bad token", token: "wrong", kind: Auth, hint: "MASTODON_ACCESS_TOKEN"},
		{name: "read-only token", opts: fakemastodon.Options{Scopes: []string{"read"}}, kind: Auth, hint: "write:statuses"},
		{name: "too long", text: strings.Repeat("a", 501), kind: Rejected, msg: "Validation failed: Text character limit of 500 exceeded"},
		{name: "rate limited", faults: func(s *fakemastodon.Server) []fakemastodon.Fault {
			return []fakemastodon.Fault{fakemastodon.RateLimited(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))}
		}, kind: RateLimited},
		{name: "5xx every time", faults: func(*fakemastodon.Server) []fakemastodon.Fault {
			return []fakemastodon.Fault{fakemastodon.Status5xx(502), fakemastodon.Status5xx(503), fakemastodon.Status5xx(502)}
		}, kind: Unknown},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := fakemastodon.New(t, c.opts)
			if c.faults != nil {
				srv.Fail(c.faults(srv)...)
			}
			m := newMastodon(srv)
			if c.token != "" {
				m = NewMastodon(MastodonConfig{Server: srv.URL, Sleep: noSleep}, c.token)
			}
			text := c.text
			if text == "" {
				text = "Storytime " + storyLink
			}
			_, err := m.Send(context.Background(), Message{Key: "events/storytime", Text: text})
			f := failureOf(err)
			if err == nil || f.Kind != c.kind {
				t.Fatalf("err %v (kind %d), want kind %d", err, f.Kind, c.kind)
			}
			if c.hint != "" && !strings.Contains(f.Hint, c.hint) {
				t.Errorf("hint %q, want it to mention %s", f.Hint, c.hint)
			}
			if c.msg != "" && f.Message != c.msg {
				t.Errorf("message %q", f.Message)
			}
			if c.kind == RateLimited && !f.RetryAt.Equal(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("retry at %s", f.RetryAt)
			}
			if strings.Contains(err.Error()+f.Hint, srv.Options().Token) {
				t.Errorf("the token is in the error")
			}
			if len(srv.Own()) != 0 {
				t.Errorf("a status was made")
			}
		})
	}
}

// A status made whose answer was lost is not made twice: the retry, in the
// same run or the next, carries the same Idempotency-Key.
func TestMastodonUnknownOutcomes(t *testing.T) {
	for _, f := range []fakemastodon.Fault{fakemastodon.CreateThen5xx(504), fakemastodon.AcceptThenDrop(), fakemastodon.Status5xx(502)} {
		t.Run(f.String(), func(t *testing.T) {
			srv := fakemastodon.New(t, fakemastodon.Options{})
			srv.Fail(f)
			msg := Message{Key: "news/sale", Text: "Book sale " + storyLink}
			p, err := newMastodon(srv).Send(context.Background(), msg)
			if err != nil || len(srv.Own()) != 1 || p.ID != srv.Own()[0].ID {
				t.Fatalf("%v; %d statuses", err, len(srv.Own()))
			}
		})
	}
	// Every attempt of this run fails after making the status; the next
	// run's client re-sends the recorded text and gets the same status.
	srv := fakemastodon.New(t, fakemastodon.Options{})
	srv.Fail(fakemastodon.CreateThen5xx(502), fakemastodon.CreateThen5xx(502), fakemastodon.CreateThen5xx(502))
	msg := Message{Key: "news/sale", Text: "Book sale " + storyLink}
	if _, err := newMastodon(srv).Send(context.Background(), msg); failureOf(err).Kind != Unknown {
		t.Fatalf("first run: %v", err)
	}
	p, err := newMastodon(srv).Send(context.Background(), msg)
	if err != nil || len(srv.Own()) != 1 || p.ID != srv.Own()[0].ID {
		t.Fatalf("next run: %v, %d statuses", err, len(srv.Own()))
	}
	// A server that is down is "not sent".
	down := fakemastodon.New(nil, fakemastodon.Options{})
	down.Close()
	if _, err := newMastodon(down).Send(context.Background(), msg); failureOf(err).Kind != Transient {
		t.Errorf("server down: %v", err)
	}
}

func TestMastodonTimelineAndReplies(t *testing.T) {
	clock := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	srv := fakemastodon.New(t, fakemastodon.Options{Now: func() time.Time { return clock }})
	m := newMastodon(srv)
	byHand := srv.Seed("Our book sale starts today! https://news.riverside-library.example.org/news/spring-book-sale-2026/ #books", clock.Add(-time.Hour))
	posted, err := m.Send(context.Background(), Message{Key: "events/a", Text: "Storytime " + storyLink})
	if err != nil {
		t.Fatal(err)
	}
	patron := fakemastodon.Account{Username: "patron", Domain: "example.social", DisplayName: "Pat Ron"}
	srv.SeedReply(patron, "@riversidelib Is it free? https://example.social/x", posted.ID, clock.Add(time.Minute))
	srv.SeedReply(fakemastodon.Account{Username: "old"}, "@riversidelib old", posted.ID, clock.Add(-2*time.Hour))
	srv.SeedNotification("favourite", patron, posted.ID, clock.Add(2*time.Minute))

	feed, err := m.Timeline(context.Background(), 10)
	if err != nil || len(feed) != 2 {
		t.Fatalf("timeline %+v %v", feed, err)
	}
	hand := feed[1]
	if hand.ID != byHand.ID || hand.URL != byHand.URL || !hand.Created.Equal(clock.Add(-time.Hour)) || hand.Network != "mastodon" {
		t.Errorf("by hand: %+v", hand)
	}
	want := []Part{{Text: "Our book sale starts today! "}, {Text: "news.riverside-library.example…", Link: "https://news.riverside-library.example.org/news/spring-book-sale-2026/"},
		{Text: " "}, {Text: "#books", Link: srv.URL + "/tags/books"}}
	if len(hand.Parts) != len(want) {
		t.Fatalf("parts %+v", hand.Parts)
	}
	for i := range want {
		if hand.Parts[i] != want[i] {
			t.Errorf("part %d = %+v, want %+v", i, hand.Parts[i], want[i])
		}
	}
	replies, err := m.Replies(context.Background(), clock.Add(-30*time.Minute))
	if err != nil || len(replies) != 1 {
		t.Fatalf("replies %+v %v", replies, err)
	}
	r := replies[0]
	if r.Handle != "@patron@example.social" || r.Author != "Pat Ron" || r.Kind != "reply" || r.InReplyTo != srv.URL+"/@riversidelib/"+posted.ID ||
		!strings.HasPrefix(r.URL, "https://example.social/@patron/") || !strings.Contains(r.Text, "Is it free?") {
		t.Errorf("reply %+v", r)
	}
}

var _ Network = (*Mastodon)(nil)
var _ Sender = (*Mastodon)(nil)
var _ ReplyReader = (*Mastodon)(nil)
var _ TimelineReader = (*Mastodon)(nil)
