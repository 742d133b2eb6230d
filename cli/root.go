package cli

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"
)

// Version is set at build time with -ldflags "-X .../cli.Version=v1.2.3".
var Version = "dev"

// Exit codes, documented in README.md.
const (
	ExitOK       = 0
	ExitFindings = 1
	ExitError    = 2
)

// IOStreams are the command's terminal, injectable in tests.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// OutTTY and ErrTTY say whether colour and progress bars are welcome.
	OutTTY bool
	ErrTTY bool
	// Getenv reads the environment (os.Getenv outside tests).
	Getenv func(string) string
	// Environ lists the environment (os.Environ outside tests).
	Environ func() []string
}

// System returns the process's real streams.
func System() *IOStreams {
	return &IOStreams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		OutTTY:  isatty.IsTerminal(os.Stdout.Fd()),
		ErrTTY:  isatty.IsTerminal(os.Stderr.Fd()),
		Getenv:  os.Getenv,
		Environ: os.Environ,
	}
}

// commands is the explicit, sorted registry of top-level verbs.
var commands = []func(*IOStreams) *cobra.Command{
	newApplyCmd,
	newAuditCmd,
	newCheckGeneratorsCmd,
	newDeployCmd,
	newDriftCmd,
	newGenerateCmd,
	newImportCmd,
	newLocalCmd,
	newPlanCmd,
	newProbeCmd,
	newRulesCmd,
	newShowCmd,
	newValidateCmd,
	newVersionCmd,
}

// NewRootCmd builds the command tree.
func NewRootCmd(ios *IOStreams) *cobra.Command {
	root := &cobra.Command{
		Use:   "portcullis",
		Short: "Lock API Gateway REST APIs behind Cognito user-pool authorizers",
		Long: `Portcullis reads one description of a REST API's methods and their Cognito
authorizers (HCL or OpenAPI), validates it and runs policy checks, generates
configuration for every deployment tool, applies it to the live API, deploys a
stage, probes the endpoints and detects drift.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(ios.In)
	root.SetOut(ios.Out)
	root.SetErr(ios.ErrOut)
	for _, c := range commands {
		root.AddCommand(c(ios))
	}
	return root
}

// Main runs the CLI and returns the exit code.
func Main(args []string, ios *IOStreams) int {
	root := NewRootCmd(ios)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(ios.ErrOut, "Error:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(ios.ErrOut, "Error:", err)
	return ExitError
}

// exitError carries an exit code through cobra. A nil err means the command
// already reported everything it had to say.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// findings ends a command with exit code 1 after its output was written.
func findings() error { return &exitError{code: ExitFindings} }

// failed ends a command with exit code 2 and a message.
func failed(format string, args ...any) error {
	return &exitError{code: ExitError, err: fmt.Errorf(format, args...)}
}
