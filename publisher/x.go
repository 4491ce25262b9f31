package publisher

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dghubble/oauth1"

	"github.com/circulate-dev/circulate/internal/twittertext"
)

// Credentials are the four OAuth 1.0a secrets of an X app and account.
// They come only from the environment and are never printed.
type Credentials struct {
	APIKey, APISecret, AccessToken, AccessSecret string
}

// CredentialVars are the environment variables that hold the credentials.
var CredentialVars = [4]string{"X_API_KEY", "X_API_SECRET", "X_ACCESS_TOKEN", "X_ACCESS_SECRET"}

// CredentialsFromEnv reads the credentials; missing lists the unset ones.
func CredentialsFromEnv(getenv func(string) string) (c Credentials, missing []string) {
	vals := make([]string, 4)
	for i, k := range CredentialVars {
		vals[i] = strings.TrimSpace(getenv(k))
		if vals[i] == "" {
			missing = append(missing, k)
		}
	}
	return Credentials{vals[0], vals[1], vals[2], vals[3]}, missing
}

// XConfig is what the X client needs besides credentials.
type XConfig struct {
	APIURL string // https://api.x.com, or a test server
	Handle string // the account, without "@", for post URLs
	// Timeout bounds every request; 0 means 20 seconds.
	Timeout time.Duration
	// Prices per post in US dollars, with and without a link.
	PricePost, PricePostWithLink float64
	// HTTPClient is the transport to use (its Timeout is overridden); nil
	// means a fresh http.Client.
	HTTPClient *http.Client
	// Now is the run's clock: a rate limit without a reset header ends 15
	// minutes after it. Nil is time.Now.
	Now func() time.Time
}

// X posts to an X account through the v2 API, signed with OAuth 1.0a user
// context.
type X struct {
	cfg    XConfig
	client *http.Client

	mu     sync.Mutex
	userID string // looked up once, for reading the timeline
}

// NewX makes a client. The signing client is built here so that no other
// code ever holds the secrets.
func NewX(cfg XConfig, c Credentials) *X {
	cfg.APIURL = strings.TrimSuffix(cfg.APIURL, "/")
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	base := &http.Client{}
	if cfg.HTTPClient != nil {
		cp := *cfg.HTTPClient
		base = &cp
	}
	base.Timeout = cfg.Timeout
	if base.Timeout == 0 {
		base.Timeout = 20 * time.Second
	}
	ctx := context.WithValue(context.Background(), oauth1.HTTPClient, base)
	client := oauth1.NewConfig(c.APIKey, c.APISecret).Client(ctx, oauth1.NewToken(c.AccessToken, c.AccessSecret))
	client.Timeout = base.Timeout
	return &X{cfg: cfg, client: client}
}

// Name is the ledger key.
func (x *X) Name() string { return "x" }

// Weigh counts like X: twitter-text's v3 weighted length, limit 280.
func (x *X) Weigh(text string) (int, int) { return twittertext.Weighted(text), twittertext.MaxLength }

// Fit shortens body with "…" so body+tail fits in 280.
func (x *X) Fit(body, tail string) string {
	s, ok := twittertext.Truncate(body, tail, twittertext.MaxLength)
	if !ok {
		return strings.TrimSpace(tail)
	}
	return s
}

// Cost is the price of a post: X bills a post with a link higher.
func (x *X) Cost(text string) float64 {
	if strings.Contains(text, "http://") || strings.Contains(text, "https://") {
		return x.cfg.PricePostWithLink
	}
	return x.cfg.PricePost
}

// Post publishes text: POST /2/tweets, answered by 201 and the post's id.
func (x *X) Post(ctx context.Context, text string) (*RemotePost, error) {
	body, _ := json.Marshal(map[string]string{"text": text})
	var out struct {
		Data struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		} `json:"data"`
	}
	if err := x.do(ctx, http.MethodPost, "/2/tweets", body, http.StatusCreated, &out); err != nil {
		return nil, err
	}
	if out.Data.ID == "" {
		return nil, &Error{Kind: Unknown, Status: http.StatusCreated, Message: "X answered without a post id"}
	}
	return &RemotePost{ID: out.Data.ID, URL: x.postURL(out.Data.ID), Text: out.Data.Text}, nil
}

func (x *X) postURL(id string) string {
	h := x.cfg.Handle
	if h == "" {
		h = "i/web"
	}
	return "https://x.com/" + h + "/status/" + id
}

// Recent reads the account's latest posts, each with its text as sent:
// X shows each link as a t.co link and escapes &, < and >, and the
// entities it returns say what each t.co link stands for.
func (x *X) Recent(ctx context.Context) ([]RemotePost, error) {
	id, err := x.me(ctx)
	if err != nil {
		return nil, err
	}
	var out struct {
		Data []xTweet `json:"data"`
	}
	q := url.Values{"tweet.fields": {"entities,created_at"}, "max_results": {"100"}}
	if err := x.do(ctx, http.MethodGet, "/2/users/"+url.PathEscape(id)+"/tweets?"+q.Encode(), nil, http.StatusOK, &out); err != nil {
		return nil, err
	}
	posts := make([]RemotePost, 0, len(out.Data))
	for _, d := range out.Data {
		links := d.links()
		p := RemotePost{ID: d.ID, URL: x.postURL(d.ID), Text: expandLinks(d.Text, links), Created: d.CreatedAt}
		for _, l := range links {
			p.Links = append(p.Links, l.Expanded)
		}
		posts = append(posts, p)
	}
	return posts, nil
}

func (x *X) me(ctx context.Context) (string, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.userID != "" {
		return x.userID, nil
	}
	var out struct {
		Data struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if err := x.do(ctx, http.MethodGet, "/2/users/me", nil, http.StatusOK, &out); err != nil {
		return "", err
	}
	x.userID = out.Data.ID
	return x.userID, nil
}

// do sends one request and turns every failure into an *Error that says
// what happened and what to do, without secrets.
func (x *X) do(ctx context.Context, method, path string, body []byte, want int, out any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, x.cfg.APIURL+path, rd)
	if err != nil {
		return &Error{Kind: Transient, Message: err.Error(), Err: err}
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := x.client.Do(req)
	if err != nil {
		return transportError(method, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return transportError(method, err)
	}
	if resp.StatusCode == want {
		if err := json.Unmarshal(data, out); err != nil {
			kind := Unknown
			if method == http.MethodGet {
				kind = Transient
			}
			return &Error{Kind: kind, Status: resp.StatusCode, Message: "X's answer could not be read: " + err.Error()}
		}
		return nil
	}
	return statusError(method, resp, data, x.cfg.Now())
}

// transportError: a connection that could not be made means nothing was
// sent; anything later (a timeout, a dropped connection) may have posted.
// A read that fails is only a read that failed.
func transportError(method string, err error) error {
	var op *net.OpError
	switch {
	case errors.As(err, &op) && op.Op == "dial":
		return &Error{Kind: Transient, Message: "could not reach X: " + scrub(err), Err: err}
	case method == http.MethodGet:
		return &Error{Kind: Transient, Message: "reading from X: " + scrub(err), Err: err}
	}
	return &Error{Kind: Unknown, Message: scrub(err), Err: err}
}

// scrub says what went wrong in plain words, without the request.
func scrub(err error) string {
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		return "no answer within the time limit (social.x.timeout)"
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return "the connection closed before an answer"
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// credentialsHint is what to check when X refuses the credentials.
const credentialsHint = "X refused the credentials: check that the secrets X_API_KEY, X_API_SECRET, X_ACCESS_TOKEN and X_ACCESS_SECRET are set, belong to the same app, and were copied whole (docs/publishing.md)"

// maxSkew is how far off X lets a request's OAuth timestamp be.
const maxSkew = 5 * time.Minute

func statusError(method string, resp *http.Response, data []byte, now time.Time) error {
	var body struct {
		Title  string `json:"title"`
		Detail string `json:"detail"`
		Reason string `json:"reason"`
		Errors []struct {
			Message string `json:"message"`
			Code    int    `json:"code"`
		} `json:"errors"`
	}
	_ = json.Unmarshal(data, &body)
	msg := body.Detail
	if len(body.Errors) > 0 && body.Errors[0].Message != "" {
		msg = body.Errors[0].Message
	}
	if msg == "" {
		msg = http.StatusText(resp.StatusCode)
	}
	e := &Error{Status: resp.StatusCode, Message: msg}
	switch code := resp.StatusCode; {
	case code == http.StatusUnauthorized:
		e.Kind = Auth
		e.Hint = credentialsHint + clockHint(resp, body.Errors)
	case code == http.StatusForbidden && method == http.MethodGet:
		// The account's posts cannot be read on this plan: not a reason to
		// stop posting (the duplicate guard settles pending posts).
		e.Kind = NoReads
	case code == http.StatusForbidden && strings.Contains(strings.ToLower(msg), "duplicate"):
		e.Kind = Duplicate
	case code == http.StatusForbidden:
		e.Kind = Auth
		e.Hint = "X does not let this app post: in the X developer portal set the app's permissions to \"Read and write\", then regenerate the access token and secret (tokens made before the change stay read-only) and update X_ACCESS_TOKEN and X_ACCESS_SECRET"
	case code == http.StatusTooManyRequests:
		e.Kind = RateLimited
		e.RetryAt = resetTime(resp.Header, now)
	case code >= 500 && method == http.MethodGet:
		e.Kind = Transient
	case code >= 500:
		// A gateway's 5xx says nothing of whether X made the post.
		e.Kind = Unknown
	default:
		e.Kind = Rejected
	}
	return e
}

// clockHint adds to a 401 what to check when this machine's clock may be
// off: X refuses a request whose OAuth timestamp is more than five minutes
// from its own time with the same 401 as a wrong key, and says so only in
// v1.1's error code 135. X dates its answers, so a Date header far from
// this machine's clock tells it apart.
func clockHint(resp *http.Response, errs []struct {
	Message string `json:"message"`
	Code    int    `json:"code"`
}) string {
	if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		// This machine's clock on purpose, not the run's Now: it is the
		// one oauth1 stamps requests with, and the one X judges.
		if off := time.Since(d); off > maxSkew || off < -maxSkew {
			dir := "behind"
			if off > 0 {
				dir = "ahead of"
			}
			return fmt.Sprintf("; but first: this machine's clock is %s %s X's (X refuses requests more than 5 minutes off): set the clock right (turn on network time), then run again", off.Abs().Round(time.Minute), dir)
		}
	}
	for _, e := range errs {
		if e.Code == 135 {
			return "; X says the request's time is off: set this machine's clock right (turn on network time), then run again"
		}
	}
	return "; if they are right, check this machine's clock: X refuses requests from a clock more than 5 minutes off"
}

// resetTime reads when a rate limit ends: the 24-hour user limit when it is
// the one exhausted, else the 15-minute window; without a reset header (a
// gateway's 429), one window after now, the run's clock.
func resetTime(h http.Header, now time.Time) time.Time {
	key := "x-rate-limit-reset"
	if h.Get("x-user-limit-24hour-remaining") == "0" {
		key = "x-user-limit-24hour-reset"
	}
	if n, err := strconv.ParseInt(h.Get(key), 10, 64); err == nil {
		return time.Unix(n, 0).UTC()
	}
	return now.Add(15 * time.Minute).UTC()
}
