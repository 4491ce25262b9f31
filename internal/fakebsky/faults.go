package fakebsky

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Fault is a failure the fake injects into one createRecord
// request. Queued faults are taken one per authenticated request, in order.
type Fault struct {
	kind  faultKind
	code  int
	body  string
	reset time.Time
	delay time.Duration
}

type faultKind int

const (
	faultStatus faultKind = iota
	faultAfter
	faultRateLimited
	faultSlow
	faultDrop
	faultReject
)

// Status5xx answers code before anything is made (a proxy that could not
// reach the PDS): retrying is safe.
func Status5xx(code int) Fault { return Fault{kind: faultStatus, code: code} }

// CreateThen5xx makes the record, then answers code: the load balancer
// gave up waiting for the PDS, which finished.
func CreateThen5xx(code int) Fault { return Fault{kind: faultAfter, code: code} }

// RateLimited answers 429 and keeps the write window used up until reset.
func RateLimited(reset time.Time) Fault { return Fault{kind: faultRateLimited, reset: reset} }

// Slow makes the record, then waits d before answering (or until the
// client gives up).
func Slow(d time.Duration) Fault { return Fault{kind: faultSlow, delay: d} }

// AcceptThenDrop makes the record, then closes the connection unanswered.
func AcceptThenDrop() Fault { return Fault{kind: faultDrop} }

// Reject answers code with a raw JSON body, making nothing.
func Reject(code int, body string) Fault { return Fault{kind: faultReject, code: code, body: body} }

func (f Fault) String() string {
	switch f.kind {
	case faultStatus:
		return fmt.Sprintf("Status5xx(%d)", f.code)
	case faultAfter:
		return fmt.Sprintf("CreateThen5xx(%d)", f.code)
	case faultRateLimited:
		return fmt.Sprintf("RateLimited(%s)", f.reset.Format(time.RFC3339))
	case faultSlow:
		return fmt.Sprintf("Slow(%s)", f.delay)
	case faultDrop:
		return "AcceptThenDrop()"
	default:
		return fmt.Sprintf("Reject(%d)", f.code)
	}
}

// Fail queues faults for the next createRecord requests.
func (s *Server) Fail(faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, faults...)
}

// PendingFaults returns how many queued faults no request has taken yet.
func (s *Server) PendingFaults() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.faults)
}

func (s *Server) nextFault() (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.faults) == 0 {
		return Fault{}, false
	}
	f := s.faults[0]
	s.faults = s.faults[1:]
	return f, true
}

// before answers the faults that replace the request; it reports whether
// it answered.
func (s *Server) before(w *recorder, f Fault) bool {
	switch f.kind {
	case faultStatus:
		answer5xx(w, f)
	case faultRateLimited:
		s.mu.Lock()
		win := s.windowFor("repo-write-hour", s.opts.WriteLimitHour, time.Hour)
		win.roll(s.opts.Now())
		win.used, win.reset = win.limit, f.reset
		s.mu.Unlock()
		w.Header().Set("RateLimit-Limit", strconv.Itoa(win.limit))
		w.Header().Set("RateLimit-Remaining", "0")
		w.Header().Set("RateLimit-Reset", strconv.FormatInt(f.reset.Unix(), 10))
		w.Header().Set("RateLimit-Policy", strconv.Itoa(win.limit)+";w=3600")
		xrpcError(w, http.StatusTooManyRequests, "fault: "+f.String(), "RateLimitExceeded", "Rate Limit Exceeded")
	case faultReject:
		w.reason = "fault: " + f.String()
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(f.code)
		w.Write([]byte(f.body))
	default:
		return false
	}
	return true
}

// answer5xx is a 500 from the PDS itself (XRPC JSON) or a 502-504 from the
// load balancer in front of it (plain text).
func answer5xx(w *recorder, f Fault) {
	if f.code == http.StatusInternalServerError {
		xrpcError(w, f.code, "fault: "+f.String(), "InternalServerError", "Internal Server Error")
		return
	}
	w.reason = "fault: " + f.String()
	w.Header().Set("Content-Type", "text/plain")
	w.WriteHeader(f.code)
	fmt.Fprintf(w, "%d %s", f.code, http.StatusText(f.code))
}

// after applies the faults that come once the record is made; it returns
// false when it answered (or dropped the connection) itself.
func after(w *recorder, r *http.Request, f Fault) bool {
	switch f.kind {
	case faultAfter:
		answer5xx(w, f)
		return false
	case faultSlow:
		w.reason = "fault: " + f.String()
		t := time.NewTimer(f.delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			w.reason += "; the client gave up before the answer"
		}
	case faultDrop:
		w.reason = "fault: " + f.String()
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic("fakebsky: cannot hijack the connection: " + err.Error())
		}
		conn.Close()
		return false
	}
	return true
}
