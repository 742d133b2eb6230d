package cli

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/portcullis-dev/portcullis/workflow"
)

// TestMain lets testscript run the CLI in-process as the `portcullis`
// command, so scripts test real argument parsing, output and exit codes.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"portcullis": func() { os.Exit(Main(os.Args[1:], System())) },
	})
}

// TestScripts runs every cli/testdata/script/*.txtar file. The local state
// directory is the script's own ($WORK/.portcullis), never the user's.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: false,
		Setup: func(env *testscript.Env) error {
			env.Setenv("NO_COLOR", "1")
			env.Setenv(workflow.EnvStateDir, filepath.Join(env.WorkDir, ".portcullis"))
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){"exits": exits},
	})
}

// exits N CMD ARGS... runs a command and asserts its exact exit code, so a
// script can tell findings (1) from could-not-run (2), which `! exec`
// cannot. stdout and stderr are kept for the assertions that follow.
func exits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE COMMAND [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad code %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exits: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Logf("[stdout]\n%s[stderr]\n%s", ts.ReadFile("stdout"), ts.ReadFile("stderr"))
		ts.Fatalf("%s exited %d, want %d", args[1], got, want)
	}
}
