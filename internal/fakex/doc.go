// Package fakex is a fake of the X (formerly Twitter) API v2, run in-process
// on net/http/httptest, for the tests of circulate's publisher and of
// anything else in this repository that talks to X. Tests must never reach
// the real X: a post there is public, billed and cannot be taken back.
//
// The fake is only worth having if it refuses what X refuses, so it checks
// what X checks rather than accepting anything well-formed:
//
//   - OAuth 1.0a user context with HMAC-SHA1 (RFC 5849), verified by an
//     implementation of its own, independent of the client library the
//     publisher signs with; unknown keys, a wrong signature, a clock more
//     than five minutes off and a reused nonce all get 401;
//   - post length by twitter-text's weighted count (internal/twittertext),
//     so links count 23 and CJK and emoji count 2;
//   - duplicate text (403), an app without write permission (403), a plan
//     without read access (403 on the timeline and on mentions);
//   - rate limits per 15-minute window and per user per 24 hours, with X's
//     headers on every response and 429 once they are used up.
//
// GET /2/users/:id/mentions lists the posts of other accounts that mention
// the account or answer its posts, newest first, as X has it (the same
// checks as the timeline, a rate-limit window of its own, since_id,
// start_time, pagination with meta.next_token, includes.users for
// expansions=author_id); tests add them with SeedMention and SeedReply.
//
// Beyond that, Fail queues faults for the next POST /2/tweets requests: a
// 5xx, a 429, a slow answer, a post that is stored but whose answer never
// arrives (the connection is dropped), a connection dropped before anything
// is stored, or a lying gateway that answers 5xx after X made the post: what
// a publisher that promises "exactly once" has to survive. And the user
// timeline can lag (Options.TimelineLagReads, TimelineLag): a post just made
// is a duplicate at once but missing from the timeline for a while, as on X.
//
// Typical use:
//
//	x := fakex.New(t, fakex.Options{})
//	for _, kv := range x.Env() { ... } // X_API_KEY=..., CIRCULATE_X_API_URL=...
//	// run the publisher against x.URL
//	posts := x.Posts()
package fakex
