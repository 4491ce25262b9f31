package e2e

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/circulate-dev/circulate/internal/fakex"
)

// pagesURL is where the emulated actions/configure-pages says the site is
// served: a project site, under a sub-path.
const pagesURL = "https://example.github.io/lib"

// TestPipeline plays .github/workflows/site.yml (issue #5) on this machine:
// a bare git repository is GitHub, a clone of it CI's checkout, the fake X
// the account. It runs the workflow's own `run:` scripts with bash (see
// actions_test.go), with a circulate built by the workflow's install step
// from this repository's source.
//
// A librarian's site made by `circulate init` (which copies the workflow)
// goes through: a first run that records the baseline; a commit that adds
// items and a run that posts them while another commit lands on main (the
// ledger commit must be rebased onto it, losing neither); a scheduled run
// that posts the item of that other commit; a run with nothing new; and a
// pull request, which posts nothing, pushes nothing and sums up what merging
// would post. Every deployed site is checked for links under the sub-path.
func TestPipeline(t *testing.T) {
	for _, tool := range []string{"git", "bash"} {
		_, err := exec.LookPath(tool)
		needTool(t, err, "apt-get install "+tool)
	}
	root := repoRoot(t)
	tmp := t.TempDir()
	home := filepath.Join(tmp, "home")
	if err := os.MkdirAll(home, 0o755); err != nil {
		t.Fatal(err)
	}
	// The machine: the user's git configuration is never read or written.
	machine := map[string]string{
		"PATH": os.Getenv("PATH"), "HOME": home, "TMPDIR": tmp, "LANG": "C.UTF-8", "TZ": "UTC",
		"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": filepath.Join(home, "gitconfig"),
		"GIT_TERMINAL_PROMPT": "0",
	}
	if err := os.WriteFile(machine["GIT_CONFIG_GLOBAL"], nil, 0o644); err != nil {
		t.Fatal(err)
	}
	x := fakex.New(t, fakex.Options{})
	for _, kv := range x.Env() {
		if k, v, _ := strings.Cut(kv, "="); k == "CIRCULATE_X_API_URL" {
			machine[k] = v // the only change to the real set-up: X is the fake
		}
	}
	secrets := map[string]string{}
	for _, kv := range x.Env() {
		if k, v, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "X_") {
			secrets[k] = v
		}
	}
	librarian := map[string]string{
		"GIT_AUTHOR_NAME": "Librarian", "GIT_AUTHOR_EMAIL": "librarian@riverside.example",
		"GIT_COMMITTER_NAME": "Librarian", "GIT_COMMITTER_EMAIL": "librarian@riverside.example",
	}
	for k, v := range machine {
		librarian[k] = v
	}
	git := func(dir string, args ...string) string {
		t.Helper()
		out, err := runGit(dir, librarian, args...)
		if err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(out)
	}

	// circulate, built by the workflow's install step in this repository.
	repoWF := readWorkflow(t, filepath.Join(root, ".github/workflows/site.yml"))
	checkWorkflow(t, repoWF)
	bin := installCirculate(t, repoWF, root, machine, filepath.Join(tmp, "install"))

	// The library's repository: GitHub's copy and the librarian's clone.
	remote := filepath.Join(tmp, "site.git")
	lib := filepath.Join(tmp, "lib")
	git(tmp, "init", "-q", "--bare", "--initial-branch=main", remote)
	git(tmp, "clone", "-q", remote, lib)
	circ := exec.Command(filepath.Join(bin, "circulate"), "init", lib)
	if out, err := circ.CombinedOutput(); err != nil {
		t.Fatalf("circulate init: %v\n%s", err, out)
	}
	wfPath := filepath.Join(lib, ".github/workflows/site.yml")
	sameWorkflow(t, filepath.Join(root, ".github/workflows/site.yml"), wfPath)
	git(lib, "add", ".")
	git(lib, "commit", "-q", "-m", "A new site from circulate init")
	git(lib, "push", "-q", "origin", "main")

	r := &ghRunner{
		t: t, wf: readWorkflow(t, wfPath), remote: "file://" + remote, env: machine, secrets: secrets,
		pages: pagesURL, installStep: "Install circulate", dir: filepath.Join(tmp, "runs"),
		install: func(*wfStep) string { return bin },
	}
	push := ghEvent{Name: "push", Ref: "refs/heads/main"}
	remoteLedger := func() ledger {
		t.Helper()
		var l ledger
		if err := json.Unmarshal([]byte(git(remote, "show", "main:.circulate/ledger.json")), &l); err != nil {
			t.Fatal(err)
		}
		return l
	}

	// 1. The first run records what the site has as the baseline, posts
	// nothing, commits the ledger and deploys.
	res := r.run(push)
	jobsWere(t, res, map[string]string{"preview": "skipped", "publish": "success", "deploy": "success"})
	pub := res.job(t, "publish")
	logHas(t, pub.step(t, "Build site and post new items"), `x: first run: recorded the \d+ visible items as the baseline`)
	if n := len(x.Posts()); n != 0 {
		t.Fatalf("the first run posted %d items, want none", n)
	}
	ledgerCommitOnTop(t, git, remote, "")
	if l := remoteLedger(); countState(l, "baseline") == 0 || countState(l, "baseline") != len(l.Networks["x"]) {
		t.Fatalf("the ledger on main is not all baseline: %+v", l)
	}
	checkDeployed(t, res, "")

	// 2. The librarian adds an event, a news post and a news post for
	// later; while CI runs, a colleague pushes a new title.
	now := time.Now().UTC()
	dated := now.Add(-time.Hour).Format(time.RFC3339)
	git(lib, "pull", "-q", "--rebase", "origin", "main")
	write(t, lib, "content/events/pipeline-poetry-night.md", fmt.Sprintf(
		"---\ntitle: \"Pipeline Poetry Night\"\ndate: %s\nstart: %s\nlocation: \"Community Room\"\n---\nBring a poem.\n",
		dated, now.Add(7*24*time.Hour).Format(time.RFC3339)))
	write(t, lib, "content/news/pipeline-new-hours.md", fmt.Sprintf(
		"---\ntitle: \"Pipeline: new Sunday hours\"\ndate: %s\n---\nWe open at noon.\n", dated))
	write(t, lib, "content/news/pipeline-later.md", fmt.Sprintf(
		"---\ntitle: \"Pipeline: not yet\"\ndate: %s\n---\nLater.\n", now.Add(6*time.Hour).Format(time.RFC3339)))
	git(lib, "add", "content")
	git(lib, "commit", "-q", "-m", "Poetry night, new hours, and a post for later")
	git(lib, "push", "-q", "origin", "main")

	colleague := filepath.Join(tmp, "colleague")
	git(tmp, "clone", "-q", remote, colleague)
	var concurrent string
	r.before = map[string]func(){"Commit the ledger": func() {
		write(t, colleague, "content/titles/pipeline-piranesi.md", fmt.Sprintf(
			"---\ntitle: \"Pipeline Piranesi\"\ndate: %s\nauthor: Susanna Clarke\nisbn: 978-1-63557-563-7\n---\nEndless halls.\n", dated))
		git(colleague, "add", "content")
		git(colleague, "commit", "-q", "-m", "New title: Piranesi")
		git(colleague, "push", "-q", "origin", "main")
		concurrent = git(colleague, "rev-parse", "HEAD")
	}}
	// The hourly schedule fires while this run is going: its run waits in
	// the concurrency queue, for the librarian's commit, which has neither
	// this run's ledger nor the colleague's title.
	queued := r.trigger(ghEvent{Name: "schedule", Ref: "refs/heads/main"})
	res = r.run(r.trigger(push))
	r.before = nil
	jobsWere(t, res, map[string]string{"preview": "skipped", "publish": "success", "deploy": "success"})
	pub = res.job(t, "publish")
	build := pub.step(t, "Build site and post new items")
	logHas(t, build, `x: posted events/pipeline-poetry-night: https://x\.com/RiversideLib/status/\d+`)
	logHas(t, build, `x: posted news/pipeline-new-hours: `)
	logHas(t, pub.step(t, "Commit the ledger"), `main moved on \(attempt 1\): rebasing`)
	posts := x.Posts()
	if len(posts) != 2 {
		t.Fatalf("the run posted %d items, want 2: %+v", len(posts), posts)
	}
	for _, want := range []string{pagesURL + "/events/pipeline-poetry-night/", pagesURL + "/news/pipeline-new-hours/"} {
		if !slices.ContainsFunc(posts, func(p fakex.Post) bool { return strings.Contains(p.Text, want) }) {
			t.Errorf("no post links %s (the Pages address): %+v", want, posts)
		}
	}
	// The ledger commit sits on the colleague's commit: neither is lost.
	ledgerCommitOnTop(t, git, remote, concurrent)
	git(remote, "cat-file", "-e", "main:content/titles/pipeline-piranesi.md")
	l := remoteLedger()
	for _, id := range []string{"events/pipeline-poetry-night", "news/pipeline-new-hours"} {
		e := l.Networks["x"][id]
		if e.State != "posted" || !strings.HasPrefix(e.PostURL, "https://x.com/RiversideLib/status/") {
			t.Errorf("the ledger on main has %s as %+v, want posted with its post's address", id, e)
		}
	}
	for _, id := range []string{"titles/pipeline-piranesi", "news/pipeline-later"} {
		if _, ok := l.Networks["x"][id]; ok {
			t.Errorf("the ledger on main has %s, which this run did not see or was not live", id)
		}
	}
	site := checkDeployed(t, res, "pipeline-poetry-night")
	index := readFile(t, filepath.Join(site, "index.html"))
	for _, p := range posts {
		if u := "https://x.com/RiversideLib/status/" + p.ID; !strings.Contains(index, u) {
			t.Errorf("the home page's social box does not link the post %s", u)
		}
	}

	// 3. The queued scheduled run starts: it works on main as it is now
	// (the ledger of run 2, the colleague's title), not on the commit it
	// was queued for, so it posts the title and nothing twice; 4. then a
	// scheduled run has nothing to post and commits nothing.
	schedule := ghEvent{Name: "schedule", Ref: "refs/heads/main"}
	res = r.run(queued)
	jobsWere(t, res, map[string]string{"preview": "skipped", "publish": "success", "deploy": "success"})
	build = res.job(t, "publish").step(t, "Build site and post new items")
	logHas(t, build, `x: posted titles/pipeline-piranesi: `)
	logHas(t, build, `x: posted 1, `)
	if n := len(x.Posts()); n != 3 {
		t.Fatalf("after the scheduled run the fake X has %d posts, want 3", n)
	}
	ledgerCommitOnTop(t, git, remote, "")
	if e := remoteLedger().Networks["x"]["titles/pipeline-piranesi"]; e.State != "posted" {
		t.Errorf("titles/pipeline-piranesi is %+v in the ledger on main, want posted", e)
	}
	head := git(remote, "rev-parse", "main")
	res = r.run(schedule)
	jobsWere(t, res, map[string]string{"preview": "skipped", "publish": "success", "deploy": "success"})
	logHas(t, res.job(t, "publish").step(t, "Commit the ledger"), `The ledger is unchanged`)
	if got := git(remote, "rev-parse", "main"); got != head || len(x.Posts()) != 3 {
		t.Errorf("a run with nothing new moved main (%s -> %s) or posted (%d posts, want 3)", head, got, len(x.Posts()))
	}

	// 5. While a run posts a new item, someone edits the ledger on main
	// by hand, at the same entry: the rebase conflicts, and the run's
	// ledger, which has the post, wins; the other commit stays in history.
	git(lib, "pull", "-q", "--rebase", "origin", "main")
	write(t, lib, "content/news/pipeline-conflict.md", fmt.Sprintf(
		"---\ntitle: \"Pipeline: book sale\"\ndate: %s\n---\nSaturday.\n", dated))
	git(lib, "add", "content")
	git(lib, "commit", "-q", "-m", "Book sale")
	git(lib, "push", "-q", "origin", "main")
	r.before = map[string]func(){"Commit the ledger": func() {
		git(colleague, "pull", "-q", "--rebase", "origin", "main")
		p := filepath.Join(colleague, ".circulate", "ledger.json")
		var l map[string]any
		if err := json.Unmarshal([]byte(readFile(t, p)), &l); err != nil {
			t.Fatal(err)
		}
		l["networks"].(map[string]any)["x"].(map[string]any)["news/pipeline-conflict"] = map[string]any{
			"state": "skipped", "reason": "by hand", "time": now.Format(time.RFC3339)}
		data, _ := json.MarshalIndent(l, "", "  ")
		write(t, colleague, ".circulate/ledger.json", string(data)+"\n")
		git(colleague, "commit", "-q", "-am", "Skip the book sale by hand")
		git(colleague, "push", "-q", "origin", "main")
		concurrent = git(colleague, "rev-parse", "HEAD")
	}}
	res = r.run(push)
	r.before = nil
	jobsWere(t, res, map[string]string{"preview": "skipped", "publish": "success", "deploy": "success"})
	logHas(t, res.job(t, "publish").step(t, "Commit the ledger"), `::warning file=\.circulate/ledger\.json::.*changed on main during this run; keeping this run's version`)
	ledgerCommitOnTop(t, git, remote, concurrent)
	if e := remoteLedger().Networks["x"]["news/pipeline-conflict"]; e.State != "posted" || len(x.Posts()) != 4 {
		t.Errorf("after the conflict news/pipeline-conflict is %+v in the ledger on main (%d posts); want posted (4 posts)", e, len(x.Posts()))
	}
	head = git(remote, "rev-parse", "main")

	// 6. A pull request: a new news post and an edit of a posted event.
	git(lib, "pull", "-q", "--rebase", "origin", "main")
	git(lib, "checkout", "-q", "-b", "summer-reading")
	write(t, lib, "content/news/pipeline-summer-reading.md", fmt.Sprintf(
		"---\ntitle: \"Pipeline: summer reading sign-up\"\ndate: %s\n---\nSign up now.\n", dated))
	appendTo(t, lib, "content/events/pipeline-poetry-night.md", "Tea and cookies provided.\n")
	git(lib, "add", "content")
	git(lib, "commit", "-q", "-m", "Summer reading")
	git(lib, "push", "-q", "origin", "summer-reading")
	// GitHub tests the merge of the branch into main, as refs/pull/N/merge.
	git(lib, "checkout", "-q", "-b", "merge", "main")
	git(lib, "merge", "-q", "--no-ff", "-m", "Merge summer-reading into main", "summer-reading")
	git(lib, "push", "-q", "origin", "HEAD:refs/pull/7/merge")
	requests := len(x.Requests())
	res = r.run(ghEvent{Name: "pull_request", Ref: "refs/pull/7/merge"})
	jobsWere(t, res, map[string]string{"preview": "success", "publish": "skipped", "deploy": "skipped"})
	if n := len(x.Requests()); n != requests {
		t.Errorf("the pull request's run sent %d requests to X, want none", n-requests)
	}
	if got := git(remote, "rev-parse", "main"); got != head {
		t.Errorf("the pull request's run moved main")
	}
	prev := res.job(t, "preview")
	for _, s := range prev.steps {
		for k, v := range s.env {
			if strings.HasPrefix(k, "X_") || (v != "" && slices.Contains(mapValues(secrets), v)) {
				t.Errorf("the pull request's step %q got the secret %s", s.name, k)
			}
		}
	}
	logHas(t, prev.step(t, "Build site (no posting)"), `built \d+ items into public`)
	summary := prev.summary
	t.Logf("pull request summary:\n%s", summary)
	for _, want := range []string{
		"- added: `content/news/pipeline-summer-reading.md`",
		"- changed: `content/events/pipeline-poetry-night.md`",
		// Compared with the base (a worktree of HEAD^1): nothing else is due.
		"Merging would post 1 item, about **$0.20**",
		"\nPipeline: summer reading sign-up " + pagesURL + "/news/pipeline-summer-reading/\n",
		"| `news/pipeline-summer-reading` | Pipeline: summer reading sign-up | 56/280 | $0.200 |",
	} {
		if !strings.Contains(summary, want) {
			t.Errorf("the pull request summary lacks %q", want)
		}
	}
	if strings.Contains(summary, "Due anyway") || strings.Contains(summary, "Could not compare") {
		t.Error("the pull request summary lists posts due anyway, or could not compare with the base")
	}
	if strings.Contains(summary, "events/pipeline-poetry-night`:") {
		t.Error("the pull request summary would post the edited event again")
	}

	// 7. The pull request is merged while the X secrets are wrong: X
	// refuses (exit 3); the site is still deployed and the run fails, so
	// someone looks. Put right, the next run posts the item.
	git(lib, "checkout", "-q", "main")
	git(lib, "pull", "-q", "--rebase", "origin", "main")
	git(lib, "merge", "-q", "--no-ff", "-m", "Merge summer-reading", "summer-reading")
	git(lib, "push", "-q", "origin", "main")
	good := secrets["X_ACCESS_SECRET"]
	secrets["X_ACCESS_SECRET"] = "revoked"
	res = r.run(push)
	jobsWere(t, res, map[string]string{"preview": "skipped", "publish": "failure", "deploy": "success"})
	pub = res.job(t, "publish")
	if o := pub.step(t, "Build site and post new items").outputs; o["status"] != "3" || o["built"] != "true" {
		t.Errorf("the build step's outputs are %v, want status 3 and built", o)
	}
	for step, want := range map[string]string{"Commit the ledger": "success", "Upload the site": "success", "Fail if posting failed": "failure"} {
		if got := pub.step(t, step).outcome; got != want {
			t.Errorf("with X refusing the credentials, step %q: %s, want %s", step, got, want)
		}
	}
	checkDeployed(t, res, "")
	secrets["X_ACCESS_SECRET"] = good
	res = r.run(push)
	jobsWere(t, res, map[string]string{"preview": "skipped", "publish": "success", "deploy": "success"})
	logHas(t, res.job(t, "publish").step(t, "Build site and post new items"), `x: posted news/pipeline-summer-reading: `)
	if n := len(x.Posts()); n != 5 {
		t.Errorf("the fake X has %d posts at the end, want 5", n)
	}
}

// checkWorkflow checks what the runs cannot show: the triggers, that the
// secrets reach one step of the posting job only, and never the pull
// request's job.
func checkWorkflow(t *testing.T, wf *workflow) {
	t.Helper()
	for _, on := range []string{"push", "pull_request", "schedule", "workflow_dispatch"} {
		if _, ok := wf.On[on]; !ok {
			t.Errorf("the workflow does not run on %s", on)
		}
	}
	raw, err := yaml.Marshal(&wf.Jobs["preview"].raw)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "secrets.") {
		t.Error("the pull request job mentions secrets")
	}
	for name, job := range wf.Jobs {
		for _, s := range job.Steps {
			for k, v := range s.Env {
				if strings.Contains(v, "secrets.") && !(name == "publish" && s.Name == "Build site and post new items") {
					t.Errorf("job %s step %q gets %s from the secrets", name, s.Name, k)
				}
			}
		}
	}
	if a, b := wf.Jobs["preview"].step(t, "Install circulate").Run, wf.Jobs["publish"].step(t, "Install circulate").Run; a != b {
		t.Error("the two jobs install circulate differently")
	}
}

// installCirculate runs the workflow's install step in this repository,
// which builds circulate from its source, and returns the folder with it.
func installCirculate(t *testing.T, wf *workflow, root string, machine map[string]string, dir string) string {
	t.Helper()
	st := wf.Jobs["publish"].step(t, "Install circulate")
	env := map[string]string{"RUNNER_TEMP": dir, "GITHUB_PATH": filepath.Join(dir, "path"), "CI": "true"}
	for k, v := range machine {
		env[k] = v
	}
	for k, v := range wf.Env {
		env[k] = v
	}
	// The Go caches of whoever runs the test, so that the build is quick.
	out, err := exec.Command("go", "env", "GOCACHE", "GOMODCACHE", "GOPATH", "GOFLAGS", "GOPROXY", "GOTOOLCHAIN").Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	for i, k := range []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOFLAGS", "GOPROXY", "GOTOOLCHAIN"} {
		env[k] = strings.Split(string(out), "\n")[i]
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(env["GITHUB_PATH"], nil, 0o644); err != nil {
		t.Fatal(err)
	}
	r := &ghRunner{t: t, wf: wf}
	sr := &stepResult{}
	if r.script(st, env, root, sr) != "success" {
		t.Fatalf("the install step failed in this repository:\n%s", sr.log)
	}
	logHas(t, sr, `Building circulate from this repository's source`)
	logHas(t, sr, `(?m)^circulate \S+`)
	paths := readLines(t, env["GITHUB_PATH"])
	if len(paths) != 1 {
		t.Fatalf("the install step added %q to GITHUB_PATH, want one folder", paths)
	}
	if _, err := os.Stat(filepath.Join(paths[0], "circulate")); err != nil {
		t.Fatal(err)
	}
	return paths[0]
}

// sameWorkflow checks that `circulate init` copied the repository's
// workflow, at most pinning CIRCULATE_VERSION.
func sameWorkflow(t *testing.T, repo, site string) {
	t.Helper()
	version := regexp.MustCompile(`(?m)^(\s*CIRCULATE_VERSION:).*$`)
	a := version.ReplaceAllString(readFile(t, repo), "$1 X")
	b := version.ReplaceAllString(readFile(t, site), "$1 X")
	if a != b {
		t.Errorf("circulate init wrote a workflow that differs from %s", repo)
	}
}

func jobsWere(t *testing.T, res *runResult, want map[string]string) {
	t.Helper()
	for name, result := range want {
		if got := res.job(t, name).result; got != result {
			for _, s := range res.job(t, name).steps {
				t.Logf("%s / %s: %s\n%s", name, s.name, s.outcome, indent(s.log))
			}
			t.Fatalf("job %s: %s, want %s", name, got, result)
		}
	}
	if len(res.jobs) != len(want) {
		t.Fatalf("the workflow has jobs %v, the test knows %d", res.order, len(want))
	}
}

func logHas(t *testing.T, s *stepResult, re string) {
	t.Helper()
	if !regexp.MustCompile(re).MatchString(s.log) {
		t.Fatalf("step %q: no match for %s in its output:\n%s", s.name, re, indent(s.log))
	}
}

// ledgerCommitOnTop checks that main ends with CI's ledger commit, by the
// Actions bot, marked [skip ci] (so it does not start another run), with
// parent as its parent when given.
func ledgerCommitOnTop(t *testing.T, git func(string, ...string) string, remote, parent string) {
	t.Helper()
	got := git(remote, "log", "-1", "--format=%an|%s|%P", "main")
	an, rest, _ := strings.Cut(got, "|")
	subject, parents, _ := strings.Cut(rest, "|")
	if an != "github-actions[bot]" || !strings.Contains(subject, "[skip ci]") {
		t.Errorf("main ends with %q, want the ledger commit by github-actions[bot] with [skip ci]", got)
	}
	if files := git(remote, "show", "--format=", "--name-only", "main"); files != ".circulate/ledger.json" {
		t.Errorf("the ledger commit changes %q, want only .circulate/ledger.json", files)
	}
	if parent != "" && parents != parent {
		t.Errorf("the ledger commit's parent is %s, want the concurrent commit %s", parents, parent)
	}
}

// checkDeployed crawls the deployed site at the Pages sub-path and checks
// an item's page is there.
func checkDeployed(t *testing.T, res *runResult, event string) string {
	t.Helper()
	dir := res.job(t, "deploy").deployed
	if dir == "" {
		t.Fatal("nothing was deployed")
	}
	base, _ := url.Parse(pagesURL + "/")
	s := &site{Dir: dir, Base: base}
	c := newCrawl(s)
	for _, f := range s.htmlFiles(t) {
		c.page(t, f)
	}
	for _, p := range c.report() {
		t.Error(p)
	}
	if c.refs == 0 {
		t.Error("the crawl found no internal references")
	}
	if event != "" {
		page := readFile(t, filepath.Join(dir, "events", event, "index.html"))
		if !strings.Contains(page, `href="`+pagesURL+`/events/`+event+`/"`) && !strings.Contains(page, "/lib/events/"+event+"/") {
			t.Errorf("the page of %s does not name its address under %s", event, pagesURL)
		}
	}
	return dir
}

// ledger is the part of .circulate/ledger.json the test reads.
type ledger struct {
	Networks map[string]map[string]struct {
		State   string `json:"state"`
		PostURL string `json:"post_url"`
	} `json:"networks"`
}

func countState(l ledger, state string) int {
	n := 0
	for _, e := range l.Networks["x"] {
		if e.State == state {
			n++
		}
	}
	return n
}

func write(t *testing.T, dir, name, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func appendTo(t *testing.T, dir, name, data string) {
	t.Helper()
	write(t, dir, name, readFile(t, filepath.Join(dir, filepath.FromSlash(name)))+data)
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func mapValues(m map[string]string) []string {
	var v []string
	for _, s := range m {
		v = append(v, s)
	}
	return v
}
