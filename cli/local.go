package cli

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"time"

	"github.com/spf13/cobra"

	"github.com/portcullis-dev/portcullis/emulator"
	"github.com/portcullis-dev/portcullis/internal/escape"
	"github.com/portcullis-dev/portcullis/internal/loopback"
)

// newLocalCmd is `portcullis local`: the embedded API Gateway.
func newLocalCmd(ios *IOStreams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "local",
		Short: "Run the embedded API Gateway (control plane, Cognito-enforcing data plane, token issuer)",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newLocalServeCmd(ios))
	cmd.AddCommand(newLocalTokenCmd(ios))
	return cmd
}

// localServeOptions are `portcullis local serve`'s inputs.
type localServeOptions struct {
	Addr    string
	State   string
	Region  string
	Issuers IssuerFlags
	// ready, when set (tests), gets the endpoint URL once serving.
	ready func(string)
}

func newLocalServeCmd(ios *IOStreams) *cobra.Command {
	o := &localServeOptions{}
	cmd := &cobra.Command{
		Use:   "serve [--addr 127.0.0.1:4567] [--state FILE]",
		Short: "Serve the embedded API Gateway until interrupted",
		Long: `Serve an API Gateway emulator for REST APIs (v1) and HTTP APIs (v2): the
control plane speaks the real wire protocol (apigateway and apigatewayv2, under
/v2/apis), so the AWS CLI, the SDKs, Terraform and portcullis apply/drift can
drive it with --endpoint-url; deployed stages are served at
  http://ADDR/restapis/API_ID/STAGE/_user_request_/PATH
and at http://API_ID.execute-api.localhost:PORT/STAGE/PATH (an HTTP API's
$default stage at http://API_ID.execute-api.localhost:PORT/PATH), with Cognito
authorizers and JWT authorizers enforced for real (see --issuer and portcullis
local token).

Without --state everything lives in memory; with it, the state is loaded at
start and written after every change. Faults and the call log are under
/_portcullis/ (faults, calls, health).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return o.run(cmd.Context(), ios)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Addr, "addr", "127.0.0.1:4567", "listen `address`")
	f.StringVar(&o.State, "state", "", "keep the state in `FILE` (default: in memory)")
	f.StringVar(&o.Region, "region", "us-east-1", "the `region` the emulated gateway reports")
	o.Issuers.Register(cmd)
	return cmd
}

func (o *localServeOptions) run(ctx context.Context, ios *IOStreams) error {
	setup, err := o.Issuers.Setup(ios)
	if err != nil {
		return failed("%v", err)
	}
	verifier, _, err := setup.Verifier()
	if err != nil {
		return failed("%v", err)
	}
	defer verifier.Resolver.Close()
	opts := emulator.Options{Region: o.Region}
	opts.DataPlane.Verifier = verifier
	opts.DataPlane.Logf = func(format string, args ...any) {
		fmt.Fprintf(ios.ErrOut, "gateway: "+format+"\n", args...)
	}
	var e *emulator.Emulator
	if o.State != "" {
		if e, err = emulator.Open(o.State, opts); err != nil {
			return failed("%v", err)
		}
	} else {
		e = emulator.New(opts)
	}
	warnIfExposed(ios.ErrOut, o.Addr)
	endpoint, err := e.Start(o.Addr)
	if err != nil {
		return failed("%v", err)
	}
	o.banner(ios, endpoint, e.Stages())
	if o.ready != nil {
		o.ready(endpoint)
	}
	<-ctx.Done()
	fmt.Fprintln(ios.ErrOut, "Shutting down...")
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := e.Shutdown(sctx); err != nil {
		return failed("shutdown: %v", err)
	}
	return nil
}

// warnIfExposed says loudly when addr is reachable from other machines:
// the gateway accepts any credentials, so its control plane changes APIs
// for whoever reaches it.
func warnIfExposed(w io.Writer, addr string) {
	if loopback.Host(addr) {
		return
	}
	fmt.Fprintf(w, "WARNING: --addr %s is not a loopback address: anyone who can reach this machine on that port can\n"+
		"WARNING: create, change and delete APIs here (any AWS credentials are accepted). Use 127.0.0.1 unless you mean it.\n", addr)
}

func (o *localServeOptions) banner(ios *IOStreams, endpoint string, stages []emulator.StageRef) {
	port := ""
	if u, err := url.Parse(endpoint); err == nil {
		port = u.Port()
	}
	state := "in memory (use --state FILE to keep it)"
	if o.State != "" {
		state = o.State
	}
	w := ios.Out
	fmt.Fprintf(w, "Portcullis local API Gateway listening on %s\n", endpoint)
	fmt.Fprintf(w, "State: %s\n\n", state)
	fmt.Fprintf(w, "Point the AWS CLI at it (any credentials work):\n")
	fmt.Fprintf(w, "  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=%s\n", o.Region)
	fmt.Fprintf(w, "  aws apigateway get-rest-apis --endpoint-url %s\n\n", endpoint)
	fmt.Fprintf(w, "Or portcullis itself: portcullis apply --endpoint-url %s ...\n\n", endpoint)
	fmt.Fprintf(w, "Invoke a deployed stage:\n")
	fmt.Fprintf(w, "  curl %s/restapis/API_ID/STAGE/_user_request_/PATH\n", endpoint)
	fmt.Fprintf(w, "  curl http://API_ID.execute-api.localhost:%s/STAGE/PATH\n", port)
	fmt.Fprintf(w, "  with a token: -H \"Authorization: $(portcullis local token --pool POOL_ARN --user alice)\"\n\n")
	if len(stages) > 0 {
		// Names come from the state file, which any --local run writes.
		fmt.Fprintf(w, "Deployed stages:\n")
		for _, s := range stages {
			fmt.Fprintf(w, "  %s (%s) %s: %s/restapis/%s/%s/_user_request_/\n", escape.Control(s.APIName), s.APIID, escape.Control(s.Stage), endpoint, s.APIID, s.Stage)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "Faults and the call log (send the header %s: 1): %s/_portcullis/faults, %s/_portcullis/calls\n", emulator.AdminHeader, endpoint, endpoint)
	fmt.Fprintf(w, "Press Ctrl-C to stop.\n")
}
