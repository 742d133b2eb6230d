package cli

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"

	"github.com/portcullis-dev/portcullis/internal/peertest"
	"github.com/portcullis-dev/portcullis/live"
	"github.com/portcullis-dev/portcullis/workflow"
)

// wantCode fails the test when the command did not exit with want.
func wantCode(t *testing.T, want int, args ...string) (stdout, stderr string) {
	t.Helper()
	out, errOut, code := runCLI(t, args...)
	if code != want {
		t.Fatalf("portcullis %s: exit %d, want %d\n[stdout]\n%s[stderr]\n%s", strings.Join(args, " "), code, want, out, errOut)
	}
	return out, errOut
}

// writeCounter sits in front of a peer and counts its write calls (every
// verb but GET) and CreateDeployment calls.
type writeCounter struct{ writes, deployments atomic.Int32 }

func countingProxy(t *testing.T, target string) (string, *writeCounter) {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	c := &writeCounter{}
	rp := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			c.writes.Add(1)
			if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/deployments") {
				c.deployments.Add(1)
			}
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, c
}

func example(rel string) string { return filepath.Join(peertest.Root(), "examples", rel) }

// motoExamples are the examples whose features moto 5.2.1 implements
// (docs/live.md lists what it lacks: id-tokens' identityValidationExpression
// is dropped by its CreateAuthorizer; multipool, swagger and existing-api
// describe routes of an API that already exists).
var motoExamples = []struct{ path, name, region string }{
	{"todo/todo.hcl", "todo", "us-east-1"},
	{"proxy/api.hcl", "gateway", "us-west-2"},
}

// TestMotoPeer holds apply, plan, drift, import and probe against moto, an
// API Gateway control plane written by other people: a fresh apply
// creates the API; plan --exit-code is 0 right after; a second apply makes
// no write and no deployment; import (HCL and OpenAPI) then plan of the
// imported file is 0; drift is clean; probe says it could not reach the
// stage (moto has no data plane) and never "open".
func TestMotoPeer(t *testing.T) {
	moto := peertest.Moto(t)
	endpoint, count := countingProxy(t, moto)
	dir := t.TempDir()
	t.Setenv(workflow.EnvStateDir, filepath.Join(dir, "state"))
	for _, ex := range motoExamples {
		t.Run(ex.name, func(t *testing.T) {
			path := example(ex.path)
			e := []string{"--endpoint-url", endpoint}
			out, _ := wantCode(t, 0, append([]string{"apply", "--auto-approve", path}, e...)...)
			if !strings.Contains(out, "Apply complete") || !strings.Contains(out, "its URL is not known") {
				t.Errorf("first apply:\n%s", out)
			}
			_, errOut := wantCode(t, 0, append([]string{"plan", "--exit-code", path}, e...)...)
			if n := strings.Count(errOut, "[plan-unverified]"); n != 1 || !strings.Contains(errOut, "GetDeployment") || !strings.Contains(errOut, "GetExport") {
				t.Errorf("plan must warn once, naming the operations; got %d warning(s):\n%s", n, errOut)
			}
			w, d := count.writes.Load(), count.deployments.Load()
			wantCode(t, 0, append([]string{"apply", "--auto-approve", path}, e...)...)
			if dw, dd := count.writes.Load()-w, count.deployments.Load()-d; dw != 0 || dd != 0 {
				t.Errorf("second apply: %d write(s), %d deployment(s), want none", dw, dd)
			}
			wantCode(t, 0, append([]string{"drift", path}, e...)...)
			for _, ext := range []string{"hcl", "yaml"} {
				imported := filepath.Join(dir, ex.name+"."+ext)
				// Regions are apart on moto as on AWS: the description's.
				wantCode(t, 0, append([]string{"import", "--name", ex.name, "--region", ex.region, "-o", imported}, e...)...)
				wantCode(t, 0, append([]string{"plan", "--exit-code", imported}, e...)...)
			}
			_, errOut = wantCode(t, 2, append([]string{"probe", path}, e...)...)
			if !strings.Contains(errOut, "not known to serve stages") || !strings.Contains(errOut, "--base-url") {
				t.Errorf("probe through moto's endpoint:\n%s", errOut)
			}
		})
	}

	// The stage URL moto would have if it served one: probe says it could
	// not reach it (exit 2), never that the routes are open.
	c := motoClient(t, moto)
	id, _, err := live.Find(context.Background(), c, live.Target{Name: "todo"})
	if err != nil {
		t.Fatal(err)
	}
	_, errOut := wantCode(t, 2, "probe", example("todo/todo.hcl"), "--base-url", moto+"/restapis/"+id+"/prod/_user_request_")
	if !strings.Contains(errOut, "could not reach the stage") || strings.Contains(errOut, "OPEN") {
		t.Errorf("probe of a stage moto does not serve:\n%s", errOut)
	}
}

// TestMotoLacksAnOperation: changing a scope needs UpdateMethod, which
// moto does not implement (an HTML 500). Apply stops within 30 s naming
// the operation and the answer, and no method is less protected than
// before.
func TestMotoLacksAnOperation(t *testing.T) {
	moto := peertest.Moto(t)
	src := example("todo/todo.hcl")
	wantCode(t, 0, "apply", "--auto-approve", src, "--endpoint-url", moto)
	body, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	changed := filepath.Join(t.TempDir(), "todo.hcl")
	if err := os.WriteFile(changed, bytes.ReplaceAll(body, []byte(`"todo/read"`), []byte(`"todo/list"`)), 0o600); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, errOut := wantCode(t, 2, "apply", "--auto-approve", changed, "--endpoint-url", moto)
	if took := time.Since(start); took > 30*time.Second {
		t.Errorf("apply took %v to give up", took)
	}
	for _, want := range []string{"UpdateMethod", "HTTP 500", "text/html", "not an API Gateway error"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("apply's error does not say %q:\n%s", want, errOut)
		}
	}
	c := motoClient(t, moto)
	id, _, err := live.Find(context.Background(), c, live.Target{Name: "todo"})
	if err != nil {
		t.Fatal(err)
	}
	st, err := live.Read(context.Background(), c, id, live.ReadOptions{DeployedStages: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/items", "/items/{id}"} {
		m := st.Method(path, "GET")
		if m == nil || m.AuthorizationType != "COGNITO_USER_POOLS" || !slices.Equal(m.Scopes, []string{"todo/read"}) {
			t.Errorf("GET %s after the failed apply: %+v", path, m)
		}
	}
	deps, err := c.GetDeployments(context.Background(), &apigateway.GetDeploymentsInput{RestApiId: aws.String(id)})
	if err != nil || len(deps.Items) != 1 {
		t.Errorf("deployments after the failed apply: %d (%v), want the first apply's only", len(deps.Items), err)
	}
}

func motoClient(t *testing.T, endpoint string) *apigateway.Client {
	t.Helper()
	off := live.DefaultLimits().Scaled(0)
	c, err := live.NewClient(context.Background(), live.Config{EndpointURL: endpoint, Local: true, Limits: &off, Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
