package cli

import (
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/portcullis-dev/portcullis/report"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/spec/load"
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
	environ := os.Environ
	if ios.Environ != nil {
		environ = ios.Environ
	}
	return load.Load(path, load.Options{
		Assignments:       f.Assignments,
		Environ:           environ(),
		AllowExternalRefs: f.AllowExternalRefs,
	})
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

// OutputFlags choose how findings are printed.
type OutputFlags struct {
	Format  string
	NoColor bool
	formats []string
}

// Register adds --format (restricted to formats) and --no-color.
func (o *OutputFlags) Register(cmd *cobra.Command, formats ...string) {
	o.formats = formats
	cmd.Flags().StringVarP(&o.Format, "format", "f", formats[0], "output format: "+strings.Join(formats, ", "))
	cmd.Flags().BoolVar(&o.NoColor, "no-color", false, "disable colour (also NO_COLOR)")
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

// Color says whether to colour text output: only on a TTY, never with
// --no-color or NO_COLOR.
func (o *OutputFlags) Color(ios *IOStreams) bool {
	if o.NoColor || !ios.OutTTY {
		return false
	}
	if ios.Getenv != nil && ios.Getenv("NO_COLOR") != "" {
		return false
	}
	return true
}

// Render prints diagnostics in the chosen format.
func (o *OutputFlags) Render(ios *IOStreams, files map[string][]byte, ds spec.Diagnostics, rules []report.Rule) error {
	return report.Write(ios.Out, o.Format, &report.Report{
		Diagnostics: ds, Files: files, Color: o.Color(ios), Rules: rules, ToolVersion: Version,
	})
}
