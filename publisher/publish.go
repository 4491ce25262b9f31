package publisher

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/circulate-dev/circulate/internal/item"
)

// Options are the rules of one run.
type Options struct {
	Now      time.Time
	MaxAge   time.Duration // older items are skipped (social.max_age)
	MaxPosts int           // posts per run (social.x.max_posts_per_run)
	DryRun   bool          // decide and compose, but neither post nor save
	Retries  int           // attempts after a transient failure; 0 means 3
	// Sleep waits between retries; nil sleeps for real. Tests pass a fake.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Action is what a run did with an item.
type Action string

const (
	ActBaseline  Action = "baseline"   // recorded on the first run, not posted
	ActSkipped   Action = "skipped"    // will never be posted
	ActPosted    Action = "posted"     // posted now
	ActWouldPost Action = "would-post" // dry run
	ActSettled   Action = "settled"    // a pending entry found among the account's posts
	ActPending   Action = "pending"    // outcome unknown; checked again next run
	ActWaiting   Action = "waiting"    // left for the next run (limit, rate limit, transient failure)
	ActFailed    Action = "failed"     // refused for good
)

// Outcome is one item's fate in a run.
type Outcome struct {
	Item    string  `json:"item"`
	Title   string  `json:"title"`
	Action  Action  `json:"action"`
	Text    string  `json:"text,omitempty"`
	Weight  int     `json:"weight,omitempty"`
	Limit   int     `json:"limit,omitempty"` // the network's limit, for "weight/limit"
	Cost    float64 `json:"cost,omitempty"`
	PostURL string  `json:"post_url,omitempty"`
	Message string  `json:"message,omitempty"` // what happened and what happens next
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
}

func (r *Report) add(o Outcome) { r.Outcomes = append(r.Outcomes, o) }

// Publish posts the new items among items to net, at most once each,
// recording every step in the ledger before and after each request. It
// returns an *Error of kind Auth when the credentials are refused; other
// failures are reported per item and left for the next run.
func Publish(ctx context.Context, items []*item.Item, l *Ledger, net Network, comp *Composer, opts Options) (*Report, error) {
	name := net.Name()
	rep := &Report{Network: name}
	save := func() error {
		if opts.DryRun {
			return nil
		}
		return l.Save()
	}
	var visible []*item.Item
	for _, it := range items {
		if it.Kind != item.Page && it.Visible(opts.Now) {
			visible = append(visible, it)
		}
	}
	slices.SortFunc(visible, func(a, b *item.Item) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.ID, b.ID))
	})

	if len(l.Networks[name]) == 0 {
		rep.Baseline = true
		for _, it := range visible {
			l.Set(name, it.ID, &Entry{State: Baseline, ItemURL: it.URL, Time: opts.Now})
			rep.add(Outcome{Item: it.ID, Title: it.Title, Action: ActBaseline})
		}
		return rep, save()
	}

	byID := map[string]*item.Item{}
	for _, it := range visible {
		byID[it.ID] = it
	}
	if !opts.DryRun {
		if err := settle(ctx, l, net, byID, rep, opts.Now); err != nil {
			return rep, err
		}
	}

	var todo []*item.Item
	for _, it := range visible {
		if l.Get(name, it.ID) != nil {
			continue
		}
		if reason := SkipReason(it, opts); reason != "" {
			l.Set(name, it.ID, &Entry{State: Skipped, Reason: reason, ItemURL: it.URL, Time: opts.Now})
			rep.add(Outcome{Item: it.ID, Title: it.Title, Action: ActSkipped, Message: reason})
			continue
		}
		if reason := HoldReason(it); reason != "" {
			rep.add(Outcome{Item: it.ID, Title: it.Title, Action: ActWaiting, Message: reason})
			continue
		}
		todo = append(todo, it)
	}
	if err := save(); err != nil {
		return rep, err
	}

	var stop string // why posting stopped for this run
	for _, it := range todo {
		c, err := comp.Compose(it, net)
		if err != nil {
			return rep, err
		}
		o := Outcome{Item: it.ID, Title: it.Title, Text: c.Text, Weight: c.Weight, Limit: c.Limit, Cost: net.Cost(c.Text)}
		switch {
		case stop != "":
			o.Action, o.Message, o.Cost = ActWaiting, stop, 0
		case rep.Posted >= opts.MaxPosts:
			o.Action, o.Cost = ActWaiting, 0
			o.Message = fmt.Sprintf("at most %d posts per run (social.x.max_posts_per_run); posted next run", opts.MaxPosts)
		case opts.DryRun:
			o.Action = ActWouldPost
			rep.Posted++
			rep.Cost += o.Cost
		default:
			if err := post(ctx, l, net, it, c.Text, &o, opts); err != nil {
				rep.add(o)
				return rep, err
			}
			if o.Action == ActPosted || o.Action == ActSettled {
				rep.Posted++
				rep.Cost += o.Cost
			} else {
				o.Cost = 0
			}
			if o.Action == ActWaiting {
				stop = o.Message
			}
		}
		rep.add(o)
	}
	return rep, nil
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

// post makes one post, retrying transient failures, and records each step.
func post(ctx context.Context, l *Ledger, net Network, it *item.Item, text string, o *Outcome, opts Options) error {
	name := net.Name()
	l.Set(name, it.ID, &Entry{State: Pending, ItemURL: it.URL, Text: text, Time: opts.Now})
	if err := l.Save(); err != nil {
		return fmt.Errorf("cannot record the post before sending it, so nothing was sent: %w", err)
	}
	retries := cmp.Or(opts.Retries, 3)
	for attempt := 0; ; attempt++ {
		rp, err := postItem(ctx, net, it, text)
		if err == nil {
			l.Set(name, it.ID, &Entry{State: Posted, ItemURL: it.URL, Text: text, PostID: rp.ID, PostURL: rp.URL, Time: opts.Now})
			o.Action, o.PostURL = ActPosted, rp.URL
			return l.Save()
		}
		f := failureOf(err)
		switch f.Kind {
		case Transient:
			if attempt < retries && ctx.Err() == nil {
				if err := sleep(ctx, opts, backoff(attempt)); err == nil {
					continue
				}
			}
			l.Delete(name, it.ID)
			o.Action = ActWaiting
			o.Message = fmt.Sprintf("%s answered %v, %d times; not posted, tried again next run", name, f, attempt+1)
		case Unknown, Duplicate:
			e := l.Get(name, it.ID)
			e.Error = f.Error()
			o.Action = ActPending
			o.Message = fmt.Sprintf("%s may have received this post (%v); it stays pending and is checked against the account's posts next run, never posted twice", name, f)
			if f.Kind == Duplicate {
				o.Message = fmt.Sprintf("%s says this text was posted already: probably by an earlier run that did not hear back; it stays pending and is checked against the account's posts next run", name)
			}
		case RateLimited:
			l.Delete(name, it.ID)
			o.Action = ActWaiting
			o.Message = fmt.Sprintf("%s rate limit reached; posting resumes after %s (next run)", name, f.RetryAt.Format(time.RFC3339))
		case Rejected:
			l.Set(name, it.ID, &Entry{State: Failed, ItemURL: it.URL, Text: text, Error: f.Error(), Time: opts.Now})
			o.Action = ActFailed
			o.Message = fmt.Sprintf("%s refused this post: %v; it will not be tried again (see docs/publishing.md to retry)", name, f)
		case Auth:
			l.Delete(name, it.ID)
			if err := l.Save(); err != nil {
				return err
			}
			o.Action = ActWaiting
			o.Message = "not posted: " + f.Message
			return f
		}
		return l.Save()
	}
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

// settle resolves pending entries from the account's recent posts: found
// means posted; absent means the request never made it, so the item is
// posted again in this run.
func settle(ctx context.Context, l *Ledger, net Network, byID map[string]*item.Item, rep *Report, now time.Time) error {
	name := net.Name()
	var pending []string
	for id, e := range l.Networks[name] {
		if e.State == Pending {
			pending = append(pending, id)
		}
	}
	if len(pending) == 0 {
		return nil
	}
	slices.Sort(pending)
	recent, err := net.Recent(ctx)
	if err != nil {
		f := failureOf(err)
		for _, id := range pending {
			rep.add(Outcome{Item: id, Action: ActPending, Message: fmt.Sprintf(
				"the request may have reached %s, and its recent posts could not be read to check (%v); it is not posted again. Look at the account, then run `circulate publish --resolve %s posted <post URL>` or `circulate publish --resolve %s retry`",
				name, f, id, id)})
		}
		return nil
	}
	for _, id := range pending {
		e := l.Get(name, id)
		var found *RemotePost
		for i, rp := range recent {
			if slices.Contains(rp.Links, e.ItemURL) {
				found = &recent[i]
				break
			}
		}
		title := id
		if it := byID[id]; it != nil {
			title = it.Title
		}
		if found != nil {
			l.Set(name, id, &Entry{State: Posted, ItemURL: e.ItemURL, Text: e.Text, PostID: found.ID, PostURL: found.URL, Time: cmp.Or(found.Created, now)})
			rep.add(Outcome{Item: id, Title: title, Action: ActSettled, PostURL: found.URL,
				Message: "found among the account's posts: recorded as posted"})
			continue
		}
		l.Delete(name, id)
	}
	return l.Save()
}
