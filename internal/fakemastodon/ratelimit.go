package fakemastodon

import (
	"net/http"
	"strconv"
	"time"
)

// window is one rate limit: limit requests per period, aligned to the
// period as Mastodon's (rack-attack) windows are.
type window struct {
	limit  int
	period time.Duration
	used   int
	reset  time.Time
}

func (w *window) roll(now time.Time) {
	if w.reset.IsZero() || !now.Before(w.reset) {
		w.used = 0
		w.reset = now.Truncate(w.period).Add(w.period)
	}
}

func (w *window) remaining() int { return max(0, w.limit-w.used) }

// take counts one request against win (and the general window), sets the
// X-RateLimit-* headers and answers 429 when used up. Callers do not hold
// mu.
func (s *Server) take(w *recorder, win *window) bool {
	s.mu.Lock()
	now := s.opts.Now()
	s.requests.roll(now)
	shown := s.requests
	if win != nil {
		win.roll(now)
		shown = win
	}
	exhausted := s.requests.remaining() == 0 || (win != nil && win.remaining() == 0)
	if !exhausted {
		s.requests.used++
		if win != nil {
			win.used++
		}
	}
	setHeaders(w, shown)
	s.mu.Unlock()
	if exhausted {
		fail(w, http.StatusTooManyRequests, "rate limit used up", "Too many requests")
		return false
	}
	return true
}

func setHeaders(w http.ResponseWriter, win *window) {
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(win.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(win.remaining()))
	h.Set("X-RateLimit-Reset", win.reset.UTC().Format("2006-01-02T15:04:05.000000Z"))
}
