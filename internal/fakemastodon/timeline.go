package fakemastodon

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/circulate-dev/circulate/internal/fakenet"
)

type notification struct {
	id      string
	typ     string
	account *Account
	status  *status
	at      time.Time
}

// notify records a notification for the account. Callers hold mu.
func (s *Server) notify(typ string, from *Account, st *status, at time.Time) {
	s.notifs = append(s.notifs, &notification{id: strconv.Itoa(len(s.notifs) + 1), typ: typ, account: from, status: st, at: at.UTC().Truncate(time.Millisecond)})
}

// verifyCredentials is GET /api/v1/accounts/verify_credentials.
func (s *Server) verifyCredentials(w *recorder, r *http.Request) {
	if !s.authenticate(w, r, "read:accounts", false) || !s.take(w, nil) {
		return
	}
	s.mu.Lock()
	a := s.accountJSON(nil)
	s.mu.Unlock()
	a["source"] = map[string]any{"privacy": "public", "sensitive": false, "language": "en", "note": "", "fields": []any{}}
	fakenet.WriteJSON(w, http.StatusOK, a)
}

// page picks up to limit ids (newest first) within max_id, since_id and
// min_id, and sets the Link header as Mastodon does.
func page[T any](w http.ResponseWriter, r *http.Request, all []T, id func(T) string, defLimit, maxLimit int) ([]T, bool) {
	q := r.URL.Query()
	limit := defLimit
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, false
		}
		limit = min(max(n, 1), maxLimit)
	}
	num := func(k string) int64 {
		n, _ := strconv.ParseInt(q.Get(k), 10, 64)
		return n
	}
	maxID, sinceID, minID := num("max_id"), num("since_id"), num("min_id")
	var out []T
	if minID > 0 { // the oldest above min_id, still returned newest first
		for _, x := range all {
			if n, _ := strconv.ParseInt(id(x), 10, 64); n > minID && len(out) < limit {
				out = append(out, x)
			}
		}
		slices.Reverse(out)
	} else {
		for i := len(all) - 1; i >= 0 && len(out) < limit; i-- {
			n, _ := strconv.ParseInt(id(all[i]), 10, 64)
			if (maxID == 0 || n < maxID) && n > sinceID {
				out = append(out, all[i])
			}
		}
	}
	if len(out) > 0 {
		u := *r.URL
		link := func(k, v string) string {
			qq := url.Values{}
			for kk, vv := range q {
				if kk != "max_id" && kk != "min_id" && kk != "since_id" {
					qq[kk] = vv
				}
			}
			qq.Set(k, v)
			u.RawQuery = qq.Encode()
			return "<http://" + r.Host + u.Path + "?" + u.RawQuery + ">"
		}
		w.Header().Set("Link", link("max_id", id(out[len(out)-1]))+`; rel="next", `+link("min_id", id(out[0]))+`; rel="prev"`)
	}
	return out, true
}

// lookup is GET /api/v1/accounts/lookup?acct=NAME: an account by its name
// ("riversidelib", "@riversidelib", "riversidelib@this.server" or a known
// remote "patron@example.social"), public as on Mastodon. A token, when
// sent, must be a good one with read:accounts.
func (s *Server) lookup(w *recorder, r *http.Request) {
	if !s.authenticate(w, r, "read:accounts", true) || !s.take(w, nil) {
		return
	}
	acct := strings.TrimPrefix(r.URL.Query().Get("acct"), "@")
	if acct == "" {
		fail(w, http.StatusNotFound, "no acct", "Record not found")
		return
	}
	host := strings.TrimPrefix(s.URL, "http://")
	user, domain, _ := strings.Cut(acct, "@")
	if strings.EqualFold(domain, host) {
		domain = ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if domain == "" && strings.EqualFold(user, s.opts.Username) {
		fakenet.WriteJSON(w, http.StatusOK, s.accountJSON(nil))
		return
	}
	for _, st := range s.statuses {
		if a := st.account; a != nil && strings.EqualFold(a.Username, user) && strings.EqualFold(a.Domain, domain) {
			fakenet.WriteJSON(w, http.StatusOK, s.accountJSON(a))
			return
		}
	}
	fail(w, http.StatusNotFound, "unknown account "+acct, "Record not found")
}

// selfReply reports whether a status answers one of the same account's
// (a thread). Callers hold mu.
func (s *Server) selfReply(st *status) bool {
	for _, p := range s.statuses {
		if p.ID == st.InReplyToID {
			return (p.account == nil) == (st.account == nil) && (p.account == nil || p.account.acct() == st.account.acct())
		}
	}
	return false
}

// accountStatuses is GET /api/v1/accounts/:id/statuses: public without a
// token (public statuses only), as on Mastodon, unless the server wants a
// token for its API (Options.RequireAuth).
func (s *Server) accountStatuses(w *recorder, r *http.Request, id string) {
	if !s.authenticate(w, r, "read:statuses", true) || !s.take(w, nil) {
		return
	}
	if id != s.opts.AccountID {
		fail(w, http.StatusNotFound, "unknown account "+id, "Record not found")
		return
	}
	q := r.URL.Query()
	exReplies := q.Get("exclude_replies") == "true" || q.Get("exclude_replies") == "1"
	s.mu.Lock()
	var own []*status
	for _, st := range s.statuses {
		if st.account != nil || st.Visibility == "direct" || (st.Visibility == "private" && r.Header.Get("Authorization") == "") {
			continue
		}
		if exReplies && st.InReplyToID != "" && !s.selfReply(st) {
			continue // Mastodon keeps the account's threads (replies to itself)
		}
		own = append(own, st)
	}
	s.mu.Unlock()
	list, ok := page(w, r, own, func(st *status) string { return st.ID }, 20, 40)
	if !ok {
		fail(w, http.StatusBadRequest, "bad limit", "limit is invalid")
		return
	}
	out := []any{}
	for _, st := range list {
		out = append(out, s.statusJSON(st))
	}
	fakenet.WriteJSON(w, http.StatusOK, out)
}

// notifications is GET /api/v1/notifications with types[] and
// exclude_types[].
func (s *Server) notifications(w *recorder, r *http.Request) {
	if !s.authenticate(w, r, "read:notifications", false) || !s.take(w, nil) {
		return
	}
	q := r.URL.Query()
	types, exclude := q["types[]"], q["exclude_types[]"]
	s.mu.Lock()
	var list []*notification
	for _, n := range s.notifs {
		if (len(types) == 0 || slices.Contains(types, n.typ)) && !slices.Contains(exclude, n.typ) {
			list = append(list, n)
		}
	}
	s.mu.Unlock()
	list, ok := page(w, r, list, func(n *notification) string { return n.id }, 40, 80)
	if !ok {
		fail(w, http.StatusBadRequest, "bad limit", "limit is invalid")
		return
	}
	out := []any{}
	s.mu.Lock()
	for _, n := range list {
		j := map[string]any{"id": n.id, "type": n.typ, "created_at": timeJSON(n.at),
			"account": s.accountJSON(n.account), "group_key": "ungrouped-" + n.id}
		if n.status != nil {
			j["status"] = s.statusJSONLocked(n.status)
		}
		out = append(out, j)
	}
	s.mu.Unlock()
	fakenet.WriteJSON(w, http.StatusOK, out)
}
