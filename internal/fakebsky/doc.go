// Package fakebsky is a fake of a Bluesky PDS (bsky.social) and of the
// AppView endpoints it proxies, run in-process on net/http/httptest, for
// the tests of circulate's publisher. Tests must never reach the real
// network: a post there is public and cannot be recalled from the relays.
//
// Like internal/fakex it checks what the real service checks:
//
//   - com.atproto.server.createSession with the account's app password,
//     limited per identifier to 30 per 5 minutes and 300 per day (the PDS's
//     limits, with its RateLimit-* headers), so a client that logs in on
//     every request runs out; refreshSession with the refresh token, which
//     is single-use; access tokens that expire (400 ExpiredToken);
//   - com.atproto.repo.createRecord of app.bsky.feed.post validated against
//     the lexicon: text at most 300 graphemes and 3000 bytes, createdAt a
//     datetime, at most 3 langs, facets whose byteStart/byteEnd fall on
//     UTF-8 character boundaries and, for a #link, point at the link's text
//     (the URL or a shortened form of it), an app.bsky.embed.external card
//     whose thumb blob was uploaded first (uploadBlob) and is an image of at
//     most 1,000,000 bytes; an rkey, when given, must be a valid TID;
//   - a second create with an rkey already in the repository answers 500
//     InternalServerError and changes nothing, as bsky.social does today
//     (bluesky-social/atproto#3718): getRecord then shows the record;
//   - write rate limits (3 points a create, 5000 points an hour).
//
// app.bsky.feed.getAuthorFeed and app.bsky.notification.listNotifications
// answer with the AppView's shapes. What is public is what bsky.social
// makes public: the PDS answers app.bsky.* only to a client with a session
// (401 AuthMissing without), and a second server, AppViewURL, stands for
// the public AppView (public.api.bsky.app), where anyone may read an
// account's feed without a session (and a PDS session token is refused). Seed adds posts "made by hand in the
// app", whose links are shortened in the text ("example.org/events/sto...")
// with the full URL only in the facet, as the Bluesky app writes them.
//
// Fail queues faults for the next createRecord requests (5xx before or
// after the record is made, a dropped connection, a slow answer, a 429);
// ExpireAccessTokens makes every session's access token expire.
package fakebsky
