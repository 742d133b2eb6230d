package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/portcullis-dev/portcullis/views"
	"github.com/portcullis-dev/portcullis/workflow"
)

type deployOptions struct {
	Load        LoadFlags
	AWS         AWSFlags
	Output      OutputFlags
	API         string
	Stage       string
	NewStage    bool
	Description string
	Path        string
}

func newDeployCmd(ios *IOStreams) *cobra.Command {
	o := &deployOptions{}
	cmd := &cobra.Command{
		Use:   "deploy PATH [--stage NAME]",
		Short: "Deploy the API's working configuration to a stage",
		Long: `Deploy makes one CreateDeployment of the live API's working configuration to the
stage, with the stage variables the description gives it. Use it after changes
made outside apply, or when drift reports changes that were made but never
deployed. It changes nothing else. The stage must be described or live;
--new-stage creates one that is neither.

Exit status: 0 deployed, 2 when it could not deploy.`,
		Example: `  portcullis deploy examples/todo --stage prod
  portcullis deploy examples/todo --local --format json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Path = args[0]
			return runDeploy(cmd.Context(), ios, o)
		},
	}
	o.Load.Register(cmd)
	o.AWS.Register(cmd)
	o.Output.Register(cmd, "text", "json")
	f := cmd.Flags()
	f.StringVar(&o.API, "api", "", "the api block when the description has several")
	f.StringVar(&o.Stage, "stage", "", "the stage to deploy (default: the first stage described; must be described or live)")
	f.BoolVar(&o.NewStage, "new-stage", false, "let --stage create a stage that is neither described nor live")
	f.StringVar(&o.Description, "description", "", "the deployment's description (default: says it was a redeploy)")
	return cmd
}

func runDeploy(ctx context.Context, ios *IOStreams, o *deployOptions) error {
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
	res, err := workflow.Deploy(ctx, sess, t.API, o.Stage, o.Description, o.NewStage)
	if err != nil {
		return o.Output.Fail(ios, err)
	}
	if o.Output.Format == "json" {
		doc := views.DeployDocument{Envelope: views.Envelope(nil), RestAPIID: res.RestAPIID, Stage: res.Stage,
			DeploymentID: res.DeploymentID, InvokeURL: workflow.InvokeURL(sess, res.RestAPIID, res.Stage)}
		if err := views.WriteJSON(ios.Out, doc); err != nil {
			return failed("%v", err)
		}
		return nil
	}
	fmt.Fprintf(ios.Out, "Deployed %s to stage %q: deployment %s.\n", res.RestAPIID, res.Stage, res.DeploymentID)
	return nil
}
