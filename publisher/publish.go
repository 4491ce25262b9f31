package publisher

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/circulate-dev/circulate/internal/item"
	"github.com/circulate-dev/circulate/internal/plural"
)

// Options are the rules of one run on one network.
type Options struct {
	Now      time.Time
	MaxAge   time.Duration // older items are skipped (social.max_age)
	MaxPosts int           // posts per run (social.x.max_posts_per_run)
	DryRun   bool          // decide and compose, but neither post nor save
	Retries  int           // attempts after a failure worth retrying at once; 0 means 3
	// Sleep waits between retries; nil sleeps for real. Tests pass a fake.
	Sleep func(ctx context.Context, d time.Duration) error
	// Written reports whether an item's page is in the site this run
	// deploys; an item is posted only then. Nil: no page is (a dry run
	// lists what would be posted all the same).
	Written func(it *item.Item) bool
	// Holds are the items that may be items the ledger knew under another
	// ID (identity.go): held until a person says.
	Holds map[string]Hold
}

// Settling a pending post: how long circulate keeps at it on its own.
const (
	// settleRuns: a pending post not found among the account's posts is
	// looked for again in the next run (X can show a new post late) before
	// it is sent again.
	settleRuns = 2
	// maxSends: the recorded text is sent at most this many times in all
	// (each may have made the post; X refuses the same text again as a
	// duplicate, so the post is made at most once).
	maxSends = 3
	// resendWindow: after this long since the first send, the text is not
	// sent again: X's duplicate guard is meant for recent posts, and an old
	// post may be gone from the recent ones a run reads. A person decides.
	resendWindow = 24 * time.Hour
)

// Action is what a run did with an item.
type Action string

const (
	ActBaseline  Action = "baseline"   // recorded on the first run, not posted
	ActSkipped   Action = "skipped"    // will never be posted
	ActPosted    Action = "posted"     // posted now
	ActWouldPost Action = "would-post" // dry run
	ActSettled   Action = "settled"    // a pending post found on the account: recorded as posted
	ActPending   Action = "pending"    // outcome unknown; checked again next run
	ActWaiting   Action = "waiting"    // left for a later run (limit, rate limit, held, page not built)
	ActFailed    Action = "failed"     // refused for good: fix the text (the run fails)
	// ActUnresolved: pending for too long to settle without a person (the
	// run fails, and says what to do).
	ActUnresolved Action = "unresolved"
	// ActRenamed: the item is one the ledger knew under another ID (its
	// file renamed, its slug changed): its entry follows it, it is not
	// posted again (identity.go).
	ActRenamed Action = "renamed"
)

// Outcome is one item's fate in a run.
type Outcome struct {
	Item  string `json:"item"`
	Title string `json:"title"`
	// File and Line point at what to fix (failed and unresolved items).
	File    string  `json:"file,omitempty"`
	Line    int     `json:"line,omitempty"`
	Action  Action  `json:"action"`
	Text    string  `json:"text,omitempty"`
	Weight  int     `json:"weight,omitempty"`
	Limit   int     `json:"limit,omitempty"` // the network's limit, for "weight/limit"
	Cost    float64 `json:"cost,omitempty"`
	PostURL string  `json:"post_url,omitempty"`
	Message string  `json:"message,omitempty"` // what happened and what happens next
	// Notes are warnings about the text: characters left out of it.
	Notes []string `json:"notes,omitempty"`
}

// Report is what a run did on one network.
type Report struct {
	Network string `json:"network"`
	// DryRun: nothing was posted or recorded; Why says why.
	DryRun   bool      `json:"dry_run"`
	Why      string    `json:"why,omitempty"`
	Baseline bool      `json:"baseline,omitempty"` // this was the first run
	Outcomes []Outcome `json:"outcomes"`
	Posted   int       `json:"posted"`
	Cost     float64   `json:"cost"` // of the posts made (or, dry run, to be made)
	// Samples: on a first run's dry run, what posts will look like after
	// the baseline (the newest item of each kind, as it would be posted).
	Samples []Outcome `json:"samples,omitempty"`
}

func (r *Report) add(o Outcome) { r.Outcomes = append(r.Outcomes, o) }

// Publish posts the new items among items to net, at most once each,
// recording every step in the ledger before and after each request. It
// returns an *Error of kind Auth when the credentials are refused, and a
// *RecordError when a post was made but the ledger could not be saved;
// other failures are reported per item.
func Publish(ctx context.Context, items []*item.Item, l *Ledger, net Network, comp *Composer, opts Options) (*Report, error) {
	name := net.Name()
	rep := &Report{Network: name}
	save := func() error {
		if opts.DryRun {
			return nil
		}
		return l.Save()
	}
	byID := map[string]*item.Item{}
	var visible []*item.Item
	for _, it := range items {
		if it.Kind == item.Page {
			continue
		}
		byID[it.ID] = it
		if it.Visible(opts.Now) {
			visible = append(visible, it)
		}
	}
	slices.SortFunc(visible, func(a, b *item.Item) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.ID, b.ID))
	})

	if len(l.Networks[name]) == 0 {
		rep.Baseline = true
		for _, it := range visible {
			l.setEntry(name, it, &Entry{State: Baseline, ItemURL: it.URL, Time: opts.Now})
			rep.add(Outcome{Item: it.ID, Title: it.Title, Action: ActBaseline})
		}
		if opts.DryRun {
			rep.Samples = samples(visible, comp, net)
		}
		return rep, save()
	}

	p := &poster{l: l, net: net, opts: opts, rep: rep}
	if err := p.settle(ctx, byID); err != nil {
		return rep, err
	}

	var todo []*item.Item
	for _, it := range visible {
		if e := l.Get(name, it.ID); e != nil {
			if e.State == Failed && p.retryFailed(it, e, comp) {
				todo = append(todo, it)
			}
			continue
		}
		if reason := SkipReason(it, opts); reason != "" {
			l.setEntry(name, it, &Entry{State: Skipped, Reason: reason, ItemURL: it.URL, Time: opts.Now})
			rep.add(Outcome{Item: it.ID, Title: it.Title, Action: ActSkipped, Message: reason})
			continue
		}
		if reason := HoldReason(it); reason != "" {
			rep.add(Outcome{Item: it.ID, Title: it.Title, Action: ActWaiting, Message: reason})
			continue
		}
		if h, ok := opts.Holds[it.ID]; ok {
			rep.add(Outcome{Item: it.ID, Title: it.Title, Action: ActWaiting, Message: h.Message})
			continue
		}
		if !opts.DryRun && (opts.Written == nil || !opts.Written(it)) {
			rep.add(Outcome{Item: it.ID, Title: it.Title, Action: ActWaiting, Message: "its page is not in the site this run built, so a post would link to nothing; it is posted by a run that builds the site (`circulate build`)"})
			continue
		}
		todo = append(todo, it)
	}
	if err := save(); err != nil {
		return rep, err
	}

	for _, it := range todo {
		c, err := comp.Compose(it, net)
		if err != nil {
			return rep, &ConfigError{Err: err}
		}
		o := Outcome{Item: it.ID, Title: it.Title, Text: c.Text, Weight: c.Weight, Limit: c.Limit, Cost: net.Cost(c.Text), Notes: c.Notes}
		if why := p.wait(); why != "" {
			o.Action, o.Message, o.Cost = ActWaiting, why, 0
			rep.add(o)
			continue
		}
		if opts.DryRun {
			o.Action = ActWouldPost
			p.sent++
			rep.Posted++
			rep.Cost += o.Cost
			rep.add(o)
			continue
		}
		err = p.post(ctx, it, c.Text, &o)
		rep.add(o)
		if err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// samples composes, for a first run's dry run, the post of the newest
// visible item of each kind: what posts will look like once they start.
func samples(visible []*item.Item, comp *Composer, net Network) []Outcome {
	var out []Outcome
	for _, k := range item.Kinds {
		for i := len(visible) - 1; i >= 0; i-- {
			it := visible[i]
			if it.Kind != k || it.NoTweet {
				continue
			}
			if c, err := comp.Compose(it, net); err == nil {
				out = append(out, Outcome{Item: it.ID, Title: it.Title, Text: c.Text, Weight: c.Weight, Limit: c.Limit, Cost: net.Cost(c.Text), Notes: c.Notes})
			}
			break
		}
	}
	return out
}

// HoldReason says why it is not to be posted for now, though it may be
// later, or "". Announcing an event nobody has heard of as cancelled helps
// no one; it is held, not recorded, so that it is posted if the librarian
// sets it back to scheduled (a new date, say).
func HoldReason(it *item.Item) string {
	if e := it.Event; e != nil && e.Status != "" && e.Status != item.Scheduled {
		return "the event is " + e.Status + ": not announced; it is posted if its status goes back to scheduled"
	}
	return ""
}

// SkipReason says why a visible item without an entry will never be posted,
// or "" when it may be. `check` uses it too, to warn only about posts that
// can still happen.
func SkipReason(it *item.Item, opts Options) string {
	switch {
	case it.NoTweet:
		return "tweet: false"
	case it.Event != nil && !it.StartsAfter(opts.Now):
		return "the event has already started"
	case opts.MaxAge > 0 && it.Date.Before(opts.Now.Add(-opts.MaxAge)):
		return fmt.Sprintf("dated %s, older than social.max_age", it.Date.Format("2006-01-02"))
	}
	return ""
}

// poster makes the posts of one run on one network.
type poster struct {
	l    *Ledger
	net  Network
	opts Options
	rep  *Report
	sent int    // requests that may post, this run
	stop string // why posting stopped for this run
	// recent caches the one read of the account's posts a run makes.
	recent     []RemotePost
	recentErr  error
	recentRead bool
}

// wait says why the next post waits for a later run, or "".
func (p *poster) wait() string {
	switch {
	case p.stop != "":
		return p.stop
	case p.sent >= p.opts.MaxPosts:
		return fmt.Sprintf("at most %s per run (social.%s.max_posts_per_run); posted next run", plural.Count(p.opts.MaxPosts, "post"), p.net.Name())
	}
	return ""
}

// read reads the account's recent posts once a run, retrying a failure
// that may pass (a GET changes nothing, so it is safe to repeat).
func (p *poster) read(ctx context.Context) ([]RemotePost, error) {
	if p.recentRead {
		return p.recent, p.recentErr
	}
	p.recentRead = true
	for attempt := 0; ; attempt++ {
		p.recent, p.recentErr = p.net.Recent(ctx)
		if p.recentErr == nil || failureOf(p.recentErr).Kind != Transient || attempt >= 2 || ctx.Err() != nil {
			return p.recent, p.recentErr
		}
		if sleep(ctx, p.opts, backoff(attempt)) != nil {
			return p.recent, p.recentErr
		}
	}
}

// find returns the account's post with exactly text, if the account's
// posts can be read and it is among them.
func (p *poster) find(ctx context.Context, text string) *RemotePost {
	recent, err := p.read(ctx)
	if err != nil {
		return nil
	}
	for i := range recent {
		if sameText(recent[i].Text, text) {
			return &recent[i]
		}
	}
	return nil
}

// retryFailed decides about an item the network refused for good: posted
// again once its text changed (the librarian fixed it), skipped once it is
// too old to post, reported as failed (the run fails) meanwhile.
func (p *poster) retryFailed(it *item.Item, e *Entry, comp *Composer) bool {
	name := p.net.Name()
	if reason := SkipReason(it, p.opts); reason != "" {
		e.State, e.Reason = Skipped, fmt.Sprintf("%s refused it (%s); not tried again: %s", name, e.Error, reason)
		p.rep.add(Outcome{Item: it.ID, Title: it.Title, Action: ActSkipped, Message: e.Reason})
		return false
	}
	if c, err := comp.Compose(it, p.net); err == nil && c.Text != e.Text {
		return true
	}
	p.rep.add(Outcome{Item: it.ID, Title: it.Title, Action: ActFailed, Text: e.Text, Message: fmt.Sprintf(
		"%s refused this post for good (%s); fix the title or the `tweet:` text, and it is posted by the next run; or run `circulate publish --resolve %s skip` to give up on it",
		name, e.Error, it.ID)})
	return false
}

// post makes the first post of an item: recorded as pending before the
// request, so that a crash at any point leaves the text that may have been
// sent, and never a second post.
func (p *poster) post(ctx context.Context, it *item.Item, text string, o *Outcome) error {
	now := p.opts.Now
	e := &Entry{Key: it.ID, State: Pending, ItemURL: it.URL, Text: text, Sent: &now, Time: now}
	// The item's record goes with the entry, before the request: an item
	// renamed after a crash here is still recognised (identity.go).
	p.l.setEntry(p.net.Name(), it, e)
	if err := p.l.Save(); err != nil {
		p.l.Delete(p.net.Name(), it.ID)
		return fmt.Errorf("cannot record the post before sending it, so nothing was sent: %w", err)
	}
	return p.send(ctx, it, e, o)
}

// send sends e.Text, exactly, retrying at once what may pass (a refused
// connection, a 5xx), and records the outcome. A request that may have
// reached the network leaves e pending: only an answer proves anything,
// and the same text sent again is refused as a duplicate if it was made.
func (p *poster) send(ctx context.Context, it *item.Item, e *Entry, o *Outcome) error {
	name, id := p.net.Name(), it.ID
	retries := cmp.Or(p.opts.Retries, 3)
	p.sent++
	// Attempts counts the runs whose requests may have reached the
	// network, not each retry within a run.
	before, reached := e.Attempts, false
	for attempt := 0; ; attempt++ {
		rp, err := postItem(ctx, p.net, it, cmp.Or(e.Key, it.ID), e.Text)
		if err == nil {
			e.Attempts = before + 1
			e.State, e.PostID, e.PostURL, e.Error, e.Time = Posted, rp.ID, rp.URL, "", p.opts.Now
			o.Action, o.PostURL = ActPosted, rp.URL
			p.rep.Posted++
			p.rep.Cost += o.Cost
			return p.record(id, rp.URL)
		}
		f := failureOf(err)
		switch f.Kind {
		case Transient, RateLimited, Rejected, Auth: // refused or never sent: no post made
		default:
			reached = true
			e.Attempts = before + 1
		}
		again := attempt < retries && ctx.Err() == nil &&
			(f.Kind == Transient || f.Kind == Unknown && f.Status >= 500)
		if again && sleep(ctx, p.opts, backoff(attempt)) == nil {
			continue
		}
		o.Cost = 0
		switch f.Kind {
		case Duplicate:
			// The network has this exact text: the post circulate sent
			// before and did not hear back from (or the same words posted
			// by hand). Either way the item is announced.
			e.State, e.Error, e.Time = Posted, "", p.opts.Now
			o.Action, o.Message = ActSettled, fmt.Sprintf("%s says this exact text is on the account already: recorded as posted", name)
			if rp := p.find(ctx, e.Text); rp != nil {
				e.PostID, e.PostURL, o.PostURL = rp.ID, rp.URL, rp.URL
			} else {
				o.Message += " (its address is filled in once the account's posts show it)"
			}
			return p.record(id, e.PostURL)
		case Transient, RateLimited, Auth:
			msg := fmt.Sprintf("could not reach %s (%v, %s); not posted, tried again next run", name, f, plural.Count(attempt+1, "try"))
			if f.Kind == RateLimited {
				msg = fmt.Sprintf("%s rate limit reached; posting resumes after %s (next run)", name, f.RetryAt.Format(time.RFC3339))
				p.stop = msg
			}
			if f.Kind == Auth {
				msg = "not posted: " + f.Message
			}
			if e.Attempts == 0 && !reached {
				p.l.Delete(name, id) // nothing was ever sent
				o.Action, o.Message = ActWaiting, msg
			} else {
				o.Action, o.Message = ActPending, msg+"; it stays pending, as an earlier request may have made the post"
			}
			if err := p.l.Save(); err != nil {
				return err
			}
			if f.Kind == Auth {
				return f
			}
			return nil
		case Rejected:
			e.State, e.Error, e.Time = Failed, f.Error(), p.opts.Now
			o.Action = ActFailed
			o.Message = fmt.Sprintf("%s refused this post for good (%v); fix the title or the `tweet:` text and it is posted by the next run, or run `circulate publish --resolve %s skip`", name, f, id)
		default: // Unknown
			e.Error = f.Error()
			o.Action = ActPending
			o.Message = fmt.Sprintf("%s may have made this post (%v); it stays pending and is looked for among the account's posts by the next runs, then sent again with exactly this text, which %s refuses as a duplicate if it has it: never posted twice", name, f, name)
		}
		return p.l.Save()
	}
}

// record saves the ledger after a post was made; if that fails, the post
// must be recorded by hand, or the next run would not know of it.
func (p *poster) record(id, postURL string) error {
	if err := p.l.Save(); err != nil {
		return &RecordError{Network: p.net.Name(), Item: id, PostURL: postURL, Err: err}
	}
	return nil
}

// backoff is capped exponential back-off with full jitter: many CI jobs
// retrying at once should not hit X in step.
func backoff(attempt int) time.Duration {
	d := min(time.Second<<attempt, 30*time.Second)
	return time.Duration(rand.Int64N(int64(d))) + d/4
}

func sleep(ctx context.Context, opts Options, d time.Duration) error {
	if opts.Sleep != nil {
		return opts.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
