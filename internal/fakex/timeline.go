package fakex

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/circulate-dev/circulate/internal/fakenet"
)

// GET /2/users/me and GET /2/users/:id/tweets: what the publisher may read
// back, to check its credentials or to find out after a lost answer whether
// a post went out (by matching entities.urls[].expanded_url).

// checkParams refuses query parameters an endpoint does not take, as X does
// (400), so a misspelt "tweet.fields" is caught rather than ignored.
func checkParams(w *recorder, q url.Values, allowed ...string) bool {
	var unknown []string
	for k := range q {
		ok := false
		for _, a := range allowed {
			ok = ok || k == a
		}
		if !ok {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		invalidRequest(w, "The query parameters ["+strings.Join(unknown, ",")+"] is not one of ["+strings.Join(allowed, ",")+"]")
		return false
	}
	return true
}

func (s *Server) me(w *recorder, r *http.Request) {
	if reason := s.authenticate(r); reason != "" {
		s.rateHeaders(w, epMe)
		unauthorized(w, reason)
		return
	}
	if !s.take(w, epMe) || !checkParams(w, r.URL.Query(), "expansions", "tweet.fields", "user.fields") {
		return
	}
	fakenet.WriteJSON(w, http.StatusOK, map[string]any{"data": map[string]any{
		"id": s.opts.UserID, "name": s.opts.Name, "username": s.opts.Username,
	}})
}

// expansionNames and userFieldNames are the expansions and user.fields
// X knows; an unknown one is a 400.
var expansionNames = strings.Split("article.cover_media,article.media_entities,attachments.media_keys,"+
	"attachments.media_source_tweet,attachments.poll_ids,author_id,edit_history_tweet_ids,"+
	"entities.mentions.username,entities.note.mentions.username,geo.place_id,in_reply_to_user_id,"+
	"referenced_tweets.id,referenced_tweets.id.attachments.media_keys,referenced_tweets.id.author_id", ",")

var userFieldNames = strings.Split("affiliation,confirmed_email,connection_status,created_at,description,"+
	"entities,id,is_identity_verified,location,most_recent_tweet_id,name,parody,pinned_tweet_id,"+
	"profile_banner_url,profile_image_url,protected,public_metrics,receives_your_dm,subscription,"+
	"subscription_type,url,username,verified,verified_followers_count,verified_type,withheld", ",")

// tweetFieldNames are the tweet.fields X knows; an unknown one is a 400.
var tweetFieldNames = strings.Split("article,attachments,author_id,card_uri,community_id,context_annotations,"+
	"conversation_id,created_at,display_text_range,edit_controls,edit_history_tweet_ids,entities,geo,id,"+
	"in_reply_to_user_id,lang,media_metadata,non_public_metrics,note_tweet,organic_metrics,possibly_sensitive,"+
	"promoted_metrics,public_metrics,referenced_tweets,reply_settings,scopes,source,text,withheld", ",")

// mayRead answers a read that X refuses before counting it: bad OAuth
// 1.0a credentials (401), or a plan without reads (403); false when it
// answered.
func (s *Server) mayRead(w *recorder, r *http.Request, ep string) bool {
	if reason := s.authenticate(r); reason != "" {
		s.rateHeaders(w, ep)
		unauthorized(w, reason)
		return false
	}
	if s.opts.ReadsForbidden {
		// X checks the plan before counting the request.
		s.rateHeaders(w, ep)
		readsForbidden(w)
		return false
	}
	return true
}

func (s *Server) timeline(w *recorder, r *http.Request, id string) {
	if !s.mayRead(w, r, epTimeline) {
		return
	}
	q := r.URL.Query()
	if !s.take(w, epTimeline) || !checkParams(w, q, "end_time", "exclude", "expansions", "max_results",
		"media.fields", "pagination_token", "place.fields", "poll.fields", "since_id", "start_time",
		"tweet.fields", "until_id", "user.fields") {
		return
	}
	lq, ok := parseList(w, q)
	if !ok || !s.knownUser(w, id) {
		return
	}

	s.mu.Lock()
	s.reads++
	now := s.opts.Now()
	var page []Post
	more := false
	for i := len(s.posts) - 1; i >= 0; i-- { // newest first
		p := s.posts[i]
		if !lq.in(p) {
			continue
		}
		if s.reads < p.shownFromRead || now.Before(p.shownAt) {
			continue // not in the timeline yet (Options.TimelineLag*)
		}
		if len(page) == lq.max {
			more = true
			break
		}
		page = append(page, p)
	}
	s.mu.Unlock()
	s.writePage(w, page, more, lq, nil)
}

// readsForbidden is X's answer to a read on a plan without read access.
func readsForbidden(w *recorder) {
	w.Reason = "reads forbidden on this plan"
	fakenet.WriteJSON(w, http.StatusForbidden, map[string]any{
		"client_id":           "fakex-client",
		"detail":              "When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project. You can create a project via the developer portal.",
		"registration_url":    "https://developer.twitter.com/en/docs/projects/overview",
		"title":               "Client Forbidden",
		"required_enrollment": "Appropriate Level of API Access",
		"reason":              "client-not-enrolled",
		"type":                "https://api.twitter.com/2/problems/client-forbidden",
	})
}

// knownUser answers for a user id that is not the account's as X does:
// 200 with an errors array. It reports whether the id is the account's.
func (s *Server) knownUser(w *recorder, id string) bool {
	if id == s.opts.UserID {
		return true
	}
	w.Reason = "unknown user " + id
	fakenet.WriteJSON(w, http.StatusOK, map[string]any{"errors": []map[string]any{{
		"value": id, "detail": "Could not find user with id: [" + id + "].", "title": "Not Found Error",
		"resource_type": "user", "parameter": "id", "resource_id": id,
		"type": "https://api.twitter.com/2/problems/resource-not-found",
	}}})
	return false
}

// listQuery is what a timeline request asks for.
type listQuery struct {
	fields       map[string]bool // tweet.fields
	userFields   map[string]bool // user.fields
	expansions   map[string]bool
	max          int
	since, until int64     // ids: since_id < id < min(until_id, pagination_token)
	start, end   time.Time // start_time <= created_at <= end_time, when set
}

// in reports whether a post is within the query's ids and times.
func (lq listQuery) in(p Post) bool {
	n, _ := strconv.ParseInt(p.ID, 10, 64)
	if n <= lq.since || n >= lq.until {
		return false
	}
	return (lq.start.IsZero() || !p.CreatedAt.Before(lq.start)) && (lq.end.IsZero() || !p.CreatedAt.After(lq.end))
}

// oldestTime is the earliest start_time or end_time X accepts.
var oldestTime = time.Date(2010, 11, 6, 0, 0, 1, 0, time.UTC)

// parseList reads and checks a timeline's query as X does, answering 400
// for what X refuses.
func parseList(w *recorder, q url.Values) (listQuery, bool) {
	lq := listQuery{max: 10, until: 1<<63 - 1}
	var ok bool
	if lq.fields, ok = fieldList(w, q, "tweet.fields", tweetFieldNames); !ok {
		return lq, false
	}
	if lq.userFields, ok = fieldList(w, q, "user.fields", userFieldNames); !ok {
		return lq, false
	}
	if lq.expansions, ok = fieldList(w, q, "expansions", expansionNames); !ok {
		return lq, false
	}
	if v := q.Get("max_results"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 5 || n > 100 {
			invalidRequest(w, "The `max_results` query parameter value ["+v+"] is not between 5 and 100")
			return lq, false
		}
		lq.max = n
	}
	for _, name := range []string{"since_id", "until_id", "pagination_token"} {
		v := q.Get(name)
		if v == "" {
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			invalidRequest(w, "The `"+name+"` query parameter value ["+v+"] is not valid")
			return lq, false
		}
		if name == "since_id" {
			lq.since = n
		} else {
			lq.until = min(lq.until, n)
		}
	}
	for _, name := range []string{"start_time", "end_time"} {
		v := q.Get(name)
		if v == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			invalidRequest(w, "The `"+name+"` query parameter value ["+v+"] is not a valid RFC 3339 date-time (YYYY-MM-DDTHH:mm:ssZ)")
			return lq, false
		}
		if t.Before(oldestTime) {
			invalidRequest(w, "Invalid '"+name+"':'"+v+"'. '"+name+"' must be on or after 2010-11-06T00:00:01Z")
			return lq, false
		}
		if name == "start_time" {
			lq.start = t
		} else {
			lq.end = t
		}
	}
	if !lq.start.IsZero() && !lq.end.IsZero() && !lq.start.Before(lq.end) {
		invalidRequest(w, "Invalid 'start_time':'"+q.Get("start_time")+"'. 'start_time' must be before 'end_time'")
		return lq, false
	}
	return lq, true
}

// fieldList reads a comma-separated parameter whose values must be known.
func fieldList(w *recorder, q url.Values, name string, known []string) (map[string]bool, bool) {
	out := map[string]bool{}
	v := q.Get(name)
	if v == "" {
		return out, true
	}
	for _, f := range strings.Split(v, ",") {
		if !slices.Contains(known, f) {
			invalidRequest(w, "The `"+name+"` query parameter value ["+f+"] is not one of ["+strings.Join(known, ",")+"]")
			return nil, false
		}
		out[f] = true
	}
	return out, true
}

// writePage answers a page of posts, newest first: each with the fields
// asked for, the authors under includes.users with expansions=author_id,
// and meta with next_token when there is more.
func (s *Server) writePage(w *recorder, page []Post, more bool, lq listQuery, authors map[string]User) {
	data := []map[string]any{}
	var users []map[string]any
	seen := map[string]bool{}
	for _, p := range page {
		author := p.AuthorID
		if author == "" {
			author = s.opts.UserID
		}
		t := map[string]any{"id": p.ID, "text": htmlEscape(p.ShortText), "edit_history_tweet_ids": []string{p.ID}}
		if lq.fields["created_at"] {
			t["created_at"] = p.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z")
		}
		// An expansion brings the field it expands, asked for or not.
		if lq.fields["author_id"] || lq.expansions["author_id"] {
			t["author_id"] = author
		}
		if lq.fields["conversation_id"] {
			t["conversation_id"] = cmp.Or(p.ConversationID, p.ID)
		}
		if (lq.fields["in_reply_to_user_id"] || lq.expansions["in_reply_to_user_id"]) && p.InReplyToUserID != "" {
			t["in_reply_to_user_id"] = p.InReplyToUserID
		}
		if (lq.fields["referenced_tweets"] || lq.expansions["referenced_tweets.id"]) && p.InReplyToID != "" {
			t["referenced_tweets"] = []map[string]any{{"type": "replied_to", "id": p.InReplyToID}}
		}
		if lq.fields["entities"] {
			ent := map[string]any{}
			if len(p.URLs) > 0 {
				ent["urls"] = p.URLs
			}
			if len(p.Mentions) > 0 {
				ent["mentions"] = p.Mentions
			}
			if len(ent) > 0 {
				t["entities"] = ent
			}
		}
		data = append(data, t)
		if lq.expansions["author_id"] && !seen[author] {
			seen[author] = true
			u := User{ID: s.opts.UserID, Username: s.opts.Username, Name: s.opts.Name}
			if a, ok := authors[author]; ok {
				u = a
			}
			users = append(users, u.json(lq.userFields))
		}
	}
	meta := map[string]any{"result_count": len(page)}
	body := map[string]any{"meta": meta}
	if len(page) > 0 {
		body["data"] = data
		meta["newest_id"] = page[0].ID
		meta["oldest_id"] = page[len(page)-1].ID
		if more {
			// The token is the id to continue below; X's are opaque, and
			// clients must treat this one so too.
			meta["next_token"] = page[len(page)-1].ID
		}
	}
	if len(users) > 0 {
		body["includes"] = map[string]any{"users": users}
	}
	fakenet.WriteJSON(w, http.StatusOK, body)
}
