package publisher

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rivo/uniseg"
)

// The Mastodon client is a small one over net/http rather than a library:
// github.com/mattn/go-mastodon, the one Go client in wide use, cannot set
// the Idempotency-Key header on a status, which is what makes a retry after
// an unknown outcome safe, and the five endpoints circulate needs are a few
// lines each.

// MastodonTokenVar holds the account's access token.
const MastodonTokenVar = "MASTODON_ACCESS_TOKEN"

// MastodonConfig is what the Mastodon client needs besides the token.
type MastodonConfig struct {
	Server     string // https://mastodon.social, or a test server
	Handle     string // the account, without "@" or server
	Visibility string // public (default), unlisted, private
	Language   string // ISO 639-1, "en"
	Timeout    time.Duration
	HTTPClient *http.Client
	// Sleep waits between polls of a processing image and between retries;
	// nil sleeps for real.
	Sleep func(ctx context.Context, d time.Duration) error
	// LoadImage reads an item's image by its URL (nil: no images).
	LoadImage func(ctx context.Context, url string) ([]byte, string, error)
	// Now is the run's clock: a rate limit without a reset header ends 5
	// minutes after it. Nil is time.Now.
	Now func() time.Time
}

// Mastodon posts to a Mastodon account with a bearer token.
type Mastodon struct {
	cfg    MastodonConfig
	token  string
	client *http.Client

	mu        sync.Mutex
	accountID string
}

// MastodonLimit is the status length of a standard Mastodon server.
const MastodonLimit = 500

// NewMastodon makes a client; token comes from MASTODON_ACCESS_TOKEN.
func NewMastodon(cfg MastodonConfig, token string) *Mastodon {
	cfg.Server = strings.TrimSuffix(cfg.Server, "/")
	cfg.Visibility = cmp.Or(cfg.Visibility, "public")
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Mastodon{cfg: cfg, token: token, client: httpClient(cfg.HTTPClient, cfg.Timeout)}
}

// Name is the ledger key.
func (m *Mastodon) Name() string { return "mastodon" }

// Weigh counts as Mastodon does: grapheme clusters, every link 23.
func (m *Mastodon) Weigh(text string) (int, int) { return mastodonLength(text), MastodonLimit }

func mastodonLength(text string) int {
	var b strings.Builder
	last := 0
	for _, l := range findLinks(text) {
		b.WriteString(text[last:l[0]])
		b.WriteString(strings.Repeat("x", 23))
		last = l[1]
	}
	b.WriteString(text[last:])
	return uniseg.GraphemeClusterCount(b.String())
}

// Fit shortens body so body+tail fits in 500.
func (m *Mastodon) Fit(body, tail string) string {
	return fitGraphemes(body, tail, MastodonLimit, mastodonLength)
}

// Cost: Mastodon does not bill.
func (m *Mastodon) Cost(string) float64 { return 0 }

// Post publishes text alone, keyed by the text.
func (m *Mastodon) Post(ctx context.Context, text string) (*RemotePost, error) {
	return m.Send(ctx, Message{Text: text, Lang: m.cfg.Language})
}

// Send publishes a status with an Idempotency-Key made from the item and
// the text: Mastodon returns the status already made for a key it has
// seen within the hour, so this retries a 5xx or a dropped connection at
// once, and a later run's re-send of the recorded text is as safe.
func (m *Mastodon) Send(ctx context.Context, msg Message) (*RemotePost, error) {
	body := map[string]any{"status": msg.Text, "visibility": m.cfg.Visibility}
	if lang := cmp.Or(msg.Lang, m.cfg.Language); lang != "" {
		body["language"] = strings.ToLower(strings.SplitN(lang, "-", 2)[0])
	}
	if img := withLoader(msg.Image, m.cfg.LoadImage); img != nil {
		id, err := m.upload(ctx, img)
		if err != nil {
			f := failureOf(err)
			if f.Kind != Rejected {
				if f.Kind == Unknown {
					f.Kind = Transient // no status was made
				}
				return nil, f
			}
			// A picture Mastodon refuses is left out rather than holding
			// the post back for good.
		} else {
			body["media_ids"] = []string{id}
		}
	}
	data, _ := json.Marshal(body)
	h := m.header(jsonHeader())
	h.Set("Idempotency-Key", idemKey(cmp.Or(msg.Key, msg.Text), msg.Text))
	var last error
	for attempt := 0; attempt < 3; attempt++ {
		if attempt > 0 {
			if err := m.sleep(ctx, time.Duration(attempt)*2*time.Second); err != nil {
				break
			}
		}
		x, err := send(ctx, m.client, http.MethodPost, m.cfg.Server+"/api/v1/statuses", h, data, true, "Mastodon")
		if err == nil && x.status == http.StatusOK {
			var st mastodonStatus
			if err := decode(x, &st, "Mastodon"); err != nil {
				return nil, err
			}
			p := st.remote()
			return &p, nil
		}
		if err == nil {
			err = m.statusError(x, true)
		}
		last = err
		if k := failureOf(err).Kind; k != Unknown && k != Transient {
			return nil, err
		}
	}
	return nil, last
}

func (m *Mastodon) header(h http.Header) http.Header {
	if h == nil {
		h = http.Header{}
	}
	h.Set("Authorization", "Bearer "+m.token)
	return h
}

func (m *Mastodon) sleep(ctx context.Context, d time.Duration) error {
	if m.cfg.Sleep != nil {
		return m.cfg.Sleep(ctx, d)
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

// upload sends the image with its alt text as the description, then waits
// for Mastodon to process it (202, then GET /api/v1/media/:id until 200).
func (m *Mastodon) upload(ctx context.Context, img *Image) (string, error) {
	data, mediaType, err := img.Load(ctx)
	if err != nil {
		return "", &Error{Kind: Rejected, Message: "the image could not be read: " + err.Error()}
	}
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	name := img.URL[strings.LastIndex(img.URL, "/")+1:]
	part, _ := mw.CreatePart(textproto.MIMEHeader{
		"Content-Disposition": {fmt.Sprintf(`form-data; name="file"; filename=%q`, cmp.Or(name, "image"))},
		"Content-Type":        {mediaType},
	})
	part.Write(data)
	if img.Alt != "" {
		mw.WriteField("description", img.Alt)
	}
	mw.Close()
	x, err := send(ctx, m.client, http.MethodPost, m.cfg.Server+"/api/v2/media", m.header(http.Header{"Content-Type": {mw.FormDataContentType()}}), b.Bytes(), false, "Mastodon")
	if err != nil {
		return "", err
	}
	if x.status != http.StatusOK && x.status != http.StatusAccepted {
		return "", m.statusError(x, false)
	}
	var att struct {
		ID  string  `json:"id"`
		URL *string `json:"url"`
	}
	if err := json.Unmarshal(x.body, &att); err != nil || att.ID == "" {
		return "", &Error{Kind: Transient, Message: "Mastodon's answer to the image upload could not be read"}
	}
	for poll := 0; att.URL == nil; poll++ {
		if poll == 10 {
			return "", &Error{Kind: Transient, Message: "Mastodon had not finished processing the image"}
		}
		if err := m.sleep(ctx, time.Second); err != nil {
			return "", &Error{Kind: Transient, Message: err.Error(), Err: err}
		}
		x, err := send(ctx, m.client, http.MethodGet, m.cfg.Server+"/api/v1/media/"+url.PathEscape(att.ID), m.header(nil), nil, false, "Mastodon")
		if err != nil {
			return "", err
		}
		if x.status != http.StatusOK && x.status != http.StatusPartialContent {
			return "", m.statusError(x, false)
		}
		if x.status == http.StatusOK {
			break
		}
	}
	return att.ID, nil
}

// statusError turns an error answer into an *Error with a hint.
func (m *Mastodon) statusError(x *exchange, creates bool) error {
	var body struct {
		Error string `json:"error"`
	}
	_ = json.Unmarshal(x.body, &body)
	e := &Error{Status: x.status, Message: cmp.Or(body.Error, http.StatusText(x.status))}
	switch code := x.status; {
	case code == http.StatusUnauthorized:
		e.Kind = Auth
		e.Hint = "Mastodon refused the access token: check the secret " + MastodonTokenVar + " (copied whole, from the application made on " + m.cfg.Server + " under Preferences → Development; see docs/publishing.md)"
	case code == http.StatusForbidden:
		e.Kind = Auth
		e.Hint = "the access token may not do this: give the application the scopes write:statuses, write:media and read (Preferences → Development on " + m.cfg.Server + "), then copy its new token into " + MastodonTokenVar
	case code == http.StatusNotFound:
		e.Kind = Auth
		e.Hint = "no Mastodon API at " + m.cfg.Server + ": check social.mastodon.server in config.yaml"
	case code == http.StatusTooManyRequests:
		e.Kind = RateLimited
		e.RetryAt = m.cfg.Now().Add(5 * time.Minute).UTC()
		if t, err := time.Parse(time.RFC3339Nano, x.header.Get("X-RateLimit-Reset")); err == nil {
			e.RetryAt = t.UTC()
		}
	case code == http.StatusUnprocessableEntity && strings.Contains(body.Error, "not finished processing"):
		e.Kind = Transient
	case code >= 500 && creates:
		e.Kind = Unknown
	case code >= 500:
		e.Kind = Transient
	default:
		e.Kind = Rejected
	}
	return e
}

// mastodonStatus is the part of Mastodon's Status entity circulate reads.
type mastodonStatus struct {
	ID          string    `json:"id"`
	URL         string    `json:"url"`
	URI         string    `json:"uri"`
	CreatedAt   time.Time `json:"created_at"`
	Content     string    `json:"content"`
	Visibility  string    `json:"visibility"`
	InReplyToID *string   `json:"in_reply_to_id"`
	Reblog      *struct{} `json:"reblog"`
	Account     struct {
		ID          string `json:"id"`
		Acct        string `json:"acct"`
		DisplayName string `json:"display_name"`
		URL         string `json:"url"`
	} `json:"account"`
	Media []struct {
		Type        string  `json:"type"`
		URL         *string `json:"url"`
		PreviewURL  *string `json:"preview_url"`
		Description *string `json:"description"`
	} `json:"media_attachments"`
}

func (st mastodonStatus) remote() RemotePost {
	parts := htmlParts(st.Content)
	p := RemotePost{ID: st.ID, URL: cmp.Or(st.URL, st.URI), Created: st.CreatedAt, Text: expanded(parts)}
	for _, pt := range parts {
		if pt.Link != "" && !strings.HasPrefix(pt.Text, "#") && !strings.HasPrefix(pt.Text, "@") {
			p.Links = append(p.Links, pt.Link)
		}
	}
	return p
}

// expanded is a post's text with each link written out in full: how the
// text was sent, so pending posts can be matched by their text.
func expanded(parts []Part) string {
	var b strings.Builder
	for _, pt := range parts {
		if pt.Link != "" && !strings.HasPrefix(pt.Text, "#") && !strings.HasPrefix(pt.Text, "@") {
			b.WriteString(pt.Link)
		} else {
			b.WriteString(pt.Text)
		}
	}
	return b.String()
}

func (m *Mastodon) me(ctx context.Context) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.accountID != "" {
		return m.accountID, nil
	}
	var acc struct {
		ID string `json:"id"`
	}
	if err := m.get(ctx, "/api/v1/accounts/verify_credentials", &acc); err != nil {
		return "", err
	}
	m.accountID = acc.ID
	return acc.ID, nil
}

func (m *Mastodon) get(ctx context.Context, path string, out any) error {
	x, err := send(ctx, m.client, http.MethodGet, m.cfg.Server+path, m.header(http.Header{"Accept": {"application/json"}}), nil, false, "Mastodon")
	if err != nil {
		return err
	}
	if x.status != http.StatusOK {
		return m.statusError(x, false)
	}
	if err := json.Unmarshal(x.body, out); err != nil {
		return &Error{Kind: Transient, Status: x.status, Message: "Mastodon's answer could not be read: " + err.Error()}
	}
	return nil
}

func (m *Mastodon) statuses(ctx context.Context, limit int) ([]mastodonStatus, error) {
	id, err := m.me(ctx)
	if err != nil {
		return nil, err
	}
	var list []mastodonStatus
	q := url.Values{"limit": {strconv.Itoa(limit)}, "exclude_reblogs": {"true"}}
	err = m.get(ctx, "/api/v1/accounts/"+url.PathEscape(id)+"/statuses?"+q.Encode(), &list)
	return list, err
}

// Recent reads the account's latest statuses, text with links expanded.
func (m *Mastodon) Recent(ctx context.Context) ([]RemotePost, error) {
	list, err := m.statuses(ctx, 40)
	if err != nil {
		return nil, err
	}
	out := make([]RemotePost, 0, len(list))
	for _, st := range list {
		out = append(out, st.remote())
	}
	return out, nil
}

// publicStatuses reads the account's latest public statuses without a
// token, as anyone may on Mastodon: its id by its name (accounts/lookup),
// then its statuses. A server that answers only signed-in apps (limited
// federation mode, DISALLOW_UNAUTHENTICATED_API_ACCESS) refuses with 401:
// that is NoReads, not a problem with any credentials.
func (m *Mastodon) publicStatuses(ctx context.Context) ([]mastodonStatus, error) {
	var acc struct {
		ID string `json:"id"`
	}
	if err := m.getPublic(ctx, "/api/v1/accounts/lookup?"+url.Values{"acct": {m.cfg.Handle}}.Encode(), &acc); err != nil {
		return nil, err
	}
	// Boosts are left out here as with a token: the box shows the
	// account's own posts (Timeline drops boosts whatever comes back).
	q := url.Values{"limit": {"40"}, "exclude_replies": {"true"}, "exclude_reblogs": {"true"}}
	var list []mastodonStatus
	err := m.getPublic(ctx, "/api/v1/accounts/"+url.PathEscape(acc.ID)+"/statuses?"+q.Encode(), &list)
	return list, err
}

// getPublic is a GET without the token.
func (m *Mastodon) getPublic(ctx context.Context, path string, out any) error {
	x, err := send(ctx, m.client, http.MethodGet, m.cfg.Server+path, http.Header{"Accept": {"application/json"}}, nil, false, "Mastodon")
	if err != nil {
		return err
	}
	switch x.status {
	case http.StatusOK:
		if err := json.Unmarshal(x.body, out); err != nil {
			return &Error{Kind: Transient, Status: x.status, Message: "Mastodon's answer could not be read: " + err.Error()}
		}
		return nil
	case http.StatusUnauthorized, http.StatusForbidden:
		return &Error{Kind: NoReads, Status: x.status,
			Message: m.cfg.Server + " shows the account's posts only to signed-in apps (its API requires a token)",
			Hint:    "set the secret " + MastodonTokenVar + " (docs/publishing.md) to read them with the account's token"}
	case http.StatusNotFound:
		return &Error{Kind: Rejected, Status: x.status,
			Message: "there is no account " + m.cfg.Handle + " on " + m.cfg.Server + ": check social.mastodon.handle and server in config.yaml"}
	}
	return m.statusError(x, false)
}

// Timeline reads the account's n latest public statuses for the site,
// replies to others left out. Without a token it reads them as anyone may.
func (m *Mastodon) Timeline(ctx context.Context, n int) ([]FeedPost, error) {
	var list []mastodonStatus
	var err error
	if m.token == "" {
		list, err = m.publicStatuses(ctx)
	} else {
		list, err = m.statuses(ctx, 40)
	}
	if err != nil {
		return nil, err
	}
	var out []FeedPost
	for _, st := range list {
		if st.Visibility != "public" || st.InReplyToID != nil || st.Reblog != nil {
			continue
		}
		fp := FeedPost{Network: "mastodon", ID: st.ID, URL: cmp.Or(st.URL, st.URI), Created: st.CreatedAt, Parts: htmlParts(st.Content)}
		for _, md := range st.Media {
			if md.Type == "image" && md.URL != nil {
				alt := ""
				if md.Description != nil {
					alt = *md.Description
				}
				fp.Images = append(fp.Images, FeedImage{URL: *md.URL, Alt: alt})
			}
		}
		out = append(out, fp)
		if len(out) == n {
			break
		}
	}
	return out, nil
}

// Replies lists mentions of the account (replies to its posts are
// mentions on Mastodon) since a time, newest first.
func (m *Mastodon) Replies(ctx context.Context, since time.Time) ([]Reply, error) {
	var list []struct {
		ID        string          `json:"id"`
		Type      string          `json:"type"`
		CreatedAt time.Time       `json:"created_at"`
		Status    *mastodonStatus `json:"status"`
	}
	q := url.Values{"types[]": {"mention"}, "limit": {"40"}}
	if err := m.get(ctx, "/api/v1/notifications?"+q.Encode(), &list); err != nil {
		return nil, err
	}
	var out []Reply
	for _, n := range list {
		if n.Status == nil || !n.CreatedAt.After(since) {
			continue
		}
		st := n.Status
		r := Reply{Network: "mastodon", ID: st.ID, URL: cmp.Or(st.URL, st.URI), Author: cmp.Or(st.Account.DisplayName, st.Account.Acct),
			Handle: "@" + st.Account.Acct, Text: strings.TrimSpace(plainText(htmlParts(st.Content))), Created: n.CreatedAt, Kind: "mention"}
		if st.InReplyToID != nil {
			r.Kind = "reply"
			r.InReplyTo = m.cfg.Server + "/@" + m.cfg.Handle + "/" + *st.InReplyToID
		}
		out = append(out, r)
	}
	return out, nil
}

// plainText is the text of parts as shown (link text, not URLs).
func plainText(parts []Part) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p.Text)
	}
	return b.String()
}
