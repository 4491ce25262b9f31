package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/circulate-dev/circulate/internal/fakex"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"circulate": main})
}

// TestScripts runs the CLI scenarios in testdata/*.txtar; each file says
// which issue it covers.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata",
		RequireExplicitExec: true,
		Setup: func(e *testscript.Env) error {
			// Builds must not depend on the machine's clock zone, and no
			// real credentials may leak in from the environment.
			e.Setenv("TZ", "UTC")
			e.Setenv("CI", "")
			for _, k := range []string{"X_API_KEY", "X_API_SECRET", "X_ACCESS_TOKEN", "X_ACCESS_SECRET", "CIRCULATE_X_API_URL",
				"MASTODON_ACCESS_TOKEN", "BLUESKY_APP_PASSWORD", "CIRCULATE_MASTODON_URL", "CIRCULATE_BLUESKY_URL", "CIRCULATE_BLUESKY_APPVIEW_URL"} {
				e.Setenv(k, "")
			}
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"example-site": cmdExampleSite,
			"fakex":        cmdFakeX,
			"fakesocial":   cmdFakeSocial,
			"dates":        cmdDates,
			"await":        cmdAwait,
		},
	})
}

// example-site DIR copies the repository's example library (config.yaml
// and content/) into DIR.
func cmdExampleSite(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: example-site DIR")
	}
	root, err := filepath.Abs("../..")
	ts.Check(err)
	dst := ts.MkAbs(args[0])
	ts.Check(os.CopyFS(filepath.Join(dst, "content"), os.DirFS(filepath.Join(root, "content"))))
	data, err := os.ReadFile(filepath.Join(root, "config.yaml"))
	ts.Check(err)
	ts.Check(os.WriteFile(filepath.Join(dst, "config.yaml"), data, 0o644))
}

// dates FILE... replaces {now}, {now-90m}, {now+7d} and the like in the
// files with that time on the real clock, in RFC 3339 (UTC, whole seconds):
// posting always uses the real clock (`--now` never posts), so the items
// of a script that posts are dated from it.
func cmdDates(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: dates FILE... | dates -env NAME TOKEN")
	}
	now := time.Now().UTC().Truncate(time.Second)
	if args[0] == "-env" {
		if len(args) != 3 {
			ts.Fatalf("usage: dates -env NAME TOKEN")
		}
		ts.Setenv(args[1], fillDates(ts, args[2], now))
		return
	}
	for _, name := range args {
		p := ts.MkAbs(name)
		data, err := os.ReadFile(p)
		ts.Check(err)
		ts.Check(os.WriteFile(p, []byte(fillDates(ts, string(data), now)), 0o644))
	}
}

func fillDates(ts *testscript.TestScript, s string, now time.Time) string {
	return dateToken.ReplaceAllStringFunc(s, func(tok string) string {
		m := dateToken.FindStringSubmatch(tok)
		t := now
		if m[1] != "" {
			n, err := strconv.Atoi(m[2])
			ts.Check(err)
			d := time.Duration(n) * map[string]time.Duration{"d": 24 * time.Hour, "h": time.Hour, "m": time.Minute}[m[3]]
			if m[1] == "-" {
				d = -d
			}
			t = t.Add(d)
		}
		return t.Format(time.RFC3339)
	})
}

var dateToken = regexp.MustCompile(`\{now(?:([+-])(\d+)([dhm]))?\}`)

// Credentials of the fake X: every one holds S3CRET, so scripts can check
// that none appears in any output.
var fakeCreds = fakex.Options{ConsumerKey: "S3CRET-key", ConsumerSecret: "S3CRET-consumer-secret",
	AccessToken: "1234-S3CRET-token", AccessSecret: "S3CRET-access-secret"}

// fakex start [readonly|reads-forbidden|skew=DURATION]: start a fake X and point the
// credentials and CIRCULATE_X_API_URL at it.
// fakex posts N: the fake X received exactly N posts.
// fakex fail 503|429|slow|drop|drop-before|lie503 ...: queue faults for the
// next posts (lie503: X makes the post, the gateway answers 503;
// invalid: a 400 for invalid characters).
// fakex fail hold: the post is made and answered only at `fakex release`.
// fakex await-posts N: wait until the fake X holds N posts.
// fakex lag N: new posts show in the timeline only from the (N+1)th read.
// fakex text N REGEXP: the Nth post's text matches.
// fakex texts: log the posts' texts.
// fakex reply TEXT: a patron (@patron, "Pat Patron") answers the account's
// latest post; fakex mention TEXT: a neighbour (@neighbour) mentions it.
func cmdFakeX(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) == 0 {
		ts.Fatalf("usage: fakex start|posts|fail ...")
	}
	key := ts.Getenv("WORK")
	switch args[0] {
	case "start":
		o := fakeCreds
		for _, a := range args[1:] {
			switch a {
			case "readonly":
				o.ReadOnly = true
			case "reads-forbidden":
				o.ReadsForbidden = true
			default:
				// skew=10m: X's clock is that far ahead of this machine's.
				if v, ok := strings.CutPrefix(a, "skew="); ok {
					d, err := time.ParseDuration(v)
					ts.Check(err)
					o.Now = func() time.Time { return time.Now().Add(d) }
					continue
				}
				ts.Fatalf("unknown fakex start option %q", a)
			}
		}
		srv := fakex.New(nil, o)
		ts.Defer(srv.Close)
		servers.Store(key, srv)
		for _, kv := range srv.Env() {
			k, v, _ := strings.Cut(kv, "=")
			ts.Setenv(k, v)
		}
	case "posts":
		want, err := strconv.Atoi(args[1])
		ts.Check(err)
		if got := len(server(ts, key).Posts()); (got == want) == neg {
			ts.Fatalf("the fake X has %d posts, want %d", got, want)
		}
	case "fail":
		var faults []fakex.Fault
		for _, a := range args[1:] {
			switch a {
			case "503":
				faults = append(faults, fakex.Status5xx(503))
			case "429":
				faults = append(faults, fakex.RateLimited(time.Now().Add(2*time.Second)))
			case "slow":
				faults = append(faults, fakex.Slow(3*time.Second))
			case "hold":
				faults = append(faults, fakex.Hold())
			case "drop":
				faults = append(faults, fakex.AcceptThenDrop())
			case "drop-before":
				faults = append(faults, fakex.DropBeforePost())
			case "lie503":
				faults = append(faults, fakex.PostThen5xx(503))
			case "invalid":
				faults = append(faults, fakex.Reject(400, `{"errors":[{"message":"Post text contains invalid characters."}],"title":"Invalid Request","detail":"One or more parameters to your request was invalid.","type":"https://api.twitter.com/2/problems/invalid-request"}`))
			default:
				ts.Fatalf("unknown fault %q", a)
			}
		}
		server(ts, key).Fail(faults...)
	case "await-posts":
		// Block until the fake holds N posts (stored before any fault of
		// the answer acts): a moment a script can act on, where a sleep
		// guesses one.
		n, err := strconv.Atoi(args[1])
		ts.Check(err)
		ctx, cancel := context.WithTimeout(context.Background(), awaitLimit)
		defer cancel()
		if !server(ts, key).AwaitPosts(ctx, n) {
			ts.Fatalf("the fake X still has %d posts after %s, want %d", len(server(ts, key).Posts()), awaitLimit, n)
		}
	case "release":
		server(ts, key).Release()
	case "lag":
		n, err := strconv.Atoi(args[1])
		ts.Check(err)
		server(ts, key).SetTimelineLag(n, 0)
	case "text":
		// fakex text N REGEXP: the Nth post's text (as sent) matches.
		if len(args) != 3 {
			ts.Fatalf("usage: fakex text N REGEXP")
		}
		n, err := strconv.Atoi(args[1])
		ts.Check(err)
		posts := server(ts, key).Posts()
		if n < 1 || n > len(posts) {
			ts.Fatalf("the fake X has %d posts, no post %d", len(posts), n)
		}
		re, err := regexp.Compile(args[2])
		ts.Check(err)
		if re.MatchString(posts[n-1].Text) == neg {
			ts.Fatalf("post %d is %q; want it to match %q: %v", n, posts[n-1].Text, args[2], !neg)
		}
	case "texts":
		for i, p := range server(ts, key).Posts() {
			ts.Logf("post %d: %s", i+1, p.Text)
		}
	case "reply":
		posts := server(ts, key).Posts()
		if len(posts) == 0 {
			ts.Fatalf("the fake X has no post to reply to")
		}
		server(ts, key).SeedReply(fakex.User{Username: "patron", Name: "Pat Patron"}, args[1], posts[len(posts)-1].ID, time.Now())
	case "mention":
		server(ts, key).SeedMention(fakex.User{Username: "neighbour", Name: "A Neighbour"}, args[1], time.Now())
	default:
		ts.Fatalf("unknown fakex command %q", args[0])
	}
}

var servers sync.Map // work folder -> *fakex.Server

func server(ts *testscript.TestScript, key string) *fakex.Server {
	v, ok := servers.Load(key)
	if !ok {
		ts.Fatalf("no fake X: run `fakex start` first")
	}
	return v.(*fakex.Server)
}

// awaitLimit bounds the waits of `await` and `fakex await-posts`: long, as
// they end as soon as what they wait for happens, and a loaded machine is
// slow.
const awaitLimit = 2 * time.Minute

// await FILE REGEXP: wait until FILE exists and matches REGEXP, for the
// output of a command run in the background (`exec sh -c 'circulate ...
// 2>err' &name&`): a script then acts once a run has reached a known
// point, not after a sleep that guesses it.
func cmdAwait(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 || neg {
		ts.Fatalf("usage: await FILE REGEXP")
	}
	re, err := regexp.Compile(args[1])
	ts.Check(err)
	name := ts.MkAbs(args[0])
	deadline := time.Now().Add(awaitLimit)
	for {
		data, _ := os.ReadFile(name)
		if re.Match(data) {
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("%s does not match %q after %s; it holds:\n%s", args[0], args[1], awaitLimit, data)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
