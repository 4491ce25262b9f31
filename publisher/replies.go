package publisher

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// RepliesPath keeps when replies were last listed, so each run lists only
// what came since. It holds a time and nothing else: patrons' replies are
// neither kept in the repository nor put on the website.
const RepliesPath = ".circulate/replies.json"

// RepliesResult is what a listing found.
type RepliesResult struct {
	Since   time.Time        `json:"since"`
	Replies []Reply          `json:"replies"`
	Status  []TimelineStatus `json:"-"`
}

// ListReplies lists the replies to the accounts' posts and the mentions of
// them on every enabled network since since (zero: since the last listing
// recorded in .circulate/replies.json, or the last 7 days), newest first;
// X's only with social.x.read_timeline: true, since X bills reads. With
// record set it records the newest reply's time for the next one. A
// network that cannot be read is reported in Status; the others are
// listed. Credentials a network refuses are the error (NetworkError).
func ListReplies(ctx context.Context, s Setup, since time.Time, record bool) (*RepliesResult, error) {
	path := filepath.Join(s.Root, filepath.FromSlash(RepliesPath))
	now := s.now().UTC()
	if since.IsZero() {
		since = now.Add(-7 * 24 * time.Hour)
		var st struct {
			Checked time.Time `json:"checked"`
		}
		if data, err := os.ReadFile(path); err == nil && json.Unmarshal(data, &st) == nil && !st.Checked.IsZero() {
			since = st.Checked
		}
	}
	res := &RepliesResult{Since: since}
	var authErr []error
	for _, spec := range networkSpecs() {
		set := spec.Settings(s.Config)
		if !set.Enabled || (len(s.Networks) > 0 && !slices.Contains(s.Networks, spec.Name)) {
			continue
		}
		st := TimelineStatus{Network: spec.Name}
		net, missing := spec.Open(&s, set)
		reader, ok := net.(ReplyReader)
		switch {
		case spec.Name == "x" && !s.Config.Social.X.ReadTimeline:
			st.Skipped = XNotRead
		case !ok:
			st.Skipped = "its replies cannot be read: look at the account's notifications"
		case len(missing) > 0:
			st.Skipped = strings.Join(missing, ", ") + " not set"
		default:
			list, err := reader.Replies(ctx, since)
			if err != nil {
				switch f := failureOf(err); f.Kind {
				case NoReads:
					// A plan without reads is how the account is, not a
					// failure: one line says so.
					st.Skipped = fmt.Sprintf("%s answered %d: its plan does not let this app read mentions; look at the account's notifications", spec.Title, f.Status)
				case Auth:
					st.Err = err
					authErr = append(authErr, &NetworkError{Network: spec.Name, Title: spec.Title, Err: f})
				default:
					st.Err = err
				}
				break
			}
			st.Posts = len(list)
			res.Replies = append(res.Replies, list...)
		}
		res.Status = append(res.Status, st)
	}
	slices.SortStableFunc(res.Replies, func(a, b Reply) int { return b.Created.Compare(a.Created) })
	matchItems(s.Root, res.Replies)
	// The newest reply's time is recorded, and only when there is one: the
	// next listing starts after it, and an hourly run with nothing new
	// changes no file (and makes no commit).
	if record && len(res.Replies) > 0 {
		data, _ := json.MarshalIndent(map[string]any{"checked": res.Replies[0].Created.UTC(), "version": 1}, "", "  ")
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return res, err
		}
		if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
			return res, err
		}
	}
	return res, joinErrs(authErr)
}

// XNotRead is why X's replies are not listed without
// social.x.read_timeline: true, and how to list them.
const XNotRead = "X bills reads: set social.x.read_timeline: true in config.yaml to list X's replies and mentions here too (it also reads the account's posts for the site's feed)"

// matchItems names the site's item whose post a reply answers, when the
// ledger knows that post, so that staff see what the question is about.
func matchItems(root string, replies []Reply) {
	l, err := LoadLedger(LedgerFile(root))
	if err != nil {
		return
	}
	for i := range replies {
		r := &replies[i]
		if r.InReplyTo == "" {
			continue
		}
		id := r.InReplyTo[strings.LastIndex(r.InReplyTo, "/")+1:]
		for _, p := range l.Posts(r.Network) {
			if p.PostURL == r.InReplyTo || p.PostID == id {
				r.Item = p.Item
				if rec := l.Items[p.Item]; rec != nil {
					r.ItemTitle = rec.Title
				}
				break
			}
		}
	}
}

func joinErrs(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	return errors.Join(errs...)
}
