package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/views"
	"github.com/portcullis-dev/portcullis/workflow"
)

type planOptions struct {
	Load     LoadFlags
	AWS      AWSFlags
	Output   OutputFlags
	API      string
	Stage    string
	NewStage bool
	Out      string
	ExitCode bool
	Prune    bool
	Redeploy bool
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

-o FILE (Terraform's -out FILE works too) saves the plan with the target it
was made for; "portcullis apply PATH FILE" applies exactly that plan, and
refuses it on another target or once the live API has changed.

Exit status: 0 planned (with --exit-code: 0 no changes, 1 changes), 2 when it
could not plan (unreadable or invalid description, a policy failure, a stage
neither described nor live, a failed read).`,
		Example: `  portcullis plan examples/todo --local
  portcullis plan examples/todo --stage prod -out todo.plan
  portcullis plan api.yaml --format json --exit-code --profile ci`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Path = args[0]
			return runPlan(cmd.Context(), ios, o)
		},
	}
	o.Load.Register(cmd)
	o.AWS.Register(cmd)
	o.Output.Register(cmd, "text", "json")
	f := cmd.Flags()
	f.StringVar(&o.API, "api", "", "the api block to plan when the description has several")
	f.StringVar(&o.Stage, "stage", "", "the stage to deploy (default: the first stage described; must be described or live)")
	f.BoolVar(&o.NewStage, "new-stage", false, "let --stage name a stage that is neither described nor live (apply creates it)")
	f.StringVarP(&o.Out, "output", "o", "", "save the plan to `FILE` for apply (also -out FILE)")
	f.BoolVar(&o.ExitCode, "exit-code", false, "exit 1 when there are changes")
	f.BoolVar(&o.Prune, "prune", false, "also delete what the description does not have")
	f.BoolVar(&o.Redeploy, "redeploy", false, "plan a deployment of the stage even when nothing shows it is needed (when what it serves could not be verified)")
	return cmd
}

func runPlan(ctx context.Context, ios *IOStreams, o *planOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := o.Output.Check(); err != nil {
		return err
	}
	t, sess, err := openLive(ctx, ios, &o.Load, &o.AWS, &o.Output, o.Path, o.API, true)
	if err != nil {
		return err
	}
	defer sess.Close()
	if t.HTTPAPI != nil {
		return runPlanHTTP(ctx, ios, o, t, sess)
	}
	p, _, err := workflow.Plan(ctx, sess, t.API, workflow.PlanOptions{Stage: o.Stage, Prune: o.Prune, NewStage: o.NewStage, Redeploy: o.Redeploy})
	if err != nil {
		return o.Output.Fail(ios, err)
	}
	return showPlan(ios, o, t.Desc.Files, shownPlan{
		diags: p.Diagnostics, empty: p.Empty(), save: p.Save,
		doc:  func(saved string) any { return views.NewPlanDocument(p, saved) },
		text: func(w io.Writer, colour bool) error { return views.PlanText(w, p, colour) },
	})
}

// shownPlan is what plan prints of a REST or an HTTP API's plan: the two
// kinds have their own types but one way of being saved and shown.
type shownPlan struct {
	diags spec.Diagnostics
	empty bool
	save  func(path string) error
	doc   func(saved string) any
	text  func(w io.Writer, colour bool) error
}

// showPlan saves the plan when -o asks and it has no errors, prints it
// (one JSON document, or the text and how to apply the saved file), and
// gives plan's exit: 2 when the plan has errors, 1 with --exit-code when
// it changes something.
func showPlan(ios *IOStreams, o *planOptions, files map[string][]byte, p shownPlan) error {
	saved := ""
	if o.Out != "" && !p.diags.HasErrors() {
		if err := p.save(o.Out); err != nil {
			return o.Output.Fail(ios, &workflow.Error{Step: "plan", Err: fmt.Errorf("saving the plan to %s: %v", o.Out, err)})
		}
		saved = o.Out
	}
	if o.Output.Format == "json" {
		if err := views.WriteJSON(ios.Out, p.doc(saved)); err != nil {
			return failed("%v", err)
		}
	} else {
		notes(ios, files, p.diags)
		if err := p.text(ios.Out, ios.Color()); err != nil {
			return failed("%v", err)
		}
		if saved != "" {
			fmt.Fprintf(ios.Out, "\nSaved the plan to %s: apply it with `portcullis apply %s %s`.\n", saved, o.Path, saved)
		}
	}
	if p.diags.HasErrors() {
		return failed("the plan has errors (above): nothing can be applied until they are fixed")
	}
	if o.ExitCode && !p.empty {
		return findings()
	}
	return nil
}
