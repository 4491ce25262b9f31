package fakebsky

import (
	"net/http"
	"strconv"
	"time"
)

// window is one rate limit of points per period, from its first use.
type window struct {
	limit  int
	period time.Duration
	used   int
	reset  time.Time
}

func (w *window) roll(now time.Time) {
	if w.reset.IsZero() || !now.Before(w.reset) {
		w.used, w.reset = 0, now.Add(w.period)
	}
}

// windowFor returns the window named key. Callers hold mu.
func (s *Server) windowFor(key string, limit int, period time.Duration) *window {
	w := s.limits[key]
	if w == nil {
		w = &window{limit: limit, period: period}
		s.limits[key] = w
	}
	return w
}

// take spends points in every window, or none when one is used up; it
// sets the RateLimit-* headers of the tightest window and answers 429
// then. Callers do not hold mu.
func (s *Server) take(w *recorder, points int, wins ...func() *window) bool {
	s.mu.Lock()
	now := s.opts.Now()
	var list []*window
	for _, f := range wins {
		win := f()
		win.roll(now)
		list = append(list, win)
	}
	ok := true
	tight := list[0]
	for _, win := range list {
		if win.used+points > win.limit {
			ok = false
		}
		if win.limit-win.used < tight.limit-tight.used {
			tight = win
		}
	}
	if ok {
		for _, win := range list {
			win.used += points
		}
	}
	h := w.Header()
	h.Set("RateLimit-Limit", strconv.Itoa(tight.limit))
	h.Set("RateLimit-Remaining", strconv.Itoa(max(0, tight.limit-tight.used)))
	h.Set("RateLimit-Reset", strconv.FormatInt(tight.reset.Unix(), 10))
	h.Set("RateLimit-Policy", strconv.Itoa(tight.limit)+";w="+strconv.Itoa(int(tight.period/time.Second)))
	s.mu.Unlock()
	if !ok {
		xrpcError(w, http.StatusTooManyRequests, "rate limit used up", "RateLimitExceeded", "Rate Limit Exceeded")
	}
	return ok
}
