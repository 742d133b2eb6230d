package cli

import (
	"context"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/portcullis-dev/portcullis/workflow"
)

// AWSFlags are the flags of every command that talks to API Gateway.
type AWSFlags struct {
	Local       bool
	StateDir    string
	EndpointURL string
	Profile     string
	Region      string
}

// Register adds --local, --state-dir, --endpoint-url, --profile and
// --region to cmd.
func (f *AWSFlags) Register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.BoolVar(&f.Local, "local", false, "use the embedded API Gateway, with its state in the local state directory (--state-dir)")
	registerStateDir(cmd, &f.StateDir)
	fl.StringVar(&f.EndpointURL, "endpoint-url", "", "send API Gateway calls to `URL` (a running `portcullis local serve`, LocalStack); also AWS_ENDPOINT_URL_API_GATEWAY")
	fl.StringVar(&f.Profile, "profile", "", "use the named AWS profile (default: AWS_PROFILE, then the default chain)")
	fl.StringVar(&f.Region, "region", "", "AWS region (default: the description's region, then AWS_REGION / the profile's)")
}

func registerStateDir(cmd *cobra.Command, dst *string) {
	cmd.Flags().StringVar(dst, "state-dir", "", "the local state `DIR` (the embedded gateway's state.json, the built-in issuer's key); default $"+workflow.EnvStateDir+", else $XDG_STATE_HOME/portcullis, else ~/.local/state/portcullis")
}

// Endpoint is the flags as the workflow takes them.
func (f *AWSFlags) Endpoint(ios *IOStreams) (workflow.Endpoint, error) {
	ep := workflow.Endpoint{Local: f.Local, EndpointURL: f.EndpointURL, Profile: f.Profile, Region: f.Region}
	if f.Local {
		dir, err := workflow.StateDir(f.StateDir, ios.Getenv)
		if err != nil {
			return ep, failed("%v", err)
		}
		ep.StateDir = dir
	}
	return ep, nil
}

// keyFile is the built-in issuer's key: --issuer-key when given, else in
// the local state directory.
func keyFile(ios *IOStreams, flag, stateDir string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	dir, err := workflow.StateDir(stateDir, ios.Getenv)
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, workflow.KeyFileName), nil
}

// openLive is the start every live command shares: load the description
// and pick its API, the policy gate when the command changes the live API,
// then connect. Failures are reported in the command's format.
func openLive(ctx context.Context, ios *IOStreams, lf *LoadFlags, af *AWSFlags, out *OutputFlags, path, api string, gate bool) (*workflow.Target, *workflow.Session, error) {
	t, err := workflow.Load(path, lf.Options(ios), api)
	if err != nil {
		return nil, nil, out.Fail(ios, err)
	}
	if ds := workflow.Gate(t); gate && len(ds) > 0 {
		return nil, nil, out.Fail(ios, workflow.GateError(t, ds))
	}
	ep, err := af.Endpoint(ios)
	if err != nil {
		return nil, nil, err
	}
	sess, err := workflow.Connect(ctx, ep, t.Region())
	if err != nil {
		return nil, nil, out.Fail(ios, err)
	}
	return t, sess, nil
}
