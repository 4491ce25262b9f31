package e2e

import (
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// vnuMessage is one message of vnu.jar's --format json output.
type vnuMessage struct {
	Type     string `json:"type"`    // "error", "info" or "non-document-error"
	SubType  string `json:"subType"` // "fatal", "warning", ...
	URL      string `json:"url"`
	LastLine int    `json:"lastLine"`
	Column   int    `json:"lastColumn"`
	Message  string `json:"message"`
	Extract  string `json:"extract"`
}

// TestNuHTMLChecker checks every page of the build with the Nu Html Checker,
// the W3C's validator, so the theme's markup stays valid HTML.
func TestNuHTMLChecker(t *testing.T) {
	root := repoRoot(t)
	java, err := exec.LookPath("java")
	needTool(t, err, "apt-get install default-jre-headless")
	jar := filepath.Join(root, "node_modules", "vnu-jar", "build", "dist", "vnu.jar")
	needTool(t, fileIn(jar, "vnu.jar"), "npm ci --ignore-scripts")

	s := exampleSite(t, "")
	files := s.htmlFiles(t)
	// One java run for all the files: the JVM takes seconds to start.
	// -Xss2m: the checker recurses deeply on nested markup.
	args := []string{"-Xss2m", "-jar", jar, "--format", "json", "--errors-only"}
	for _, f := range files {
		args = append(args, filepath.Join(s.Dir, filepath.FromSlash(f)))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, java, args...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run() // exits 1 when it found errors: judged by the report

	// vnu writes the JSON report to stderr.
	var report struct {
		Messages []vnuMessage `json:"messages"`
	}
	if err := json.Unmarshal([]byte(stderr.String()), &report); err != nil {
		t.Fatalf("vnu.jar gave no JSON report (%v, run: %v)\nstdout: %s\nstderr: %s", err, runErr, stdout.String(), stderr.String())
	}
	prefix := "file:" + filepath.ToSlash(s.Dir) + "/"
	for _, m := range report.Messages {
		if m.Type == "info" { // --errors-only should drop these; be sure
			continue
		}
		file := strings.TrimPrefix(m.URL, prefix)
		kind := m.Type
		if m.SubType != "" {
			kind += "/" + m.SubType
		}
		t.Errorf("%s:%d:%d: %s: %s\n\t%s", file, m.LastLine, m.Column, kind, m.Message, strings.TrimSpace(m.Extract))
	}
	if !t.Failed() && runErr != nil {
		t.Fatalf("vnu.jar failed without reporting errors: %v\n%s", runErr, stderr.String())
	}
	t.Logf("checked %d pages with vnu.jar", len(files))
}
