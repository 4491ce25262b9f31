package main

import (
	"os"
	"path/filepath"
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
			for _, k := range []string{"X_API_KEY", "X_API_SECRET", "X_ACCESS_TOKEN", "X_ACCESS_SECRET", "CIRCULATE_X_API_URL"} {
				e.Setenv(k, "")
			}
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"example-site": cmdExampleSite,
			"fakex":        cmdFakeX,
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

// Credentials of the fake X: every one holds S3CRET, so scripts can check
// that none appears in any output.
var fakeCreds = fakex.Options{ConsumerKey: "S3CRET-key", ConsumerSecret: "S3CRET-consumer-secret",
	AccessToken: "1234-S3CRET-token", AccessSecret: "S3CRET-access-secret"}

// fakex start [readonly|reads-forbidden]: start a fake X and point the
// credentials and CIRCULATE_X_API_URL at it.
// fakex posts N: the fake X received exactly N posts.
// fakex fail 503|429|slow|drop ...: queue faults for the next posts.
// fakex post-text N REGEXP: the Nth post's text matches.
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
			case "drop":
				faults = append(faults, fakex.AcceptThenDrop())
			default:
				ts.Fatalf("unknown fault %q", a)
			}
		}
		server(ts, key).Fail(faults...)
	case "texts":
		for i, p := range server(ts, key).Posts() {
			ts.Logf("post %d: %s", i+1, p.Text)
		}
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
