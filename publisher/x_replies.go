package publisher

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// xOldest is the earliest start_time X accepts.
var xOldest = time.Date(2010, 11, 6, 0, 0, 1, 0, time.UTC)

// xMentionPages bounds a listing: 8 pages of 100 are the 800 most recent
// mentions, all X serves. X bills every post read.
const xMentionPages = 8

// Replies lists the replies to the account's posts and the mentions of it
// since a time, newest first: GET /2/users/:id/mentions. ListReplies asks
// only with social.x.read_timeline: true, since X bills each post read.
// Each reply's text has its t.co links expanded; a reply to one of the
// account's posts (in_reply_to_user_id is the account) names that post.
func (x *X) Replies(ctx context.Context, since time.Time) ([]Reply, error) {
	me, err := x.me(ctx)
	if err != nil {
		return nil, err
	}
	// start_time is inclusive and to the second: what came in the same
	// second as since is dropped below.
	start := since.UTC().Truncate(time.Second)
	if start.Before(xOldest) {
		start = xOldest
	}
	q := url.Values{
		"expansions":   {"author_id"},
		"tweet.fields": {"created_at,conversation_id,in_reply_to_user_id,referenced_tweets,entities"},
		"user.fields":  {"username,name"},
		"max_results":  {"100"},
		"start_time":   {start.Format(time.RFC3339)},
	}
	var out []Reply
	for page := 0; page < xMentionPages; page++ {
		var resp xMentions
		if err := x.do(ctx, http.MethodGet, "/2/users/"+url.PathEscape(me)+"/mentions?"+q.Encode(), nil, http.StatusOK, &resp); err != nil {
			return nil, err
		}
		users := map[string]xUser{}
		for _, u := range resp.Includes.Users {
			users[u.ID] = u
		}
		for _, d := range resp.Data {
			if d.AuthorID == me || !d.CreatedAt.After(since) {
				continue
			}
			out = append(out, x.reply(me, d, users[d.AuthorID]))
		}
		if resp.Meta.NextToken == "" {
			break
		}
		q.Set("pagination_token", resp.Meta.NextToken)
	}
	return out, nil
}

// xMentions is the part of X's answer to a mentions read circulate reads.
type xMentions struct {
	Data     []xTweet `json:"data"`
	Includes struct {
		Users []xUser `json:"users"`
	} `json:"includes"`
	Meta struct {
		NextToken string `json:"next_token"`
	} `json:"meta"`
}

// xTweet is a post as X's v2 API gives it (a mention, or one of the
// account's own posts).
type xTweet struct {
	ID               string    `json:"id"`
	Text             string    `json:"text"`
	AuthorID         string    `json:"author_id"`
	CreatedAt        time.Time `json:"created_at"`
	ConversationID   string    `json:"conversation_id"`
	InReplyToUserID  string    `json:"in_reply_to_user_id"`
	ReferencedTweets []struct {
		Type string `json:"type"`
		ID   string `json:"id"`
	} `json:"referenced_tweets"`
	Entities struct {
		URLs []struct {
			URL         string `json:"url"`
			ExpandedURL string `json:"expanded_url"`
		} `json:"urls"`
	} `json:"entities"`
}

type xUser struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Username string `json:"username"`
}

// links are the post's t.co links and what each stands for.
func (d xTweet) links() []tcoLink {
	var links []tcoLink
	for _, l := range d.Entities.URLs {
		links = append(links, tcoLink{Short: l.URL, Expanded: l.ExpandedURL})
	}
	return links
}

// reply makes a Reply of one mention.
func (x *X) reply(me string, d xTweet, u xUser) Reply {
	links := d.links()
	who := cmp.Or(u.Username, "i/web") // x.com/i/web/status/ID opens any post
	r := Reply{Network: "x", ID: d.ID, URL: "https://x.com/" + who + "/status/" + d.ID,
		Author: cmp.Or(u.Name, u.Username, "someone"), Handle: "@" + cmp.Or(u.Username, d.AuthorID),
		Text: strings.TrimSpace(expandLinks(d.Text, links)), Created: d.CreatedAt, Kind: "mention"}
	for _, ref := range d.ReferencedTweets {
		// A reply in a thread under someone else's post that names the
		// account is a mention: it answers them, not the library.
		if ref.Type == "replied_to" && d.InReplyToUserID == me {
			r.Kind, r.InReplyTo = "reply", x.postURL(ref.ID)
		}
	}
	return r
}
