package fakemastodon

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/circulate-dev/circulate/internal/fakenet"
)

// Account is another account (a patron) for seeding replies and mentions.
type Account struct {
	ID          string // default: made up
	Username    string // "patron"
	Domain      string // "" for this server, "example.social" for another
	DisplayName string
}

func (a Account) acct() string {
	if a.Domain == "" {
		return a.Username
	}
	return a.Username + "@" + a.Domain
}

// Status is a status the fake holds.
type Status struct {
	ID          string
	Account     string // acct: "riversidelib", "patron@example.social"
	Text        string // as sent (Mastodon's source text)
	Content     string // HTML, as served
	URL         string
	Visibility  string
	Language    string
	SpoilerText string
	InReplyToID string
	CreatedAt   time.Time
	Media       []Media
	// IdempotencyKey is the key the status was made with, if any.
	IdempotencyKey string
}

// Media is an attachment on a status.
type Media struct {
	ID, Type, Description, ContentType string
	Size                               int
}

type status struct {
	Status
	account *Account // nil: the fake's own account
}

// Statuses returns every status, the account's and others', oldest first.
func (s *Server) Statuses() []Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Status, len(s.statuses))
	for i, st := range s.statuses {
		out[i] = st.Status
		out[i].Media = slices.Clone(st.Media)
	}
	return out
}

// Own returns the account's own statuses, oldest first.
func (s *Server) Own() []Status {
	var out []Status
	for _, st := range s.Statuses() {
		if st.Account == s.opts.Username {
			out = append(out, st)
		}
	}
	return out
}

// Seed adds a status as if the account had written it by hand, at at.
func (s *Server) Seed(text string, at time.Time) Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.store(nil, text, "public", "en", "", at).Status
}

// SeedReply adds a reply by another account to the status inReplyTo, and
// the "mention" notification Mastodon gives the account for it.
func (s *Server) SeedReply(from Account, text, inReplyTo string, at time.Time) Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.store(&from, text, "public", "en", inReplyTo, at)
	s.notify("mention", &from, st, at)
	return st.Status
}

// SeedMention adds a status by another account that mentions the account
// without replying to anything, and its notification.
func (s *Server) SeedMention(from Account, text string, at time.Time) Status {
	return s.SeedReply(from, text, "", at)
}

// SeedNotification adds a notification of another type ("favourite",
// "reblog", "follow") from another account, about the status id if any.
func (s *Server) SeedNotification(typ string, from Account, id string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var st *status
	for _, x := range s.statuses {
		if x.ID == id {
			st = x
		}
	}
	s.notify(typ, &from, st, at)
}

func (s *Server) newID() string {
	s.nextID++
	return strconv.FormatInt(s.nextID, 10)
}

// store records a status. Callers hold mu.
func (s *Server) store(from *Account, text, visibility, lang, inReplyTo string, at time.Time) *status {
	if from != nil && from.ID == "" {
		from.ID = "2" + strconv.Itoa(len(from.Username)) + strconv.FormatInt(s.nextID%1e9, 10)
	}
	st := &status{account: from}
	st.ID = s.newID()
	st.Text, st.Visibility, st.Language, st.InReplyToID = text, visibility, lang, inReplyTo
	st.CreatedAt = at.UTC().Truncate(time.Millisecond)
	st.Content = formatContent(text, s.URL)
	st.Account = s.opts.Username
	st.URL = s.URL + "/@" + s.opts.Username + "/" + st.ID
	if from != nil {
		st.Account = from.acct()
		st.URL = s.accountURL(from) + "/" + st.ID
	}
	s.statuses = append(s.statuses, st)
	return st
}

func (s *Server) accountURL(a *Account) string {
	if a == nil {
		return s.URL + "/@" + s.opts.Username
	}
	if a.Domain == "" {
		return s.URL + "/@" + a.Username
	}
	return "https://" + a.Domain + "/@" + a.Username
}

var visibilities = []string{"public", "unlisted", "private", "direct"}

var langRE = regexp.MustCompile(`^[a-z]{2,3}$`)

// postStatus is POST /api/v1/statuses.
func (s *Server) postStatus(w *recorder, r *http.Request) {
	if !s.authenticate(w, r, "write:statuses", false) {
		return
	}
	fault, faulty := s.faults.Next()
	if faulty && s.before(w, fault) {
		return
	}
	if !s.take(w, s.posts) {
		return
	}
	p, err := params(r)
	if err != nil {
		fail(w, http.StatusBadRequest, err.Error(), "Error while parsing params")
		return
	}
	key := r.Header.Get("Idempotency-Key")
	s.mu.Lock()
	st, status, msg := s.create(p, key)
	s.mu.Unlock()
	if faulty && !after(w, r, fault) {
		return
	}
	if st == nil {
		fail(w, status, msg, msg)
		return
	}
	fakenet.WriteJSON(w, http.StatusOK, s.statusJSON(st))
}

// create validates and makes a status, or returns the one made earlier
// with the same Idempotency-Key. Callers hold mu.
func (s *Server) create(p url.Values, key string) (*status, int, string) {
	now := s.opts.Now()
	if key != "" {
		if e, ok := s.idem[key]; ok && now.Sub(e.at) < time.Hour {
			for _, st := range s.statuses {
				if st.ID == e.id {
					return st, 0, ""
				}
			}
		}
	}
	text := p.Get("status")
	mediaIDs := p["media_ids[]"]
	if len(mediaIDs) > 4 {
		return nil, 422, "Validation failed: You cannot attach more than 4 files."
	}
	var media []*attachment
	var missing []string
	for _, id := range mediaIDs {
		m := s.media[id]
		if m == nil || m.statusID != "" {
			missing = append(missing, id)
			continue
		}
		if m.polls > 0 {
			return nil, 422, "Cannot attach files that have not finished processing. Try again in a moment!"
		}
		media = append(media, m)
	}
	if len(missing) > 0 {
		return nil, 422, "Validation failed: Media with ID(s) " + strings.Join(missing, ", ") + " were not found"
	}
	if strings.TrimSpace(text) == "" && len(media) == 0 {
		return nil, 422, "Validation failed: Text can't be blank"
	}
	if n := Length(text) + Length(p.Get("spoiler_text")); n > s.opts.MaxChars {
		return nil, 422, fmt.Sprintf("Validation failed: Text character limit of %d exceeded", s.opts.MaxChars)
	}
	vis := p.Get("visibility")
	if vis == "" {
		vis = "public"
	}
	if !slices.Contains(visibilities, vis) {
		return nil, 422, "Validation failed: Visibility is not included in the list"
	}
	lang := p.Get("language")
	if lang != "" && !langRE.MatchString(lang) {
		return nil, 422, "Validation failed: Language is not a valid language code"
	}
	if lang == "" {
		lang = "en"
	}
	st := s.store(nil, text, vis, lang, p.Get("in_reply_to_id"), now)
	st.SpoilerText = p.Get("spoiler_text")
	st.IdempotencyKey = key
	for _, m := range media {
		m.statusID = st.ID
		st.Media = append(st.Media, m.Media)
	}
	if key != "" {
		s.idem[key] = idemEntry{id: st.ID, at: now}
	}
	return st, 0, ""
}

// params reads the request's parameters as Rails does: a form, or a JSON
// object (arrays as "name[]").
func params(r *http.Request) (url.Values, error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return nil, err
		}
		return r.PostForm, nil
	case "application/json":
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			return nil, err
		}
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			return nil, err
		}
		v := url.Values{}
		for k, x := range m {
			switch x := x.(type) {
			case string:
				v.Set(k, x)
			case bool:
				v.Set(k, strconv.FormatBool(x))
			case float64:
				v.Set(k, strconv.FormatFloat(x, 'f', -1, 64))
			case []any:
				for _, e := range x {
					v.Add(k+"[]", fmt.Sprint(e))
				}
			}
		}
		return v, nil
	}
	return url.Values{}, nil
}

// statusJSON is Mastodon's Status entity. Callers do not hold mu.
func (s *Server) statusJSON(st *status) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.statusJSONLocked(st)
}

func (s *Server) statusJSONLocked(st *status) map[string]any {
	var inReplyTo, inReplyToAccount any
	if st.InReplyToID != "" {
		inReplyTo = st.InReplyToID
		for _, p := range s.statuses {
			if p.ID == st.InReplyToID {
				inReplyToAccount = s.accountJSON(p.account)["id"]
			}
		}
	}
	media := []any{}
	for _, m := range st.Media {
		media = append(media, s.mediaJSON(s.media[m.ID]))
	}
	mentions := []any{}
	tags := []any{}
	for _, e := range entities(st.Text) {
		switch e.kind {
		case "mention":
			user, _, _ := strings.Cut(e.value, "@")
			mentions = append(mentions, map[string]any{"id": "1", "username": user, "acct": e.value, "url": s.URL + "/@" + user})
		case "tag":
			tags = append(tags, map[string]any{"name": strings.ToLower(e.value), "url": s.URL + "/tags/" + strings.ToLower(e.value)})
		}
	}
	uri := s.URL + "/users/" + s.opts.Username + "/statuses/" + st.ID
	if st.account != nil {
		uri = st.URL
	}
	return map[string]any{
		"id": st.ID, "created_at": timeJSON(st.CreatedAt),
		"in_reply_to_id": inReplyTo, "in_reply_to_account_id": inReplyToAccount,
		"sensitive": st.SpoilerText != "", "spoiler_text": st.SpoilerText,
		"visibility": st.Visibility, "language": st.Language,
		"uri": uri, "url": st.URL,
		"replies_count": 0, "reblogs_count": 0, "favourites_count": 0, "edited_at": nil,
		"favourited": false, "reblogged": false, "muted": false, "bookmarked": false,
		"content": st.Content, "filtered": []any{}, "reblog": nil,
		"application": map[string]any{"name": "circulate", "website": nil},
		"account":     s.accountJSON(st.account), "media_attachments": media,
		"mentions": mentions, "tags": tags, "emojis": []any{}, "card": nil, "poll": nil,
	}
}

// accountJSON is Mastodon's Account entity; nil is the fake's own.
func (s *Server) accountJSON(a *Account) map[string]any {
	id, user, acct, name := s.opts.AccountID, s.opts.Username, s.opts.Username, s.opts.DisplayName
	if a != nil {
		id, user, acct, name = a.ID, a.Username, a.acct(), a.DisplayName
	}
	u := s.accountURL(a)
	return map[string]any{
		"id": id, "username": user, "acct": acct, "display_name": name,
		"locked": false, "bot": false, "discoverable": true, "group": false,
		"created_at": "2022-11-07T00:00:00.000Z", "note": "", "url": u, "uri": u,
		"avatar": s.URL + "/avatars/original/missing.png", "avatar_static": s.URL + "/avatars/original/missing.png",
		"header": s.URL + "/headers/original/missing.png", "header_static": s.URL + "/headers/original/missing.png",
		"followers_count": 0, "following_count": 0, "statuses_count": 0, "last_status_at": nil,
		"emojis": []any{}, "fields": []any{},
	}
}
