package fakenet

import (
	"fmt"
	"sync"
	"time"
)

// Kind is what a fault does to the post request that takes it.
type Kind int

const (
	// Status5xx answers Code before anything is made.
	Status5xx Kind = iota
	// Then5xx makes the post, then answers Code instead of the network's
	// answer (the network's fake writes the 5xx: its body differs).
	Then5xx
	// RateLimited answers 429 and uses the post window up until Reset.
	RateLimited
	// Slow makes the post, then answers after Delay (or not at all if the
	// client gives up first).
	Slow
	// AcceptThenDrop makes the post, then hangs up unanswered.
	AcceptThenDrop
	// DropBeforePost hangs up before anything is made.
	DropBeforePost
	// Hold makes the post, then answers once the test releases it.
	Hold
	// Reject answers Code with the raw JSON Body, making nothing.
	Reject
)

// Fault is one failure a fake injects into one post request. The fakes
// wrap it in a Fault type of their own, made by their own constructors,
// so that a test can queue on each fake only the faults it offers.
type Fault struct {
	Kind  Kind
	Code  int
	Body  string
	Reset time.Time
	Delay time.Duration
	// Name is the fake's name for a Then5xx fault: PostThen5xx on X,
	// CreateThen5xx on Mastodon and Bluesky.
	Name string
}

// String names the fault as the fake's constructor call that made it, for
// the request log's reasons (which tests check).
func (f Fault) String() string {
	switch f.Kind {
	case Status5xx:
		return fmt.Sprintf("Status5xx(%d)", f.Code)
	case Then5xx:
		return fmt.Sprintf("%s(%d)", f.Name, f.Code)
	case RateLimited:
		return fmt.Sprintf("RateLimited(%s)", f.Reset.Format(time.RFC3339))
	case Slow:
		return fmt.Sprintf("Slow(%s)", f.Delay)
	case AcceptThenDrop:
		return "AcceptThenDrop()"
	case DropBeforePost:
		return "DropBeforePost()"
	case Hold:
		return "Hold()"
	default:
		return fmt.Sprintf("Reject(%d)", f.Code)
	}
}

// Queue holds the faults a test queued, taken one per post request in the
// order queued. F is the fake's own Fault type. The zero Queue is empty
// and ready; it is safe for concurrent use.
type Queue[F any] struct {
	mu     sync.Mutex
	faults []F
}

// Add queues faults after any already queued.
func (q *Queue[F]) Add(faults ...F) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.faults = append(q.faults, faults...)
}

// Clear drops the faults no request has taken yet.
func (q *Queue[F]) Clear() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.faults = nil
}

// Len is how many faults no request has taken yet.
func (q *Queue[F]) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.faults)
}

// Next takes the first fault queued, if any.
func (q *Queue[F]) Next() (F, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	var f F
	if len(q.faults) == 0 {
		return f, false
	}
	f, q.faults = q.faults[0], q.faults[1:]
	return f, true
}
