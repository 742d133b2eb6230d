package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/portcullis-dev/portcullis/policies"
	"github.com/portcullis-dev/portcullis/policies/rego"
	"github.com/portcullis-dev/portcullis/report"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/spec/load"
)

type validateOptions struct {
	Load        LoadFlags
	Output      OutputFlags
	Paths       []string
	PolicyPaths []string
	Namespace   string
	FailOn      string
	RuleOptions []string
}

func newValidateCmd(ios *IOStreams) *cobra.Command {
	o := &validateOptions{}
	cmd := &cobra.Command{
		Use:   "validate PATH...",
		Short: "Check descriptions: structure, references, limits and policies",
		Long: `Validate reads each description (an .hcl file, a directory of .hcl files, or an
OpenAPI 3.0 / Swagger 2.0 document) and reports every problem with its file,
line and column. A description that is structurally valid then goes through
the built-in policy rules (portcullis rules lists them) and the Rego policies
given with --policy: conftest-style deny, violation and warn rules in package
main (or --namespace), whose input is the document "show --format json" prints.

Suppressed findings (ignore = [...] with ignore_reason in HCL,
x-portcullis-ignore in OpenAPI) are reported as suppressed and never count.

Exit status: 0 when clean, 1 when a description is invalid or a finding at
least as severe as --fail-on remains, 2 when it could not run (bad flags, a
missing or unreadable path, an empty folder, an unknown file type, a missing
--var-file, a policy directory that is missing or does not compile). What
was found is reported in the chosen format either way.`,
		Example: `  portcullis validate examples/todo
  portcullis validate api.yaml --format json
  portcullis validate examples/todo --format sarif > portcullis.sarif
  portcullis validate examples/todo --policy policy/ --fail-on warning
  portcullis validate examples/todo --rule-option PCA012.token_validity=15m`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Paths = args
			return runValidate(cmd.Context(), ios, o)
		},
	}
	o.Load.Register(cmd)
	o.Output.Register(cmd, "text", "json", "sarif", "github")
	cmd.Flags().StringArrayVar(&o.PolicyPaths, "policy", nil, "Rego policies: a `DIR` (searched recursively) or .rego file (repeatable)")
	cmd.Flags().StringVar(&o.Namespace, "namespace", rego.DefaultNamespace, "the Rego package whose deny/violation/warn rules count")
	cmd.Flags().StringVar(&o.FailOn, "fail-on", "error", "lowest severity that makes the exit status 1: error, warning or info")
	cmd.Flags().StringArrayVar(&o.RuleOptions, "rule-option", nil, "tune a built-in rule: `ID.name=value` (repeatable; see portcullis rules show ID)")
	return cmd
}

func runValidate(ctx context.Context, ios *IOStreams, o *validateOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := o.Output.Check(); err != nil {
		return err
	}
	failOn, err := spec.ParseSeverity(o.FailOn)
	if err != nil {
		return failed("--fail-on: %v", err)
	}
	var cfg policies.Config
	for _, ro := range o.RuleOptions {
		if err := cfg.ParseRuleOption(ro); err != nil {
			return failed("%v", err)
		}
	}

	var all spec.Diagnostics
	files := map[string][]byte{}
	// cannot: some input could not be read at all (a missing path, an
	// unknown file type, a missing --var-file, a policy that does not
	// compile): exit 2 once everything found is reported.
	cannot := false
	var engine *rego.Engine
	if len(o.PolicyPaths) > 0 {
		// print() in a policy goes to stderr, apart from the report.
		e, ds, err := rego.Load(ctx, rego.Options{Paths: o.PolicyPaths, Namespace: o.Namespace, Print: ios.ErrOut})
		if err != nil {
			return failed("%v", err)
		}
		engine = e
		all = append(all, ds...)
		// A policy that does not compile cannot judge anything.
		cannot = cannot || ds.HasErrors()
		for k, v := range e.Files {
			files[k] = v
		}
	}

	for _, p := range o.Paths {
		d, ds := o.Load.Load(ios, p)
		for k, v := range d.Files {
			files[k] = v
		}
		all = append(all, ds...)
		for _, x := range ds {
			cannot = cannot || x.Code == load.CodeLoadError
		}
		if !load.Judgeable(d, ds) {
			continue // policies judge what was read whole
		}
		fs := policies.Check(d, cfg)
		if engine != nil {
			rfs, err := engine.Eval(ctx, d)
			if err != nil {
				return failed("%s: %v", p, err)
			}
			fs = append(fs, rfs...)
		}
		all = append(all, policies.Finish(d, fs)...)
	}
	if err := o.Output.Render(ios, files, all, ruleMetadata()); err != nil {
		return failed("%v", err)
	}
	if cannot {
		return &exitError{code: ExitError}
	}
	if all.CountAtLeast(failOn) > 0 {
		return findings()
	}
	return nil
}

// ruleMetadata describes the built-in rules for formats that carry rule
// help (SARIF).
func ruleMetadata() []report.Rule {
	var out []report.Rule
	for _, r := range policies.Rules() {
		rr := report.Rule{ID: r.ID, Name: r.Name, Severity: r.Severity, Summary: r.Summary, Help: r.Help()}
		if len(r.Links) > 0 {
			rr.HelpURI = r.Links[0]
		}
		out = append(out, rr)
	}
	return out
}
