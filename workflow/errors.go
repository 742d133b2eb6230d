package workflow

import (
	"errors"
	"fmt"

	"github.com/portcullis-dev/portcullis/spec"
)

// Error is a step that could not run: an unreadable or invalid
// description, a description the policy gate refuses, a refused flag, a
// failed read or call. Commands exit 2 on it (docs/cli.md).
type Error struct {
	// Step names what failed: load, gate, stage, connect, read, plan,
	// apply, deploy, probe.
	Step string
	// Err says what happened and what to do; nil when Diagnostics say it.
	Err error
	// Diagnostics explain an invalid description or a failed gate, with
	// the sources (Files) for their snippets.
	Diagnostics spec.Diagnostics
	Files       map[string][]byte
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Err.Error()
	}
	return fmt.Sprintf("%s: %d error(s)", e.Step, e.Diagnostics.Count(spec.SeverityError))
}

func (e *Error) Unwrap() error { return e.Err }

func fail(step, format string, args ...any) *Error {
	return &Error{Step: step, Err: fmt.Errorf(format, args...)}
}

// AsError finds a workflow error in err's chain.
func AsError(err error) (*Error, bool) {
	var we *Error
	ok := errors.As(err, &we)
	return we, ok
}
