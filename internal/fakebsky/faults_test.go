package fakebsky

import (
	"net/http"
	"testing"
	"time"
)

func TestFaults(t *testing.T) {
	cases := []struct {
		name   string
		fault  func(h *harness) Fault
		client *http.Client
		want   int
		stored bool
	}{
		{name: "502 before", fault: func(*harness) Fault { return Status5xx(502) }, want: 502},
		{name: "500 after the record is made", fault: func(*harness) Fault { return CreateThen5xx(500) }, want: 500, stored: true},
		{name: "dropped after", fault: func(*harness) Fault { return AcceptThenDrop() }, want: 0, stored: true},
		{name: "slow, client gives up", fault: func(*harness) Fault { return Slow(5 * time.Second) }, client: &http.Client{Timeout: 100 * time.Millisecond}, want: 0, stored: true},
		{name: "rate limited", fault: func(h *harness) Fault { return RateLimited(h.clock.Now().Add(time.Hour)) }, want: 429},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, Options{})
			h.login()
			h.s.Fail(c.fault(h))
			client := c.client
			if client == nil {
				client = http.DefaultClient
			}
			body := `{"repo":"riversidelib.bsky.social","collection":"app.bsky.feed.post","rkey":"3jzfcijpj2z2a","record":{"$type":"app.bsky.feed.post","text":"x","createdAt":"2026-03-01T12:00:00Z"}}`
			r, err := h.send(client, "POST", "com.atproto.repo.createRecord", "", body, "application/json", h.access)
			switch {
			case c.want == 0 && err == nil:
				t.Fatalf("got %d, want no answer", r.status)
			case c.want != 0 && (err != nil || r.status != c.want):
				t.Fatalf("got %d %v, want %d", r.status, err, c.want)
			}
			if got := len(h.s.Posts()) == 1; got != c.stored {
				t.Errorf("stored %v", got)
			}
			if c.want == 429 {
				if r.header.Get("RateLimit-Remaining") != "0" {
					t.Errorf("headers %v", r.header)
				}
				return
			}
			// The same rkey again: 500 when it was made, 200 when not.
			r2 := h.do("POST", "com.atproto.repo.createRecord", "", body, h.access)
			if want := map[bool]int{true: 500, false: 200}[c.stored]; r2.status != want || len(h.s.Posts()) != 1 {
				t.Errorf("again: %d, want %d; %d posts", r2.status, want, len(h.s.Posts()))
			}
		})
	}
}
