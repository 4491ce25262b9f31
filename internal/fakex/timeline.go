package fakex

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
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
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{
		"id": s.opts.UserID, "name": s.opts.Name, "username": s.opts.Username,
	}})
}

// tweetFieldNames are the tweet.fields X knows; an unknown one is a 400.
var tweetFieldNames = strings.Split("article,attachments,author_id,card_uri,community_id,context_annotations,"+
	"conversation_id,created_at,display_text_range,edit_controls,edit_history_tweet_ids,entities,geo,id,"+
	"in_reply_to_user_id,lang,media_metadata,non_public_metrics,note_tweet,organic_metrics,possibly_sensitive,"+
	"promoted_metrics,public_metrics,referenced_tweets,reply_settings,scopes,source,text,withheld", ",")

func (s *Server) timeline(w *recorder, r *http.Request, id string) {
	if reason := s.authenticate(r); reason != "" {
		s.rateHeaders(w, epTimeline)
		unauthorized(w, reason)
		return
	}
	if s.opts.ReadsForbidden {
		// X checks the plan before counting the request.
		s.rateHeaders(w, epTimeline)
		w.reason = "reads forbidden on this plan"
		writeJSON(w, http.StatusForbidden, map[string]any{
			"client_id":           "fakex-client",
			"detail":              "When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project. You can create a project via the developer portal.",
			"registration_url":    "https://developer.twitter.com/en/docs/projects/overview",
			"title":               "Client Forbidden",
			"required_enrollment": "Appropriate Level of API Access",
			"reason":              "client-not-enrolled",
			"type":                "https://api.twitter.com/2/problems/client-forbidden",
		})
		return
	}
	q := r.URL.Query()
	if !s.take(w, epTimeline) || !checkParams(w, q, "end_time", "exclude", "expansions", "max_results",
		"media.fields", "pagination_token", "place.fields", "poll.fields", "since_id", "start_time",
		"tweet.fields", "until_id", "user.fields") {
		return
	}
	fields := map[string]bool{}
	if v := q.Get("tweet.fields"); v != "" {
		for _, f := range strings.Split(v, ",") {
			known := false
			for _, k := range tweetFieldNames {
				known = known || f == k
			}
			if !known {
				invalidRequest(w, "The `tweet.fields` query parameter value ["+f+"] is not one of ["+strings.Join(tweetFieldNames, ",")+"]")
				return
			}
			fields[f] = true
		}
	}
	max := 10
	if v := q.Get("max_results"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 5 || n > 100 {
			invalidRequest(w, "The `max_results` query parameter value ["+v+"] is not between 5 and 100")
			return
		}
		max = n
	}
	var ids [3]int64 // since_id, until_id, pagination_token
	for i, name := range []string{"since_id", "until_id", "pagination_token"} {
		ids[i] = 1<<63 - 1
		if i == 0 {
			ids[i] = 0
		}
		if v := q.Get(name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				invalidRequest(w, "The `"+name+"` query parameter value ["+v+"] is not valid")
				return
			}
			ids[i] = n
		}
	}
	since, until := ids[0], min(ids[1], ids[2])
	if id != s.opts.UserID {
		// X answers 200 with an errors array for a user it cannot find.
		w.reason = "unknown user " + id
		writeJSON(w, http.StatusOK, map[string]any{"errors": []map[string]any{{
			"value": id, "detail": "Could not find user with id: [" + id + "].", "title": "Not Found Error",
			"resource_type": "user", "parameter": "id", "resource_id": id,
			"type": "https://api.twitter.com/2/problems/resource-not-found",
		}}})
		return
	}

	s.mu.Lock()
	s.reads++
	now := s.opts.Now()
	var page []Post
	more := false
	for i := len(s.posts) - 1; i >= 0; i-- { // newest first
		p := s.posts[i]
		n, _ := strconv.ParseInt(p.ID, 10, 64)
		if n <= since || n >= until {
			continue
		}
		if s.reads < p.shownFromRead || now.Before(p.shownAt) {
			continue // not in the timeline yet (Options.TimelineLag*)
		}
		if len(page) == max {
			more = true
			break
		}
		page = append(page, p)
	}
	s.mu.Unlock()

	data := []map[string]any{}
	for _, p := range page {
		t := map[string]any{"id": p.ID, "text": htmlEscape(p.ShortText), "edit_history_tweet_ids": []string{p.ID}}
		if fields["created_at"] {
			t["created_at"] = p.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z")
		}
		if fields["author_id"] {
			t["author_id"] = s.opts.UserID
		}
		if fields["entities"] && len(p.URLs) > 0 {
			t["entities"] = map[string]any{"urls": p.URLs}
		}
		data = append(data, t)
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
	writeJSON(w, http.StatusOK, body)
}
