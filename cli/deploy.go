package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/portcullis-dev/portcullis/plan"
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

For an HTTP API (http_api) the same: one CreateDeployment to the stage
(created first with CreateStage when it is described but not live). A stage
with auto-deploy deploys itself after every change and API Gateway refuses
CreateDeployment for it: deploy makes no call and says so (exit 0), unless
that stage still serves another auth surface than the working
configuration (exit 2: its automatic deployment failed or is pending).

Exit status: 0 deployed (or an auto-deploy stage that already serves the
working configuration), 2 when it could not deploy.`,
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
	if t.HTTPAPI != nil {
		return runDeployHTTP(ctx, ios, o, t, sess)
	}
	res, err := workflow.Deploy(ctx, sess, t.API, o.Stage, o.Description, o.NewStage)
	if err != nil {
		return o.Output.Fail(ios, err)
	}
	if o.Output.Format == "json" {
		doc := views.DeployDocument{Envelope: views.Envelope(nil), APIType: plan.REST, APIID: res.RestAPIID, RestAPIID: res.RestAPIID, Stage: res.Stage,
			DeploymentID: res.DeploymentID, InvokeURL: workflow.InvokeURL(sess, res.RestAPIID, res.Stage), Calls: res.Calls, CreatedStage: res.CreatedStage}
		if err := views.WriteJSON(ios.Out, doc); err != nil {
			return failed("%v", err)
		}
		return nil
	}
	fmt.Fprintf(ios.Out, "Deployed %s to stage %q: deployment %s.\n", res.RestAPIID, res.Stage, res.DeploymentID)
	return nil
}

func runDeployHTTP(ctx context.Context, ios *IOStreams, o *deployOptions, t *workflow.Target, sess *workflow.Session) error {
	res, err := workflow.DeployHTTP(ctx, sess, t.HTTPAPI, o.Stage, o.Description, o.NewStage, nil)
	if err != nil {
		return o.Output.Fail(ios, err)
	}
	url := workflow.HTTPStageURL(sess, res.APIID, res.Endpoint, res.Stage)
	if o.Output.Format == "json" {
		doc := views.DeployDocument{Envelope: views.Envelope(nil), APIType: plan.HTTP, APIID: res.APIID, Stage: res.Stage, DeploymentID: res.DeploymentID,
			InvokeURL: url, AutoDeploy: res.AutoDeploy, CreatedStage: res.CreatedStage, Calls: res.Calls, Undeployed: res.Undeployed}
		if res.Known && doc.Undeployed == nil {
			doc.Undeployed = []string{}
		}
		if err := views.WriteJSON(ios.Out, doc); err != nil {
			return failed("%v", err)
		}
		return nil
	}
	switch {
	case res.AutoDeploy && !res.CreatedStage:
		serves := "what it serves could not be read (no ExportApi)"
		if res.Known {
			serves = fmt.Sprintf("it serves the working configuration (deployment %s)", res.DeploymentID)
		}
		fmt.Fprintf(ios.Out, "Stage %q of HTTP API %s deploys itself (auto-deploy), so nothing was deployed; %s.\n", res.Stage, res.APIID, serves)
		return nil
	case res.AutoDeploy:
		fmt.Fprintf(ios.Out, "Created stage %q of HTTP API %s with auto-deploy: it deploys itself (deployment %s).\n", res.Stage, res.APIID, res.DeploymentID)
		return nil
	}
	switch {
	case !res.Known:
		fmt.Fprintf(ios.Out, "What stage %q served before could not be read (no deployment, or the gateway cannot export it).\n", res.Stage)
	case len(res.Undeployed) > 0:
		fmt.Fprintf(ios.Out, "Stage %q served changes not deployed (deployed -> working): %s.\n", res.Stage, strings.Join(res.Undeployed, "; "))
	default:
		fmt.Fprintf(ios.Out, "Stage %q already served the working configuration's auth surface; deployed again as asked.\n", res.Stage)
	}
	fmt.Fprintf(ios.Out, "Deployed HTTP API %s to stage %q: deployment %s.\n", res.APIID, res.Stage, res.DeploymentID)
	return nil
}
