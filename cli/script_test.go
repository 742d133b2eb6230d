package cli

import (
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets testscript run the CLI in-process as the `portcullis`
// command, so scripts test real argument parsing, output and exit codes.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"portcullis": func() { os.Exit(Main(os.Args[1:], System())) },
	})
}

// TestScripts runs every cli/testdata/script/*.txtar file.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: false,
		Setup: func(env *testscript.Env) error {
			env.Setenv("NO_COLOR", "1")
			return nil
		},
	})
}
