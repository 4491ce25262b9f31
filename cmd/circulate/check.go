package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/circulate-dev/circulate/generator"
	"github.com/circulate-dev/circulate/internal/diag"
	"github.com/circulate-dev/circulate/internal/item"
	"github.com/circulate-dev/circulate/publisher"
)

func runCheck(ctx context.Context, e *env, args []string) error {
	var sf siteFlags
	fl := newFlags(e, "check", "[flags]", "Checks content and config and reports every problem, without writing files.\nWith GITHUB_ACTIONS=true it also annotates the files in GitHub (on the pull request's files).")
	sf.register(fl)
	format := fl.String("format", "text", "`text` (file:line:col: lines) or json")
	strict := fl.Bool("strict", false, "treat warnings as errors")
	if err := fl.parse(args); err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		return usageErr("--format %q: say text or json", *format)
	}
	defer sf.close()
	gc, fsys, diags, err := sf.loadConfig()
	if err != nil {
		return err
	}
	files := 0
	if gc != nil {
		gc.Cache = generator.NewCache()
		// With the old addresses the ledger knows (renamed items), as the
		// build has them: an item that takes one is an error there. A
		// ledger that cannot be read is postDiags's to report.
		site, _, _, _ := loadMoved(ctx, gc, fsys, sf.source, nil)
		res := site.Result
		if err := ctx.Err(); err != nil {
			return err
		}
		files = len(res.Items)
		diags = append(diags, res.Diags...)
		if !res.Diags.HasErrors() {
			diags = append(diags, postDiags(gc, sf.source, res.Items, e)...)
		}
	}
	if *strict {
		for i := range diags {
			diags[i].Severity = diag.Error
		}
	}
	for i := range diags {
		if sf.source != "." && sf.source != "" {
			diags[i].File = filepath.ToSlash(filepath.Join(sf.source, diags[i].File))
		}
	}
	diags.Sort()
	nerr := len(diags.Errors())
	nwarn := len(diags) - nerr

	ghOut := e.stdout
	switch *format {
	case "json":
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if diags == nil {
			diags = diag.List{}
		}
		_ = enc.Encode(struct {
			Files       int       `json:"files"`
			Errors      int       `json:"errors"`
			Warnings    int       `json:"warnings"`
			Diagnostics diag.List `json:"diagnostics"`
		}{files, nerr, nwarn, diags})
		ghOut = e.stderr // keep stdout valid JSON; the runner reads both
	default:
		for _, d := range diags {
			fmt.Fprintln(e.stderr, d.String())
		}
	}
	if e.getenv("GITHUB_ACTIONS") == "true" {
		writeAnnotations(ghOut, diags)
	}
	if nerr > 0 {
		return &cliError{code: exitBuild, err: fmt.Errorf("%s and %s in %s", countOf(nerr, "error"), countOf(nwarn, "warning"), countOf(filesIn(diags), "file")),
			hints: hintsFor(*strict)}
	}
	if *format == "text" {
		fmt.Fprintf(e.stdout, "checked %s: %s, no errors\n", countOf(files, "content file"), countOf(nwarn, "warning"))
	}
	return nil
}

// filesIn counts the files the problems are in.
func filesIn(diags diag.List) int {
	seen := map[string]bool{}
	for _, d := range diags {
		seen[d.File] = true
	}
	return len(seen)
}

func hintsFor(strict bool) []string {
	h := []string{"each line names the file, the line and what to do; fix them and run `circulate check` again"}
	if strict {
		h = append(h, "--strict counts warnings as errors")
	}
	return h
}

// postDiags warns about posts that would go wrong or look wrong (see
// publisher.Check), before any run.
func postDiags(gc *generator.Config, source string, items []*item.Item, e *env) diag.List {
	return publisher.Check(publisher.Setup{Root: source, Config: gc.Site, Now: gc.Now, Getenv: e.getenv}, items)
}

// writeAnnotations prints GitHub Actions workflow commands, which show each
// problem on its file and line in the run and on a pull request's diff.
func writeAnnotations(w io.Writer, diags diag.List) {
	for _, d := range diags {
		props := []string{"file=" + ghProp(d.File)}
		if d.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", d.Line))
			if d.Col > 0 {
				props = append(props, fmt.Sprintf("col=%d", d.Col))
			}
		}
		props = append(props, "title="+ghProp("circulate check"))
		fmt.Fprintf(w, "::%s %s::%s\n", d.Severity, strings.Join(props, ","), ghData(d.Message))
	}
}

// ghData escapes a workflow command's message, as the runner unescapes it.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProp escapes a property value, where ':' and ',' separate too.
func ghProp(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
