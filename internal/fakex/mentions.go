package fakex

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// GET /2/users/:id/mentions: the posts of other accounts that mention the
// account, replies to its posts included (X puts "@account" at the start
// of a reply), newest first: what staff answer. Tests add them with
// SeedMention and SeedReply.

// User is another account on X: a patron who mentions or answers the
// library.
type User struct {
	ID       string // "2244994945"; made up from the username when empty
	Username string // "patron", without "@"
	Name     string // "Pat Patron"
}

func (u User) json(fields map[string]bool) map[string]any {
	// id, name and username are X's default user fields; the fake knows
	// no other, and leaves out what it does not know.
	return map[string]any{"id": u.ID, "name": u.Name, "username": u.Username}
}

// Mention is one mention entity, as X reports it in entities.mentions:
// Start and End index code points of the text X returns.
type Mention struct {
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Username string `json:"username"`
	ID       string `json:"id"`
}

// maxMentions is how far back the mentions timeline goes: X serves the
// 800 most recent.
const maxMentions = 800

// SeedMention adds a post by another account mentioning the account (text
// should name it, "@RiversideLib"; X lists no other as a mention), made at
// at, without a request and without any check.
func (s *Server) SeedMention(from User, text string, at time.Time) Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.storeOther(from, text, nil, at)
}

// SeedReply adds another account's reply to the post inReplyTo (the
// account's, or another one seeded before), made at at. X starts a reply's
// text with "@" and the username it answers: the fake adds it when text
// does not start so. It panics if there is no such post: a test's mistake.
func (s *Server) SeedReply(from User, text, inReplyTo string, at time.Time) Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	var parent *Post
	for i := range s.posts {
		if s.posts[i].ID == inReplyTo {
			parent = &s.posts[i]
		}
	}
	for i := range s.others {
		if s.others[i].ID == inReplyTo {
			parent = &s.others[i]
		}
	}
	if parent == nil {
		panic("fakex: SeedReply to an unknown post " + inReplyTo)
	}
	to := User{ID: s.opts.UserID, Username: s.opts.Username, Name: s.opts.Name}
	if parent.AuthorID != "" {
		to = s.authors[parent.AuthorID]
	}
	if !strings.HasPrefix(strings.ToLower(text), "@"+strings.ToLower(to.Username)) {
		text = "@" + to.Username + " " + text
	}
	return s.storeOther(from, text, parent, at)
}

// storeOther records another account's post. Callers hold mu.
func (s *Server) storeOther(from User, text string, parent *Post, at time.Time) Post {
	if from.ID == "" {
		from.ID = madeUpID(from.Username)
	}
	if from.Name == "" {
		from.Name = from.Username
	}
	s.authors[from.ID] = from
	s.nextID++
	p := Post{ID: strconv.FormatInt(s.nextID, 10), Text: text, CreatedAt: at.UTC(), AuthorID: from.ID}
	p.ShortText, p.URLs = s.shorten(text)
	p.ConversationID = p.ID
	if parent != nil {
		p.InReplyToID = parent.ID
		p.InReplyToUserID = parent.AuthorID
		if p.InReplyToUserID == "" {
			p.InReplyToUserID = s.opts.UserID
		}
		p.ConversationID = parent.ConversationID
		if p.ConversationID == "" {
			p.ConversationID = parent.ID
		}
	}
	p.Mentions = s.mentionsOf(p.ShortText)
	s.others = append(s.others, p)
	return p
}

// mentionsOf finds "@account" in text as X does: the username, any case,
// not inside a longer name or an e-mail address. Indexes are code points
// of the HTML-escaped text X returns. Callers hold mu.
func (s *Server) mentionsOf(text string) []Mention {
	re := regexp.MustCompile(`(?i)(?:^|[^\pL\pN_!#$%&*@＠])([@＠])(` + regexp.QuoteMeta(s.opts.Username) + `)\b`)
	var out []Mention
	for _, m := range re.FindAllStringSubmatchIndex(text, -1) {
		start := utf8.RuneCountInString(htmlEscape(text[:m[2]]))
		out = append(out, Mention{Start: start, End: start + 1 + utf8.RuneCountInString(text[m[4]:m[5]]), Username: s.opts.Username, ID: s.opts.UserID})
	}
	return out
}

// mentions is GET /2/users/:id/mentions, checked like the user timeline:
// OAuth 1.0a, its own rate-limit window, 403 on a plan without reads.
func (s *Server) mentions(w *recorder, r *http.Request, id string) {
	if !s.mayRead(w, r, epMentions) {
		return
	}
	q := r.URL.Query()
	if !s.take(w, epMentions) || !checkParams(w, q, "end_time", "expansions", "max_results",
		"media.fields", "pagination_token", "place.fields", "poll.fields", "since_id", "start_time",
		"tweet.fields", "until_id", "user.fields") {
		return
	}
	lq, ok := parseList(w, q)
	if !ok || !s.knownUser(w, id) {
		return
	}
	s.mu.Lock()
	var page []Post
	more := false
	seen := 0
	for i := len(s.others) - 1; i >= 0 && seen < maxMentions; i-- { // newest first
		p := s.others[i]
		if p.InReplyToUserID != s.opts.UserID && len(p.Mentions) == 0 {
			continue // neither a reply to the account nor a mention of it
		}
		seen++
		if !lq.in(p) {
			continue
		}
		if len(page) == lq.max {
			more = true
			break
		}
		page = append(page, p)
	}
	authors := make(map[string]User, len(s.authors))
	for k, v := range s.authors {
		authors[k] = v
	}
	s.mu.Unlock()
	s.writePage(w, page, more, lq, authors)
}

// madeUpID is a user id for a test account that did not give one: the
// same for the same username, like a real id.
func madeUpID(username string) string {
	var n uint64 = 1469
	for _, c := range strings.ToLower(username) {
		n = n*31 + uint64(c)
	}
	return strconv.FormatUint(n%9e17+1e17, 10)
}
