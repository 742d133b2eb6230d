package cli

import (
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/portcullis-dev/portcullis/report"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/spec/load"
	"github.com/portcullis-dev/portcullis/views"
	"github.com/portcullis-dev/portcullis/workflow"
)

// LoadFlags are the flags of every command that reads a description.
type LoadFlags struct {
	// Assignments keeps --var and --var-file in command-line order, since
	// later ones win (as in Terraform).
	Assignments       []load.Assignment
	AllowExternalRefs bool
}

// Register adds --var, --var-file and --allow-external-refs to cmd.
func (f *LoadFlags) Register(cmd *cobra.Command) {
	cmd.Flags().Var(&assignValue{f, false}, "var", "set a variable: `name=value` (repeatable; later wins)")
	cmd.Flags().Var(&assignValue{f, true}, "var-file", "read variables from an HCL `FILE` of name = value lines (repeatable)")
	cmd.Flags().BoolVar(&f.AllowExternalRefs, "allow-external-refs", false, "let OpenAPI $refs read local files under the document's folder (never the network)")
}

// Load reads the description at path. Diagnostics include everything the
// readers and structural validation found.
func (f *LoadFlags) Load(ios *IOStreams, path string) (*spec.Description, spec.Diagnostics) {
	return load.Load(path, f.Options(ios))
}

// Options are the flags as the loader takes them.
func (f *LoadFlags) Options(ios *IOStreams) load.Options {
	environ := os.Environ
	if ios.Environ != nil {
		environ = ios.Environ
	}
	return load.Options{Assignments: f.Assignments, Environ: environ(), AllowExternalRefs: f.AllowExternalRefs}
}

type assignValue struct {
	f    *LoadFlags
	file bool
}

func (a *assignValue) String() string { return "" }
func (a *assignValue) Type() string {
	if a.file {
		return "FILE"
	}
	return "name=value"
}
func (a *assignValue) Set(v string) error {
	if a.file {
		a.f.Assignments = append(a.f.Assignments, load.Assignment{File: v})
		return nil
	}
	name, value, ok := strings.Cut(v, "=")
	if !ok || name == "" {
		return failed("--var wants name=value, got %q", v)
	}
	a.f.Assignments = append(a.f.Assignments, load.Assignment{Name: name, Value: value})
	return nil
}

var _ pflag.Value = (*assignValue)(nil)

// OutputFlags choose what a reporting command prints on stdout.
type OutputFlags struct {
	Format  string
	formats []string
}

// Register adds --format (restricted to formats, the first the default).
func (o *OutputFlags) Register(cmd *cobra.Command, formats ...string) {
	o.formats = formats
	cmd.Flags().StringVarP(&o.Format, "format", "f", formats[0], "output format: "+strings.Join(formats, ", "))
}

// Check refuses a format this command does not offer.
func (o *OutputFlags) Check() error {
	for _, f := range o.formats {
		if f == o.Format {
			return nil
		}
	}
	return failed("unknown --format %q (want one of %s)", o.Format, strings.Join(o.formats, ", "))
}

// Render prints diagnostics in the chosen format.
func (o *OutputFlags) Render(ios *IOStreams, files map[string][]byte, ds spec.Diagnostics, rules []report.Rule) error {
	return report.Write(ios.Out, o.Format, &report.Report{
		Diagnostics: ds, Files: files, Color: ios.Color(), Rules: rules, ToolVersion: Version,
	})
}

// Fail reports a step that could not run and ends the command with exit
// code 2. Its diagnostics (an invalid description, a failed gate) go where
// the format says: text on stderr, a JSON document (the envelope with
// valid false and the error), SARIF or annotations on stdout, so a machine
// reader always gets one document.
func (o *OutputFlags) Fail(ios *IOStreams, err error) error {
	we, ok := workflow.AsError(err)
	if !ok {
		return couldNotRun(err)
	}
	msg := ""
	if we.Err != nil {
		msg = we.Err.Error()
	}
	switch o.Format {
	case "json":
		_ = views.WriteJSON(ios.Out, views.FailureDocument(we.Diagnostics, msg))
	case "sarif", "github":
		_ = report.Write(ios.Out, o.Format, &report.Report{Diagnostics: we.Diagnostics, Files: we.Files, ToolVersion: Version})
	default:
		if len(we.Diagnostics) > 0 {
			_ = report.Write(ios.ErrOut, "text", &report.Report{Diagnostics: we.Diagnostics, Files: we.Files, Color: ios.ErrTTY && ios.Color()})
		}
	}
	return couldNotRun(err)
}

// notes prints diagnostics that do not stop a command (warnings, plan
// notes) on stderr, apart from the output.
func notes(ios *IOStreams, files map[string][]byte, ds spec.Diagnostics) {
	if len(ds) == 0 {
		return
	}
	_ = report.Write(ios.ErrOut, "text", &report.Report{Diagnostics: ds, Files: files})
}
