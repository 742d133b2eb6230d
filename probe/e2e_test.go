package probe

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"

	"github.com/portcullis-dev/portcullis/emulator"
	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/openapi"
	"github.com/portcullis-dev/portcullis/internal/peertest"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/spec/load"
	"github.com/portcullis-dev/portcullis/tokens"
)

// localGateway is the embedded API Gateway on loopback, trusting the test
// issuer (and, when given, other issuers by pool).
type localGateway struct {
	e        *emulator.Emulator
	endpoint string
	client   *apigateway.Client

	mu   sync.Mutex
	logs []string // why the gateway refused each request
}

func (g *localGateway) logged() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return strings.Join(g.logs, "\n")
}

func startGateway(t testing.TB, issuers map[string]string) *localGateway {
	t.Helper()
	r, err := tokens.NewResolver(tokens.ResolverConfig{Local: issuer(t), Issuers: issuers})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	g := &localGateway{}
	g.e = emulator.New(emulator.Options{DataPlane: emulator.DataPlaneOptions{
		Verifier: &tokens.Verifier{Resolver: r},
		Logf: func(format string, args ...any) {
			g.mu.Lock()
			defer g.mu.Unlock()
			g.logs = append(g.logs, fmt.Sprintf(format, args...))
		},
	}})
	endpoint, err := g.e.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = g.e.Close() })
	g.endpoint = endpoint
	g.client = apigateway.New(apigateway.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
	return g
}

// importAndDeploy creates the API from the description's OpenAPI export (the
// same document `generate --target openapi` writes) and deploys stage.
func (g *localGateway) importAndDeploy(t testing.TB, d *spec.Description, stage string) string {
	t.Helper()
	files, err := openapi.New().Generate(d, generators.Options{Stage: stage})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	out, err := g.client.ImportRestApi(ctx, &apigateway.ImportRestApiInput{Body: files[0].Content, FailOnWarnings: true})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	id := aws.ToString(out.Id)
	g.deploy(t, id, stage)
	return id
}

func (g *localGateway) deploy(t testing.TB, id, stage string) {
	t.Helper()
	if _, err := g.client.CreateDeployment(context.Background(), &apigateway.CreateDeploymentInput{RestApiId: aws.String(id), StageName: aws.String(stage)}); err != nil {
		t.Fatalf("deploy: %v", err)
	}
}

func (g *localGateway) resourceID(t testing.TB, apiID, path string) string {
	t.Helper()
	out, err := g.client.GetResources(context.Background(), &apigateway.GetResourcesInput{RestApiId: aws.String(apiID), Limit: aws.Int32(500)})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range out.Items {
		if aws.ToString(r.Path) == path {
			return aws.ToString(r.Id)
		}
	}
	t.Fatalf("no resource %s", path)
	return ""
}

// awsCLI runs the real AWS CLI against the local gateway.
func (g *localGateway) awsCLI(t testing.TB, args ...string) {
	t.Helper()
	bin := awsBinary(t)
	cmd := exec.Command(bin, append(args, "--endpoint-url", g.endpoint, "--region", "us-east-1", "--output", "json")...)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_PAGER=", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// awsBinary finds the AWS CLI: a peer tool, so CI fails without it.
func awsBinary(t testing.TB) string {
	t.Helper()
	peertest.Long(t)
	var err error
	for _, p := range []string{"/usr/bin/aws", "aws"} {
		var b string
		if b, err = exec.LookPath(p); err == nil {
			return b
		}
	}
	peertest.Missing(t, "apt-get install -y awscli", err)
	return ""
}

// TestEndToEndLocalGateway applies the description to the local gateway,
// proves the deployed stage protected, then breaks a second stage with the
// AWS CLI, one fault per route, and proves the probe finds each.
func TestEndToEndLocalGateway(t *testing.T) {
	peertest.Long(t) // drives the AWS CLI
	d, ds := load.Load("testdata/shop.hcl", load.Options{})
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	api := d.APIs[0]
	g := startGateway(t, nil)
	id := g.importAndDeploy(t, d, "prod")

	ctx := context.Background()
	prod := func(stage string) (spec.Diagnostics, *Result) {
		defer func(t0 time.Time) { t.Log("probe", stage, time.Since(t0)) }(time.Now())
		ds, res, err := Run(ctx, Options{API: api, BaseURL: LocalInvokeURL(g.endpoint, id, stage), Tokens: minted(t), Unsafe: true})
		if err != nil {
			t.Fatal(err)
		}
		return ds, res
	}
	ds, res := prod("prod")
	if ds.HasErrors() || ds.Count(spec.SeverityWarning) > 0 {
		t.Fatalf("the applied description is not proven protected:\n%s\n%v", matrixJSON(res), ds)
	}
	for _, row := range res.Routes {
		want := VerdictProtected
		if row.Public {
			want = VerdictPublic
		}
		if row.Verdict != want {
			t.Errorf("%s: %s, want %s", row.Key, row.Verdict, want)
		}
	}
	items := findRow(t, res, "GET /items")
	if items.Check(CheckIDToken).Status != 401 || items.Check(CheckAccessToken).Status != 200 {
		t.Errorf("scoped route: ID token %d (want 401), access token %d (want 200)",
			items.Check(CheckIDToken).Status, items.Check(CheckAccessToken).Status)
	}
	if c := items.Check(CheckExpired); c.Message != "The incoming token has expired" {
		t.Errorf("expired token: %d %q", c.Status, c.Message)
	}

	// Break the working configuration, one fault per route, and deploy it
	// to a second stage; prod keeps its deployment. The open route is made
	// with the real AWS CLI, as an operator would; the AWS CLI starts
	// slowly, so the other faults go through the SDK.
	item := g.resourceID(t, id, "/items/{id}")
	g.awsCLI(t, "apigateway", "update-method", "--rest-api-id", id, "--resource-id", item, "--http-method", "GET",
		"--patch-operations", "op=replace,path=/authorizationType,value=NONE")
	patch := func(path, verb string, ops ...types.PatchOperation) {
		if _, err := g.client.UpdateMethod(ctx, &apigateway.UpdateMethodInput{RestApiId: aws.String(id),
			ResourceId: aws.String(g.resourceID(t, id, path)), HttpMethod: aws.String(verb), PatchOperations: ops}); err != nil {
			t.Fatal(err)
		}
	}
	op := func(o types.Op, path, value string) types.PatchOperation {
		return types.PatchOperation{Op: o, Path: aws.String(path), Value: aws.String(value)}
	}
	if _, err := g.client.DeleteMethod(ctx, &apigateway.DeleteMethodInput{RestApiId: aws.String(id), ResourceId: aws.String(item), HttpMethod: aws.String("DELETE")}); err != nil {
		t.Fatal(err)
	}
	patch("/items", "GET", op(types.OpRemove, "/authorizationScopes", "shop/read"))
	patch("/files/{path+}", "OPTIONS", op(types.OpReplace, "/authorizationType", "COGNITO_USER_POOLS"),
		op(types.OpReplace, "/authorizerId", authorizerID(t, g, id)))
	if _, err := g.client.DeleteGatewayResponse(ctx, &apigateway.DeleteGatewayResponseInput{RestApiId: aws.String(id), ResponseType: types.GatewayResponseTypeDefault4xx}); err != nil {
		t.Fatal(err)
	}
	g.awsCLI(t, "apigateway", "create-deployment", "--rest-api-id", id, "--stage-name", "broken")

	ds, res = prod("broken")
	got := codes(ds)
	for route, code := range map[string]string{
		"GET /items/{id}":    CodeOpen,
		"DELETE /items/{id}": CodeNotDeployed,
		"GET /items":         CodeScopesIgnored,
		"GET /files/{path+}": CodePreflightBroken,
		"POST /items":        CodeNoCORSOnRefusal,
	} {
		if !has(got[route], code) {
			t.Errorf("%s: want %s, got %v", route, code, got[route])
		}
	}
	if !ds.HasErrors() {
		t.Error("a broken stage must fail the probe")
	}
	if v := findRow(t, res, "GET /items/{id}").Verdict; v != VerdictOpen {
		t.Errorf("GET /items/{id}: verdict %s", v)
	}
	// prod still serves its own deployment.
	if ds, _ := prod("prod"); ds.HasErrors() {
		t.Errorf("prod changed without a deployment: %v", ds)
	}
}

func authorizerID(t testing.TB, g *localGateway, apiID string) string {
	out, err := g.client.GetAuthorizers(context.Background(), &apigateway.GetAuthorizersInput{RestApiId: aws.String(apiID)})
	if err != nil || len(out.Items) == 0 {
		t.Fatalf("authorizers: %v", err)
	}
	return aws.ToString(out.Items[0].Id)
}
