// Package fakemastodon is a fake of a Mastodon server's client API, run
// in-process on net/http/httptest, for the tests of circulate's publisher
// and of anything else in this repository that talks to Mastodon. Tests
// must never reach a real server: a status there is public and federates
// to other servers at once.
//
// Like internal/fakex, it refuses what Mastodon refuses rather than
// accepting anything well-formed:
//
//   - a bearer token with scopes (401 for a missing or unknown token, 403
//     when the token lacks the scope: write:statuses to post, write:media to
//     upload, read:accounts, read:statuses and read:notifications to read;
//     "read" and "write" cover their sub-scopes);
//   - the status length as Mastodon's StatusLengthValidator counts it:
//     grapheme clusters, every http(s) URL counting 23, "@user@domain"
//     counting as "@user"; over 500 is 422;
//   - the Idempotency-Key header as PostStatusService honours it: the same
//     key from the same account within an hour returns the status made the
//     first time, whatever the text, and makes no second one;
//   - media uploaded with POST /api/v2/media (description at most 1500
//     characters), processed asynchronously when Options.MediaPolls says so
//     (202, then GET /api/v1/media/:id answers 206 until ready), and refused
//     on a status until processed (422);
//   - rate limits with X-RateLimit-Limit, -Remaining and -Reset (ISO 8601)
//     on every answer, 429 once used up;
//   - what is public: accounts/lookup and accounts/:id/statuses (public
//     statuses only) answer without a token, unless the server wants one
//     for its whole API (Options.RequireAuth: limited federation mode,
//     DISALLOW_UNAUTHENTICATED_API_ACCESS), where they answer 401.
//
// Statuses come back as Mastodon's JSON: HTML content, with each link an
// <a> whose URL is split into "invisible" and "ellipsis" spans, as
// Mastodon's TextFormatter writes them, so a reader of the timeline has to
// take link text from the HTML rather than print raw URLs.
//
// Fail queues faults for the next POST /api/v1/statuses requests: a 5xx
// before anything is made, a 5xx after the status is made, a dropped
// connection after the status is made, a slow answer, a 429.
//
// Typical use:
//
//	m := fakemastodon.New(t, fakemastodon.Options{})
//	// point the publisher at m.URL with m.Token() (see Env)
//	statuses := m.Statuses()
package fakemastodon
