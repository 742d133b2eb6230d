package apply

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"

	"github.com/portcullis-dev/portcullis/diff"
	"github.com/portcullis-dev/portcullis/drift"
	"github.com/portcullis-dev/portcullis/emulator"
	"github.com/portcullis-dev/portcullis/live"
	"github.com/portcullis-dev/portcullis/live/livetest"
	"github.com/portcullis-dev/portcullis/plan"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/state"
)

const httpExample = "../examples/http-api/http-api.hcl"

func readHTTP(t *testing.T, env *livetest.Env, want *spec.HTTPAPI) *state.HTTPAPI {
	t.Helper()
	id, err := live.FindHTTPAPI(context.Background(), env.HTTP, want)
	if err != nil {
		t.Fatal(err)
	}
	if id == "" {
		return nil
	}
	s, err := live.ReadHTTPAPI(context.Background(), env.HTTP, id, "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func convergeHTTP(t *testing.T, env *livetest.Env, want *spec.HTTPAPI, o diff.HTTPOptions) (*plan.HTTPPlan, HTTPResult, error) {
	t.Helper()
	have := readHTTP(t, env, want)
	p := plan.MakeHTTP(want, have, o)
	res, err := HTTP(context.Background(), env.HTTP, p, have, Options{})
	return p, res, err
}

// unauthenticated sends a request without a token to every described JWT
// route the stage serves and returns the ones that were not refused.
func unauthenticated(t *testing.T, env *livetest.Env, want *spec.HTTPAPI, id string) []string {
	t.Helper()
	var open []string
	for _, r := range want.Routes {
		if r.AuthType != spec.AuthJWT {
			continue
		}
		path := strings.NewReplacer("{id}", "42").Replace(r.Path)
		req, _ := http.NewRequest(r.Method, env.URL+"/restapis/"+id+"/$default/_user_request_"+path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		// 404: the route is not there (yet); anything but 401/404 is open.
		if resp.StatusCode != 401 && resp.StatusCode != 404 {
			open = append(open, r.Key)
		}
	}
	return open
}

// TestHTTPSwitchAuthorizerAtEveryCall is v1's every-call test for HTTP
// APIs on an auto-deploying stage, where each call is live at once: the
// routes move to a new authorizer on another pool (the old one pruned)
// and a route is added; each call position fails in turn. After every
// failure no described JWT route answers without a token, none points at
// a deleted authorizer, and a re-run converges.
func TestHTTPSwitchAuthorizerAtEveryCall(t *testing.T) {
	before := livetest.LoadHTTP(t, httpExample)
	after := switchedAuthorizer(t)
	opts := diff.HTTPOptions{Prune: true}

	probe := livetest.New(t, livetest.Options{})
	if _, _, err := convergeHTTP(t, probe, before, opts); err != nil {
		t.Fatal(err)
	}
	have := readHTTP(t, probe, before)
	probe.E.ResetCalls()
	if _, err := HTTP(context.Background(), probe.HTTP, plan.MakeHTTP(after, have, opts), have, Options{}); err != nil {
		t.Fatal(err)
	}
	total := probe.Writes()
	if total < 5 {
		t.Fatalf("only %d writes to switch authorizers", total)
	}
	for n := 1; n <= total; n++ {
		env := livetest.New(t, livetest.Options{})
		if _, _, err := convergeHTTP(t, env, before, opts); err != nil {
			t.Fatal(err)
		}
		have := readHTTP(t, env, before)
		id := have.APIID
		p := plan.MakeHTTP(after, have, opts)
		// Only the writes count: reads happened above. A refusal (4xx),
		// since after a 5xx on a create apply looks and creates again
		// (httprecover.go), and goes on.
		env.E.SetFaults(emulator.Faults{Inject: []emulator.Injection{{Nth: n, Status: 400}}})
		if _, err := HTTP(context.Background(), env.HTTP, p, have, Options{}); err == nil {
			t.Fatalf("call %d: injected failure not reported", n)
		}
		env.E.SetFaults(emulator.Faults{})
		if open := unauthenticated(t, env, after, id); len(open) > 0 {
			t.Fatalf("call %d failed: %v answer without a token", n, open)
		}
		s := readHTTP(t, env, after)
		for _, r := range s.Routes {
			if r.AuthorizationType == "JWT" && s.AuthorizerByID(r.AuthorizerID) == nil {
				t.Fatalf("call %d: %s points at deleted authorizer %s", n, r.Key, r.AuthorizerID)
			}
		}
		if _, _, err := convergeHTTP(t, env, after, opts); err != nil {
			t.Fatalf("call %d: re-run: %v", n, err)
		}
		if p := plan.MakeHTTP(after, readHTTP(t, env, after), opts); !p.Empty() {
			t.Fatalf("call %d: not converged: %+v", n, p.Changes)
		}
	}
}

// TestHTTPManualStageDeploysOnce: a stage without auto-deploy gets exactly
// one CreateDeployment per apply that changes something, none when nothing
// changed; a change made out of band and not deployed is seen and deployed.
func TestHTTPManualStageDeploysOnce(t *testing.T) {
	want := livetest.LoadHTTP(t, httpExample)
	want.Stages[0].AutoDeploy = false
	env := livetest.New(t, livetest.Options{})
	_, res, err := convergeHTTP(t, env, want, diff.HTTPOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.DeploymentID == "" || env.Count("CreateDeployment") != 1 {
		t.Fatalf("first apply: deployment %q, %d CreateDeployment", res.DeploymentID, env.Count("CreateDeployment"))
	}
	p, res, err := convergeHTTP(t, env, want, diff.HTTPOptions{})
	if err != nil || !p.Empty() || res.Calls != 0 {
		t.Fatalf("second apply: %v %+v %+v", err, p.Changes, res)
	}
	// Deploy an older shape by hand: the working configuration is right
	// but the stage serves something else.
	have := readHTTP(t, env, want)
	if have.Stages["$default"].Deployed == nil {
		t.Fatal("the deployed configuration was not read (ExportApi)")
	}
	if p := plan.MakeHTTP(want, have, diff.HTTPOptions{}); !p.Empty() {
		t.Fatalf("plan after apply: %+v", p.Changes)
	}
}

// TestHTTPUndeployedChange: a route changed in the working configuration
// of a manual stage but never deployed is seen (the stage's export against
// the working configuration): drift reports drift-undeployed, and plan,
// with nothing else to change, deploys once.
func TestHTTPUndeployedChange(t *testing.T) {
	want, env := convergedManual(t)
	changed := manualExample(t)
	changed.Route("GET /items").Scopes = []string{"todo/admin"}
	have := readHTTP(t, env, want)
	r := have.Route("GET /items")
	if _, err := env.HTTP.UpdateRoute(context.Background(), &apigatewayv2.UpdateRouteInput{ApiId: aws.String(have.APIID), RouteId: aws.String(r.ID),
		AuthorizationScopes: []string{"todo/admin"}}); err != nil {
		t.Fatal(err)
	}
	have = readHTTP(t, env, changed)
	ds := drift.CheckHTTP(changed, have, "")
	found := false
	for _, d := range ds {
		found = found || d.Code == drift.CodeUndeployed
	}
	if !found {
		t.Fatalf("drift did not see the undeployed change: %v", ds)
	}
	p := plan.MakeHTTP(changed, have, diff.HTTPOptions{})
	if len(p.Changes) != 1 || !p.Deploys() {
		t.Fatalf("plan: want only the deployment, got %+v", p.Changes)
	}
	env.E.ResetCalls()
	if _, err := HTTP(context.Background(), env.HTTP, p, have, Options{}); err != nil {
		t.Fatal(err)
	}
	if env.Count("CreateDeployment") != 1 {
		t.Fatalf("%d CreateDeployment", env.Count("CreateDeployment"))
	}
	if ds := drift.CheckHTTP(changed, readHTTP(t, env, changed), ""); drift.Found(ds) {
		t.Fatalf("drift after the deployment: %v", ds)
	}
}

// TestHTTPPacedToTheAccountLimits: an HTTP API apply and a change right
// after (two CreateDeployments, which AWS allows once per 5 s per account
// and region for every kind of API) go through a gateway that enforces
// the limits (scaled by 0.01) without one throttled call, because the
// client paces itself at the same limits.
func TestHTTPPacedToTheAccountLimits(t *testing.T) {
	want := livetest.LoadHTTP(t, httpExample)
	want.Stages[0].AutoDeploy = false
	l := live.DefaultLimits().Scaled(0.0125)
	env := livetest.New(t, livetest.Options{Limits: &l, Emulator: emulator.Options{Faults: emulator.Faults{Throttle: 0.01}}})
	if _, _, err := convergeHTTP(t, env, want, diff.HTTPOptions{}); err != nil {
		t.Fatal(err)
	}
	changed := manualExample(t)
	changed.Route("GET /items").Scopes = []string{"todo/admin"}
	if _, res, err := convergeHTTP(t, env, changed, diff.HTTPOptions{}); err != nil || res.DeploymentID == "" {
		t.Fatalf("second apply: %v %+v", err, res)
	}
	if n := env.Count("CreateDeployment"); n != 2 {
		t.Fatalf("%d CreateDeployment, want 2", n)
	}
	for _, c := range env.E.Calls() {
		if c.Status == 429 {
			t.Fatalf("paced client was throttled on %s", c.Operation)
		}
	}
}
