package publisher

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rivo/uniseg"
)

// The Bluesky client is a small one over net/http rather than
// github.com/bluesky-social/indigo: indigo has no tagged release to pin,
// is large (its lexicon packages alone are thousands of files), and the
// seven XRPC calls circulate makes are a few lines each.

// BlueskyPasswordVar holds the account's app password.
const BlueskyPasswordVar = "BLUESKY_APP_PASSWORD"

// PublicAppView is Bluesky's AppView for reads without a session: the
// PDS (bsky.social) answers app.bsky.* reads only to a signed-in client.
const PublicAppView = "https://public.api.bsky.app"

// BlueskyLimit is the post length in grapheme clusters (and 3000 bytes).
const BlueskyLimit = 300

// BlueskyConfig is what the Bluesky client needs besides the password.
type BlueskyConfig struct {
	PDS string // https://bsky.social, or a test server
	// AppView is where the account's feed is read without a session,
	// as anyone may: https://public.api.bsky.app (the default), or a
	// test server.
	AppView    string
	Handle     string // riversidelib.bsky.social
	Language   string // "en"
	Timeout    time.Duration
	HTTPClient *http.Client
	// Now is the run's clock: a post's createdAt, and 5 minutes after it
	// a rate limit without a reset header ends. Nil is time.Now.
	Now func() time.Time
	// LoadImage reads an item's image by its URL (nil: no images).
	LoadImage func(ctx context.Context, url string) ([]byte, string, error)
}

// Bluesky posts to a Bluesky account with an app password. It logs in at
// most once per run (the PDS allows 30 logins per 5 minutes and 300 a day
// per account) and refreshes the session when its token expires.
type Bluesky struct {
	cfg      BlueskyConfig
	password string
	client   *http.Client

	mu      sync.Mutex
	access  string
	refresh string
	did     string
}

// NewBluesky makes a client; password comes from BLUESKY_APP_PASSWORD.
func NewBluesky(cfg BlueskyConfig, password string) *Bluesky {
	cfg.PDS = strings.TrimSuffix(cmp.Or(cfg.PDS, "https://bsky.social"), "/")
	cfg.AppView = strings.TrimSuffix(cmp.Or(cfg.AppView, PublicAppView), "/")
	cfg.Handle = strings.TrimPrefix(cfg.Handle, "@")
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Bluesky{cfg: cfg, password: password, client: httpClient(cfg.HTTPClient, cfg.Timeout)}
}

// Name is the ledger key.
func (b *Bluesky) Name() string { return "bluesky" }

// Weigh counts grapheme clusters; a text over 3000 bytes weighs past the
// limit too, since the PDS refuses it.
func (b *Bluesky) Weigh(text string) (int, int) { return blueskyWeight(text), BlueskyLimit }

func blueskyWeight(text string) int {
	n := uniseg.GraphemeClusterCount(text)
	if len(text) > 3000 {
		n = max(n, BlueskyLimit+1)
	}
	return n
}

// Fit shortens body so body+tail fits in 300 graphemes.
func (b *Bluesky) Fit(body, tail string) string {
	return fitGraphemes(body, tail, BlueskyLimit, blueskyWeight)
}

// Cost: Bluesky does not bill.
func (b *Bluesky) Cost(string) float64 { return 0 }

// Post publishes text alone, keyed by the text.
func (b *Bluesky) Post(ctx context.Context, text string) (*RemotePost, error) {
	return b.Send(ctx, Message{Text: text, Lang: b.cfg.Language})
}

// RKey is the record key of an item's post: a valid TID made from the
// item's key alone, so every attempt to post the item, in this run or any
// later one, names the same record and the PDS can hold only one. Its
// time part falls in 2023, in the past, where the PDS and AppView accept
// any key (imported posts carry old ones); posts are listed by createdAt.
func RKey(key string) string {
	sum := sha256.Sum256([]byte("circulate:" + key))
	base := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	micros := uint64(base) + binary.BigEndian.Uint64(sum[:8])%(1<<40)
	clock := uint64(binary.BigEndian.Uint16(sum[8:10])) & 1023
	v := micros<<10 | clock
	const sortable = "234567abcdefghijklmnopqrstuvwxyz"
	out := make([]byte, 13)
	for i := 12; i >= 0; i-- {
		out[i] = sortable[v&31]
		v >>= 5
	}
	return string(out)
}

// Send publishes a post: the text with each link as a #link facet, the
// item's card as an app.bsky.embed.external (with its image as the
// thumbnail), under the item's record key. An unknown outcome is settled
// at once by asking for the record: a PDS answers a second create of a key
// with a 500, never a second post.
func (b *Bluesky) Send(ctx context.Context, msg Message) (*RemotePost, error) {
	rkey := RKey(cmp.Or(msg.Key, msg.Text))
	if err := b.login(ctx); err != nil {
		return nil, err
	}
	rec := map[string]any{"$type": "app.bsky.feed.post", "text": msg.Text,
		"createdAt": b.cfg.Now().UTC().Format("2006-01-02T15:04:05.000Z")}
	if lang := cmp.Or(msg.Lang, b.cfg.Language); lang != "" {
		rec["langs"] = []string{lang}
	}
	if f := facets(msg.Text); len(f) > 0 {
		rec["facets"] = f
	}
	if msg.Link != "" {
		card := map[string]any{"uri": msg.Link, "title": msg.Title, "description": msg.Description}
		if img := withLoader(msg.Image, b.cfg.LoadImage); img != nil {
			if thumb, err := b.uploadThumb(ctx, img); err == nil {
				card["thumb"] = thumb
			} else if k := failureOf(err).Kind; k != Rejected {
				return nil, err
			}
		}
		rec["embed"] = map[string]any{"$type": "app.bsky.embed.external", "external": card}
	}
	body, _ := json.Marshal(map[string]any{"repo": b.repo(), "collection": "app.bsky.feed.post", "rkey": rkey, "record": rec})
	var last error
	for attempt := 0; attempt < 3; attempt++ {
		x, err := b.call(ctx, http.MethodPost, "com.atproto.repo.createRecord", nil, body, true)
		if err == nil {
			var out struct {
				URI string `json:"uri"`
			}
			if err := decode(x, &out, "Bluesky"); err != nil {
				return b.confirm(ctx, rkey, err)
			}
			return b.remote(rkey, msg.Text), nil
		}
		last = err
		switch failureOf(err).Kind {
		case Unknown:
			// A 500 (the key exists) or a lost answer: the record says.
			p, cerr := b.confirm(ctx, rkey, err)
			if cerr == nil || failureOf(cerr).Kind != Transient {
				return p, cerr
			}
			last = cerr
		case Transient:
		default:
			return nil, err
		}
	}
	return nil, last
}

// confirm asks for the item's record after an unknown outcome: there means
// posted; absent means not, and a retry is safe (Transient).
func (b *Bluesky) confirm(ctx context.Context, rkey string, cause error) (*RemotePost, error) {
	q := url.Values{"repo": {b.repo()}, "collection": {"app.bsky.feed.post"}, "rkey": {rkey}}
	x, err := b.call(ctx, http.MethodGet, "com.atproto.repo.getRecord", q, nil, false)
	if err != nil {
		var e *Error
		if x != nil && x.status == http.StatusBadRequest && strings.Contains(string(x.body), "RecordNotFound") {
			return nil, &Error{Kind: Transient, Message: "Bluesky answered " + failureOf(cause).Error() + " and made no post", Err: cause}
		}
		e = failureOf(cause)
		return nil, &Error{Kind: Unknown, Status: e.Status, Message: e.Message + "; and the post could not be looked up: " + failureOf(err).Message, Err: cause}
	}
	var out struct {
		Value struct {
			Text string `json:"text"`
		} `json:"value"`
	}
	_ = json.Unmarshal(x.body, &out)
	return b.remote(rkey, out.Value.Text), nil
}

func (b *Bluesky) remote(rkey, text string) *RemotePost {
	return &RemotePost{ID: rkey, URL: "https://bsky.app/profile/" + b.cfg.Handle + "/post/" + rkey, Text: text}
}

func (b *Bluesky) repo() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return cmp.Or(b.did, b.cfg.Handle)
}

// facets makes a #link facet for each link in text, by UTF-8 byte offsets.
func facets(text string) []any {
	var out []any
	for _, l := range findLinks(text) {
		out = append(out, map[string]any{
			"index":    map[string]any{"byteStart": l[0], "byteEnd": l[1]},
			"features": []any{map[string]any{"$type": "app.bsky.richtext.facet#link", "uri": text[l[0]:l[1]]}},
		})
	}
	return out
}

// uploadThumb uploads the card's image; one over the PDS's 1,000,000
// bytes for a thumbnail is left out (Rejected).
func (b *Bluesky) uploadThumb(ctx context.Context, img *Image) (any, error) {
	data, mediaType, err := img.Load(ctx)
	if err != nil {
		return nil, &Error{Kind: Rejected, Message: "the image could not be read: " + err.Error()}
	}
	if len(data) > 1000000 || !strings.HasPrefix(mediaType, "image/") {
		return nil, &Error{Kind: Rejected, Message: "the image is too large for a Bluesky card (1 MB)"}
	}
	x, err := b.call(ctx, http.MethodPost, "com.atproto.repo.uploadBlob", nil, data, false, mediaType)
	if err != nil {
		return nil, err
	}
	var out struct {
		Blob json.RawMessage `json:"blob"`
	}
	if err := json.Unmarshal(x.body, &out); err != nil || len(out.Blob) == 0 {
		return nil, &Error{Kind: Transient, Message: "Bluesky's answer to the image upload could not be read"}
	}
	return out.Blob, nil
}

// login makes a session unless the client has one.
func (b *Bluesky) login(ctx context.Context) error {
	b.mu.Lock()
	has := b.access != ""
	b.mu.Unlock()
	if has {
		return nil
	}
	return b.createSession(ctx)
}

func (b *Bluesky) createSession(ctx context.Context) error {
	body, _ := json.Marshal(map[string]string{"identifier": b.cfg.Handle, "password": b.password})
	x, err := send(ctx, b.client, http.MethodPost, b.cfg.PDS+"/xrpc/com.atproto.server.createSession", jsonHeader(), body, false, "Bluesky")
	if err != nil {
		return err
	}
	if x.status != http.StatusOK {
		return b.statusError(x, false, true)
	}
	return b.keep(x)
}

func (b *Bluesky) keep(x *exchange) error {
	var s struct {
		AccessJwt, RefreshJwt, DID string
	}
	if err := json.Unmarshal(x.body, &s); err != nil || s.AccessJwt == "" {
		return &Error{Kind: Transient, Message: "Bluesky's session answer could not be read"}
	}
	b.mu.Lock()
	b.access, b.refresh, b.did = s.AccessJwt, s.RefreshJwt, s.DID
	b.mu.Unlock()
	return nil
}

// renew refreshes an expired session with the refresh token, and logs in
// anew only if that fails.
func (b *Bluesky) renew(ctx context.Context) error {
	b.mu.Lock()
	refresh := b.refresh
	b.access = ""
	b.mu.Unlock()
	if refresh != "" {
		h := http.Header{"Authorization": {"Bearer " + refresh}, "Accept": {"application/json"}}
		x, err := send(ctx, b.client, http.MethodPost, b.cfg.PDS+"/xrpc/com.atproto.server.refreshSession", h, nil, false, "Bluesky")
		if err == nil && x.status == http.StatusOK {
			return b.keep(x)
		}
		if err != nil {
			return err
		}
	}
	return b.createSession(ctx)
}

// call makes an XRPC call with the session's token, renewing the session
// once if its token has expired.
func (b *Bluesky) call(ctx context.Context, method, nsid string, q url.Values, body []byte, creates bool, contentType ...string) (*exchange, error) {
	u := b.cfg.PDS + "/xrpc/" + nsid
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	for try := 0; ; try++ {
		h := http.Header{"Accept": {"application/json"}}
		if body != nil {
			h.Set("Content-Type", cmp.Or(strings.Join(contentType, ""), "application/json"))
		}
		b.mu.Lock()
		if b.access != "" {
			h.Set("Authorization", "Bearer "+b.access)
		}
		b.mu.Unlock()
		x, err := send(ctx, b.client, method, u, h, body, creates, "Bluesky")
		if err != nil {
			return nil, err
		}
		if x.status == http.StatusOK {
			return x, nil
		}
		if try == 0 && xrpcName(x) == "ExpiredToken" {
			if err := b.renew(ctx); err != nil {
				return nil, err
			}
			continue
		}
		return x, b.statusError(x, creates, false)
	}
}

func xrpcName(x *exchange) string {
	var e struct {
		Error string `json:"error"`
	}
	_ = json.Unmarshal(x.body, &e)
	return e.Error
}

// statusError turns an XRPC error into an *Error with a hint.
func (b *Bluesky) statusError(x *exchange, creates, session bool) error {
	var body struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	}
	_ = json.Unmarshal(x.body, &body)
	e := &Error{Status: x.status, Message: cmp.Or(body.Message, body.Error, http.StatusText(x.status))}
	switch code := x.status; {
	case code == http.StatusUnauthorized || (session && code == http.StatusBadRequest) || body.Error == "InvalidToken" || body.Error == "ExpiredToken":
		e.Kind = Auth
		e.Hint = "Bluesky refused the login of " + b.cfg.Handle + ": check social.bluesky.handle in config.yaml and the secret " + BlueskyPasswordVar +
			" (an app password made under Settings → Privacy and security → App passwords, like xxxx-xxxx-xxxx-xxxx; see docs/publishing.md)"
	case code == http.StatusTooManyRequests:
		e.Kind = RateLimited
		e.RetryAt = b.cfg.Now().Add(5 * time.Minute).UTC()
		if n, err := strconv.ParseInt(x.header.Get("RateLimit-Reset"), 10, 64); err == nil {
			e.RetryAt = time.Unix(n, 0).UTC()
		}
		if session {
			e.Message = "too many logins to Bluesky (the PDS allows 30 per 5 minutes and 300 a day)"
		}
	case code >= 500 && creates:
		e.Kind = Unknown
	case code >= 500:
		e.Kind = Transient
	default:
		e.Kind = Rejected
	}
	return e
}
