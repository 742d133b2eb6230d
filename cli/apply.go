package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/portcullis-dev/portcullis/apply"
	"github.com/portcullis-dev/portcullis/emulator"
	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/openapi"
	"github.com/portcullis-dev/portcullis/live"
	"github.com/portcullis-dev/portcullis/plan"
	"github.com/portcullis-dev/portcullis/probe"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/state"
)

type applyOptions struct {
	Load        LoadFlags
	AWS         AWSFlags
	API         string
	Stage       string
	AutoApprove bool
	DryRun      bool
	Strategy    string
	Prune       bool
	Probe       bool
	ProbeTokens ProbeTokenFlags
	NoColor     bool
	Path        string
	PlanFile    string
}

func newApplyCmd(ios *IOStreams) *cobra.Command {
	o := &applyOptions{}
	cmd := &cobra.Command{
		Use:   "apply PATH [PLANFILE]",
		Short: "Make the live API match the description and deploy the stage",
		Long: `Apply plans (see "portcullis plan") and makes the changes with the fewest calls
API Gateway allows: one UpdateMethod or UpdateAuthorizer per element with its
patch operations batched, nothing when nothing changed, and one CreateDeployment
at the end (none when the stage already serves the result).

The order keeps every method protected throughout: authorizers are created
first, then methods are switched, then unused authorizers are deleted, then the
stage is deployed. A failure stops before the deployment; running apply again
continues from where it stopped. Ctrl-C finishes the call in flight and stops.

With PLANFILE (from plan -out) exactly that plan is applied, and refused if the
live API changed since. --strategy import pushes the generated OpenAPI with
PutRestApi (merge, failonwarnings), verifies every method's authorizer, then
deploys.

Without --auto-approve apply asks on a terminal and refuses (exit 2) otherwise.`,
		Example: `  portcullis apply examples/todo --local --auto-approve
  portcullis apply examples/todo --stage prod --dry-run
  portcullis plan examples/todo -out todo.plan && portcullis apply examples/todo todo.plan --auto-approve`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Path = args[0]
			if len(args) == 2 {
				o.PlanFile = args[1]
			}
			return runApply(cmd.Context(), ios, o)
		},
	}
	o.Load.Register(cmd)
	o.AWS.Register(cmd)
	f := cmd.Flags()
	f.StringVar(&o.API, "api", "", "the api block to apply when the description has several")
	f.StringVar(&o.Stage, "stage", "", "the stage to deploy (default: the first stage described)")
	f.BoolVar(&o.AutoApprove, "auto-approve", false, "apply without asking")
	f.BoolVar(&o.DryRun, "dry-run", false, "print the plan and stop")
	f.StringVar(&o.Strategy, "strategy", "patch", "patch (minimal UpdateMethod/UpdateAuthorizer calls) or import (PutRestApi of the generated OpenAPI)")
	f.BoolVar(&o.Prune, "prune", false, "also delete what the description does not have")
	f.BoolVar(&o.Probe, "probe", false, "probe the deployed stage afterwards and fail when a route does not answer as described")
	f.BoolVar(&o.NoColor, "no-color", false, "disable colour (also NO_COLOR)")
	o.ProbeTokens.Register(cmd)
	return cmd
}

func runApply(ctx context.Context, ios *IOStreams, o *applyOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if o.Strategy != "patch" && o.Strategy != "import" {
		return failed("unknown --strategy %q (want patch or import)", o.Strategy)
	}
	if o.PlanFile != "" && o.Strategy == "import" {
		return failed("a saved plan is applied with the patch strategy; drop --strategy import or the PLANFILE")
	}
	t, err := loadAPI(ios, &o.Load, o.Path, o.API)
	if err != nil {
		return err
	}
	if err := policyGate(ios, t); err != nil {
		return err
	}
	// Ctrl-C cancels ctx; apply finishes the call in flight, then stops.
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	sess, err := o.AWS.Connect(ctx, t.API.Region)
	if err != nil {
		return err
	}
	defer sess.Close()

	have, err := readLive(ctx, sess, t.API, live.ForStage(t.API, o.Stage))
	if err != nil {
		return err
	}
	var p *plan.Plan
	if o.PlanFile != "" {
		if p, err = plan.Load(o.PlanFile); err != nil {
			return failed("%v", err)
		}
		if p.API != t.API.Name {
			return failed("%s is a plan for api %q, not %q", o.PlanFile, p.API, t.API.Name)
		}
		if err := p.CheckFresh(have); err != nil {
			return failed("%s: %v", o.PlanFile, err)
		}
	} else {
		p = plan.Make(t.API, have, plan.Options{Stage: o.Stage, Prune: o.Prune})
		writeNotes(ios, t.Desc.Files, p.Diagnostics)
		if p.Diagnostics.HasErrors() {
			return findings()
		}
	}
	colour := ios.OutTTY && !o.NoColor && (ios.Getenv == nil || ios.Getenv("NO_COLOR") == "")
	if err := p.WriteText(ios.Out, colour); err != nil {
		return failed("%v", err)
	}
	if o.DryRun {
		return nil
	}
	if p.Empty() {
		return afterApply(ctx, ios, o, sess, t.API, p.RestAPIID, stageOf(p, t.API, o.Stage))
	}
	if !o.AutoApprove {
		if err := confirm(ios); err != nil {
			return err
		}
	}
	imported := 0
	if o.Strategy == "import" {
		p, imported, err = importStrategy(ctx, ios, o, sess, t.API, have)
		if err != nil {
			return err
		}
	}
	res, err := apply.Apply(ctx, sess.Client, p, apply.Options{Progress: newProgress(ios), DeployRetries: 3})
	res.Calls += imported
	if err != nil {
		var ae *apply.Error
		if errors.As(err, &ae) && ae.Stopped {
			fmt.Fprintln(ios.ErrOut, "Interrupted:", err)
			return &exitError{code: ExitError}
		}
		return failed("%v", err)
	}
	fmt.Fprintf(ios.Out, "\nApply complete: %s.\n", res.Summary())
	if p.Deploy != nil {
		if sess.Local {
			// The embedded gateway stops with this process; local serve
			// brings the same state back up at a fixed address.
			fmt.Fprintf(ios.Out, "Stage %q is deployed on the local gateway: `portcullis local serve --state %s` serves it at %s\n",
				p.Deploy.Stage, emulator.LocalStateFile, probe.LocalInvokeURL("http://127.0.0.1:4567", res.RestAPIID, p.Deploy.Stage))
		} else {
			fmt.Fprintf(ios.Out, "Stage %q is served at %s\n", p.Deploy.Stage, invokeURL(sess, res.RestAPIID, p.Deploy.Stage))
		}
	}
	return afterApply(ctx, ios, o, sess, t.API, res.RestAPIID, stageOf(p, t.API, o.Stage))
}

// invokeURL is where the deployed stage answers.
func invokeURL(sess *AWSSession, id, stage string) string {
	if sess.EndpointURL != "" {
		return probe.LocalInvokeURL(sess.EndpointURL, id, stage)
	}
	return probe.InvokeURL(id, sess.Region, stage)
}

func stageOf(p *plan.Plan, api *spec.API, flag string) string {
	if p.Deploy != nil {
		return p.Deploy.Stage
	}
	if flag != "" {
		return flag
	}
	if len(api.Stages) > 0 {
		return api.Stages[0].Name
	}
	return ""
}

// afterApply runs --probe on the deployed stage.
func afterApply(ctx context.Context, ios *IOStreams, o *applyOptions, sess *AWSSession, api *spec.API, restAPIID, stage string) error {
	if !o.Probe {
		return nil
	}
	if stage == "" {
		return failed("--probe needs a stage: describe one or pass --stage")
	}
	return probeAfterApply(ctx, ios, sess, &o.ProbeTokens, api, restAPIID, stage)
}

// importStrategy pushes the generated OpenAPI, verifies it, and returns
// the plan that finishes the job (leftovers and the one deployment).
func importStrategy(ctx context.Context, ios *IOStreams, o *applyOptions, sess *AWSSession, api *spec.API, have *state.State) (*plan.Plan, int, error) {
	var bare []string
	for _, r := range api.Routes {
		if r.Integration == nil {
			bare = append(bare, r.Key())
		}
	}
	if len(bare) > 0 {
		return nil, 0, failed("--strategy import replaces the integration of every method it imports, and %s declare(s) no integration: declare them, or use --strategy patch", strings.Join(bare, ", "))
	}
	files, err := openapi.New().Generate(&spec.Description{APIs: []*spec.API{api}}, generators.Options{Format: "json", Stage: o.Stage})
	if err != nil || len(files) != 1 {
		return nil, 0, failed("generating the OpenAPI document: %v", err)
	}
	fmt.Fprintf(ios.ErrOut, "Importing the generated OpenAPI (%d bytes) with PutRestApi mode=merge failonwarnings=true...\n", len(files[0].Content))
	id, calls, err := apply.Import(ctx, sess.Client, api, have, files[0].Content)
	if err != nil {
		return nil, 0, failed("%v (after %d write call(s))", err, calls)
	}
	fmt.Fprintf(ios.ErrOut, "Imported into %s (%d call(s)); every method has its authorizer.\n", id, calls)
	st, err := live.Read(ctx, sess.Client, id, live.ForStage(api, o.Stage))
	if err != nil {
		return nil, calls, failed("reading the API back: %v", err)
	}
	p := plan.Make(api, st, plan.Options{Stage: o.Stage, Prune: o.Prune})
	if p.Deploy == nil && p.RestAPIID != "" && stageOf(p, api, o.Stage) != "" {
		// The import changed the working configuration; deploy it.
		p.Deploy = &plan.Deploy{Stage: stageOf(p, api, o.Stage), StageExists: st.Stages[stageOf(p, api, o.Stage)] != nil,
			Description: "portcullis: import of the generated OpenAPI", Reasons: []string{"the import changed the working configuration"}}
		if ws := api.Stage(p.Deploy.Stage); ws != nil {
			p.Deploy.Variables, p.Deploy.StageDescription = ws.Variables, ws.Description
		}
	}
	return p, calls, nil
}

// confirm asks on a terminal; elsewhere it refuses rather than hang.
func confirm(ios *IOStreams) error {
	f, ok := ios.In.(*os.File)
	if !ok || !isatty.IsTerminal(f.Fd()) {
		return failed("refusing to apply without --auto-approve: standard input is not a terminal, so nobody can confirm")
	}
	fmt.Fprint(ios.ErrOut, "\nDo you want to perform these actions? Only 'yes' will be accepted: ")
	line, _ := bufio.NewReader(ios.In).ReadString('\n')
	if strings.TrimSpace(line) != "yes" {
		fmt.Fprintln(ios.ErrOut, "Apply cancelled.")
		return &exitError{code: ExitError}
	}
	return nil
}

// newProgress is a bar on a terminal and one line per call otherwise (CI
// logs keep every line).
func newProgress(ios *IOStreams) apply.Progress {
	if ios.ErrTTY {
		return &barProgress{w: ios.ErrOut}
	}
	return &lineProgress{w: ios.ErrOut}
}

type lineProgress struct {
	w     io.Writer
	total int
}

func (l *lineProgress) Begin(total int) {
	l.total = total
	fmt.Fprintf(l.w, "Applying: %d call(s).\n", total)
}
func (l *lineProgress) Call(done int, op, what string) {
	fmt.Fprintf(l.w, "  [%d/%d] %s %s\n", done, l.total, op, what)
}
func (l *lineProgress) End() {}

type barProgress struct {
	w   io.Writer
	bar *progressbar.ProgressBar
}

func (b *barProgress) Begin(total int) {
	b.bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(b.w), progressbar.OptionSetDescription("applying"),
		progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
}
func (b *barProgress) Call(done int, op, what string) {
	b.bar.Describe(op + " " + what)
	_ = b.bar.Set(done)
}
func (b *barProgress) End() { _ = b.bar.Finish() }
