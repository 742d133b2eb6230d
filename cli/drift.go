package cli

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/portcullis-dev/portcullis/drift"
	"github.com/portcullis-dev/portcullis/workflow"
)

type driftOptions struct {
	Load   LoadFlags
	AWS    AWSFlags
	Output OutputFlags
	API    string
	Stage  string
	Path   string
}

func newDriftCmd(ios *IOStreams) *cobra.Command {
	o := &driftOptions{}
	cmd := &cobra.Command{
		Use:   "drift PATH",
		Short: "Report every difference between the live auth surface and the description",
		Long: `Drift reads the live API with read-only calls (apigateway:GET is all the
credentials need, so it suits a scheduled CI job) and reports every difference
in the auth surface: authorizers added, removed or changed out of band, methods
switched to NONE or to another authorizer, scopes changed, open methods nobody
described, and changes made but never deployed to the stage.

Exit status: 0 no drift, 1 drift found, 2 could not run (unreadable or invalid
description, a failed read).`,
		Example: `  portcullis drift examples/todo --stage prod
  portcullis drift examples/todo --format sarif > drift.sarif
  portcullis drift examples/todo --local --format github`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Path = args[0]
			return runDrift(cmd.Context(), ios, o)
		},
	}
	o.Load.Register(cmd)
	o.AWS.Register(cmd)
	o.Output.Register(cmd, "text", "json", "sarif", "github")
	cmd.Flags().StringVar(&o.API, "api", "", "the api block when the description has several")
	cmd.Flags().StringVar(&o.Stage, "stage", "", "the stage whose deployment is checked (default: the first stage described)")
	return cmd
}

func runDrift(ctx context.Context, ios *IOStreams, o *driftOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := o.Output.Check(); err != nil {
		return err
	}
	t, sess, err := openLive(ctx, ios, &o.Load, &o.AWS, &o.Output, o.Path, o.API, false)
	if err != nil {
		return err
	}
	defer sess.Close()
	if t.HTTPAPI != nil {
		return runDriftHTTP(ctx, ios, o, t, sess)
	}
	have, err := workflow.Read(ctx, sess, t.API, o.Stage)
	if err != nil {
		return o.Output.Fail(ios, err)
	}
	ds := drift.Check(t.API, have, o.Stage)
	for i := range ds {
		// drift names the command to run; the path is the caller's.
		ds[i].Detail = strings.ReplaceAll(ds[i].Detail, "`portcullis deploy --stage", "`portcullis deploy "+o.Path+" --stage")
	}
	if err := o.Output.Render(ios, t.Desc.Files, ds, drift.Rules()); err != nil {
		return failed("%v", err)
	}
	if drift.Found(ds) {
		return findings()
	}
	return nil
}
