package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	pluralpkg "github.com/circulate-dev/circulate/internal/plural"
)

// Exit codes of SPEC §6.
const (
	exitOK      = 0
	exitBuild   = 1 // content or build error
	exitUsage   = 2
	exitPosting = 3 // posting failed permanently
)

// cliError is an error with its exit code and hints for the person at the
// terminal. Its message is printed after "circulate: error: ".
type cliError struct {
	code  int
	err   error
	hints []string
	// quiet: the details were printed already (diagnostics); print only the
	// summary message.
}

func (e *cliError) Error() string { return e.err.Error() }
func (e *cliError) Unwrap() error { return e.err }

func usageErr(format string, args ...any) error {
	return &cliError{code: exitUsage, err: fmt.Errorf(format, args...), hints: []string{"run `circulate -h` for the commands and their flags"}}
}

// exitCode prints err the way every circulate failure looks and picks the
// exit code.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	code := exitBuild
	var hints []string
	var ce *cliError
	if errors.As(err, &ce) {
		code, hints = ce.code, ce.hints
	}
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintf(stderr, "circulate: error: %s\n", line)
	}
	for _, h := range hints {
		fmt.Fprintf(stderr, "circulate: hint: %s\n", h)
	}
	return code
}

type command struct {
	name, args, summary string
	run                 func(ctx context.Context, env *env, args []string) error
}

func commands() []command {
	return []command{
		{"build", "[flags]", "build the site into public/ (and post new items in CI)", runBuild},
		{"serve", "[flags]", "preview the site in a browser, rebuilt and reloaded on every save", runServe},
		{"check", "[flags]", "check content and config without writing anything", runCheck},
		{"publish", "[flags]", "post new items to X, Mastodon and Bluesky and record them in the ledger", runPublish},
		{"replies", "[flags]", "list replies and mentions waiting for an answer, on every network", runReplies},
		{"new", "KIND \"Title\"", "write a new event, title, news or page file", runNew},
		{"init", "DIR", "make a new site from the built-in example", runInit},
		{"version", "", "print the version", runVersion},
	}
}

// env is what a command may touch of the outside world.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	// sleep waits between retries of a request; nil sleeps for real.
	// Tests that run many builds in-process pass one that does not wait.
	sleep func(ctx context.Context, d time.Duration) error
}

// run is the whole program, testable: it never exits and never touches
// os.Stdout directly.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runEnv(ctx, args, &env{stdout: stdout, stderr: stderr, getenv: osGetenv})
}

func runEnv(ctx context.Context, args []string, e *env) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(e.stdout)
		if len(args) == 0 {
			return usageErr("no command given")
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, e, args[1:])
		}
	}
	return usageErr("unknown command %q", args[0])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "circulate builds a library's news site from Markdown and posts what is new.")
	fmt.Fprintln(w, "\nUsage:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  circulate %-8s %-8s %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprintln(w, "\nRun `circulate <command> -h` for a command's flags.")
}

// flags is a command's flag set with its help text.
type flags struct {
	*flag.FlagSet
	help func()
}

// newFlags makes a flag set whose errors become usage errors and whose -h
// prints to stdout.
func newFlags(e *env, name, args, summary string) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	// The flag package calls Usage on every parse error too; help is
	// printed by parse, only when asked for.
	fs.Usage = func() {}
	return &flags{FlagSet: fs, help: func() {
		fmt.Fprintf(e.stdout, "Usage: %s\n\n%s\n", strings.TrimSpace("circulate "+name+" "+args), summary)
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n == 0 {
			return
		}
		fmt.Fprint(e.stdout, "\nFlags:\n")
		fs.SetOutput(e.stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}}
}

// parseArgs parses args, prints help for -h, and turns mistakes into usage
// errors; arguments after the flags are left in f.Args().
func (f *flags) parseArgs(args []string) error {
	if err := f.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			f.help()
			return err
		}
		return usageErr("%s: %v", f.Name(), err)
	}
	return nil
}

// parse is parseArgs for commands that take no arguments besides flags.
func (f *flags) parse(args []string) error {
	if err := f.parseArgs(args); err != nil {
		return err
	}
	if f.NArg() > 0 {
		return usageErr("%s: unexpected argument %q", f.Name(), f.Arg(0))
	}
	return nil
}

// countOf says "1 file", "2 files", "3,412 files": every count the
// commands print (plural.Count, which the theme and the warnings use too).
func countOf(n int, noun string, plural ...string) string {
	return pluralpkg.Count(n, noun, plural...)
}
