package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	v2types "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/portcullis-dev/portcullis/emulator"
)

// TestHTTPAPIEndToEnd: the examples/http-api description goes apply
// --local --probe clean; plan and drift are then clean from both its HCL
// and its OpenAPI form; a route opened out of band is drift (exit 1) and
// the next apply closes it with one UpdateRoute.
func TestHTTPAPIEndToEnd(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("PORTCULLIS_STATE_DIR", dir)
	hcl, _ := filepath.Abs("../examples/http-api/http-api.hcl")
	oas, _ := filepath.Abs("../examples/http-api/http-api.openapi.yaml")

	out, errOut, code := runCLI(t, "apply", hcl, "--local", "--auto-approve", "--probe")
	if code != 0 || !strings.Contains(out, "0 not.") || !strings.Contains(out, "no deployment (the stage deploys itself: auto-deploy)") {
		t.Fatalf("apply --probe: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, desc := range []string{hcl, oas} {
		if out, errOut, code := runCLI(t, "plan", desc, "--local"); code != 0 || !strings.Contains(out, "No changes.") {
			t.Fatalf("plan %s after apply: exit %d\n%s\n%s", desc, code, out, errOut)
		}
		if out, errOut, code := runCLI(t, "drift", desc, "--local"); code != 0 {
			t.Fatalf("drift %s after apply: exit %d\n%s\n%s", desc, code, out, errOut)
		}
	}

	// Import to HCL plans clean.
	imported := filepath.Join(t.TempDir(), "imported.hcl")
	if _, errOut, code := runCLI(t, "import", "--name", "todo-http", "--local", "-o", imported); code != 0 {
		t.Fatalf("import: exit %d\n%s", code, errOut)
	}
	if out, errOut, code := runCLI(t, "plan", imported, "--local"); code != 0 || !strings.Contains(out, "No changes.") {
		t.Fatalf("plan of the import: exit %d\n%s\n%s", code, out, errOut)
	}

	// Open GET /items out of band, through the control plane.
	url, stop, err := emulator.StartLocalIn(dir, emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := apigatewayv2.New(apigatewayv2.Options{Region: "us-east-1", BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	ctx := context.Background()
	apis, err := c.GetApis(ctx, &apigatewayv2.GetApisInput{})
	if err != nil || len(apis.Items) != 1 {
		t.Fatalf("GetApis: %v %+v", err, apis)
	}
	id := apis.Items[0].ApiId
	routes, err := c.GetRoutes(ctx, &apigatewayv2.GetRoutesInput{ApiId: id})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range routes.Items {
		if aws.ToString(r.RouteKey) == "GET /items" {
			if _, err := c.UpdateRoute(ctx, &apigatewayv2.UpdateRouteInput{ApiId: id, RouteId: r.RouteId,
				AuthorizationType: v2types.AuthorizationTypeNone, AuthorizerId: aws.String(""), AuthorizationScopes: []string{}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// probe --base-url names the stage itself (here the local gateway's
	// path form): the matrix runs as with --local, one route now open.
	base := url + "/restapis/" + aws.ToString(id) + "/$default/_user_request_"
	if out, _, code := runCLI(t, "probe", hcl, "--base-url", base); code != 1 || !strings.Contains(out, "6 not.") {
		t.Fatalf("probe --base-url with a route open: exit %d\n%s", code, out)
	}
	_ = stop()

	out, _, code = runCLI(t, "drift", hcl, "--local", "--format", "json")
	if code != 1 || !strings.Contains(out, `"drift-method-open"`) {
		t.Fatalf("drift after opening a route: exit %d\n%s", code, out)
	}
	out, errOut, code = runCLI(t, "apply", hcl, "--local", "--auto-approve", "--probe")
	if code != 0 || !strings.Contains(out, "1 write call(s)") || !strings.Contains(out+errOut, "UpdateRoute route.GET /items") {
		t.Fatalf("apply after drift: exit %d\n%s\n%s", code, out, errOut)
	}
	if _, _, code := runCLI(t, "drift", hcl, "--local"); code != 0 {
		t.Fatalf("drift after the repair: exit %d", code)
	}
}
