// Package fakenet is what the fakes of the social networks' APIs
// (internal/fakex, internal/fakemastodon, internal/fakebsky) have in
// common, written once: the faults a test queues for a fake's post
// requests and the queue they wait in, the recorder through which a fake
// answers and logs each request, and the fault handling that needs no word
// of any network's (hanging up, answering late, a raw rejection).
//
// It is for those fakes, which the tests of circulate's publisher and CLI
// run instead of X, Mastodon and Bluesky, and for their own tests (Clock,
// Dig). What differs per network stays in its fake: the error bodies, the
// rate-limit windows and headers, which faults a network offers and what
// they are called. Tests use the fakes' APIs, never this package directly.
package fakenet
