package fakemastodon

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
		want   int // 0: no answer
		stored bool
	}{
		{name: "502 before", fault: func(*harness) Fault { return Status5xx(502) }, want: 502},
		{name: "504 after the status is made", fault: func(*harness) Fault { return CreateThen5xx(504) }, want: 504, stored: true},
		{name: "dropped after the status is made", fault: func(*harness) Fault { return AcceptThenDrop() }, want: 0, stored: true},
		{name: "slow, client waits", fault: func(*harness) Fault { return Slow(50 * time.Millisecond) }, want: 200, stored: true},
		{name: "slow, client gives up", fault: func(*harness) Fault { return Slow(5 * time.Second) }, client: &http.Client{Timeout: 100 * time.Millisecond}, want: 0, stored: true},
		{name: "rate limited", fault: func(h *harness) Fault { return RateLimited(h.clock.Now().Add(time.Hour)) }, want: 429},
		{name: "reject", fault: func(*harness) Fault { return Reject(418, `{"error":"teapot"}`) }, want: 418},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, Options{})
			h.s.Fail(c.fault(h))
			client := c.client
			if client == nil {
				client = http.DefaultClient
			}
			r, err := h.send(client, req{method: "POST", path: "/api/v1/statuses", body: `{"status":"the post"}`, ctype: "application/json", key: "k1"})
			switch {
			case c.want == 0 && err == nil:
				t.Fatalf("got %d %s, want no answer", r.status, r.raw)
			case c.want != 0 && err != nil:
				t.Fatal(err)
			case c.want != 0 && r.status != c.want:
				t.Fatalf("status %d, want %d", r.status, c.want)
			}
			if got := len(h.s.Statuses()) == 1; got != c.stored {
				t.Errorf("stored %v, want %v", got, c.stored)
			}
			// A retry with the same key never makes a second status.
			if c.want != 429 {
				r2 := h.post("the post", "k1")
				if r2.status != 200 || len(h.s.Statuses()) != 1 {
					t.Errorf("retry with the key: %d, %d statuses", r2.status, len(h.s.Statuses()))
				}
			}
		})
	}
}

func TestRateLimit(t *testing.T) {
	h := newHarness(t, Options{StatusLimit: 2})
	for i, want := range []int{200, 200, 429} {
		r := h.post("post", "")
		if r.status != want {
			t.Fatalf("post %d: %d", i, r.status)
		}
		if want == 429 && (r.header.Get("X-RateLimit-Remaining") != "0" || r.header.Get("X-RateLimit-Reset") != "2026-03-01T15:00:00.000000Z") {
			t.Errorf("429 headers %v", r.header)
		}
	}
	h.clock.Add(3 * time.Hour)
	if r := h.post("post", ""); r.status != 200 {
		t.Errorf("after reset: %d", r.status)
	}
	// RateLimited holds the window until its reset.
	h.s.Fail(RateLimited(h.clock.Now().Add(10 * time.Minute)))
	if r := h.post("x", ""); r.status != 429 || r.header.Get("X-RateLimit-Reset") != "2026-03-01T15:10:00.000000Z" {
		t.Errorf("fault: %d %v", r.status, r.header)
	}
	if r := h.post("x", ""); r.status != 429 {
		t.Errorf("still limited: %d", r.status)
	}
	h.clock.Add(10 * time.Minute)
	if r := h.post("x", ""); r.status != 200 {
		t.Errorf("after fault reset: %d", r.status)
	}
}
