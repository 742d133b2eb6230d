package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/portcullis-dev/portcullis/policies"
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

// RuleJSON is one rule in `rules --format json`.
type RuleJSON struct {
	ID          string       `json:"id"`
	Name        string       `json:"name"`
	Severity    string       `json:"severity"`
	Summary     string       `json:"summary"`
	Explanation string       `json:"explanation"`
	Impact      string       `json:"impact"`
	Resolution  string       `json:"resolution"`
	Links       []string     `json:"links"`
	Options     []OptionJSON `json:"options"`
}

// OptionJSON is one rule option in `rules --format json`.
type OptionJSON struct {
	Name    string `json:"name"`
	Default string `json:"default"`
	Help    string `json:"help"`
}

func runRules(ios *IOStreams, o *rulesOptions) error {
	switch o.Format {
	case "json":
		out := struct {
			FormatVersion string     `json:"format_version"`
			Rules         []RuleJSON `json:"rules"`
		}{FormatVersion: "1.0", Rules: []RuleJSON{}}
		for _, r := range policies.Rules() {
			out.Rules = append(out.Rules, ruleJSON(r))
		}
		enc := json.NewEncoder(ios.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	case "text":
		return writeRulesTable(ios.Out)
	}
	return failed("unknown --format %q (want text or json)", o.Format)
}

func ruleJSON(r *policies.Rule) RuleJSON {
	j := RuleJSON{
		ID: r.ID, Name: r.Name, Severity: r.Severity.String(), Summary: r.Summary,
		Explanation: oneLine(r.Explanation), Impact: oneLine(r.Impact), Resolution: oneLine(r.Resolution),
		Links: append([]string{}, r.Links...), Options: []OptionJSON{},
	}
	for _, op := range r.Options {
		j.Options = append(j.Options, OptionJSON{Name: op.Name, Default: op.Default, Help: op.Help})
	}
	return j
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func writeRulesTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSEVERITY\tNAME\tSUMMARY")
	for _, r := range policies.Rules() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Severity, r.Name, r.Summary)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, "\nportcullis rules show ID prints a rule with its examples.")
	return err
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
		enc := json.NewEncoder(ios.Out)
		enc.SetIndent("", "  ")
		err = enc.Encode(ruleJSON(r))
	default:
		return failed("unknown --format %q (want text, markdown or json)", o.Format)
	}
	return err
}
