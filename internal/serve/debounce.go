package serve

import (
	"context"
	"slices"
	"time"
)

// batch is the changes of one burst.
type batch struct {
	paths []string  // sorted, each once
	last  time.Time // the burst's last event, where the reload latency starts
}

// fileState is what a burst did to one file.
type fileState struct {
	seen bool
	new  bool // the burst's first event for the file created it
	gone bool // its last one removed it or renamed it away
}

// debounce collects changes until none has come for quiet, or for at most
// maxWait after the first (so a file written every few milliseconds still
// gets rebuilt), then sends them as one batch. While the receiver is busy
// rebuilding, changes keep collecting into the next batch.
//
// A file that appeared and went again within the burst is an editor's
// temporary file, saved and renamed over the real one: it is left out,
// and a burst of nothing else sends no batch.
func debounce(ctx context.Context, in <-chan change, quiet, maxWait time.Duration, out chan<- batch) {
	var (
		pending map[string]fileState
		first   time.Time
		last    time.Time
		timer   = time.NewTimer(time.Hour)
		ready   *batch
	)
	timer.Stop()
	defer timer.Stop()
	for {
		var send chan<- batch // nil, so never chosen, until a batch is ready
		var next batch
		if ready != nil {
			send, next = out, *ready
		}
		select {
		case <-ctx.Done():
			return
		case c, ok := <-in:
			if !ok {
				return
			}
			if pending == nil {
				pending, first = map[string]fileState{}, c.at
			}
			st := pending[c.path]
			if !st.seen {
				st.seen, st.new = true, c.created
			}
			st.gone = c.gone // a later Create brings the file back
			pending[c.path], last = st, c.at
			ready = nil
			timer.Reset(min(quiet, max(maxWait-time.Since(first), 0)))
		case <-timer.C:
			b := batch{paths: realChanges(pending), last: last}
			if len(b.paths) == 0 {
				pending = nil
				continue
			}
			ready = &b
		case send <- next:
			pending, ready = nil, nil
		}
	}
}

// realChanges lists the files of a burst, sorted, without the ones that
// came and went within it.
func realChanges(m map[string]fileState) []string {
	paths := make([]string, 0, len(m))
	for p, st := range m {
		if !(st.new && st.gone) {
			paths = append(paths, p)
		}
	}
	slices.Sort(paths)
	return paths
}
