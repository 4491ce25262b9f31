package e2e

// A small runner of GitHub Actions workflows, enough to run
// .github/workflows/site.yml on this machine for TestPipeline: it reads the
// workflow, evaluates its `if:` conditions and `${{ }}` expressions, runs
// the `run:` scripts with bash as GitHub's `shell: bash` does, with the
// files and variables GitHub provides (GITHUB_OUTPUT, GITHUB_PATH,
// GITHUB_ENV, GITHUB_STEP_SUMMARY, RUNNER_TEMP, CI=true, ...), and stands in
// for the few `uses:` actions the workflow has. An action it does not know,
// or an expression naming something it does not emulate, fails the test:
// a change to the workflow that the test cannot follow is noticed, not
// skipped.

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

type workflow struct {
	On       map[string]yaml.Node `yaml:"on"`
	Env      map[string]string    `yaml:"env"`
	Defaults struct {
		Run struct {
			Shell string `yaml:"shell"`
		} `yaml:"run"`
	} `yaml:"defaults"`
	Jobs map[string]*wfJob `yaml:"jobs"`
}

type wfJob struct {
	Name        string            `yaml:"name"`
	If          string            `yaml:"if"`
	Needs       stringList        `yaml:"needs"`
	Permissions map[string]string `yaml:"permissions"`
	Outputs     map[string]string `yaml:"outputs"`
	Env         map[string]string `yaml:"env"`
	Steps       []*wfStep         `yaml:"steps"`
	raw         yaml.Node
}

type wfStep struct {
	Name            string            `yaml:"name"`
	ID              string            `yaml:"id"`
	If              string            `yaml:"if"`
	Uses            string            `yaml:"uses"`
	Run             string            `yaml:"run"`
	Shell           string            `yaml:"shell"`
	Env             map[string]string `yaml:"env"`
	With            map[string]string `yaml:"with"`
	ContinueOnError bool              `yaml:"continue-on-error"`
}

// stringList is a YAML string or list of strings (needs: a or needs: [a, b]).
type stringList []string

func (l *stringList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*l = []string{n.Value}
		return nil
	}
	var s []string
	err := n.Decode(&s)
	*l = s
	return err
}

func readWorkflow(t *testing.T, path string) *workflow {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var wf workflow
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	// Keep each job's YAML, for checks of what it mentions at all.
	var doc struct {
		Jobs map[string]yaml.Node `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for name, j := range wf.Jobs {
		j.raw = doc.Jobs[name]
	}
	return &wf
}

// step finds a job's step by name.
func (j *wfJob) step(t *testing.T, name string) *wfStep {
	t.Helper()
	for _, s := range j.Steps {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("the job %q has no step named %q", j.Name, name)
	return nil
}

// ---- expressions ----

// exprScope resolves what an expression names.
type exprScope struct {
	lookup func(path string) (any, error)
	status map[string]bool // success, failure, always, cancelled
}

var statusFuncs = regexp.MustCompile(`\b(success|failure|always|cancelled)\(\)`)

// evalIf evaluates an `if:` as GitHub does: with or without ${{ }}, and
// as `success() && (cond)` when it names no status function.
func evalIf(cond string, sc exprScope) (bool, error) {
	cond = strings.TrimSpace(cond)
	if strings.HasPrefix(cond, "${{") && strings.HasSuffix(cond, "}}") {
		cond = strings.TrimSpace(cond[3 : len(cond)-2])
	}
	if cond == "" {
		cond = "success()"
	} else if !statusFuncs.MatchString(cond) {
		cond = "success() && (" + cond + ")"
	}
	v, err := evalExpr(cond, sc)
	return truthy(v), err
}

var interpolation = regexp.MustCompile(`\$\{\{(.*?)\}\}`)

// interpolate replaces each ${{ expr }} in s by its value.
func interpolate(s string, sc exprScope) (string, error) {
	var firstErr error
	out := interpolation.ReplaceAllStringFunc(s, func(m string) string {
		v, err := evalExpr(interpolation.FindStringSubmatch(m)[1], sc)
		if err != nil && firstErr == nil {
			firstErr = err
		}
		return exprString(v)
	})
	return out, firstErr
}

func exprString(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	default:
		return fmt.Sprint(v)
	}
}

func truthy(v any) bool {
	switch v := v.(type) {
	case nil:
		return false
	case bool:
		return v
	case string:
		return v != ""
	case float64:
		return v != 0
	}
	return true
}

var exprToken = regexp.MustCompile(`\s*(&&|\|\||==|!=|!|\(|\)|'(?:[^']|'')*'|-?\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_.\-]*)`)

// evalExpr evaluates the subset of GitHub's expression language the
// workflow uses: literals, context paths, ! && || == != (strings compared
// ignoring case, as GitHub does), parentheses and the status functions.
func evalExpr(src string, sc exprScope) (any, error) {
	var toks []string
	rest := strings.TrimSpace(src)
	for rest != "" {
		m := exprToken.FindStringSubmatchIndex(rest)
		if m == nil || m[0] != 0 {
			return nil, fmt.Errorf("expression %q: cannot read %q", src, rest)
		}
		toks = append(toks, rest[m[2]:m[3]])
		rest = strings.TrimSpace(rest[m[1]:])
	}
	p := &exprParser{toks: toks, sc: sc, src: src}
	v := p.or()
	if p.err == nil && p.pos < len(toks) {
		p.err = fmt.Errorf("expression %q: unexpected %q", src, toks[p.pos])
	}
	return v, p.err
}

type exprParser struct {
	toks []string
	pos  int
	sc   exprScope
	src  string
	err  error
}

func (p *exprParser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

func (p *exprParser) next() string { t := p.peek(); p.pos++; return t }

func (p *exprParser) fail(format string, args ...any) any {
	if p.err == nil {
		p.err = fmt.Errorf("expression %q: %s", p.src, fmt.Sprintf(format, args...))
	}
	return nil
}

func (p *exprParser) or() any {
	v := p.and()
	for p.peek() == "||" {
		p.next()
		r := p.and()
		if !truthy(v) {
			v = r
		}
	}
	return v
}

func (p *exprParser) and() any {
	v := p.unary()
	for p.peek() == "&&" {
		p.next()
		r := p.unary()
		if truthy(v) {
			v = r
		}
	}
	return v
}

func (p *exprParser) unary() any {
	if p.peek() == "!" {
		p.next()
		return !truthy(p.unary())
	}
	v := p.primary()
	if op := p.peek(); op == "==" || op == "!=" {
		p.next()
		r := p.primary()
		eq := strings.EqualFold(exprString(v), exprString(r))
		return eq == (op == "==")
	}
	return v
}

func (p *exprParser) primary() any {
	t := p.next()
	switch {
	case t == "":
		return p.fail("ends too early")
	case t == "(":
		v := p.or()
		if p.next() != ")" {
			return p.fail("missing )")
		}
		return v
	case strings.HasPrefix(t, "'"):
		return strings.ReplaceAll(t[1:len(t)-1], "''", "'")
	case t == "true" || t == "false":
		return t == "true"
	case t == "null":
		return nil
	case t[0] == '-' || (t[0] >= '0' && t[0] <= '9'):
		f, _ := strconv.ParseFloat(t, 64)
		return f
	case p.peek() == "(":
		p.next()
		if p.next() != ")" {
			return p.fail("%s(...): only functions without arguments are emulated", t)
		}
		v, ok := p.sc.status[t]
		if !ok {
			return p.fail("function %s() is not emulated", t)
		}
		return v
	case strings.ContainsAny(t, "()!&|=' "):
		return p.fail("unexpected %q", t)
	}
	v, err := p.sc.lookup(t)
	if err != nil {
		return p.fail("%v", err)
	}
	return v
}

// ---- the runner ----

// ghEvent is what triggered a run.
type ghEvent struct {
	Name string // push, pull_request, schedule, workflow_dispatch
	Ref  string // refs/heads/main, refs/pull/1/merge
	// SHA is the commit the event is for (github.sha): the ref's tip when
	// the event happened, which for a run that waited in the concurrency
	// queue is older than the tip when it starts. Empty: the tip when the
	// run starts (see trigger).
	SHA string
}

// trigger records the event's commit now, as GitHub does when an event
// happens; the run may start later.
func (r *ghRunner) trigger(ev ghEvent) ghEvent {
	r.t.Helper()
	out, err := runGit(os.TempDir(), r.env, "ls-remote", r.remote, ev.Ref)
	sha, _, _ := strings.Cut(out, "\t")
	if err != nil || len(sha) != 40 {
		r.t.Fatalf("git ls-remote %s %s: %v\n%s", r.remote, ev.Ref, err, out)
	}
	ev.SHA = sha
	return ev
}

// ghRunner runs a workflow's jobs against a git remote on this machine.
type ghRunner struct {
	t       *testing.T
	wf      *workflow
	remote  string            // the repository's URL (file://...)
	env     map[string]string // the machine's environment for the steps
	secrets map[string]string
	// pages is the address configure-pages gives, without a trailing slash.
	pages string
	// install stands in for the step that installs circulate: it gets the
	// step's RUNNER_TEMP and returns the folder to add to PATH.
	install     func(step *wfStep) string
	installStep string
	// before runs before the step of that name (for a concurrent push).
	before map[string]func()
	dir    string // for workspaces
	runs   int
}

type runResult struct {
	jobs  map[string]*jobResult
	order []string
}

type jobResult struct {
	result   string // success, failure, skipped
	outputs  map[string]string
	steps    []*stepResult
	summary  string
	ws       string // the checkout
	artifact string // the folder upload-pages-artifact uploaded
	deployed string // the folder deploy-pages deployed
}

type stepResult struct {
	name, id string
	outcome  string // success, failure, skipped
	outputs  map[string]string
	log      string
	env      map[string]string
}

func (r *runResult) job(t *testing.T, name string) *jobResult {
	t.Helper()
	j := r.jobs[name]
	if j == nil {
		t.Fatalf("the run has no job %q", name)
	}
	return j
}

func (j *jobResult) step(t *testing.T, name string) *stepResult {
	t.Helper()
	for _, s := range j.steps {
		if s.name == name {
			return s
		}
	}
	t.Fatalf("the job has no step %q", name)
	return nil
}

// jobOrder lists the jobs so that each comes after the jobs it needs.
func (wf *workflow) jobOrder(t *testing.T) []string {
	var names, order []string
	for n := range wf.Jobs {
		names = append(names, n)
	}
	slices.Sort(names)
	done := map[string]bool{}
	for len(order) < len(names) {
		progress := false
		for _, n := range names {
			if done[n] {
				continue
			}
			ready := true
			for _, need := range wf.Jobs[n].Needs {
				if wf.Jobs[need] == nil {
					t.Fatalf("job %s needs %s, which does not exist", n, need)
				}
				ready = ready && done[need]
			}
			if ready {
				done[n], progress = true, true
				order = append(order, n)
			}
		}
		if !progress {
			t.Fatal("the jobs' needs form a cycle")
		}
	}
	return order
}

// run runs the workflow for one event, as GitHub would, job after job.
func (r *ghRunner) run(ev ghEvent) *runResult {
	t := r.t
	t.Helper()
	r.runs++
	if ev.SHA == "" {
		ev = r.trigger(ev)
	}
	res := &runResult{jobs: map[string]*jobResult{}}
	github := map[string]any{
		"github.event_name": ev.Name,
		"github.sha":        ev.SHA,
		"github.ref":        ev.Ref,
		"github.ref_name":   refName(ev.Ref),
		"github.workflow":   "site",
	}
	for _, name := range r.wf.jobOrder(t) {
		job := r.wf.Jobs[name]
		jr := &jobResult{outputs: map[string]string{}}
		res.jobs[name], res.order = jr, append(res.order, name)
		needsOK := true
		for _, n := range job.Needs {
			needsOK = needsOK && res.jobs[n].result == "success"
		}
		sc := exprScope{
			status: map[string]bool{"success": needsOK, "failure": !needsOK, "always": true, "cancelled": false},
			lookup: func(p string) (any, error) {
				if v, ok := github[p]; ok {
					return v, nil
				}
				if parts := strings.Split(p, "."); parts[0] == "needs" && len(parts) >= 3 && slices.Contains(job.Needs, parts[1]) {
					need := res.jobs[parts[1]]
					switch {
					case parts[2] == "result" && len(parts) == 3:
						return need.result, nil
					case parts[2] == "outputs" && len(parts) == 4:
						return need.outputs[parts[3]], nil
					}
				}
				return nil, fmt.Errorf("%s is not emulated here (job %s)", p, name)
			},
		}
		ok, err := evalIf(job.If, sc)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			jr.result = "skipped"
			continue
		}
		r.runJob(ev, name, job, jr, github, res)
	}
	return res
}

func refName(ref string) string {
	for _, p := range []string{"refs/heads/", "refs/tags/", "refs/pull/"} {
		if s, ok := strings.CutPrefix(ref, p); ok {
			return s
		}
	}
	return ref
}

func (r *ghRunner) runJob(ev ghEvent, name string, job *wfJob, jr *jobResult, github map[string]any, res *runResult) {
	t := r.t
	t.Helper()
	base := filepath.Join(r.dir, fmt.Sprintf("run%d-%s", r.runs, name))
	jr.ws = filepath.Join(base, "ws")
	temp := filepath.Join(base, "tmp")
	for _, d := range []string{jr.ws, temp} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	steps := map[string]*stepResult{}
	failed := false
	var paths []string              // GITHUB_PATH, newest first
	addedEnv := map[string]string{} // GITHUB_ENV
	lookup := func(p string) (any, error) {
		if v, ok := github[p]; ok {
			return v, nil
		}
		parts := strings.Split(p, ".")
		switch {
		case parts[0] == "secrets" && len(parts) == 2:
			return r.secrets[parts[1]], nil
		case parts[0] == "steps" && len(parts) >= 3:
			s := steps[parts[1]]
			if s == nil {
				return nil, fmt.Errorf("%s: no step with id %s ran before", p, parts[1])
			}
			switch {
			case (parts[2] == "outcome" || parts[2] == "conclusion") && len(parts) == 3:
				return s.outcome, nil
			case parts[2] == "outputs" && len(parts) == 4:
				return s.outputs[parts[3]], nil
			}
		}
		return nil, fmt.Errorf("%s is not emulated here (job %s)", p, name)
	}
	for i, st := range job.Steps {
		sr := &stepResult{name: st.Name, id: st.ID, outputs: map[string]string{}, env: map[string]string{}}
		jr.steps = append(jr.steps, sr)
		if st.ID != "" {
			steps[st.ID] = sr
		}
		sc := exprScope{lookup: lookup, status: map[string]bool{"success": !failed, "failure": failed, "always": true, "cancelled": false}}
		ok, err := evalIf(st.If, sc)
		if err != nil {
			t.Fatalf("step %q: %v", st.Name, err)
		}
		if !ok {
			sr.outcome = "skipped"
			continue
		}
		if f := r.before[st.Name]; f != nil {
			f()
		}
		// The environment: the machine's, GitHub's, then the workflow's,
		// the job's and the step's env: mappings.
		env := sr.env
		for k, v := range r.env {
			env[k] = v
		}
		outFile := filepath.Join(temp, fmt.Sprintf("output%d", i))
		summaryFile := filepath.Join(temp, fmt.Sprintf("summary%d", i))
		for k, v := range map[string]string{
			"CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": ev.Name,
			"GITHUB_REF": ev.Ref, "GITHUB_REF_NAME": refName(ev.Ref), "GITHUB_WORKSPACE": jr.ws,
			"GITHUB_WORKFLOW": "site", "GITHUB_JOB": name, "RUNNER_TEMP": temp, "RUNNER_OS": "Linux",
			"GITHUB_OUTPUT": outFile, "GITHUB_STEP_SUMMARY": summaryFile,
			"GITHUB_PATH": filepath.Join(temp, "path"), "GITHUB_ENV": filepath.Join(temp, "env"),
		} {
			env[k] = v
		}
		for _, m := range []map[string]string{r.wf.Env, job.Env, addedEnv, st.Env} {
			for k, v := range m {
				if env[k], err = interpolate(v, sc); err != nil {
					t.Fatalf("step %q: env %s: %v", st.Name, k, err)
				}
			}
		}
		if len(paths) > 0 {
			env["PATH"] = strings.Join(paths, ":") + ":" + env["PATH"]
		}
		for _, f := range []string{outFile, summaryFile, env["GITHUB_PATH"], env["GITHUB_ENV"]} {
			if err := os.WriteFile(f, nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		switch {
		case st.Name == r.installStep:
			paths = append([]string{r.install(st)}, paths...)
			sr.outcome = "success"
		case st.Uses != "":
			r.action(ev, st, sr, jr, res, env, sc)
		case st.Run != "":
			sr.outcome = r.script(st, env, jr.ws, sr)
		default:
			t.Fatalf("step %q has neither uses: nor run:", st.Name)
		}
		t.Logf("%s / %s: %s\n%s", name, st.Name, sr.outcome, indent(sr.log))
		for k, v := range readKeyValues(t, outFile) {
			sr.outputs[k] = v
		}
		for k, v := range readKeyValues(t, env["GITHUB_ENV"]) {
			addedEnv[k] = v
		}
		for _, p := range readLines(t, env["GITHUB_PATH"]) {
			paths = append([]string{p}, paths...)
		}
		summary, _ := os.ReadFile(summaryFile)
		jr.summary += string(summary)
		if sr.outcome == "failure" && !st.ContinueOnError {
			failed = true
		}
	}
	jr.result = "success"
	if failed {
		jr.result = "failure"
	}
	sc := exprScope{lookup: lookup, status: map[string]bool{"success": !failed, "failure": failed, "always": true, "cancelled": false}}
	for k, v := range job.Outputs {
		out, err := interpolate(v, sc)
		if err != nil {
			t.Fatalf("job %s output %s: %v", name, k, err)
		}
		jr.outputs[k] = out
	}
}

// script runs a run: step as `shell: bash` does on GitHub's runners.
func (r *ghRunner) script(st *wfStep, env map[string]string, ws string, sr *stepResult) string {
	t := r.t
	shell := st.Shell
	if shell == "" {
		shell = r.wf.Defaults.Run.Shell
	}
	if shell != "bash" {
		t.Fatalf("step %q: shell %q is not emulated (only bash)", st.Name, shell)
	}
	file := filepath.Join(env["RUNNER_TEMP"], "script.sh")
	if err := os.WriteFile(file, []byte(st.Run), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "--noprofile", "--norc", "-eo", "pipefail", file)
	cmd.Dir = ws
	cmd.Env = envList(env)
	out, err := cmd.CombinedOutput()
	sr.log = string(out)
	if err != nil {
		sr.log += "\n(" + err.Error() + ")"
		return "failure"
	}
	return "success"
}

// action stands in for the actions the workflow uses.
func (r *ghRunner) action(ev ghEvent, st *wfStep, sr *stepResult, jr *jobResult, res *runResult, env map[string]string, sc exprScope) {
	t := r.t
	name, _, _ := strings.Cut(st.Uses, "@")
	with := map[string]string{}
	for k, v := range st.With {
		var err error
		if with[k], err = interpolate(v, sc); err != nil {
			t.Fatalf("step %q: with %s: %v", st.Name, k, err)
		}
	}
	sr.outcome = "success"
	switch name {
	case "actions/checkout":
		// As actions/checkout does it: init, fetch to the depth asked (1 by
		// default; 0 is all history) and check out the event's commit
		// (github.sha), or the tip of `ref:` when the step names one.
		depth := cmpOr(with["fetch-depth"], "1")
		fetch := []string{"fetch", "-q", "--no-tags"}
		if depth != "0" {
			fetch = append(fetch, "--depth="+depth)
		}
		ref, want := ev.Ref, ev.SHA
		if with["ref"] != "" {
			ref = with["ref"]
			if !strings.HasPrefix(ref, "refs/") {
				ref = "refs/heads/" + ref
			}
			want = ref
		}
		local := "refs/remotes/origin/" + refName(ref)
		if strings.HasPrefix(ref, "refs/pull/") {
			local = "refs/remotes/pull/" + refName(ref)
		}
		fetch = append(fetch, "origin", "+"+want+":"+local)
		checkout := []string{"checkout", "-q", "--detach", local}
		if strings.HasPrefix(ref, "refs/heads/") {
			checkout = []string{"checkout", "-q", "-B", refName(ref), local}
		}
		for _, args := range [][]string{{"init", "-q"}, {"remote", "add", "origin", r.remote}, fetch, checkout} {
			out, err := runGit(jr.ws, env, args...)
			sr.log += out
			if err != nil {
				t.Fatalf("checkout: git %v: %v\n%s", args, err, out)
			}
		}
	case "actions/setup-go":
		sr.log = "(Go is on this machine's PATH)"
	case "actions/configure-pages":
		u := strings.TrimSuffix(r.pages, "/")
		host, path, _ := strings.Cut(strings.TrimPrefix(u, "https://"), "/")
		sr.outputs = map[string]string{"base_url": u, "origin": "https://" + host, "host": host, "base_path": "/" + path}
	case "actions/upload-pages-artifact":
		dir := filepath.Join(jr.ws, cmpOr(with["path"], "_site"))
		if st, err := os.Stat(filepath.Join(dir, "index.html")); err != nil || st.IsDir() {
			sr.outcome, sr.log = "failure", fmt.Sprintf("no site to upload at %s", dir)
			return
		}
		jr.artifact = dir
	case "actions/deploy-pages":
		for _, j := range res.jobs {
			if j.artifact != "" {
				jr.deployed = j.artifact
			}
		}
		if jr.deployed == "" {
			sr.outcome, sr.log = "failure", "no Pages artifact was uploaded in this run"
			return
		}
		sr.outputs = map[string]string{"page_url": strings.TrimSuffix(r.pages, "/") + "/"}
	default:
		t.Fatalf("step %q uses %s, which the test does not emulate", st.Name, st.Uses)
	}
}

func cmpOr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func envList(env map[string]string) []string {
	var l []string
	for k, v := range env {
		l = append(l, k+"="+v)
	}
	slices.Sort(l)
	return l
}

func runGit(dir string, env map[string]string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = envList(env)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// readKeyValues reads a GITHUB_OUTPUT or GITHUB_ENV file: key=value lines
// and key<<DELIMITER blocks.
func readKeyValues(t *testing.T, file string) map[string]string {
	kv := map[string]string{}
	lines := readLines(t, file)
	for i := 0; i < len(lines); i++ {
		if k, v, ok := strings.Cut(lines[i], "="); ok && !strings.Contains(k, "<<") {
			kv[k] = v
			continue
		}
		k, delim, ok := strings.Cut(lines[i], "<<")
		if !ok {
			t.Fatalf("%s: line %q is neither key=value nor key<<DELIMITER", file, lines[i])
		}
		var val []string
		for i++; i < len(lines) && lines[i] != delim; i++ {
			val = append(val, lines[i])
		}
		kv[k] = strings.Join(val, "\n")
	}
	return kv
}

func readLines(t *testing.T, file string) []string {
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if sc.Text() != "" {
			lines = append(lines, sc.Text())
		}
	}
	return lines
}

func indent(s string) string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return ""
	}
	return "\t| " + strings.ReplaceAll(s, "\n", "\n\t| ")
}

func TestWorkflowExpressions(t *testing.T) {
	ctx := map[string]any{"github.event_name": "push", "github.ref": "refs/heads/main", "steps.build.outputs.status": "3", "steps.build.outputs.built": ""}
	sc := exprScope{
		lookup: func(p string) (any, error) {
			if v, ok := ctx[p]; ok {
				return v, nil
			}
			return nil, fmt.Errorf("%s unknown", p)
		},
		status: map[string]bool{"success": false, "failure": true, "always": true, "cancelled": false},
	}
	for _, c := range []struct {
		cond string
		want bool
	}{
		{"github.event_name == 'push'", false}, // a step failed: success() && ...
		{"always() && github.event_name == 'PUSH'", true},
		{"${{ !cancelled() && steps.build.outputs.status == '3' }}", true},
		{"!cancelled() && steps.build.outputs.built == 'true'", false},
		{"failure() && (github.event_name != 'pull_request' || false)", true},
		{"failure() && !(github.event_name == 'push')", false},
	} {
		got, err := evalIf(c.cond, sc)
		if err != nil || got != c.want {
			t.Errorf("if: %s = %v, %v; want %v", c.cond, got, err, c.want)
		}
	}
	s, err := interpolate("group-${{ github.event_name == 'pull_request' && github.ref || 'main' }}", sc)
	if err != nil || s != "group-main" {
		t.Errorf("interpolate: %q, %v", s, err)
	}
	if _, err := evalIf("vars.NOPE == 'x'", sc); err == nil {
		t.Error("an unknown context path was not reported")
	}
}
