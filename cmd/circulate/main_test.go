package main

import (
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
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
			// Builds must not depend on the machine's clock or zone.
			e.Setenv("TZ", "UTC")
			e.Setenv("CI", "")
			return nil
		},
	})
}
