package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"

	"github.com/portcullis-dev/portcullis/emulator"
	"github.com/portcullis-dev/portcullis/views"
)

// httpVariant writes examples/http-api with each old -> new replacement
// made, and returns its path.
func httpVariant(t *testing.T, name string, repl ...string) string {
	t.Helper()
	src, err := os.ReadFile("../examples/http-api/http-api.hcl")
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	for i := 0; i+1 < len(repl); i += 2 {
		if !strings.Contains(s, repl[i]) {
			t.Fatalf("the example has no %q", repl[i])
		}
		s = strings.Replace(s, repl[i], repl[i+1], 1)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestHTTPDeploy: deploy for an HTTP API. A manual stage whose working
// configuration was changed out of band (GET /items now wants todo/admin,
// as the changed description says) is seen as undeployed by plan and
// drift; deploy makes one CreateDeployment, reports what it deployed, and
// plan and drift are clean after. An auto-deploy stage deploys itself:
// deploy makes no call and says so (exit 0). A stage neither described
// nor live needs --new-stage (exit 2), which creates and deploys it.
func TestHTTPDeploy(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("PORTCULLIS_STATE_DIR", dir)
	manual := httpVariant(t, "manual.hcl", "auto_deploy = true", "auto_deploy = false")
	changed := httpVariant(t, "changed.hcl", "auto_deploy = true", "auto_deploy = false", `scopes = ["todo/read"]`, `scopes = ["todo/admin"]`)
	if out, errOut, code := runCLI(t, "apply", manual, "--local", "--auto-approve"); code != 0 || !strings.Contains(out, "deployment") {
		t.Fatalf("apply: exit %d\n%s\n%s", code, out, errOut)
	}

	url, stop, err := emulator.StartLocalIn(dir, emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := apigatewayv2.New(apigatewayv2.Options{Region: "us-east-1", BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	ctx := context.Background()
	apis, err := c.GetApis(ctx, &apigatewayv2.GetApisInput{})
	if err != nil || len(apis.Items) != 1 {
		t.Fatalf("GetApis: %v", err)
	}
	id := apis.Items[0].ApiId
	routes, err := c.GetRoutes(ctx, &apigatewayv2.GetRoutesInput{ApiId: id})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range routes.Items {
		if aws.ToString(r.RouteKey) == "GET /items" {
			if _, err := c.UpdateRoute(ctx, &apigatewayv2.UpdateRouteInput{ApiId: id, RouteId: r.RouteId, AuthorizationScopes: []string{"todo/admin"}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	before, err := c.GetDeployments(ctx, &apigatewayv2.GetDeploymentsInput{ApiId: id})
	if err != nil {
		t.Fatal(err)
	}
	_ = stop()

	if out, _, code := runCLI(t, "plan", changed, "--local", "--exit-code"); code != 1 || !strings.Contains(out, "deployment") {
		t.Fatalf("plan of the undeployed change: exit %d\n%s", code, out)
	}
	if out, _, code := runCLI(t, "drift", changed, "--local", "--format", "json"); code != 1 || !strings.Contains(out, "drift-undeployed") {
		t.Fatalf("drift of the undeployed change: exit %d\n%s", code, out)
	}
	out, errOut, code := runCLI(t, "deploy", changed, "--local", "--format", "json", "--description", "hotfix")
	if code != 0 {
		t.Fatalf("deploy: exit %d\n%s\n%s", code, out, errOut)
	}
	var doc views.DeployDocument
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("deploy --format json: %v\n%s", err, out)
	}
	if doc.APIID != aws.ToString(id) || doc.Stage != "$default" || doc.DeploymentID == "" || doc.AutoDeploy || doc.Calls != 1 ||
		len(doc.Undeployed) != 1 || !strings.HasPrefix(doc.Undeployed[0], "GET /items: ") || !strings.HasSuffix(doc.InvokeURL, "/$default/_user_request_") {
		t.Fatalf("deploy document: %+v", doc)
	}
	if out, _, code := runCLI(t, "plan", changed, "--local", "--exit-code"); code != 0 {
		t.Fatalf("plan after deploy: exit %d\n%s", code, out)
	}
	if out, _, code := runCLI(t, "drift", changed, "--local"); code != 0 {
		t.Fatalf("drift after deploy: exit %d\n%s", code, out)
	}
	url, stop, err = emulator.StartLocalIn(dir, emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c = apigatewayv2.New(apigatewayv2.Options{Region: "us-east-1", BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	after, err := c.GetDeployments(ctx, &apigatewayv2.GetDeploymentsInput{ApiId: id})
	_ = stop()
	if err != nil || len(after.Items) != len(before.Items)+1 {
		t.Fatalf("want exactly one new deployment: %v, %d -> %d", err, len(before.Items), len(after.Items))
	}
	for _, d := range after.Items {
		if aws.ToString(d.DeploymentId) == doc.DeploymentID && aws.ToString(d.Description) != "hotfix" {
			t.Errorf("the deployment's description is %q", aws.ToString(d.Description))
		}
	}

	// The stage neither described nor live.
	if _, errOut, code := runCLI(t, "deploy", changed, "--local", "--stage", "dev"); code != 2 || !strings.Contains(errOut, "--new-stage") {
		t.Fatalf("deploy to an unknown stage: exit %d\n%s", code, errOut)
	}
	if out, errOut, code := runCLI(t, "deploy", changed, "--local", "--stage", "dev", "--new-stage"); code != 0 || !strings.Contains(out, `to stage "dev": deployment`) {
		t.Fatalf("deploy --new-stage: exit %d\n%s\n%s", code, out, errOut)
	}

	// An auto-deploy stage deploys itself.
	auto, _ := filepath.Abs("../examples/http-api/http-api.hcl")
	if out, errOut, code := runCLI(t, "apply", auto, "--local", "--auto-approve"); code != 0 {
		t.Fatalf("apply of the auto-deploy example: exit %d\n%s\n%s", code, out, errOut)
	}
	out, errOut, code = runCLI(t, "deploy", auto, "--local", "--format", "json")
	doc = views.DeployDocument{}
	if code != 0 || json.Unmarshal([]byte(out), &doc) != nil || !doc.AutoDeploy || doc.Calls != 0 || doc.DeploymentID == "" {
		t.Fatalf("deploy of an auto-deploy stage: exit %d\n%s\n%s", code, out, errOut)
	}
	if out, _, code := runCLI(t, "deploy", auto, "--local"); code != 0 || !strings.Contains(out, "deploys itself (auto-deploy)") {
		t.Fatalf("deploy of an auto-deploy stage (text): exit %d\n%s", code, out)
	}
}
