package publisher

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/circulate-dev/circulate/internal/fakex"
)

// With social.x.read_timeline, `circulate replies` lists X's replies and
// mentions like the other networks': who, what (t.co links expanded), the
// library's post it answers (and the item, from the ledger), and where to
// answer. Without it, one line says how to turn it on, and X is not read.
func TestXReplies(t *testing.T) {
	h := newThree(t)
	old := items3("old", time.Now().Add(-48*time.Hour))
	h.run(old)
	fresh := items3("new", time.Now().Add(-time.Hour))
	if _, err := h.run(append(old, fresh...)); err != nil {
		t.Fatal(err)
	}
	posts := h.x.Posts()
	ours := posts[len(posts)-1] // the post of news/new-2
	since := time.Now().Add(-30 * time.Minute)
	patron := fakex.User{Username: "patron", Name: "Pat Patron"}
	reply := h.x.SeedReply(patron, "Is it free? See https://example.com/faq & tell me", ours.ID, time.Now().Add(-10*time.Minute))
	h.x.SeedMention(fakex.User{Username: "friend", Name: "A Friend"}, "Loved the talk at @RiversideLib", time.Now().Add(-5*time.Minute))
	h.x.SeedReply(fakex.User{Username: "third"}, "Yes it is", reply.ID, time.Now().Add(-4*time.Minute)) // answers the patron
	h.x.SeedMention(patron, "@RiversideLib an old one", since.Add(-time.Minute))
	setup := Setup{Root: h.root, Config: h.cfg, Getenv: func(k string) string { return h.env[k] }, Networks: []string{"x"}}

	res, err := ListReplies(context.Background(), setup, since, false)
	if err != nil || len(res.Status) != 1 || res.Status[0].Skipped != XNotRead || len(res.Replies) != 0 {
		t.Fatalf("without read_timeline: %+v %v", res, err)
	}
	for _, r := range h.x.Requests() {
		if strings.HasSuffix(r.Path, "/mentions") {
			t.Errorf("X read without read_timeline: %+v", r)
		}
	}

	h.cfg.Social.X.ReadTimeline = true
	res, err = ListReplies(context.Background(), setup, since, false)
	if err != nil || res.Status[0].Skipped != "" || res.Status[0].Err != nil || len(res.Replies) != 2 {
		t.Fatalf("with read_timeline: %+v %v", res, err)
	}
	m, r := res.Replies[0], res.Replies[1]
	if m.Kind != "mention" || m.Author != "A Friend" || m.Handle != "@friend" || m.Text != "Loved the talk at @RiversideLib" || m.InReplyTo != "" ||
		!strings.HasPrefix(m.URL, "https://x.com/friend/status/") || m.Network != "x" {
		t.Errorf("mention %+v", m)
	}
	if r.Kind != "reply" || r.Author != "Pat Patron" || r.Handle != "@patron" || r.URL != "https://x.com/patron/status/"+reply.ID ||
		r.Text != "@RiversideLib Is it free? See https://example.com/faq & tell me" ||
		r.InReplyTo != "https://x.com/RiversideLib/status/"+ours.ID || r.Item != "news/new-2" || r.ItemTitle != "News new-2" ||
		!r.Created.Equal(reply.CreatedAt.Truncate(time.Millisecond)) {
		t.Errorf("reply %+v", r)
	}
	var asked []string
	for _, q := range h.x.Requests() {
		if strings.HasSuffix(q.Path, "/mentions") {
			asked = append(asked, q.Query)
		}
	}
	if len(asked) != 1 || !strings.Contains(asked[0], "start_time="+url.QueryEscape(since.UTC().Format(time.RFC3339))) {
		t.Errorf("mentions read with %q", asked)
	}

	// More than a page: every one, over X's pages.
	for i := range 130 {
		h.x.SeedMention(fakex.User{Username: fmt.Sprint("reader", i)}, fmt.Sprintf("@RiversideLib question %d", i), time.Now().Add(-time.Minute))
	}
	res, err = ListReplies(context.Background(), setup, since, false)
	if err != nil || len(res.Replies) != 132 {
		t.Errorf("over pages: %d replies, %v", len(res.Replies), err)
	}
	// A --since before X's start of time is X's start of time.
	if _, err := ListReplies(context.Background(), setup, time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), false); err != nil {
		t.Errorf("--since 2000: %v", err)
	}
}

// A plan without reads is a note, not a failure; credentials X refuses
// fail the listing and name the secrets.
func TestXRepliesRefused(t *testing.T) {
	h := newThree(t)
	h.cfg.Social.X.ReadTimeline = true
	noReads := fakex.New(t, fakex.Options{ReadsForbidden: true})
	h.env["CIRCULATE_X_API_URL"] = noReads.URL
	setup := Setup{Root: h.root, Config: h.cfg, Getenv: func(k string) string { return h.env[k] }, Networks: []string{"x"}}
	res, err := ListReplies(context.Background(), setup, time.Now().Add(-time.Hour), false)
	if err != nil || res.Status[0].Err != nil || !strings.Contains(res.Status[0].Skipped, "403") || strings.Contains(res.Status[0].Skipped, "\n") {
		t.Errorf("plan without reads: %+v %v", res.Status, err)
	}

	h.env["CIRCULATE_X_API_URL"] = h.x.URL
	h.env["X_ACCESS_SECRET"] = "S3CRET-wrong"
	_, err = ListReplies(context.Background(), setup, time.Now().Add(-time.Hour), false)
	var ne *NetworkError
	if !errors.As(err, &ne) || ne.Network != "x" || ne.Err.Kind != Auth || !strings.Contains(ne.Err.Hint, "X_ACCESS_SECRET") || strings.Contains(err.Error()+ne.Err.Hint, "S3CRET") {
		t.Errorf("401: %v", err)
	}
}

var _ ReplyReader = (*X)(nil)
