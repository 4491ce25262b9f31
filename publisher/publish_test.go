package publisher

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/teambition/rrule-go"

	"github.com/circulate-dev/circulate/internal/item"
)

var now = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)

// fakeNet is a scripted Network: each Post consumes the next queued
// failure, if any; posts it "receives" are kept like a real account's,
// refused as duplicates like X's, and shown by Recent after lag reads.
type fakeNet struct {
	failures []error
	// received: the request reached the network even though it failed.
	received    []bool
	posts       []RemotePost
	shownFrom   []int // the read from which each post shows
	readsDenied bool
	lag         int // a post shows in Recent from the (lag+1)th read after it
	reads       int
	calls       int
	sent        []string // every text sent, in order
}

func (f *fakeNet) Name() string                 { return "x" }
func (f *fakeNet) Weigh(text string) (int, int) { return len([]rune(text)), 280 }
func (f *fakeNet) Fit(body, tail string) string {
	keep := 280 - len([]rune(tail)) - 1
	return string([]rune(body)[:keep]) + "…" + tail
}
func (f *fakeNet) Cost(text string) float64 { return 0.2 }
func (f *fakeNet) Post(ctx context.Context, text string) (*RemotePost, error) {
	f.calls++
	f.sent = append(f.sent, text)
	store := func() *RemotePost {
		for _, p := range f.posts {
			if p.Text == text {
				return nil
			}
		}
		p := RemotePost{ID: fmt.Sprint(100 + len(f.posts)), Text: text, Created: now}
		p.URL = "https://x.com/lib/status/" + p.ID
		f.posts = append(f.posts, p)
		f.shownFrom = append(f.shownFrom, f.reads+f.lag+1)
		return &p
	}
	if len(f.failures) > 0 {
		err, recv := f.failures[0], f.received[0]
		f.failures, f.received = f.failures[1:], f.received[1:]
		if recv {
			store()
		}
		return nil, err
	}
	p := store()
	if p == nil {
		return nil, &Error{Kind: Duplicate, Status: 403, Message: "duplicate content"}
	}
	return p, nil
}
func (f *fakeNet) Recent(ctx context.Context) ([]RemotePost, error) {
	if f.readsDenied {
		return nil, &Error{Kind: NoReads, Status: 403, Message: "client-not-enrolled"}
	}
	f.reads++
	var out []RemotePost
	for i, p := range f.posts {
		if f.reads >= f.shownFrom[i] {
			out = append(out, p)
		}
	}
	return out, nil
}
func (f *fakeNet) fail(err error, received bool) {
	f.failures = append(f.failures, err)
	f.received = append(f.received, received)
}

func newsItem(slug string, date time.Time) *item.Item {
	return &item.Item{Kind: item.News, Slug: slug, ID: "news/" + slug, Title: "News " + slug, Date: date,
		URL: "https://news.lib.org/news/" + slug + "/"}
}

func eventItem(slug string, date, start time.Time) *item.Item {
	it := newsItem(slug, date)
	it.Kind, it.ID, it.URL = item.Event, "events/"+slug, "https://news.lib.org/events/"+slug+"/"
	it.Event = &item.EventInfo{Start: start, End: start.Add(time.Hour), HasEnd: true, Location: "Hall"}
	return it
}

func composer(t *testing.T) *Composer {
	c, err := NewComposer("social.x", map[string]string{"event": "{{.Title}}: {{.When}} {{.URL}}", "news": "{{.Title}} {{.URL}}", "title": "{{.Title}} {{.URL}}"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func run(t *testing.T, items []*item.Item, l *Ledger, net Network, mod ...func(*Options)) *Report {
	t.Helper()
	opts := Options{Now: now, MaxAge: 7 * 24 * time.Hour, MaxPosts: 10,
		Sleep:   func(context.Context, time.Duration) error { return nil },
		Written: func(*item.Item) bool { return true }}
	for _, m := range mod {
		m(&opts)
	}
	rep, err := Publish(context.Background(), items, l, net, composer(t), opts)
	if err != nil {
		var e *Error
		if !errors.As(err, &e) || e.Kind != Auth {
			t.Fatalf("Publish: %v", err)
		}
	}
	return rep
}

func actions(rep *Report) map[string]Action {
	m := map[string]Action{}
	for _, o := range rep.Outcomes {
		m[o.Item] = o.Action
	}
	return m
}

func TestFirstRunIsBaseline(t *testing.T) {
	l := NewLedger(filepath.Join(t.TempDir(), "ledger.json"))
	net := &fakeNet{}
	items := []*item.Item{newsItem("a", now.Add(-time.Hour)), newsItem("future", now.Add(time.Hour))}
	rep := run(t, items, l, net)
	if !rep.Baseline || net.calls != 0 {
		t.Fatalf("first run posted %d times, baseline=%v", net.calls, rep.Baseline)
	}
	if e := l.Get("x", "news/a"); e == nil || e.State != Baseline {
		t.Errorf("news/a = %+v, want baseline", e)
	}
	if l.Get("x", "news/future") != nil {
		t.Error("a future item was recorded")
	}
	// The ledger was saved: a fresh load sees the baseline.
	l2, err := LoadLedger(l.path)
	if err != nil || l2.Get("x", "news/a") == nil {
		t.Fatalf("reload: %v", err)
	}
	// The future item, once live, is posted.
	rep = run(t, items, l2, net, func(o *Options) { o.Now = now.Add(2 * time.Hour) })
	if got := actions(rep)["news/future"]; got != ActPosted || net.calls != 1 {
		t.Errorf("future item: %v after %d calls", got, net.calls)
	}
}

func TestRules(t *testing.T) {
	l := NewLedger("")
	l.Set("x", "news/old", &Entry{State: Baseline, Time: now})
	draft := newsItem("draft", now.Add(-time.Hour))
	draft.Draft = true
	noTweet := newsItem("quiet", now.Add(-time.Hour))
	noTweet.NoTweet = true
	items := []*item.Item{
		newsItem("new", now.Add(-time.Hour)),
		draft, noTweet,
		newsItem("stale", now.Add(-8*24*time.Hour)),
		newsItem("tomorrow", now.Add(24*time.Hour)),
		eventItem("started", now.Add(-48*time.Hour), now.Add(-time.Hour)),
		eventItem("upcoming", now.Add(-48*time.Hour), now.Add(48*time.Hour)),
		{Kind: item.Page, ID: "pages/about", Slug: "about", URL: "https://news.lib.org/about/"},
	}
	net := &fakeNet{}
	got := actions(run(t, items, l, net))
	want := map[string]Action{"news/new": ActPosted, "events/upcoming": ActPosted, "news/quiet": ActSkipped,
		"news/stale": ActSkipped, "events/started": ActSkipped}
	for id, a := range want {
		if got[id] != a {
			t.Errorf("%s: %q, want %q", id, got[id], a)
		}
	}
	for _, id := range []string{"news/draft", "news/tomorrow", "pages/about"} {
		if _, ok := got[id]; ok || l.Get("x", id) != nil {
			t.Errorf("%s was considered", id)
		}
	}
	// A second run posts nothing, even after an edit of a posted item.
	items[0].Title = "Edited"
	got = actions(run(t, items, l, net))
	if net.calls != 2 || len(got) != 0 {
		t.Errorf("second run: %d calls, outcomes %v", net.calls, got)
	}
}

func TestMaxPostsOldestFirst(t *testing.T) {
	l := NewLedger("")
	l.Set("x", "news/old", &Entry{State: Baseline, Time: now})
	var items []*item.Item
	for i := 5; i >= 1; i-- {
		items = append(items, newsItem(fmt.Sprint("n", i), now.Add(-time.Duration(i)*time.Hour)))
	}
	net := &fakeNet{}
	got := actions(run(t, items, l, net, func(o *Options) { o.MaxPosts = 2 }))
	if got["news/n5"] != ActPosted || got["news/n4"] != ActPosted || got["news/n3"] != ActWaiting {
		t.Errorf("run 1: %v", got)
	}
	got = actions(run(t, items, l, net, func(o *Options) { o.MaxPosts = 2 }))
	if got["news/n3"] != ActPosted || got["news/n2"] != ActPosted || got["news/n1"] != ActWaiting {
		t.Errorf("run 2: %v", got)
	}
}

// Whatever fails, an item is posted exactly once across runs.
func TestExactlyOnceUnderFaults(t *testing.T) {
	cases := []struct {
		name     string
		err      error
		received bool
		first    Action // the item's fate in the first run
	}{
		{"5xx then success", &Error{Kind: Unknown, Status: 503}, false, ActPosted},
		{"5xx after X stored it", &Error{Kind: Unknown, Status: 503}, true, ActSettled},
		{"connection refused", &Error{Kind: Transient, Message: "refused"}, false, ActPosted},
		{"timeout after X stored it", &Error{Kind: Unknown, Message: "timeout"}, true, ActPending},
		{"timeout before X stored it", &Error{Kind: Unknown, Message: "timeout"}, false, ActPending},
		{"connection dropped after storing", &Error{Kind: Unknown, Message: "EOF"}, true, ActPending},
		{"rate limited", &Error{Kind: RateLimited, Status: 429, RetryAt: now.Add(15 * time.Minute)}, false, ActWaiting},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := NewLedger(filepath.Join(t.TempDir(), "ledger.json"))
			l.Set("x", "news/old", &Entry{State: Baseline, Time: now})
			items := []*item.Item{newsItem("a", now.Add(-time.Hour))}
			net := &fakeNet{}
			net.fail(c.err, c.received)
			if got := actions(run(t, items, l, net))["news/a"]; got != c.first {
				t.Errorf("first run: %v, want %v", got, c.first)
			}
			for i := 0; i < 3; i++ {
				l, _ = LoadLedger(l.path)
				run(t, items, l, net)
			}
			if len(net.posts) != 1 {
				t.Fatalf("%d posts on the account, want 1", len(net.posts))
			}
			if e := l.Get("x", "news/a"); e.State != Posted || e.PostURL != net.posts[0].URL {
				t.Errorf("ledger: %+v", e)
			}
		})
	}
}

// When the account's posts cannot be read (X's plans without reads), a
// pending item is sent again with its recorded text after a run's wait, and
// X's duplicate guard settles it: posted once, with its address unknown.
func TestPendingWithoutReads(t *testing.T) {
	l := NewLedger("")
	l.Set("x", "news/old", &Entry{State: Baseline, Time: now})
	items := []*item.Item{newsItem("a", now.Add(-time.Hour))}
	net := &fakeNet{readsDenied: true}
	net.fail(&Error{Kind: Unknown, Message: "timeout"}, true)
	if got := actions(run(t, items, l, net))["news/a"]; got != ActPending {
		t.Fatalf("run 1: %v", got)
	}
	items[0].Title = "Edited"
	rep := run(t, items, l, net)
	if got := actions(rep)["news/a"]; got != ActPending || net.calls != 1 {
		t.Fatalf("run 2: %v after %d requests; want pending, 1 request", got, net.calls)
	}
	rep = run(t, items, l, net)
	o := rep.Outcomes[0]
	if o.Action != ActSettled || len(net.posts) != 1 || net.sent[1] != net.sent[0] {
		t.Fatalf("run 3: %+v; sent %q", o, net.sent)
	}
	if e := l.Get("x", "news/a"); e.State != Posted || e.PostURL != "" || e.Text != net.sent[0] {
		t.Errorf("ledger: %+v", e)
	}
}

func TestAuthStopsTheRun(t *testing.T) {
	l := NewLedger("")
	l.Set("x", "news/old", &Entry{State: Baseline, Time: now})
	items := []*item.Item{newsItem("a", now.Add(-2*time.Hour)), newsItem("b", now.Add(-time.Hour))}
	net := &fakeNet{}
	net.fail(&Error{Kind: Auth, Status: 401, Message: "Unauthorized"}, false)
	_, err := Publish(context.Background(), items, l, net, composer(t), Options{Now: now, MaxPosts: 10, Written: func(*item.Item) bool { return true }})
	var e *Error
	if !errors.As(err, &e) || e.Kind != Auth {
		t.Fatalf("err = %v", err)
	}
	if net.calls != 1 || l.Get("x", "news/a") != nil || l.Get("x", "news/b") != nil {
		t.Errorf("calls %d; ledger %v", net.calls, l.Networks["x"])
	}
}

func TestComposeFitsAndKeepsTheLink(t *testing.T) {
	it := newsItem("long", now)
	it.Title = strings.Repeat("Very long title ", 30)
	c, err := composer(t).Compose(it, &fakeNet{})
	if err != nil {
		t.Fatal(err)
	}
	if !c.Shortened || !strings.HasSuffix(c.Text, "… "+it.URL) || len([]rune(c.Text)) > 280 {
		t.Errorf("composed %q (%d)", c.Text, len([]rune(c.Text)))
	}
	it.Tweet = "Come see us!"
	c, _ = composer(t).Compose(it, &fakeNet{})
	if c.Text != "Come see us! "+it.URL {
		t.Errorf("custom text: %q", c.Text)
	}
}

func TestLedgerCorruptIsAnError(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "ledger.json")
	l := NewLedger(p)
	l.Set("x", "news/a", &Entry{State: Posted, Time: now})
	if err := l.Save(); err != nil {
		t.Fatal(err)
	}
	data, _ := l.Marshal()
	for _, bad := range []string{string(data[:len(data)/2]), `{"networks": {"x": {"news/a": {"state": "maybe"}}}, "version": 1}`} {
		if err := writeFile(p, bad); err != nil {
			t.Fatal(err)
		}
		_, err := LoadLedger(p)
		if err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "left as it is") {
			t.Errorf("LoadLedger(%.30q) = %v", bad, err)
		}
	}
}

func TestHashtag(t *testing.T) {
	for tag, want := range map[string]string{"kids": "#kids", "author-talk": "#AuthorTalk", "école-été": "#ÉcoleÉté", "--": ""} {
		if got := hashtag(tag); got != want {
			t.Errorf("hashtag(%q) = %q, want %q", tag, got, want)
		}
	}
}

// A cancelled or postponed event that was never posted is not announced,
// nor recorded: set back to scheduled, it is posted like any new event.
func TestCancelledBeforePosting(t *testing.T) {
	l := NewLedger("")
	l.Set("x", "news/old", &Entry{State: Baseline, Time: now})
	cancelled := eventItem("concert", now.Add(-time.Hour), now.Add(72*time.Hour))
	cancelled.Event.Status = item.Cancelled
	postponed := eventItem("talk", now.Add(-time.Hour), now.Add(72*time.Hour))
	postponed.Event.Status = item.Postponed
	items := []*item.Item{cancelled, postponed}
	net := &fakeNet{}
	got := actions(run(t, items, l, net))
	if got["events/concert"] != ActWaiting || got["events/talk"] != ActWaiting || net.calls != 0 {
		t.Fatalf("run 1: %v after %d posts", got, net.calls)
	}
	if l.Get("x", "events/concert") != nil || l.Get("x", "events/talk") != nil {
		t.Fatal("a held event was recorded")
	}
	postponed.Event.Status = item.Scheduled
	got = actions(run(t, items, l, net))
	if got["events/talk"] != ActPosted || got["events/concert"] != ActWaiting || net.calls != 1 {
		t.Fatalf("run 2: %v after %d posts", got, net.calls)
	}
}

// A recurring event is one item: announced once, while a date of it is
// still to start, even when its first date has passed (issue 13).
func TestPublishRecurringEvent(t *testing.T) {
	series := func(slug string, first time.Time, count int) *item.Item {
		it := eventItem(slug, now.Add(-time.Hour), first)
		r, err := item.NewRepeat(rrule.ROption{Freq: rrule.WEEKLY, Count: count}, first, false)
		if err != nil {
			t.Fatal(err)
		}
		it.Event.Repeat = r
		return it
	}
	l := NewLedger("")
	l.Set("x", "news/old", &Entry{State: Baseline, Time: now})
	items := []*item.Item{
		series("weekly", now.Add(-24*time.Hour), 4),  // started yesterday, 3 dates to come
		series("over", now.Add(-15*24*time.Hour), 2), // both dates passed
	}
	net := &fakeNet{}
	got := actions(run(t, items, l, net))
	if got["events/weekly"] != ActPosted || got["events/over"] != ActSkipped || net.calls != 1 {
		t.Errorf("outcomes %v, %d posts", got, net.calls)
	}
	if got := actions(run(t, items, l, net)); len(got) != 0 || net.calls != 1 {
		t.Errorf("second run: %v, %d posts in all", got, net.calls)
	}
}
