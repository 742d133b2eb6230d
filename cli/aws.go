package cli

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/spf13/cobra"

	"github.com/portcullis-dev/portcullis/emulator"
	"github.com/portcullis-dev/portcullis/internal/loopback"
	"github.com/portcullis-dev/portcullis/live"
	"github.com/portcullis-dev/portcullis/policies"
	"github.com/portcullis-dev/portcullis/report"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/state"
)

// AWSFlags are the flags of every command that talks to API Gateway.
type AWSFlags struct {
	Local       bool
	EndpointURL string
	Profile     string
	Region      string
}

// Register adds --local, --endpoint-url, --profile and --region to cmd.
func (f *AWSFlags) Register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.BoolVar(&f.Local, "local", false, "use the embedded API Gateway, with its state under .portcullis/ in the working directory")
	fl.StringVar(&f.EndpointURL, "endpoint-url", "", "send API Gateway calls to `URL` (a running `portcullis local serve`, LocalStack); also AWS_ENDPOINT_URL_API_GATEWAY")
	fl.StringVar(&f.Profile, "profile", "", "use the named AWS profile (default: AWS_PROFILE, then the default chain)")
	fl.StringVar(&f.Region, "region", "", "AWS region (default: the description's region, then AWS_REGION / the profile's)")
}

// AWSSession is a client and what it talks to.
type AWSSession struct {
	Client *apigateway.Client
	// EndpointURL is the endpoint in use when not AWS itself ("" for AWS
	// or an endpoint set through the environment).
	EndpointURL string
	Local       bool
	Region      string
	close       func() error
}

// Close stops the embedded gateway, if one was started.
func (s *AWSSession) Close() error {
	if s.close == nil {
		return nil
	}
	return s.close()
}

// Connect builds the API Gateway client. descRegion is the description's
// region, used when --region is not given. With --local the embedded
// gateway starts in-process; its state lives in .portcullis/ of the
// working directory, so separate runs see the same APIs.
func (f *AWSFlags) Connect(ctx context.Context, descRegion string) (*AWSSession, error) {
	if f.Local && f.EndpointURL != "" {
		return nil, failed("--local and --endpoint-url are exclusive: --local starts its own gateway")
	}
	cfg := live.Config{Profile: f.Profile, Region: f.Region, EndpointURL: f.EndpointURL}
	if cfg.Region == "" {
		cfg.Region = descRegion
	}
	s := &AWSSession{EndpointURL: f.EndpointURL, Local: f.Local}
	// A gateway on loopback (`portcullis local serve`, LocalStack) ignores
	// signatures: it gets dummy credentials rather than a credential chain
	// that would probe IMDS for seconds before failing.
	cfg.Local = loopback.URL(f.EndpointURL)
	if f.Local {
		dir, err := os.Getwd()
		if err != nil {
			return nil, failed("%v", err)
		}
		url, stop, err := emulator.StartLocal(dir)
		if err != nil {
			return nil, failed("%v", err)
		}
		cfg.EndpointURL, cfg.Local = url, true
		// The embedded gateway does not throttle, so pacing at AWS's
		// account limits would only slow a local run down.
		off := live.DefaultLimits().Scaled(0)
		cfg.Limits = &off
		s.EndpointURL, s.close = url, stop
	}
	c, err := live.NewClient(ctx, cfg)
	if err != nil {
		_ = s.Close()
		return nil, failed("%v", err)
	}
	s.Client, s.Region = c, c.Options().Region
	return s, nil
}

// liveTarget is the description a live command works on.
type liveTarget struct {
	Desc *spec.Description
	API  *spec.API
}

// loadAPI reads the description at path and picks its API (--api NAME
// when it describes several). Invalid descriptions are reported on stderr
// and end the command with exit 1.
func loadAPI(ios *IOStreams, lf *LoadFlags, path, name string) (*liveTarget, error) {
	d, ds := lf.Load(ios, path)
	if ds.HasErrors() {
		_ = report.Write(ios.ErrOut, "text", &report.Report{Diagnostics: ds, Files: d.Files})
		return nil, findings()
	}
	var names []string
	for _, a := range d.APIs {
		if name == "" && len(d.APIs) == 1 || a.Name == name {
			return &liveTarget{Desc: d, API: a}, nil
		}
		names = append(names, a.Name)
	}
	if name == "" {
		return nil, failed("%s describes %d APIs (%s): pick one with --api", path, len(d.APIs), strings.Join(names, ", "))
	}
	return nil, failed("%s has no api %q (it has %s)", path, name, strings.Join(names, ", "))
}

// policyGate refuses to change a live API from a description that the
// built-in rules reject (an unauthenticated route not declared public, a
// public route without a reason, ...): deny by default holds on the way to
// AWS, not only in validate. Suppressions in the description apply.
func policyGate(ios *IOStreams, t *liveTarget) error {
	one := &spec.Description{APIs: []*spec.API{t.API}, Files: t.Desc.Files}
	ds := policies.Finish(one, policies.Check(one, policies.Config{}))
	if !ds.HasErrors() {
		return nil
	}
	var errs spec.Diagnostics
	for _, d := range ds {
		if d.Severity == spec.SeverityError && !d.Suppressed {
			errs = append(errs, d)
		}
	}
	_ = report.Write(ios.ErrOut, "text", &report.Report{Diagnostics: errs, Files: t.Desc.Files})
	fmt.Fprintln(ios.ErrOut, "The description fails the policies above; nothing was changed. Fix it, or suppress a rule with ignore and a reason.")
	return findings()
}

// readLive reads the live API the description names (nil when it does not
// exist yet and is named only by name).
func readLive(ctx context.Context, s *AWSSession, api *spec.API, opt live.ReadOptions) (*state.State, error) {
	st, err := live.ReadFor(ctx, s.Client, api, opt)
	if err != nil {
		return nil, failed("reading the live API: %v", err)
	}
	return st, nil
}

// writeNotes prints plan notes and errors (undescribed methods, routes that
// cannot be created) on stderr.
func writeNotes(ios *IOStreams, files map[string][]byte, ds spec.Diagnostics) {
	if len(ds) == 0 {
		return
	}
	_ = report.Write(ios.ErrOut, "text", &report.Report{Diagnostics: ds, Files: files})
}
