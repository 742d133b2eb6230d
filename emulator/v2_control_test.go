package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	v2types "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/aws/smithy-go"
)

const testIssuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_DataPlane"

// newV2CP serves e on a loopback test server and returns the SDK's
// apigatewayv2 client pointed at it, retries off.
func newV2CP(t testing.TB, e *Emulator) (*apigatewayv2.Client, *httptest.Server) {
	t.Helper()
	srv := httptest.NewServer(e.Handler())
	t.Cleanup(srv.Close)
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""), HTTPClient: srv.Client()}
	return apigatewayv2.NewFromConfig(cfg, func(o *apigatewayv2.Options) {
		o.BaseEndpoint = aws.String(srv.URL)
		o.Retryer = aws.NopRetryer{}
	}), srv
}

// v2Fixture is an HTTP API with a JWT authorizer, an HTTP_PROXY
// integration and two routes.
type v2Fixture struct {
	api, auth, integ, open, closed string
}

func makeV2API(t testing.TB, c *apigatewayv2.Client, backend string, cors *v2types.Cors) v2Fixture {
	t.Helper()
	ctx := context.Background()
	api := check(c.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("todo"), ProtocolType: v2types.ProtocolTypeHttp, CorsConfiguration: cors}))(t)
	az := check(c.CreateAuthorizer(ctx, &apigatewayv2.CreateAuthorizerInput{
		ApiId: api.ApiId, Name: aws.String("cognito"), AuthorizerType: v2types.AuthorizerTypeJwt,
		IdentitySource:   []string{"$request.header.Authorization"},
		JwtConfiguration: &v2types.JWTConfiguration{Issuer: aws.String(testIssuer), Audience: []string{"client-a"}},
	}))(t)
	in := check(c.CreateIntegration(ctx, &apigatewayv2.CreateIntegrationInput{
		ApiId: api.ApiId, IntegrationType: v2types.IntegrationTypeHttpProxy, IntegrationMethod: aws.String("ANY"),
		IntegrationUri: aws.String(backend), PayloadFormatVersion: aws.String("1.0"),
	}))(t)
	target := aws.String("integrations/" + *in.IntegrationId)
	plain := check(c.CreateIntegration(ctx, &apigatewayv2.CreateIntegrationInput{
		ApiId: api.ApiId, IntegrationType: v2types.IntegrationTypeHttpProxy, IntegrationMethod: aws.String("GET"),
		IntegrationUri: aws.String(strings.TrimSuffix(backend, "/{proxy}") + "/health"), PayloadFormatVersion: aws.String("1.0"),
	}))(t)
	open := check(c.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{ApiId: api.ApiId, RouteKey: aws.String("GET /health"), Target: aws.String("integrations/" + *plain.IntegrationId)}))(t)
	closed := check(c.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{
		ApiId: api.ApiId, RouteKey: aws.String("ANY /items/{proxy+}"), Target: target,
		AuthorizationType: v2types.AuthorizationTypeJwt, AuthorizerId: az.AuthorizerId, AuthorizationScopes: []string{"todo/read"},
	}))(t)
	return v2Fixture{*api.ApiId, *az.AuthorizerId, *in.IntegrationId, *open.RouteId, *closed.RouteId}
}

func TestV2ControlPlaneSDK(t *testing.T) {
	e := New(Options{})
	c, _ := newV2CP(t, e)
	ctx := context.Background()
	f := makeV2API(t, c, "http://127.0.0.1:1", &v2types.Cors{AllowOrigins: []string{"https://app.example"}, AllowHeaders: []string{"authorization"}})

	got := check(c.GetApi(ctx, &apigatewayv2.GetApiInput{ApiId: aws.String(f.api)}))(t)
	if got.ProtocolType != v2types.ProtocolTypeHttp || *got.RouteSelectionExpression != "$request.method $request.path" || got.CreatedDate == nil {
		t.Fatalf("GetApi: %+v", got)
	}
	if got.CorsConfiguration == nil || got.CorsConfiguration.AllowOrigins[0] != "https://app.example" {
		t.Fatalf("cors not kept: %+v", got.CorsConfiguration)
	}
	routes := check(c.GetRoutes(ctx, &apigatewayv2.GetRoutesInput{ApiId: aws.String(f.api)}))(t)
	if len(routes.Items) != 2 || routes.Items[1].AuthorizationType != v2types.AuthorizationTypeJwt || routes.Items[1].AuthorizationScopes[0] != "todo/read" {
		t.Fatalf("GetRoutes: %+v", routes.Items)
	}
	az := check(c.GetAuthorizer(ctx, &apigatewayv2.GetAuthorizerInput{ApiId: aws.String(f.api), AuthorizerId: aws.String(f.auth)}))(t)
	if az.AuthorizerType != v2types.AuthorizerTypeJwt || *az.JwtConfiguration.Issuer != testIssuer || az.IdentitySource[0] != "$request.header.Authorization" {
		t.Fatalf("GetAuthorizer: %+v", az)
	}

	// Typed errors.
	_, err := c.GetApi(ctx, &apigatewayv2.GetApiInput{ApiId: aws.String("nope")})
	wantAPIError[*v2types.NotFoundException](t, err, "GetApi of a missing API")
	_, err = c.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{ApiId: aws.String(f.api), RouteKey: aws.String("GET /health")})
	wantAPIError[*v2types.ConflictException](t, err, "duplicate route key")
	// Refused as validate refuses them (invalid-route-key, invalid-path):
	// a method not in upper case, a path variable named twice.
	for _, bad := range []string{"GET items", "FETCH /x", "ANY /{proxy+}/x", "get /x", "GET /a/{b}/c/{b}", "GET /a/{b}/{b+}"} {
		_, err = c.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{ApiId: aws.String(f.api), RouteKey: aws.String(bad)})
		wantAPIError[*v2types.BadRequestException](t, err, "route key "+bad)
	}
	_, err = c.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{ApiId: aws.String(f.api), RouteKey: aws.String("GET /x"), AuthorizationType: v2types.AuthorizationTypeJwt})
	wantAPIError[*v2types.BadRequestException](t, err, "JWT route without an authorizer")
	// The SDK's model declares no ConflictException for DeleteAuthorizer,
	// but AWS answers one while routes use the authorizer (the Terraform
	// provider retries on it), so the SDK sees a generic API error.
	_, err = c.DeleteAuthorizer(ctx, &apigatewayv2.DeleteAuthorizerInput{ApiId: aws.String(f.api), AuthorizerId: aws.String(f.auth)})
	if ae := wantAPIError[smithy.APIError](t, err, "deleting an authorizer in use"); ae.ErrorCode() != "ConflictException" {
		t.Fatalf("deleting an authorizer in use: %v", err)
	}

	// A manual stage has nothing live until CreateDeployment.
	check(c.CreateStage(ctx, &apigatewayv2.CreateStageInput{ApiId: aws.String(f.api), StageName: aws.String("prod")}))(t)
	if _, _, ok := e.HTTPStageSnapshot(f.api, "prod"); ok {
		t.Fatal("a stage without a deployment serves something")
	}
	dep := check(c.CreateDeployment(ctx, &apigatewayv2.CreateDeploymentInput{ApiId: aws.String(f.api), StageName: aws.String("prod")}))(t)
	if dep.DeploymentStatus != v2types.DeploymentStatusDeployed {
		t.Fatalf("deployment status %q", dep.DeploymentStatus)
	}
	st := check(c.GetStage(ctx, &apigatewayv2.GetStageInput{ApiId: aws.String(f.api), StageName: aws.String("prod")}))(t)
	if *st.DeploymentId != *dep.DeploymentId || st.AutoDeploy == nil || *st.AutoDeploy {
		t.Fatalf("stage after deployment: %+v", st)
	}

	// Auto-deploy: every change is live at once; the deployment cannot be set.
	check(c.CreateStage(ctx, &apigatewayv2.CreateStageInput{ApiId: aws.String(f.api), StageName: aws.String("$default"), AutoDeploy: aws.Bool(true)}))(t)
	snap, _, ok := e.HTTPStageSnapshot(f.api, "$default")
	if !ok || len(snap.Routes) != 2 {
		t.Fatalf("auto-deploy stage: ok=%v snap=%+v", ok, snap)
	}
	check(c.UpdateRoute(ctx, &apigatewayv2.UpdateRouteInput{ApiId: aws.String(f.api), RouteId: aws.String(f.open),
		AuthorizationType: v2types.AuthorizationTypeJwt, AuthorizerId: aws.String(f.auth)}))(t)
	snap, _, _ = e.HTTPStageSnapshot(f.api, "$default")
	for _, r := range snap.Routes {
		if r.RouteID == f.open && r.AuthorizationType != "JWT" {
			t.Fatalf("auto-deploy did not pick up the route change: %+v", r)
		}
	}
	prodSnap, _, _ := e.HTTPStageSnapshot(f.api, "prod")
	for _, r := range prodSnap.Routes {
		if r.RouteID == f.open && r.AuthorizationType != "NONE" {
			t.Fatalf("a manual stage changed without a deployment: %+v", r)
		}
	}
	_, err = c.UpdateStage(ctx, &apigatewayv2.UpdateStageInput{ApiId: aws.String(f.api), StageName: aws.String("$default"), DeploymentId: dep.DeploymentId})
	wantAPIError[*v2types.BadRequestException](t, err, "setting the deployment of an auto-deploy stage")
	_, err = c.CreateDeployment(ctx, &apigatewayv2.CreateDeploymentInput{ApiId: aws.String(f.api), StageName: aws.String("$default")})
	wantAPIError[*v2types.BadRequestException](t, err, "deploying to an auto-deploy stage")

	// Paging.
	page := check(c.GetRoutes(ctx, &apigatewayv2.GetRoutesInput{ApiId: aws.String(f.api), MaxResults: aws.String("1")}))(t)
	if len(page.Items) != 1 || page.NextToken == nil {
		t.Fatalf("page 1: %+v", page)
	}
	page = check(c.GetRoutes(ctx, &apigatewayv2.GetRoutesInput{ApiId: aws.String(f.api), MaxResults: aws.String("1"), NextToken: page.NextToken}))(t)
	if len(page.Items) != 1 || page.NextToken != nil {
		t.Fatalf("page 2: %+v", page)
	}

	// CORS removal, export, deletion.
	check(c.DeleteCorsConfiguration(ctx, &apigatewayv2.DeleteCorsConfigurationInput{ApiId: aws.String(f.api)}))(t)
	if got := check(c.GetApi(ctx, &apigatewayv2.GetApiInput{ApiId: aws.String(f.api)}))(t); got.CorsConfiguration != nil {
		t.Fatalf("cors still set: %+v", got.CorsConfiguration)
	}
	exp := check(c.ExportApi(ctx, &apigatewayv2.ExportApiInput{ApiId: aws.String(f.api), Specification: aws.String("OAS30"), OutputType: aws.String("JSON")}))(t)
	var doc map[string]any
	if err := json.Unmarshal(exp.Body, &doc); err != nil {
		t.Fatal(err)
	}
	sec := doc["components"].(map[string]any)["securitySchemes"].(map[string]any)["cognito"].(map[string]any)
	if sec["x-amazon-apigateway-authorizer"].(map[string]any)["type"] != "jwt" {
		t.Fatalf("export: %s", exp.Body)
	}
	check(c.DeleteApi(ctx, &apigatewayv2.DeleteApiInput{ApiId: aws.String(f.api)}))(t)
	_, err = c.GetApi(ctx, &apigatewayv2.GetApiInput{ApiId: aws.String(f.api)})
	wantAPIError[*v2types.NotFoundException](t, err, "GetApi after DeleteApi")
}

func TestV2StatePersists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	e, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := newV2CP(t, e)
	f := makeV2API(t, c, "http://127.0.0.1:1", nil)
	check(c.CreateStage(context.Background(), &apigatewayv2.CreateStageInput{ApiId: aws.String(f.api), StageName: aws.String("$default"), AutoDeploy: aws.Bool(true)}))(t)
	e2, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	snap, _, ok := e2.HTTPStageSnapshot(f.api, "$default")
	if !ok || len(snap.Routes) != 2 || snap.Authorizer(f.auth) == nil {
		t.Fatalf("reloaded: ok=%v %+v", ok, snap)
	}
}

// v2CLI returns a runner of `aws apigatewayv2 ARGS...` against url, with
// dummy credentials and a private HOME: it decodes the JSON output into v
// (when not nil) and returns stderr and whether the command succeeded.
func v2CLI(t *testing.T, url string) func(v any, args ...string) (string, bool) {
	home := t.TempDir()
	env := []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"),
		"AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=secret", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_PAGER=", "AWS_EC2_METADATA_DISABLED=true", "AWS_CONFIG_FILE=" + filepath.Join(home, "none"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "none")}
	return func(v any, args ...string) (string, bool) {
		t.Helper()
		cmd := exec.Command(awsCLI, append([]string{"apigatewayv2", "--endpoint-url", url, "--output", "json"}, args...)...)
		cmd.Env = env
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		if err == nil && v != nil {
			if jerr := json.Unmarshal(out.Bytes(), v); jerr != nil {
				t.Fatalf("aws apigatewayv2 %s: %v in %s", strings.Join(args, " "), jerr, out.String())
			}
		}
		return errOut.String(), err == nil
	}
}

// TestV2AWSCLI drives the control plane with the real AWS CLI, unchanged.
func TestV2AWSCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the AWS CLI")
	}
	if _, err := os.Stat(awsCLI); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing (apt-get install -y awscli): %v", awsCLI, err)
		}
		t.Skipf("%s not installed", awsCLI)
	}
	srv := httptest.NewServer(New(Options{}).Handler())
	defer srv.Close()
	run := v2CLI(t, srv.URL)
	must := func(v any, args ...string) {
		t.Helper()
		if errOut, ok := run(v, args...); !ok {
			t.Fatalf("aws apigatewayv2 %s: %s", strings.Join(args, " "), errOut)
		}
	}
	var api struct{ ApiId, ApiEndpoint string }
	must(&api, "create-api", "--name", "cli", "--protocol-type", "HTTP",
		"--cors-configuration", "AllowOrigins=https://app.example,AllowMethods=GET,AllowHeaders=authorization")
	var az struct{ AuthorizerId string }
	must(&az, "create-authorizer", "--api-id", api.ApiId, "--name", "jwt", "--authorizer-type", "JWT",
		"--identity-source", "$request.header.Authorization",
		"--jwt-configuration", "Audience=client-a,Issuer="+testIssuer)
	var in struct{ IntegrationId string }
	must(&in, "create-integration", "--api-id", api.ApiId, "--integration-type", "HTTP_PROXY",
		"--integration-method", "ANY", "--integration-uri", "http://127.0.0.1:1/", "--payload-format-version", "1.0")
	var rt struct{ RouteId, AuthorizationType string }
	must(&rt, "create-route", "--api-id", api.ApiId, "--route-key", "GET /items", "--target", "integrations/"+in.IntegrationId,
		"--authorization-type", "JWT", "--authorizer-id", az.AuthorizerId, "--authorization-scopes", "todo/read")
	if rt.AuthorizationType != "JWT" {
		t.Fatalf("create-route: %+v", rt)
	}
	var st struct {
		StageName  string
		AutoDeploy bool
	}
	must(&st, "create-stage", "--api-id", api.ApiId, "--stage-name", "$default", "--auto-deploy")
	if !st.AutoDeploy {
		t.Fatalf("create-stage: %+v", st)
	}
	var routes struct{ Items []struct{ RouteKey string } }
	must(&routes, "get-routes", "--api-id", api.ApiId)
	if len(routes.Items) != 1 || routes.Items[0].RouteKey != "GET /items" {
		t.Fatalf("get-routes: %+v", routes)
	}
	var stages struct {
		Items []struct {
			StageName, DeploymentId string
		}
	}
	must(&stages, "get-stages", "--api-id", api.ApiId)
	if len(stages.Items) != 1 || stages.Items[0].DeploymentId == "" {
		t.Fatalf("auto-deploy stage has no deployment: %+v", stages)
	}
	if errOut, ok := run(nil, "get-api", "--api-id", "missing"); ok || !strings.Contains(errOut, "NotFoundException") {
		t.Fatalf("get-api of a missing API: ok=%v %s", ok, errOut)
	}
	must(nil, "delete-api", "--api-id", api.ApiId)
}
