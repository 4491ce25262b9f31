package publisher

import (
	"context"
	"fmt"
	"slices"

	"github.com/circulate-dev/circulate/internal/item"
	"github.com/circulate-dev/circulate/internal/plural"
)

// Settling pending posts. A pending entry holds the exact text sent, and
// that text is what settles it: the account's posts are read (links
// expanded back from t.co, as they were sent) and a post with the same
// text is the item's post. A link alone proves nothing: another item's
// post may link to this one (a news post about an event), and an address
// twitter-text does not count as a link is shown as plain text, with no
// link to find it by.
//
// Not found, the post may still exist: X can show a new post in the
// timeline late. So the entry is looked for again in the next run
// (settleRuns); then the same text is sent again, which X answers with 201
// if the post was never made, or refuses as a duplicate if it was, and
// either way the item is posted once. That is tried a few times (maxSends)
// within a day of the first send (resendWindow); after that, a person looks
// at the account and says (`circulate publish --resolve`), and every run
// says so and fails until someone does. An entry is never forgotten and
// never sent with any text but its own.

// settle resolves the pending entries of the network.
func (p *poster) settle(ctx context.Context, byID map[string]*item.Item) error {
	name := p.net.Name()
	var pending, unknownURL []string
	for id, e := range p.l.Networks[name] {
		switch {
		case e.State == Pending:
			pending = append(pending, id)
		case e.State == Posted && e.PostURL == "" && e.Text != "" && e.Checks < 5:
			unknownURL = append(unknownURL, id)
		}
	}
	if len(pending)+len(unknownURL) == 0 {
		return nil
	}
	slices.Sort(pending)
	slices.Sort(unknownURL)
	title := func(id string) string {
		if it := byID[id]; it != nil {
			return it.Title
		}
		return id
	}
	if p.opts.DryRun {
		for _, id := range pending {
			p.rep.add(Outcome{Item: id, Title: title(id), Action: ActPending, Text: p.l.Get(name, id).Text,
				Message: "sent before without an answer; a real run looks for it among the account's posts"})
		}
		return nil
	}
	_, err := p.read(ctx)
	readable := err == nil
	note := ""
	if err != nil {
		f := failureOf(err)
		if f.Kind == Auth {
			return f
		}
		note = fmt.Sprintf(" (the account's posts could not be read: %v)", f)
		if f.Kind == NoReads {
			note = " (this X plan does not let circulate read the account's posts)"
		}
	}
	for _, id := range unknownURL {
		e := p.l.Get(name, id)
		if rp := p.find(ctx, e.Text); rp != nil {
			e.PostID, e.PostURL, e.Checks = rp.ID, rp.URL, 0
		} else if readable {
			e.Checks++
		}
	}
	for _, id := range pending {
		e := p.l.Get(name, id)
		o := Outcome{Item: id, Title: title(id), Text: e.Text}
		if rp := p.find(ctx, e.Text); rp != nil {
			e.State, e.PostID, e.PostURL, e.Error, e.Checks = Posted, rp.ID, rp.URL, "", 0
			e.Time = p.opts.Now
			if !rp.Created.IsZero() {
				e.Time = rp.Created
			}
			o.Action, o.PostURL = ActSettled, rp.URL
			o.Message = "found among the account's posts, with the text it was sent with: recorded as posted"
			p.rep.add(o)
			continue
		}
		e.Checks++
		it := byID[id]
		why, final := p.resendBlocked(it, e)
		switch {
		case e.Checks < settleRuns:
			o.Action = ActPending
			o.Message = "not among the account's posts yet" + note + "; X can show a new post late. Looked for again next run, then sent again with exactly the same text, which X refuses as a duplicate if it made the post"
		case why == "":
			if w := p.wait(); w != "" {
				o.Action, o.Message = ActPending, "to be sent again with the same text: "+w
				break
			}
			if err := p.send(ctx, it, e, &o); err != nil {
				p.rep.add(o)
				return err
			}
			if o.Action == ActPosted {
				o.Message = "not found among the account's posts" + note + ", so sent again with exactly the text of the first try: X made it now, so the first try had not"
			}
		case !final:
			o.Action = ActPending
			o.Message = "not found among the account's posts" + note + "; not sent again for now: " + why
		default:
			o.Action = ActUnresolved
			o.Message = fmt.Sprintf("sent %s since %s without an answer, and not found among the account's posts%s; %s, so circulate stops here. Look at the account: if the post is there, run `circulate publish --resolve %s posted <post URL>`; if not, `circulate publish --resolve %s retry` posts it on the next run",
				plural.Count(e.Attempts, "time"), e.Sent.Format("2006-01-02 15:04 MST"), note, why, id, id)
		}
		p.rep.add(o)
	}
	return p.l.Save()
}

// resendBlocked says why a pending entry is not sent again, or "", and
// whether that is final (a person must settle it) or for now.
func (p *poster) resendBlocked(it *item.Item, e *Entry) (why string, final bool) {
	switch {
	case it == nil:
		return "its item is gone from the site", true
	case e.Attempts >= maxSends:
		return "its text was sent " + plural.Count(e.Attempts, "time") + " already", true
	case e.Sent == nil || p.opts.Now.Sub(*e.Sent) > resendWindow:
		return "the first try is more than a day old, too old to rely on X's duplicate guard", true
	case !it.Visible(p.opts.Now):
		return "its item is not on the site now (a draft, or dated later)", false
	case p.opts.Written == nil || !p.opts.Written(it):
		return "its page is not in the site this run built", false
	}
	return "", false
}
