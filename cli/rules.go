package cli

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/portcullis-dev/portcullis/policies"
	"github.com/portcullis-dev/portcullis/views"
)

type rulesOptions struct {
	Format string
}

func newRulesCmd(ios *IOStreams) *cobra.Command {
	o := &rulesOptions{}
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the built-in policy rules",
		Long: `Rules lists the built-in rules that validate runs on every description.
"rules show ID" prints one rule with its explanation, resolution and examples.
The same text is in docs/rules.`,
		Example: `  portcullis rules
  portcullis rules --format json | jq '.rules[].id'
  portcullis rules show PCA004`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runRules(ios, o)
		},
	}
	cmd.Flags().StringVarP(&o.Format, "format", "f", "text", "output format: text, json")
	cmd.AddCommand(newRulesShowCmd(ios))
	return cmd
}

func runRules(ios *IOStreams, o *rulesOptions) error {
	switch o.Format {
	case "json":
		return views.WriteJSON(ios.Out, views.NewRulesDocument(policies.Rules()))
	case "text":
		return views.RulesText(ios.Out, policies.Rules())
	}
	return failed("unknown --format %q (want text or json)", o.Format)
}

type rulesShowOptions struct {
	Format string
	ID     string
}

func newRulesShowCmd(ios *IOStreams) *cobra.Command {
	o := &rulesShowOptions{}
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Print one rule with its explanation and examples",
		Example: `  portcullis rules show PCA004
  portcullis rules show authorized-cors-preflight --format markdown`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.ID = args[0]
			return runRulesShow(ios, o)
		},
	}
	cmd.Flags().StringVarP(&o.Format, "format", "f", "text", "output format: text, markdown, json")
	return cmd
}

func runRulesShow(ios *IOStreams, o *rulesShowOptions) error {
	r := policies.Lookup(o.ID)
	if r == nil {
		return failed("no rule %q (portcullis rules lists them)", o.ID)
	}
	var err error
	switch o.Format {
	case "text":
		_, err = io.WriteString(ios.Out, r.Text(true))
	case "markdown":
		_, err = io.WriteString(ios.Out, r.Markdown())
	case "json":
		err = views.WriteJSON(ios.Out, views.Rule(r))
	default:
		return failed("unknown --format %q (want text, markdown or json)", o.Format)
	}
	return err
}
