// Package publisher posts a library site's new items to its social
// accounts, each item at most once per network, and keeps the ledger of
// what was posted (SPEC §4). It is used by `circulate build` in CI and by
// `circulate publish`; it knows items, not how the site is built.
//
// Run (run.go) is the one entry point for posting: it takes a Setup (the
// site's folder and config, the environment, an *http.Client, the clock)
// and the items, and returns a report per network. Check warns before a
// run, Resolve applies a person's answer, RecentPosts feeds the social box.
//
// A network (X first; Mastodon or Bluesky later, one file each) implements
// Network and is listed once, in networks.go. The rules of what to post and
// when live in publish.go, the text in compose.go, the record in ledger.go,
// the lock in lock*.go.
package publisher

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Network is one social network account.
type Network interface {
	// Name is the ledger key and the name in messages: "x".
	Name() string
	// Weigh returns a text's length as the network counts it, and its limit.
	Weigh(text string) (n, limit int)
	// Fit shortens body so that body+tail fits, never cutting tail (the
	// link) or a character in two.
	Fit(body, tail string) string
	// Post publishes text. Its error is an *Error whose Kind says whether
	// the post may have been made (see Failure).
	Post(ctx context.Context, text string) (*RemotePost, error)
	// Recent lists the account's latest posts, to settle pending entries,
	// each with its text as it was sent (links expanded, unescaped).
	Recent(ctx context.Context) ([]RemotePost, error)
	// Cost estimates the price of a post, in US dollars.
	Cost(text string) float64
}

// RemotePost is a post as the network has it.
type RemotePost struct {
	ID  string
	URL string // the post's own page
	// Text is the post's text as it was sent: X shows t.co links and HTML
	// escapes, which its client undoes (expandLinks).
	Text    string
	Created time.Time
	// Links are the full URLs the post links to. They are not how a
	// pending post is settled: a link alone proves nothing (another
	// item's post may link to this one); the whole text does.
	Links []string
}

// Failure kinds decide what a run does next. What matters for "exactly
// once" is whether the network may have made the post: only an answer that
// says it did not (a refused connection, a 4xx) proves it; anything else
// (no answer, a dropped connection, a 5xx from a gateway that may lie) is
// Unknown, and the item stays pending.
type Failure int

const (
	// Transient: nothing was done and it may work if tried again: a post
	// that certainly was not made (the connection could not be made; a
	// network that says so), or a read that failed (a GET changes
	// nothing). Retried with back-off, then left for the next run.
	Transient Failure = iota
	// Unknown: the request may have reached the network and made the post
	// (a timeout after sending, a dropped connection, a 5xx); the entry
	// stays pending with the text sent, and is settled from the account's
	// posts or sent again with exactly that text.
	Unknown
	// Duplicate: the network says this exact text is on the account
	// already. After circulate sent it (pending), that is the post.
	Duplicate
	// RateLimited: stop posting on this network until RetryAt.
	RateLimited
	// Rejected: this post is refused for good (too long, not allowed); the
	// item is marked failed, other items go on, and the run fails.
	Rejected
	// Auth: the credentials or the app's permissions are wrong; nothing can
	// be posted until someone fixes them. Exit code 3.
	Auth
	// NoReads: the account's posts cannot be read on this plan (X's 403
	// client-not-enrolled); pending items are settled by sending their
	// recorded text again, which the network refuses as a duplicate if it
	// made the post.
	NoReads
)

// Error is a failed network request.
type Error struct {
	Kind    Failure
	Status  int       // HTTP status, 0 if none
	Message string    // what the network said, without secrets
	Hint    string    // what to do
	RetryAt time.Time // for RateLimited
	Err     error     // the underlying error, if any
}

func (e *Error) Error() string {
	s := e.Message
	if e.Status != 0 {
		s = fmt.Sprintf("%d: %s", e.Status, s)
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// failureOf classifies any error; unknown errors are Unknown, the safe
// assumption for exactly-once.
func failureOf(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Kind: Unknown, Message: err.Error(), Err: err}
}
