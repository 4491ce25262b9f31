package publisher

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/circulate-dev/circulate/internal/fakebsky"
	"github.com/circulate-dev/circulate/internal/fakemastodon"
)

// fakeNow is a run's clock far from this machine's, so that a time worked
// out from the wall clock shows.
var fakeNow = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)

// tooManyGateway stands in front of a fake X as a gateway (a CDN, a proxy)
// that answers POST /2/tweets with a 429 of its own, without X's
// x-rate-limit-* headers; everything else goes through to X unchanged (the
// Host header too, which the OAuth signature covers).
func tooManyGateway(t *testing.T, target string) *httptest.Server {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/2/tweets" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			w.Write([]byte(`{"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429}`))
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(gw.Close)
	return gw
}

// A 429 without a reset header ends a fixed wait (15 minutes on X, 5 on
// Mastodon and Bluesky) after the run's clock, the Now the run was given,
// not after this machine's clock: nothing below the entry point reads the
// wall clock on its own.
func TestRateLimitWithoutResetUsesRunClock(t *testing.T) {
	cases := []struct {
		net    string
		inject func(t *testing.T, h *three)
		wait   time.Duration
	}{
		{"x", func(t *testing.T, h *three) {
			h.env["CIRCULATE_X_API_URL"] = tooManyGateway(t, h.x.URL).URL
		}, 15 * time.Minute},
		{"mastodon", func(t *testing.T, h *three) {
			h.m.Fail(fakemastodon.Reject(http.StatusTooManyRequests, `{"error":"Too many requests"}`))
		}, 5 * time.Minute},
		{"bluesky", func(t *testing.T, h *three) {
			h.b.Fail(fakebsky.Reject(http.StatusTooManyRequests, `{"error":"RateLimitExceeded","message":"Rate Limit Exceeded"}`))
		}, 5 * time.Minute},
	}
	for _, c := range cases {
		t.Run(c.net, func(t *testing.T) {
			h := newThree(t)
			h.mu.Lock()
			h.clock = fakeNow // Mastodon's and Bluesky's fakes keep the run's time
			h.mu.Unlock()
			at := func(s *Setup) { s.Now = func() time.Time { return fakeNow }; s.Networks = []string{c.net} }
			old := items3("old", fakeNow.Add(-48*time.Hour))
			if _, err := h.run(old, at); err != nil {
				t.Fatalf("first run: %v", err)
			}
			fresh := items3("new", fakeNow.Add(-time.Hour))
			c.inject(t, h)
			res, err := h.run(append(old, fresh...), at)
			if err != nil {
				t.Fatalf("rate-limited run: %v", err)
			}
			want := "posting resumes after " + fakeNow.Add(c.wait).Format(time.RFC3339)
			var got []string
			for _, rep := range res.Reports {
				for _, o := range rep.Outcomes {
					if rep.Network == c.net && o.Action == ActWaiting {
						got = append(got, o.Message)
					}
				}
			}
			if len(got) == 0 || !strings.Contains(got[0], want) {
				t.Errorf("%s: waiting outcomes %q, want one saying %q", c.net, got, want)
			}
		})
	}
}

// Reading the account's posts from Bluesky's public AppView: a 429 without
// a reset header ends 5 minutes after the client's clock.
func TestBlueskyPublicRateLimitUsesClock(t *testing.T) {
	appview := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		w.Write([]byte(`{"error":"RateLimitExceeded","message":"Rate Limit Exceeded"}`))
	}))
	defer appview.Close()
	b := NewBluesky(BlueskyConfig{PDS: appview.URL, AppView: appview.URL, Handle: "riversidelib.bsky.social",
		Now: func() time.Time { return fakeNow }}, "")
	_, err := b.Timeline(context.Background(), 5)
	var e *Error
	if !errors.As(err, &e) || e.Kind != RateLimited {
		t.Fatalf("err %v, want a rate limit", err)
	}
	if want := fakeNow.Add(5 * time.Minute); !e.RetryAt.Equal(want) {
		t.Errorf("RetryAt %s, want %s", e.RetryAt.Format(time.RFC3339), want.Format(time.RFC3339))
	}
}
