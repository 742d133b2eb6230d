package cli

import (
	"github.com/spf13/cobra"

	"github.com/portcullis-dev/portcullis/spec"
)

type validateOptions struct {
	Load   LoadFlags
	Output OutputFlags
	Paths  []string
}

func newValidateCmd(ios *IOStreams) *cobra.Command {
	o := &validateOptions{}
	cmd := &cobra.Command{
		Use:   "validate PATH...",
		Short: "Check descriptions: structure, references, limits and policies",
		Long: `Validate reads each description (an .hcl file, a directory of .hcl files, or an
OpenAPI 3.0 / Swagger 2.0 document) and reports every problem with its file,
line and column.

Exit status: 0 when clean, 1 when a description is invalid, 2 when it could
not run (usage error, unreadable file).`,
		Example: `  portcullis validate examples/todo
  portcullis validate api.yaml --format json
  portcullis validate examples/todo --var user_pool_arn=arn:aws:cognito-idp:...`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Paths = args
			return runValidate(ios, o)
		},
	}
	o.Load.Register(cmd)
	o.Output.Register(cmd, "text", "json", "sarif", "github")
	return cmd
}

func runValidate(ios *IOStreams, o *validateOptions) error {
	if err := o.Output.Check(); err != nil {
		return err
	}
	var all spec.Diagnostics
	files := map[string][]byte{}
	for _, p := range o.Paths {
		d, ds := o.Load.Load(ios, p)
		for k, v := range d.Files {
			files[k] = v
		}
		all = append(all, ds...)
	}
	if err := o.Output.Render(ios, files, all, nil); err != nil {
		return failed("%v", err)
	}
	if all.HasErrors() {
		return findings()
	}
	return nil
}
