package cli

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/spf13/cobra"

	"github.com/portcullis-dev/portcullis/live"
	"github.com/portcullis-dev/portcullis/plan"
	"github.com/portcullis-dev/portcullis/spec"
)

type planOptions struct {
	Load     LoadFlags
	AWS      AWSFlags
	API      string
	Stage    string
	Format   string
	Out      string
	ExitCode bool
	Prune    bool
	NoColor  bool
	Path     string
}

func newPlanCmd(ios *IOStreams) *cobra.Command {
	o := &planOptions{}
	cmd := &cobra.Command{
		Use:   "plan PATH",
		Short: "Show what apply would change in the live API",
		Long: `Plan reads the description and the live REST API (read-only calls) and prints
the changes apply would make, in the order it would make them: + create,
~ update (old -> new per field), - delete, then the one deployment to the
stage when the stage does not already serve the result.

Managed: the authorizers the description names; for each described route its
method's authorization type, authorizer, scopes and identity-header request
parameter, and its integration only when one is declared; the CORS preflights
and gateway responses when cors is set. Live methods the description does not
mention are left alone and listed (an open one is a warning); --prune deletes
them, and undescribed authorizers and gateway responses.

-out FILE saves the plan; "portcullis apply PATH FILE" applies exactly that plan
and refuses it once the live API has changed.

Exit status: 0 (with --exit-code: 0 no changes, 1 changes), 1 when the
description is invalid or the plan has errors, 2 when it could not run.`,
		Example: `  portcullis plan examples/todo --local
  portcullis plan examples/todo --stage prod -out todo.plan
  portcullis plan api.yaml --format json --exit-code --profile ci`,
		// Flags are parsed here so that Terraform's -out FILE works too.
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			rest, help, err := parseFlags(cmd, args, "out")
			if err != nil || help {
				return err
			}
			if len(rest) != 1 {
				return failed("plan wants exactly one PATH (got %d arguments)", len(rest))
			}
			o.Path = rest[0]
			return runPlan(cmd.Context(), ios, o)
		},
	}
	o.Load.Register(cmd)
	o.AWS.Register(cmd)
	f := cmd.Flags()
	f.StringVar(&o.API, "api", "", "the api block to plan when the description has several")
	f.StringVar(&o.Stage, "stage", "", "the stage to deploy (default: the first stage described)")
	f.StringVarP(&o.Format, "format", "f", "text", "output format: text, json")
	f.StringVar(&o.Out, "out", "", "save the plan to `FILE` for apply (also -out FILE)")
	f.BoolVar(&o.ExitCode, "exit-code", false, "exit 1 when there are changes")
	f.BoolVar(&o.Prune, "prune", false, "also delete what the description does not have")
	f.BoolVar(&o.NoColor, "no-color", false, "disable colour (also NO_COLOR)")
	return cmd
}

// parseFlags parses args for a command with DisableFlagParsing, accepting
// Terraform's single-dash long flags (-out FILE) for the names given.
func parseFlags(cmd *cobra.Command, args []string, single ...string) (rest []string, help bool, err error) {
	fixed := make([]string, 0, len(args))
	for _, a := range args {
		for _, name := range single {
			if a == "-"+name || strings.HasPrefix(a, "-"+name+"=") {
				a = "-" + a
			}
		}
		fixed = append(fixed, a)
	}
	fl := cmd.Flags()
	if fl.Lookup("help") == nil {
		fl.BoolP("help", "h", false, "help for "+cmd.Name())
	}
	if err := fl.Parse(fixed); err != nil {
		return nil, false, failed("%v", err)
	}
	if h, _ := fl.GetBool("help"); h {
		return nil, true, cmd.Help()
	}
	return fl.Args(), false, nil
}

// planJSON is `plan --format json`: the plan with its notes.
type planJSON struct {
	*plan.Plan
	Changed     bool              `json:"changed"`
	Diagnostics []json.RawMessage `json:"diagnostics"`
}

func runPlan(ctx context.Context, ios *IOStreams, o *planOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if o.Format != "text" && o.Format != "json" {
		return failed("unknown --format %q (want text or json)", o.Format)
	}
	t, err := loadAPI(ios, &o.Load, o.Path, o.API)
	if err != nil {
		return err
	}
	if err := policyGate(ios, t); err != nil {
		return err
	}
	sess, err := o.AWS.Connect(ctx, t.API.Region)
	if err != nil {
		return err
	}
	defer sess.Close()
	p, err := makePlan(ctx, sess, t.API, o.Stage, o.Prune)
	if err != nil {
		return err
	}
	if o.Format == "json" {
		out := planJSON{Plan: p, Changed: !p.Empty(), Diagnostics: []json.RawMessage{}}
		for _, d := range p.Diagnostics {
			b, _ := json.Marshal(diagJSON(d))
			out.Diagnostics = append(out.Diagnostics, b)
		}
		enc := json.NewEncoder(ios.Out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return failed("%v", err)
		}
	} else {
		writeNotes(ios, t.Desc.Files, p.Diagnostics)
		colour := ios.OutTTY && !o.NoColor && (ios.Getenv == nil || ios.Getenv("NO_COLOR") == "")
		if err := p.WriteText(ios.Out, colour); err != nil {
			return failed("%v", err)
		}
	}
	if p.Diagnostics.HasErrors() {
		return findings()
	}
	if o.Out != "" {
		if err := p.Save(o.Out); err != nil {
			return failed("saving the plan: %v", err)
		}
		if o.Format == "text" {
			ios.Out.Write([]byte("\nSaved the plan to " + o.Out + ": apply it with `portcullis apply " + o.Path + " " + o.Out + "`.\n"))
		}
	}
	if o.ExitCode && !p.Empty() {
		return findings()
	}
	return nil
}

// makePlan reads the live API and plans against it.
func makePlan(ctx context.Context, sess *AWSSession, api *spec.API, stage string, prune bool) (*plan.Plan, error) {
	have, err := readLive(ctx, sess, api, live.ForStage(api, stage))
	if err != nil {
		return nil, err
	}
	return plan.Make(api, have, plan.Options{Stage: stage, Prune: prune}), nil
}

func diagJSON(d spec.Diagnostic) map[string]any {
	m := map[string]any{"severity": d.Severity.String(), "code": d.Code, "summary": d.Summary, "detail": d.Detail, "route": d.Route}
	if d.Range != nil {
		m["range"] = map[string]any{"filename": d.Range.Filename, "line": d.Range.Start.Line, "column": d.Range.Start.Column}
	}
	return m
}
