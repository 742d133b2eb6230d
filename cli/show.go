package cli

import (
	"github.com/spf13/cobra"

	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/views"
	"github.com/portcullis-dev/portcullis/workflow"
)

type showOptions struct {
	Load   LoadFlags
	Output OutputFlags
	Path   string
}

func newShowCmd(ios *IOStreams) *cobra.Command {
	o := &showOptions{}
	cmd := &cobra.Command{
		Use:   "show PATH",
		Short: "Print the normalized model, as every other command sees it",
		Long: `Show reads a description and prints the model every other command works on:
inherited authorizers resolved, defaults filled, CORS preflights and gateway
responses made explicit. --format json prints the versioned document that
user policies receive as input.

Exit status: 0 shown, 2 when the description cannot be read or is invalid
(portcullis validate says why).`,
		Example: `  portcullis show examples/todo
  portcullis show examples/todo/todo.openapi.yaml --format json | jq '.apis[].routes[]'`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Path = args[0]
			return runShow(ios, o)
		},
	}
	o.Load.Register(cmd)
	o.Output.Register(cmd, "text", "json")
	return cmd
}

func runShow(ios *IOStreams, o *showOptions) error {
	if err := o.Output.Check(); err != nil {
		return err
	}
	d, ds := o.Load.Load(ios, o.Path)
	if ds.HasErrors() {
		return o.Output.Fail(ios, &workflow.Error{Step: "load", Diagnostics: ds, Files: d.Files})
	}
	var err error
	if o.Output.Format == "json" {
		err = views.WriteJSON(ios.Out, spec.ToDocument(d, spec.DocOptions{}))
	} else {
		err = views.ModelText(ios.Out, d)
	}
	if err != nil {
		return failed("%v", err)
	}
	return nil
}
