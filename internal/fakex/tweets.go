package fakex

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/circulate-dev/circulate/internal/fakenet"
	"github.com/circulate-dev/circulate/internal/twittertext"
)

// Post is a post the fake accepted.
type Post struct {
	ID string
	// Text is the text as the client sent it.
	Text string
	// ShortText is the text as X shows it: each link replaced by a t.co link.
	ShortText string
	CreatedAt time.Time
	// URLs are the links in ShortText with what they expand to.
	URLs []URL

	// A post by another account (SeedMention, SeedReply): its author's
	// id, the post it answers and that post's author, and the thread it
	// is in. Empty for the account's own posts.
	AuthorID, InReplyToID, InReplyToUserID, ConversationID string
	// Mentions are the mentions of the account in ShortText.
	Mentions []Mention

	// The post shows in the timeline from the timeline read numbered
	// shownFromRead and from the time shownAt (Options.TimelineLag*).
	shownFromRead int
	shownAt       time.Time
}

// URL is one link entity, as X reports it in entities.urls. Start and End
// index code points of the text X returns.
type URL struct {
	Start       int    `json:"start"`
	End         int    `json:"end"`
	URL         string `json:"url"`          // the t.co link
	ExpandedURL string `json:"expanded_url"` // the link as posted
	DisplayURL  string `json:"display_url"`  // shortened, for display
}

// Posts returns the posts accepted so far, oldest first.
func (s *Server) Posts() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Post, len(s.posts))
	for i, p := range s.posts {
		p.URLs = append([]URL(nil), p.URLs...)
		out[i] = p
	}
	return out
}

// AwaitPosts waits until the fake holds at least n posts, and reports
// whether it does before ctx ends. Posts are stored before any fault of the
// answer (Slow, Hold, AcceptThenDrop) acts.
func (s *Server) AwaitPosts(ctx context.Context, n int) bool {
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for len(s.Posts()) < n {
		select {
		case <-ctx.Done():
			return false
		case <-tick.C:
		}
	}
	return true
}

// Seed adds a post as if the account had made it at time at (by hand on
// x.com, or in an earlier run), without a request and without any check.
// Tests use it to set up a timeline.
func (s *Server) Seed(text string, at time.Time) Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.store(text, at)
	s.posts[len(s.posts)-1].shownFromRead, s.posts[len(s.posts)-1].shownAt = 0, time.Time{}
	return p
}

// store records a post. Callers hold mu.
func (s *Server) store(text string, at time.Time) Post {
	s.nextID++
	p := Post{ID: strconv.FormatInt(s.nextID, 10), Text: text, CreatedAt: at.UTC()}
	p.ShortText, p.URLs = s.shorten(text)
	p.shownFromRead = s.reads + s.opts.TimelineLagReads + 1
	p.shownAt = at.Add(s.opts.TimelineLag)
	s.posts = append(s.posts, p)
	return p
}

// tweetFields are the members X's POST /2/tweets body may have; X refuses
// any other with 400, which catches a misspelt "text".
var tweetFields = map[string]bool{
	"text": true, "reply": true, "quote_tweet_id": true, "media": true, "poll": true,
	"reply_settings": true, "for_super_followers_only": true, "direct_message_deep_link": true,
	"geo": true, "nullcast": true, "card_uri": true, "community_id": true,
	"share_with_followers": true, "made_with_ai": true, "paid_partnership": true,
}

const tooLong = "Your Tweet text is too long. For more information on how X determines text length see https://github.com/twitter/twitter-text."

func (s *Server) postTweet(w *recorder, r *http.Request) {
	if reason := s.authenticate(r); reason != "" {
		s.rateHeaders(w, epPost)
		unauthorized(w, reason)
		return
	}
	fault, faulty := s.faults.Next()
	if faulty && s.answerFault(w, fault) {
		return
	}
	if !s.take(w, epPost) {
		return
	}
	post, ok := s.handlePost(w, r)
	if faulty && !s.afterFault(w, r, fault) {
		return
	}
	if !ok {
		w.flush()
		return
	}
	fakenet.WriteJSON(w, http.StatusCreated, map[string]any{"data": map[string]any{
		"id":                     post.ID,
		"text":                   htmlEscape(post.ShortText),
		"edit_history_tweet_ids": []string{post.ID},
	}})
}

// handlePost does what X does with an authenticated post within its rate
// limits: it refuses it (the error is held in w, to be sent after any Slow
// fault) or stores it.
func (s *Server) handlePost(w *recorder, r *http.Request) (Post, bool) {
	if s.opts.ReadOnly {
		w.hold(http.StatusForbidden, "app is read-only",
			problem(http.StatusForbidden, "Forbidden", "You are not permitted to perform this action.", "about:blank"))
		return Post{}, false
	}
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/json" {
		w.holdInvalid("Content-Type is " + strconv.Quote(r.Header.Get("Content-Type")) + ", not application/json")
		return Post{}, false
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		w.holdInvalid("cannot read body: " + err.Error())
		return Post{}, false
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		w.holdInvalid("body is not a JSON object: " + err.Error())
		return Post{}, false
	}
	var names []string
	for k := range fields {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if !tweetFields[k] {
			w.holdInvalid("$." + k + ": is not defined in the schema and the schema does not allow additional properties")
			return Post{}, false
		}
	}
	var text string
	if raw, ok := fields["text"]; ok {
		if err := json.Unmarshal(raw, &text); err != nil || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			w.holdInvalid("$.text: string found, " + strings.TrimSpace(string(raw)) + " expected")
			return Post{}, false
		}
	}
	if strings.TrimSpace(text) == "" {
		// X would accept an empty text with media; circulate posts none.
		w.holdInvalid("Post text is empty.")
		return Post{}, false
	}
	if res := twittertext.Parse(text); !res.Valid {
		msg := tooLong
		if res.Weighted <= twittertext.MaxLength {
			msg = "Post text contains invalid characters."
		}
		w.holdInvalid(msg)
		return Post{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.posts {
		if p.Text == text {
			w.hold(http.StatusForbidden, "duplicate of "+p.ID,
				problem(http.StatusForbidden, "Forbidden", "You are not allowed to create a Tweet with duplicate content.", "about:blank"))
			return Post{}, false
		}
	}
	return s.store(text, s.opts.Now()), true
}

// hold keeps an error answer to send later with flush, so that a Slow fault
// delays errors too.
func (w *recorder) hold(status int, reason string, body any) {
	w.Reason, w.heldStatus, w.heldBody = reason, status, body
}

func (w *recorder) holdInvalid(message string) {
	w.hold(http.StatusBadRequest, message, invalidBody(message))
}

func (w *recorder) flush() {
	fakenet.WriteJSON(w, w.heldStatus, w.heldBody)
}

// htmlEscape is what X does to text in its answers: "&", "<" and ">" come
// back as entities, so a client comparing texts must not expect them as sent.
func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
