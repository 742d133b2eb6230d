package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/portcullis-dev/portcullis/workflow"
)

// Version is set at build time with -ldflags "-X .../cli.Version=v1.2.3".
var Version = "dev"

// Exit codes, documented in docs/cli.md.
const (
	ExitOK       = 0
	ExitFindings = 1
	ExitError    = 2
	// ExitInterrupted is a second SIGINT/SIGTERM: stop at once.
	ExitInterrupted = 130
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

	// noColor is --no-color, a flag of every command.
	noColor bool
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

func (ios *IOStreams) getenv(k string) string {
	if ios.Getenv == nil {
		return ""
	}
	return ios.Getenv(k)
}

// Color says whether to colour stdout: only on a terminal, never with
// --no-color or NO_COLOR. It is the one place colour is decided; fatih/color's
// own global follows it (see NewRootCmd).
func (ios *IOStreams) Color() bool {
	return ios.OutTTY && !ios.noColor && ios.getenv("NO_COLOR") == ""
}

// Progress says whether to draw progress on stderr: on a terminal, unless
// colour and decoration are off (--no-color, NO_COLOR) or PORTCULLIS_PROGRESS
// asks (1: always, 0: never).
func (ios *IOStreams) Progress() bool {
	switch ios.getenv("PORTCULLIS_PROGRESS") {
	case "1":
		return true
	case "0":
		return false
	}
	return ios.ErrTTY
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
stage, probes the endpoints and detects drift.

Every command takes the same flags for the same things and exits 0 when clean,
1 on findings (or pending changes with plan --exit-code), 2 when it could not
run; see docs/cli.md.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().BoolVar(&ios.noColor, "no-color", false, "disable colour (also NO_COLOR)")
	root.SetIn(ios.In)
	root.SetOut(ios.Out)
	root.SetErr(ios.ErrOut)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return failed("%v (see %s --help)", err, c.CommandPath())
	})
	for _, c := range commands {
		root.AddCommand(c(ios))
	}
	return root
}

// Main runs the CLI and returns the exit code. SIGINT and SIGTERM (a CI
// cancel, timeout) cancel the run's context once: apply finishes the call
// in flight and stops, probe and serve stop. A second signal exits at once.
func Main(args []string, ios *IOStreams) int {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	ctx, stop := withSignals(context.Background(), sigs, ios.ErrOut, os.Exit)
	defer stop()
	return MainContext(ctx, args, ios)
}

// withSignals cancels the context on the first signal from sigs and calls
// exit(130) on the second.
func withSignals(parent context.Context, sigs <-chan os.Signal, errOut io.Writer, exit func(int)) (context.Context, func()) {
	ctx, cancel := context.WithCancel(parent)
	done := make(chan struct{})
	// finished says whether the run is over; it wins over a signal that
	// arrives at the same moment, so a finished run never exits later.
	finished := func() bool {
		select {
		case <-done:
			return true
		default:
			return false
		}
	}
	go func() {
		select {
		case s := <-sigs:
			if finished() {
				return
			}
			fmt.Fprintf(errOut, "\n%s: stopping after the call in flight (again to stop at once)...\n", s)
			cancel()
		case <-done:
			return
		}
		select {
		case <-sigs:
			if finished() {
				return
			}
			fmt.Fprintln(errOut, "Stopped at once.")
			exit(ExitInterrupted)
		case <-done:
		}
	}()
	return ctx, func() { close(done); cancel() }
}

// MainContext is Main with a context the caller controls.
func MainContext(ctx context.Context, args []string, ios *IOStreams) int {
	root := NewRootCmd(ios)
	args, err := normalizeArgs(root, args)
	if err != nil {
		fmt.Fprintln(ios.ErrOut, "Error:", err)
		return ExitError
	}
	root.SetArgs(args)
	err = root.ExecuteContext(ctx)
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

// normalizeArgs reads Terraform's and Go's single-dash long flags as
// pflag would never: "-out FILE" (Terraform's plan) is --output FILE on
// every command that writes one file, and "-name" for any other long flag
// of the command is --name. pflag alone reads "-out=x" as "-o ut=x" and
// writes a file named "ut=x".
func normalizeArgs(root *cobra.Command, args []string) ([]string, error) {
	cmd, _, err := root.Find(args)
	if err != nil || cmd == nil {
		return args, nil
	}
	lookup := func(name string) *pflag.Flag {
		if f := cmd.Flags().Lookup(name); f != nil {
			return f
		}
		return root.PersistentFlags().Lookup(name)
	}
	out := make([]string, 0, len(args))
	for i, a := range args {
		if a == "--" {
			out = append(out, args[i:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || strings.HasPrefix(a, "--") || len(a) < 3 {
			out = append(out, a)
			continue
		}
		name, value, hasValue := strings.Cut(a[1:], "=")
		if name == "out" {
			if lookup("output") == nil {
				return nil, fmt.Errorf("%s writes no single file: -out is not one of its flags (see %s --help)", cmd.CommandPath(), cmd.CommandPath())
			}
			name = "output"
		} else if lookup(name) == nil {
			out = append(out, a)
			continue
		}
		a = "--" + name
		if hasValue {
			a += "=" + value
		}
		out = append(out, a)
	}
	return out, nil
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

// couldNotRun ends a command with exit code 2 for a workflow error whose
// diagnostics were already rendered.
func couldNotRun(err error) error {
	if we, ok := workflow.AsError(err); ok {
		return &exitError{code: ExitError, err: we.Err}
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return err
	}
	return &exitError{code: ExitError, err: err}
}
