package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/portcullis-dev/portcullis/apply"
	"github.com/portcullis-dev/portcullis/live"
	"github.com/portcullis-dev/portcullis/plan"
)

type deployOptions struct {
	Load        LoadFlags
	AWS         AWSFlags
	API         string
	Stage       string
	Description string
	Path        string
}

func newDeployCmd(ios *IOStreams) *cobra.Command {
	o := &deployOptions{}
	cmd := &cobra.Command{
		Use:   "deploy PATH --stage NAME",
		Short: "Deploy the API's working configuration to a stage",
		Long: `Deploy makes one CreateDeployment of the live API's working configuration to the
stage (creating the stage when needed), with the stage variables the description
gives it. Use it after changes made outside apply, or when drift reports changes
that were made but never deployed. It changes nothing else.`,
		Example: `  portcullis deploy examples/todo --stage prod
  portcullis deploy examples/todo --stage prod --local`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Path = args[0]
			return runDeploy(cmd.Context(), ios, o)
		},
	}
	o.Load.Register(cmd)
	o.AWS.Register(cmd)
	f := cmd.Flags()
	f.StringVar(&o.API, "api", "", "the api block when the description has several")
	f.StringVar(&o.Stage, "stage", "", "the stage to deploy (default: the first stage described)")
	f.StringVar(&o.Description, "description", "", "the deployment's description (default: says it was a redeploy)")
	return cmd
}

func runDeploy(ctx context.Context, ios *IOStreams, o *deployOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	t, err := loadAPI(ios, &o.Load, o.Path, o.API)
	if err != nil {
		return err
	}
	if err := policyGate(ios, t); err != nil {
		return err
	}
	stage := o.Stage
	if stage == "" {
		if len(t.API.Stages) == 0 {
			return failed("api %q describes no stage: pass --stage", t.API.Name)
		}
		stage = t.API.Stages[0].Name
	}
	sess, err := o.AWS.Connect(ctx, t.API.Region)
	if err != nil {
		return err
	}
	defer sess.Close()
	id, _, err := live.Find(ctx, sess.Client, live.Target{RestAPIID: t.API.RestAPIID, Name: t.API.Name})
	if err != nil {
		return failed("%v", err)
	}
	desc := o.Description
	if desc == "" {
		desc = "portcullis deploy: redeploy the working configuration"
	}
	d := &plan.Deploy{Stage: stage, Description: desc, StageExists: true}
	if ws := t.API.Stage(stage); ws != nil {
		d.Variables, d.StageDescription = ws.Variables, ws.Description
	}
	res, err := apply.Apply(ctx, sess.Client, &plan.Plan{RestAPIID: id, Deploy: d}, apply.Options{DeployRetries: 3})
	if err != nil {
		return failed("%v", err)
	}
	fmt.Fprintf(ios.Out, "Deployed %s to stage %q: deployment %s.\n", id, stage, res.DeploymentID)
	return nil
}
