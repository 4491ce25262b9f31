package publisher

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/circulate-dev/circulate/internal/item"
)

// sentOnce checks that every text sent was the first text sent: a pending
// item is only ever sent again with its recorded text.
func sentOnce(t *testing.T, net *fakeNet) {
	t.Helper()
	for _, s := range net.sent {
		if s != net.sent[0] {
			t.Errorf("sent %q after %q", s, net.sent[0])
		}
	}
}

// Issue 10 (2a): the connection drops after X made the post, the timeline
// lags, the title is edited: the item stays pending, is sent again only
// with its recorded text, and X's duplicate guard settles it.
func TestPendingLagAndEdit(t *testing.T) {
	l := NewLedger(filepath.Join(t.TempDir(), "ledger.json"))
	l.Set("x", "news/old", &Entry{State: Baseline, Time: now})
	items := []*item.Item{newsItem("a", now.Add(-time.Hour))}
	net := &fakeNet{lag: 3}
	net.fail(&Error{Kind: Unknown, Message: "EOF"}, true)
	if got := actions(run(t, items, l, net))["news/a"]; got != ActPending {
		t.Fatalf("run 1: %v", got)
	}
	items[0].Title = "Edited title"
	for i := 0; i < 5; i++ {
		run(t, items, l, net)
	}
	if len(net.posts) != 1 {
		t.Fatalf("%d posts on the account, want 1", len(net.posts))
	}
	sentOnce(t, net)
	if e := l.Get("x", "news/a"); e.State != Posted || e.PostURL != net.posts[0].URL {
		t.Errorf("ledger: %+v", e)
	}
}

// Issue 10 (2c): a gateway answers 5xx to every attempt although X made
// the post: pending (never "not posted"), then found among the posts.
func TestPendingAfterLyingGateway(t *testing.T) {
	l := NewLedger("")
	l.Set("x", "news/old", &Entry{State: Baseline, Time: now})
	items := []*item.Item{newsItem("a", now.Add(-time.Hour))}
	net := &fakeNet{}
	for i := 0; i < 10; i++ {
		net.fail(&Error{Kind: Unknown, Status: 503, Message: "Service Unavailable"}, true)
	}
	rep := run(t, items, l, net)
	if got := actions(rep)["news/a"]; got != ActPending {
		t.Fatalf("run 1: %v", got)
	}
	items[0].Title = "Edited title"
	rep = run(t, items, l, net)
	if got := actions(rep)["news/a"]; got != ActSettled || len(net.posts) != 1 {
		t.Fatalf("run 2: %v, %d posts", got, len(net.posts))
	}
	sentOnce(t, net)
}

// Issue 10 (3): a news post that links to an event does not settle the
// event's pending post: the event is posted with its own text.
func TestOtherItemsLinkDoesNotSettle(t *testing.T) {
	l := NewLedger("")
	l.Set("x", "news/old", &Entry{State: Baseline, Time: now})
	ev := eventItem("talk", now.Add(-time.Hour), now.Add(7*24*time.Hour))
	news := newsItem("talk-news", now.Add(-2*time.Hour))
	news.Tweet = "Meet the author next week! " + ev.URL
	net := &fakeNet{}
	run(t, []*item.Item{news}, l, net)
	net.fail(&Error{Kind: Unknown, Message: "EOF"}, false) // never reached X
	items := []*item.Item{news, ev}
	if got := actions(run(t, items, l, net))["events/talk"]; got != ActPending {
		t.Fatalf("the event: %v", got)
	}
	for i := 0; i < 3; i++ {
		run(t, items, l, net)
	}
	e := l.Get("x", "events/talk")
	if len(net.posts) != 2 || e.State != Posted || e.PostURL != net.posts[1].URL || !strings.HasPrefix(net.posts[1].Text, "News talk:") {
		t.Fatalf("posts %+v; the event's entry %+v", net.posts, e)
	}
}

// A post that is never confirmed is sent at most maxSends times, then
// reported for a person, every run, with the commands to settle it.
func TestUnresolvedAfterBound(t *testing.T) {
	l := NewLedger("")
	l.Set("x", "news/old", &Entry{State: Baseline, Time: now})
	items := []*item.Item{newsItem("a", now.Add(-time.Hour))}
	net := &fakeNet{}
	for i := 0; i < 20; i++ {
		net.fail(&Error{Kind: Unknown, Message: "timeout"}, false)
	}
	var last Outcome
	for i := 0; i < 10; i++ {
		rep := run(t, items, l, net)
		last = rep.Outcomes[0]
	}
	if net.calls != maxSends {
		t.Errorf("%d requests, want %d", net.calls, maxSends)
	}
	if last.Action != ActUnresolved || !strings.Contains(last.Message, "circulate publish --resolve news/a posted <post URL>") ||
		!strings.Contains(last.Message, "circulate publish --resolve news/a retry") {
		t.Errorf("last outcome: %+v", last)
	}
	if e := l.Get("x", "news/a"); e.State != Pending || e.Text != net.sent[0] {
		t.Errorf("entry: %+v", e)
	}
	// And after a day, no more tries either, even with tries left.
	l2 := NewLedger("")
	l2.Set("x", "news/old", &Entry{State: Baseline, Time: now})
	sent := now.Add(-25 * time.Hour)
	l2.Set("x", "news/a", &Entry{State: Pending, Text: "News a " + items[0].URL, Sent: &sent, Attempts: 1, Checks: 1, Time: sent})
	net2 := &fakeNet{}
	if got := actions(run(t, items, l2, net2))["news/a"]; got != ActUnresolved || net2.calls != 0 {
		t.Errorf("a day later: %v after %d requests", got, net2.calls)
	}
}

// Issue 10 (6): a post the network refuses for good fails the run (the
// outcome says how to fix it) and is tried again once its text is fixed.
func TestFailedIsRetriedWhenFixed(t *testing.T) {
	l := NewLedger("")
	l.Set("x", "news/old", &Entry{State: Baseline, Time: now})
	items := []*item.Item{newsItem("a", now.Add(-time.Hour))}
	net := &fakeNet{}
	net.fail(&Error{Kind: Rejected, Status: 400, Message: "Post text contains invalid characters."}, false)
	if got := actions(run(t, items, l, net))["news/a"]; got != ActFailed {
		t.Fatalf("run 1: %v", got)
	}
	rep := run(t, items, l, net)
	if o := rep.Outcomes[0]; o.Action != ActFailed || net.calls != 1 || !strings.Contains(o.Message, "fix the title") {
		t.Fatalf("unchanged: %+v after %d requests", o, net.calls)
	}
	items[0].Title = "Fixed"
	if got := actions(run(t, items, l, net))["news/a"]; got != ActPosted || len(net.posts) != 1 {
		t.Fatalf("fixed: %v", got)
	}
	// Too old by then: skipped, not failed for ever.
	l.Set("x", "news/b", &Entry{State: Failed, Text: "x", Error: "400: no", Time: now})
	old := newsItem("b", now.Add(-10*24*time.Hour))
	if got := actions(run(t, []*item.Item{old}, l, net))["news/b"]; got != ActSkipped {
		t.Errorf("old failed item: %v", got)
	}
}

// Issue 10 (7): a post made whose record cannot be saved is a RecordError
// naming the post, not a failure to post.
func TestRecordErrorAfterPost(t *testing.T) {
	dir := t.TempDir()
	l := NewLedger(filepath.Join(dir, "led", "ledger.json"))
	l.Set("x", "news/old", &Entry{State: Baseline, Time: now})
	if err := l.Save(); err != nil {
		t.Fatal(err)
	}
	items := []*item.Item{newsItem("a", now.Add(-time.Hour))}
	net := &breakingNet{fakeNet: &fakeNet{}, breakDir: filepath.Join(dir, "led")}
	_, err := Publish(context.Background(), items, l, net, composer(t), Options{Now: now, MaxPosts: 10,
		Written: func(*item.Item) bool { return true }})
	var re *RecordError
	if !errors.As(err, &re) || re.Item != "news/a" || re.PostURL != net.posts[0].URL || !strings.Contains(err.Error(), "posted news/a") {
		t.Fatalf("err = %v", err)
	}
}

// breakingNet replaces the ledger's folder with a file while it posts.
type breakingNet struct {
	*fakeNet
	breakDir string
}

func (b *breakingNet) Post(ctx context.Context, text string) (*RemotePost, error) {
	p, err := b.fakeNet.Post(ctx, text)
	os.RemoveAll(b.breakDir)
	os.WriteFile(b.breakDir, []byte("not a folder"), 0o644)
	return p, err
}

// No post for an item whose page is not in the site the run wrote.
func TestOnlyWrittenPages(t *testing.T) {
	l := NewLedger("")
	l.Set("x", "news/old", &Entry{State: Baseline, Time: now})
	items := []*item.Item{newsItem("a", now.Add(-time.Hour)), newsItem("b", now.Add(-time.Hour))}
	net := &fakeNet{}
	got := actions(run(t, items, l, net, func(o *Options) {
		o.Written = func(it *item.Item) bool { return it.Slug == "b" }
	}))
	if got["news/a"] != ActWaiting || got["news/b"] != ActPosted || l.Get("x", "news/a") != nil {
		t.Errorf("%v; news/a entry %+v", got, l.Get("x", "news/a"))
	}
}

// Invisible characters never reach a post; the outcome notes them.
func TestComposeLeavesOutInvisibleCharacters(t *testing.T) {
	it := newsItem("sale", now)
	it.Title = "Book\ufeff sale\u200b today\u2028 at\x07 noon"
	c, err := composer(t).Compose(it, &fakeNet{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Text != "Book sale today at noon "+it.URL {
		t.Errorf("text %q", c.Text)
	}
	if len(c.Notes) != 1 || !strings.Contains(c.Notes[0], "U+FEFF") || !strings.Contains(c.Notes[0], "`title:`") {
		t.Errorf("notes %q", c.Notes)
	}
	// Joiners that build emoji and scripts stay.
	it.Title = "Family 👨\u200d👩\u200d👧 میخواهم"
	c, _ = composer(t).Compose(it, &fakeNet{})
	if !strings.Contains(c.Text, "👨\u200d👩\u200d👧") || len(c.Notes) != 0 {
		t.Errorf("text %q notes %q", c.Text, c.Notes)
	}
}

// A post's text as X shows it (t.co links, HTML escapes) is the text sent;
// a text with more or less is not.
func TestSameText(t *testing.T) {
	sent := "Tom & Jerry <live> https://news.lib.org/events/a/"
	shown := expandLinks("Tom &amp; Jerry &lt;live&gt; https://t.co/abc", []tcoLink{{"https://t.co/abc", "https://news.lib.org/events/a/"}})
	if !sameText(shown, sent) {
		t.Errorf("%q is not %q", shown, sent)
	}
	for _, other := range []string{"Come! https://news.lib.org/events/a/", "https://news.lib.org/events/a/", ""} {
		if sameText(other, sent) {
			t.Errorf("%q matched %q", other, sent)
		}
	}
	if !sameText("Cafe\u0301  menu", "Café menu") {
		t.Error("NFC and spaces")
	}
}
