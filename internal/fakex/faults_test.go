package fakex

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestFaults(t *testing.T) {
	cases := []struct {
		name   string
		fault  func(h *harness) Fault
		client *http.Client
		want   int // 0: the client gets an error, no answer
		stored bool
		check  func(t *testing.T, h *harness, r response, took time.Duration)
	}{
		{name: "503", fault: func(*harness) Fault { return Status5xx(503) }, want: 503, check: func(t *testing.T, h *harness, r response, _ time.Duration) {
			if get(r.body, "title") != "Service Unavailable" || get(r.body, "status") != 503.0 {
				t.Errorf("body %s", r.raw)
			}
		}},
		{name: "500", fault: func(*harness) Fault { return Status5xx(500) }, want: 500},
		{name: "rate limited", fault: func(h *harness) Fault { return RateLimited(h.clock.Now().Add(10 * time.Minute)) }, want: 429,
			check: func(t *testing.T, h *harness, r response, _ time.Duration) {
				reset := strconv.FormatInt(h.clock.Now().Add(10*time.Minute).Unix(), 10)
				if r.header.Get("x-rate-limit-reset") != reset || r.header.Get("x-rate-limit-remaining") != "0" {
					t.Errorf("headers %v, want reset %s", r.header, reset)
				}
				// Still limited until the reset, then not.
				if r := h.post("retry at once", nil); r.status != 429 {
					t.Errorf("retry before reset: %d", r.status)
				}
				h.clock.Add(10 * time.Minute)
				if r := h.post("retry after reset", nil); r.status != 201 {
					t.Errorf("retry after reset: %d %s", r.status, r.raw)
				}
			}},
		{name: "slow, client waits", fault: func(*harness) Fault { return Slow(150 * time.Millisecond) }, want: 201, stored: true,
			check: func(t *testing.T, h *harness, r response, took time.Duration) {
				if took < 150*time.Millisecond {
					t.Errorf("answered after %s", took)
				}
			}},
		{name: "slow, client times out", fault: func(*harness) Fault { return Slow(5 * time.Second) },
			client: &http.Client{Timeout: 100 * time.Millisecond}, want: 0, stored: true,
			check: func(t *testing.T, h *harness, r response, took time.Duration) {
				if took > 3*time.Second {
					t.Errorf("client waited %s", took)
				}
			}},
		{name: "accept then drop", fault: func(*harness) Fault { return AcceptThenDrop() }, want: 0, stored: true,
			check: func(t *testing.T, h *harness, r response, _ time.Duration) {
				// The client that retries blindly posts a duplicate.
				if r := h.post("the post", nil); r.status != 403 {
					t.Errorf("blind retry: %d, want 403", r.status)
				}
			}},
		{name: "reject", fault: func(*harness) Fault { return Reject(418, `{"title":"I'm a teapot"}`) }, want: 418,
			check: func(t *testing.T, h *harness, r response, _ time.Duration) {
				if r.raw != `{"title":"I'm a teapot"}` {
					t.Errorf("body %s", r.raw)
				}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, Options{})
			h.s.Fail(c.fault(h))
			client := c.client
			if client == nil {
				client = http.DefaultClient
			}
			start := time.Now()
			r, err := h.send(client, "POST", "/2/tweets", `{"text":"the post"}`, nil)
			took := time.Since(start)
			switch {
			case c.want == 0 && err == nil:
				t.Fatalf("got an answer %d %s, want none", r.status, r.raw)
			case c.want != 0 && err != nil:
				t.Fatal(err)
			case c.want != 0 && r.status != c.want:
				t.Fatalf("status %d, want %d: %s", r.status, c.want, r.raw)
			}
			if got := len(h.s.Posts()) > 0 && h.s.Posts()[0].Text == "the post"; got != c.stored {
				t.Errorf("stored %v, want %v", got, c.stored)
			}
			if h.s.PendingFaults() != 0 {
				t.Errorf("fault not taken")
			}
			if c.check != nil {
				c.check(t, h, r, took)
			}
		})
	}
}

func TestFaultQueue(t *testing.T) {
	h := newHarness(t, Options{})
	h.s.Fail(Status5xx(503), Status5xx(502))
	// A request refused for its signature takes no fault.
	if r := h.post("a", func(s *signing) { s.tokenSecret = "bad" }); r.status != 401 {
		t.Fatalf("bad signature: %d", r.status)
	}
	for _, want := range []int{503, 502, 201} {
		if r := h.post("a", nil); r.status != want {
			t.Errorf("got %d, want %d", r.status, want)
		}
	}
	log := h.s.Requests()
	if log[1].Reason != "fault: Status5xx(503)" {
		t.Errorf("log %+v", log)
	}
	// GET requests take no fault.
	h.s.Fail(Status5xx(503))
	if r := h.do("GET", "/2/users/me", "", nil); r.status != 200 || h.s.PendingFaults() != 1 {
		t.Errorf("users/me: %d, pending %d", r.status, h.s.PendingFaults())
	}
}

// A lying gateway: X makes the post, the client gets a 5xx; a second
// attempt with the same text is a duplicate on X, and the client gets a 5xx
// again. Dropped before the post: nothing is stored.
func TestLyingGatewayAndEarlyDrop(t *testing.T) {
	h := newHarness(t, Options{})
	h.s.Fail(PostThen5xx(503), PostThen5xx(503), DropBeforePost())
	if r := h.post("the post", nil); r.status != 503 {
		t.Fatalf("first attempt: %d %s", r.status, r.raw)
	}
	if n := len(h.s.Posts()); n != 1 {
		t.Fatalf("after a lying 503: %d posts, want 1", n)
	}
	if r := h.post("the post", nil); r.status != 503 || len(h.s.Posts()) != 1 {
		t.Fatalf("second attempt: %d, %d posts", r.status, len(h.s.Posts()))
	}
	log := h.s.Requests()
	if !strings.Contains(log[1].Reason, "duplicate") || !strings.Contains(log[1].Reason, "PostThen5xx(503)") {
		t.Errorf("log: %+v", log[1])
	}
	if _, err := h.send(http.DefaultClient, "POST", "/2/tweets", `{"text":"another"}`, nil); err == nil {
		t.Fatal("DropBeforePost answered")
	}
	if n := len(h.s.Posts()); n != 1 || h.s.PendingFaults() != 0 {
		t.Errorf("after DropBeforePost: %d posts, %d faults left", n, h.s.PendingFaults())
	}
	// X's answers carry its clock.
	r := h.post("dated", nil)
	if d, err := http.ParseTime(r.header.Get("Date")); err != nil || !d.Equal(h.clock.Now().Truncate(time.Second)) {
		t.Errorf("Date %q, want %v", r.header.Get("Date"), h.clock.Now())
	}
}

// Hold stores the post and answers only on Release; AwaitPosts sees the
// post before the answer, so a test can act while the client waits.
func TestHoldAndAwaitPosts(t *testing.T) {
	h := newHarness(t, Options{})
	h.s.Fail(Hold())
	answered := make(chan response, 1)
	go func() { answered <- h.post("held", nil) }()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if !h.s.AwaitPosts(ctx, 1) {
		t.Fatal("the held post was never stored")
	}
	select {
	case r := <-answered:
		t.Fatalf("answered before Release: %d", r.status)
	default:
	}
	h.s.Release()
	if r := <-answered; r.status != 201 {
		t.Fatalf("after Release: %d %s", r.status, r.raw)
	}
	// Released for good: a later Hold answers at once.
	h.s.Fail(Hold())
	if r := h.post("held again", nil); r.status != 201 {
		t.Fatalf("Hold after Release: %d", r.status)
	}
	short, cancel2 := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel2()
	if h.s.AwaitPosts(short, 3) {
		t.Error("AwaitPosts(3) with 2 posts reported true")
	}
}
