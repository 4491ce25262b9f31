package main

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/circulate-dev/circulate/internal/fakebsky"
	"github.com/circulate-dev/circulate/internal/fakemastodon"
)

// The fake Mastodon and Bluesky of a script; their secrets hold S3CRET,
// so scripts can check that none appears in any output.
type socialFakes struct {
	m *fakemastodon.Server
	b *fakebsky.Server
}

var socials sync.Map // work folder -> *socialFakes

// fakesocial start [mastodon-requires-auth]: start a fake Mastodon and a
// fake Bluesky and point MASTODON_ACCESS_TOKEN, BLUESKY_APP_PASSWORD,
// CIRCULATE_MASTODON_URL, CIRCULATE_BLUESKY_URL and
// CIRCULATE_BLUESKY_APPVIEW_URL at them;
// mastodon-requires-auth: a server whose API answers signed-in apps only.
// fakesocial posts mastodon|bluesky N: the account holds exactly N posts.
// fakesocial sessions N: Bluesky made exactly N sessions.
// fakesocial byhand mastodon|bluesky TEXT: staff post TEXT by hand.
// fakesocial reply mastodon|bluesky TEXT: a patron replies to the account's
// latest post.
// fakesocial fail mastodon lie502|drop|429 ... / fail bluesky lie500|drop|429|expire ...
// fakesocial valid: every Bluesky post's link facets point at the link text
// and carry a card; every Mastodon status is within 500.
func cmdFakeSocial(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) == 0 {
		ts.Fatalf("usage: fakesocial start|posts|byhand|reply|fail ...")
	}
	key := ts.Getenv("WORK")
	if args[0] == "start" {
		mo := fakemastodon.Options{Token: "S3CRET-mastodon-token"}
		for _, a := range args[1:] {
			switch a {
			case "mastodon-requires-auth":
				mo.RequireAuth = true
			default:
				ts.Fatalf("unknown fakesocial start option %q", a)
			}
		}
		f := &socialFakes{
			m: fakemastodon.New(nil, mo),
			b: fakebsky.New(nil, fakebsky.Options{AppPassword: "S3CR-ET00-S3CR-ET00"}),
		}
		ts.Defer(f.m.Close)
		ts.Defer(f.b.Close)
		socials.Store(key, f)
		for _, kv := range append(f.m.Env(), f.b.Env()...) {
			k, v, _ := strings.Cut(kv, "=")
			ts.Setenv(k, v)
		}
		return
	}
	v, ok := socials.Load(key)
	if !ok {
		ts.Fatalf("no fakes: run `fakesocial start` first")
	}
	f := v.(*socialFakes)
	switch args[0] {
	case "posts":
		want, err := strconv.Atoi(args[2])
		ts.Check(err)
		got := len(f.b.Own())
		if args[1] == "mastodon" {
			got = len(f.m.Own())
		}
		if (got == want) == neg {
			ts.Fatalf("%s holds %d posts, want %d", args[1], got, want)
		}
	case "sessions":
		want, _ := strconv.Atoi(args[1])
		if got := f.b.Sessions(); (got == want) == neg {
			ts.Fatalf("Bluesky made %d sessions, want %d", got, want)
		}
	case "byhand":
		if args[1] == "mastodon" {
			f.m.Seed(args[2], time.Now())
		} else {
			f.b.Seed(args[2], time.Now())
		}
	case "reply":
		if args[1] == "mastodon" {
			own := f.m.Own()
			f.m.SeedReply(fakemastodon.Account{Username: "patron", Domain: "example.social", DisplayName: "Pat Patron"}, "@riversidelib "+args[2], own[len(own)-1].ID, time.Now())
		} else {
			own := f.b.Own()
			f.b.SeedReply(fakebsky.Profile{Handle: "patron.bsky.social", DisplayName: "Pat Patron"}, args[2], own[len(own)-1].URI, time.Now())
		}
	case "fail":
		for _, a := range args[2:] {
			switch args[1] + " " + a {
			case "mastodon lie502":
				f.m.Fail(fakemastodon.CreateThen5xx(502))
			case "mastodon drop":
				f.m.Fail(fakemastodon.AcceptThenDrop())
			case "mastodon 429":
				f.m.Fail(fakemastodon.RateLimited(time.Now().Add(2 * time.Second)))
			case "bluesky lie500":
				f.b.Fail(fakebsky.CreateThen5xx(500))
			case "bluesky drop":
				f.b.Fail(fakebsky.AcceptThenDrop())
			case "bluesky 429":
				f.b.Fail(fakebsky.RateLimited(time.Now().Add(2 * time.Second)))
			case "bluesky expire":
				f.b.ExpireAccessTokens()
			default:
				ts.Fatalf("unknown fault %s %s", args[1], a)
			}
		}
	case "valid":
		for _, st := range f.m.Own() {
			if fakemastodon.Length(st.Text) > 500 {
				ts.Fatalf("Mastodon status over 500: %q", st.Text)
			}
		}
		for _, p := range f.b.Own() {
			if _, ok := p.Record["embed"]; !ok && strings.Contains(p.Text, "https://") {
				ts.Fatalf("Bluesky post without a card: %q", p.Text)
			}
			if _, ok := p.Record["facets"]; !ok && strings.Contains(p.Text, "https://") {
				ts.Fatalf("Bluesky post without link facets: %q", p.Text)
			}
		}
	default:
		ts.Fatalf("unknown fakesocial command %q", args[0])
	}
}
