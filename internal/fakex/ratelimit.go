package fakex

import (
	"net/http"
	"strconv"
	"time"

	"github.com/circulate-dev/circulate/internal/fakenet"
)

// window is one rate limit: limit requests per period, counted from the
// first request of the period, as X's windows are.
type window struct {
	limit  int
	period time.Duration
	used   int
	reset  time.Time
}

// roll starts a new period once the old one has reset.
func (w *window) roll(now time.Time) {
	if w.reset.IsZero() || !now.Before(w.reset) {
		w.used = 0
		w.reset = now.Add(w.period)
	}
}

func (w *window) remaining() int {
	if w.used >= w.limit {
		return 0
	}
	return w.limit - w.used
}

// endpointWindow returns the 15-minute window of an endpoint. Callers hold mu.
func (s *Server) endpointWindow(ep string) *window {
	w := s.limits[ep]
	if w == nil {
		w = &window{limit: s.opts.WindowLimit, period: 15 * time.Minute}
		s.limits[ep] = w
	}
	return w
}

// rateHeaders sets X's rate-limit headers for ep as they stand, without
// counting this request. Every response carries them, errors included, so a
// client can always learn how long to wait.
func (s *Server) rateHeaders(w http.ResponseWriter, ep string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setRateHeaders(w, ep)
}

func (s *Server) setRateHeaders(w http.ResponseWriter, ep string) {
	now := s.opts.Now()
	win := s.endpointWindow(ep)
	win.roll(now)
	h := w.Header()
	h.Set("x-rate-limit-limit", strconv.Itoa(win.limit))
	h.Set("x-rate-limit-remaining", strconv.Itoa(win.remaining()))
	h.Set("x-rate-limit-reset", strconv.FormatInt(win.reset.Unix(), 10))
	if ep == epPost {
		s.day.roll(now)
		h.Set("x-user-limit-24hour-limit", strconv.Itoa(s.day.limit))
		h.Set("x-user-limit-24hour-remaining", strconv.Itoa(s.day.remaining()))
		h.Set("x-user-limit-24hour-reset", strconv.FormatInt(s.day.reset.Unix(), 10))
	}
}

// take counts one authenticated request against ep's limits (and, for
// posts, the user's 24-hour limit) and sets the headers. When a limit is
// used up it answers 429 and returns false. Refused and failed requests
// count too, as on X: retrying in a tight loop burns the allowance.
func (s *Server) take(w *recorder, ep string) bool {
	s.mu.Lock()
	now := s.opts.Now()
	win := s.endpointWindow(ep)
	win.roll(now)
	exhausted := win.remaining() == 0
	if ep == epPost {
		s.day.roll(now)
		exhausted = exhausted || s.day.remaining() == 0
	}
	if !exhausted {
		win.used++
		if ep == epPost {
			s.day.used++
		}
	}
	s.setRateHeaders(w, ep)
	s.mu.Unlock()
	if exhausted {
		tooManyRequests(w, "rate limit used up")
		return false
	}
	return true
}

func tooManyRequests(w *recorder, reason string) {
	w.Reason = reason
	fakenet.WriteJSON(w, http.StatusTooManyRequests, problem(http.StatusTooManyRequests, "Too Many Requests", "Too Many Requests", "about:blank"))
}
