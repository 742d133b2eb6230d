package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/portcullis-dev/portcullis/apply"
	"github.com/portcullis-dev/portcullis/plan"
	"github.com/portcullis-dev/portcullis/probe"
	"github.com/portcullis-dev/portcullis/spec/load"
	"github.com/portcullis-dev/portcullis/state"
	"github.com/portcullis-dev/portcullis/views"
	"github.com/portcullis-dev/portcullis/workflow"
)

type applyOptions struct {
	Load        LoadFlags
	AWS         AWSFlags
	Output      OutputFlags
	API         string
	Stage       string
	NewStage    bool
	AutoApprove bool
	DryRun      bool
	Strategy    string
	Prune       bool
	Redeploy    bool
	Probe       bool
	ProbeTokens ProbeTokenFlags
	Path        string
	PlanFile    string
	// changed lists the flags given, so that a saved plan can refuse the
	// ones it does not honour.
	changed func(string) bool
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
continues from where it stopped. Ctrl-C (or SIGTERM) finishes the call in
flight and stops; a second one stops at once.

With PLANFILE (from plan -o) exactly that plan is applied: it is refused on
another target than it was made for (--local, --endpoint-url, the region),
once the live API has changed, and with flags it does not honour (--stage,
--new-stage, --prune, --strategy import: they were decided when planning).
--strategy import pushes the generated OpenAPI with PutRestApi (merge,
failonwarnings), verifies every method's authorizer, then deploys. For an
HTTP API it is ImportApi (a new API) or ReimportApi (failOnWarnings), which
replaces routes, integrations, authorizers and CORS in one call; it is
verified, then stages are applied and a stage without auto-deploy is
deployed once. ReimportApi deletes what the document lacks, so live routes,
authorizers or CORS the description does not have need --prune.

Without --auto-approve apply asks on a terminal and refuses (exit 2) otherwise.

Exit status: 0 applied (or nothing to do), 1 when --probe finds a route that
does not answer as described, 2 when it could not apply.`,
		Example: `  portcullis apply examples/todo --local --auto-approve --probe
  portcullis apply examples/todo --stage prod --dry-run
  portcullis plan examples/todo -out todo.plan && portcullis apply examples/todo todo.plan --auto-approve`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Path = args[0]
			if len(args) == 2 {
				o.PlanFile = args[1]
			}
			o.changed = cmd.Flags().Changed
			return runApply(cmd.Context(), ios, o)
		},
	}
	o.Load.Register(cmd)
	o.AWS.Register(cmd)
	o.Output.Register(cmd, "text", "json")
	f := cmd.Flags()
	f.StringVar(&o.API, "api", "", "the api block to apply when the description has several")
	f.StringVar(&o.Stage, "stage", "", "the stage to deploy (default: the first stage described; must be described or live)")
	f.BoolVar(&o.NewStage, "new-stage", false, "let --stage create a stage that is neither described nor live")
	f.BoolVar(&o.AutoApprove, "auto-approve", false, "apply without asking")
	f.BoolVar(&o.DryRun, "dry-run", false, "print the plan and stop")
	f.StringVar(&o.Strategy, "strategy", "patch", "patch (minimal UpdateMethod/UpdateAuthorizer calls) or import (PutRestApi, for an HTTP API ImportApi/ReimportApi, of the generated OpenAPI)")
	f.BoolVar(&o.Prune, "prune", false, "also delete what the description does not have")
	f.BoolVar(&o.Redeploy, "redeploy", false, "deploy the stage even when nothing shows it is needed (when what it serves could not be verified)")
	f.BoolVar(&o.Probe, "probe", false, "probe the deployed stage afterwards and fail when a route does not answer as described")
	o.ProbeTokens.Register(cmd)
	return cmd
}

// checkApplyFlags refuses combinations that would silently do less than
// asked.
func checkApplyFlags(o *applyOptions) error {
	if o.Strategy != "patch" && o.Strategy != "import" {
		return failed("unknown --strategy %q (want patch or import)", o.Strategy)
	}
	if o.DryRun && o.Probe {
		return failed("--dry-run changes nothing, so --probe would only probe the stage as it is: drop --dry-run, or run portcullis probe %s", o.Path)
	}
	if o.PlanFile == "" {
		if load.KindOf(o.Path) == load.KindUnknown {
			if plan.IsSaved(o.Path) {
				return failed("%s is a saved plan: apply takes the description first, then the plan: portcullis apply PATH %s", o.Path, o.Path)
			}
		}
		return nil
	}
	var ignored []string
	for _, name := range []string{"stage", "new-stage", "prune", "redeploy", "strategy"} {
		if o.changed != nil && o.changed(name) {
			ignored = append(ignored, "--"+name)
		}
	}
	if len(ignored) > 0 {
		return failed("%s was planned with its own stage, prune and strategy; %s would be ignored: drop %s, or plan again with them", o.PlanFile, strings.Join(ignored, ", "), strings.Join(ignored, ", "))
	}
	return nil
}

func runApply(ctx context.Context, ios *IOStreams, o *applyOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := o.Output.Check(); err != nil {
		return err
	}
	if err := checkApplyFlags(o); err != nil {
		return err
	}
	t, sess, err := openLive(ctx, ios, &o.Load, &o.AWS, &o.Output, o.Path, o.API, true)
	if err != nil {
		return err
	}
	defer sess.Close()
	if t.HTTPAPI != nil {
		return runApplyHTTP(ctx, ios, o, t, sess)
	}

	var p *plan.Plan
	var have *state.State
	if o.PlanFile != "" {
		if p, err = plan.Load(o.PlanFile); err != nil {
			return o.Output.Fail(ios, &workflow.Error{Step: "plan", Err: fmt.Errorf("%v: make one with portcullis plan %s -o %s", err, o.Path, o.PlanFile)})
		}
		if err := workflow.CheckTarget(p, o.PlanFile, sess, t.API); err != nil {
			return o.Output.Fail(ios, err)
		}
		stage := ""
		if p.Deploy != nil {
			stage = p.Deploy.Stage
		}
		if have, err = workflow.Read(ctx, sess, t.API, stage); err != nil {
			return o.Output.Fail(ios, err)
		}
		if err := workflow.CheckSaved(p, o.PlanFile, sess, t.API, have); err != nil {
			return o.Output.Fail(ios, err)
		}
	} else {
		p, have, err = workflow.Plan(ctx, sess, t.API, workflow.PlanOptions{Stage: o.Stage, Prune: o.Prune, NewStage: o.NewStage, Redeploy: o.Redeploy})
		if err != nil {
			return o.Output.Fail(ios, err)
		}
	}
	doc := &views.ApplyDocument{Envelope: views.Envelope(p.Diagnostics), Changed: !p.Empty(), Plan: p}
	text := o.Output.Format == "text"
	finish := applyFinisher(ios, text, doc)
	if text {
		notes(ios, t.Desc.Files, p.Diagnostics)
		if err := views.PlanText(ios.Out, p, ios.Color()); err != nil {
			return failed("%v", err)
		}
	}
	if p.Diagnostics.HasErrors() {
		return finish(failed("the plan has errors (above): nothing was changed"))
	}
	if o.DryRun {
		return finish(nil)
	}
	stage := workflow.DeployedStage(p, t.API, o.Stage)
	if !p.Empty() {
		if !o.AutoApprove {
			if err := confirm(ios); err != nil {
				return finish(err)
			}
		}
		var res apply.Result
		p, res, err = workflow.Apply(ctx, sess, t.API, have, p, workflow.ApplyOptions{
			Strategy: o.Strategy, Stage: o.Stage, Prune: o.Prune, Redeploy: o.Redeploy, Progress: newProgress(ios),
			Notify: func(format string, args ...any) { fmt.Fprintf(ios.ErrOut, format+"\n", args...) },
		})
		if err != nil {
			var ae *apply.Error
			if errors.As(err, &ae) && ae.Stopped {
				fmt.Fprintln(ios.ErrOut, "Interrupted:", err)
				return finish(&exitError{code: ExitError})
			}
			return finish(o.failText(ios, err))
		}
		doc.Applied, doc.Plan = true, p
		stage = workflow.DeployedStage(p, t.API, o.Stage)
		url := ""
		if stage != "" {
			url = workflow.InvokeURL(sess, res.RestAPIID, stage)
		}
		servesNot := ""
		if url != "" {
			if err := workflow.CheckInvokeURL(ctx, sess); err != nil {
				url, servesNot = "", err.Error()
			}
		}
		doc.Result = views.NewApplyResult(res, stage, url)
		if text {
			fmt.Fprintf(ios.Out, "\nApply complete: %s.\n", res.Summary())
			if p.Deploy != nil {
				if sess.Local {
					// The embedded gateway stops with this process; local serve
					// brings the same state back up at a fixed address.
					fmt.Fprintf(ios.Out, "Stage %q is deployed on the local gateway: `portcullis local serve --state %s` serves it at %s\n",
						p.Deploy.Stage, localStateFile(sess), probe.LocalInvokeURL(localServeURL, res.RestAPIID, p.Deploy.Stage))
				} else if servesNot != "" {
					fmt.Fprintf(ios.Out, "Stage %q is deployed; its URL is not known: %s\n", p.Deploy.Stage, servesNot)
				} else {
					fmt.Fprintf(ios.Out, "Stage %q is served at %s\n", p.Deploy.Stage, url)
				}
			}
		}
	}
	if !o.Probe {
		return finish(nil)
	}
	if stage == "" {
		return finish(failed("--probe needs a stage: describe one or pass --stage"))
	}
	restAPIID := p.RestAPIID
	if doc.Result != nil {
		restAPIID = doc.Result.APIID
	}
	pd, err := probeAfterApply(ctx, ios, sess, &o.ProbeTokens, o.AWS.StateDir, t, restAPIID, stage, text)
	doc.Probe = pd
	return finish(err)
}

// failText prints an error in text mode; JSON carries it in the document.
func (o *applyOptions) failText(ios *IOStreams, err error) error {
	if o.Output.Format == "text" {
		return o.Output.Fail(ios, err)
	}
	return couldNotRun(err)
}

func localStateFile(s *workflow.Session) string {
	return s.StateDir + string(os.PathSeparator) + workflow.StateFileName
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

// applyFinisher ends apply with err: with --format json (text false) the
// one document goes to stdout, carrying err's message when it failed.
func applyFinisher(ios *IOStreams, text bool, doc *views.ApplyDocument) func(error) error {
	return func(err error) error {
		if !text {
			if err != nil && doc.Error == "" {
				doc.Error = err.Error()
			}
			if werr := views.WriteJSON(ios.Out, doc); werr != nil && err == nil {
				return failed("%v", werr)
			}
		}
		return err
	}
}
