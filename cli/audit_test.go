package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	v2types "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/portcullis-dev/portcullis/emulator"
	"github.com/portcullis-dev/portcullis/internal/schemas"
	"github.com/portcullis-dev/portcullis/live"
	"github.com/portcullis-dev/portcullis/workflow"
)

// auditFixture is a local gateway seeded the way accounts drift: APIs
// applied from descriptions, then changed out of band with the SDK.
type auditFixture struct {
	dir      string
	src      string // testdata/audit, absolute
	endpoint string
	stop     func() error
	ids      map[string]string // API name -> id
}

func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	// Only the state directory comes from the environment (the fixture's).
	getenv := func(k string) string {
		if k == workflow.EnvStateDir {
			return os.Getenv(k)
		}
		return ""
	}
	ios := &IOStreams{Out: &out, ErrOut: &errOut, Getenv: getenv, Environ: func() []string { return nil }}
	code = Main(args, ios)
	return out.String(), errOut.String(), code
}

func newAuditFixture(t *testing.T) *auditFixture {
	t.Helper()
	src, err := filepath.Abs("testdata/audit")
	if err != nil {
		t.Fatal(err)
	}
	f := &auditFixture{dir: t.TempDir(), src: src, ids: map[string]string{}}
	t.Chdir(f.dir)
	t.Setenv("PORTCULLIS_STATE_DIR", f.dir)
	for _, p := range []string{"baseline/orders.hcl", "seed/legacy.hcl", "seed/payments.hcl"} {
		if _, errOut, code := runCLI(t, "apply", filepath.Join(src, p), "--local", "--auto-approve"); code != 0 {
			t.Fatalf("apply %s: exit %d\n%s", p, code, errOut)
		}
	}
	f.endpoint, f.stop, err = emulator.StartLocalIn(f.dir, emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.stop() })
	ctx := context.Background()
	for _, region := range []string{"us-east-1", "eu-west-1"} {
		c := f.client(t, region)
		apis, err := c.GetRestApis(ctx, &apigateway.GetRestApisInput{})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range apis.Items {
			f.ids[aws.ToString(a.Name)] = aws.ToString(a.Id)
		}
	}

	c := f.client(t, "us-east-1")
	orders := f.ids["orders"]
	res := resources(t, c, orders)
	// Out of band, deployed: PUT /orders/{id} added open.
	must(t)(c.PutMethod(ctx, &apigateway.PutMethodInput{RestApiId: &orders, ResourceId: aws.String(res["/orders/{id}"]), HttpMethod: aws.String("PUT"), AuthorizationType: aws.String("NONE")}))
	must(t)(c.PutIntegration(ctx, &apigateway.PutIntegrationInput{RestApiId: &orders, ResourceId: aws.String(res["/orders/{id}"]), HttpMethod: aws.String("PUT"), Type: types.IntegrationTypeMock}))
	must(t)(c.CreateDeployment(ctx, &apigateway.CreateDeploymentInput{RestApiId: &orders, StageName: aws.String("prod")}))
	// Out of band, not deployed: DELETE /orders/{id} opened.
	must(t)(c.UpdateMethod(ctx, &apigateway.UpdateMethodInput{RestApiId: &orders, ResourceId: aws.String(res["/orders/{id}"]), HttpMethod: aws.String("DELETE"),
		PatchOperations: []types.PatchOperation{{Op: types.OpReplace, Path: aws.String("/authorizationType"), Value: aws.String("NONE")}}}))

	// legacy: POST /upload protected in the console, never deployed.
	legacy := f.ids["legacy"]
	lres := resources(t, c, legacy)
	azs, err := c.GetAuthorizers(ctx, &apigateway.GetAuthorizersInput{RestApiId: &legacy})
	if err != nil || len(azs.Items) != 1 {
		t.Fatalf("legacy authorizers: %v %v", err, azs)
	}
	must(t)(c.UpdateMethod(ctx, &apigateway.UpdateMethodInput{RestApiId: &legacy, ResourceId: aws.String(lres["/upload"]), HttpMethod: aws.String("POST"),
		PatchOperations: []types.PatchOperation{
			{Op: types.OpReplace, Path: aws.String("/authorizationType"), Value: aws.String("COGNITO_USER_POOLS")},
			{Op: types.OpReplace, Path: aws.String("/authorizerId"), Value: azs.Items[0].Id},
		}}))
	f.seedHTTP(t)
	resetCalls(t, f.endpoint)
	return f
}

// seedHTTP makes the HTTP API "events" in eu-west-1: GET /events behind a
// Cognito JWT authorizer, deployed to stage "live", then opened out of
// band without a deployment.
func (f *auditFixture) seedHTTP(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	off := live.DefaultLimits().Scaled(0)
	c, err := live.NewHTTPClient(ctx, live.Config{Region: "eu-west-1", EndpointURL: f.endpoint, Local: true, Limits: &off, MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	api, err := c.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("events"), ProtocolType: v2types.ProtocolTypeHttp})
	if err != nil {
		t.Fatal(err)
	}
	az, err := c.CreateAuthorizer(ctx, &apigatewayv2.CreateAuthorizerInput{ApiId: api.ApiId, Name: aws.String("cognito"), AuthorizerType: v2types.AuthorizerTypeJwt,
		IdentitySource: []string{"$request.header.Authorization"}, JwtConfiguration: &v2types.JWTConfiguration{
			Issuer: aws.String("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Events"), Audience: []string{"client"}}})
	if err != nil {
		t.Fatal(err)
	}
	in, err := c.CreateIntegration(ctx, &apigatewayv2.CreateIntegrationInput{ApiId: api.ApiId, IntegrationType: v2types.IntegrationTypeHttpProxy,
		IntegrationMethod: aws.String("GET"), IntegrationUri: aws.String("https://backend.example.com/events"), PayloadFormatVersion: aws.String("1.0")})
	if err != nil {
		t.Fatal(err)
	}
	route, err := c.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{ApiId: api.ApiId, RouteKey: aws.String("GET /events"), AuthorizationType: v2types.AuthorizationTypeJwt,
		AuthorizerId: az.AuthorizerId, AuthorizationScopes: []string{"events/read"}, Target: aws.String("integrations/" + aws.ToString(in.IntegrationId))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateStage(ctx, &apigatewayv2.CreateStageInput{ApiId: api.ApiId, StageName: aws.String("live")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateDeployment(ctx, &apigatewayv2.CreateDeploymentInput{ApiId: api.ApiId, StageName: aws.String("live")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateRoute(ctx, &apigatewayv2.UpdateRouteInput{ApiId: api.ApiId, RouteId: route.RouteId, AuthorizationType: v2types.AuthorizationTypeNone, AuthorizationScopes: []string{}}); err != nil {
		t.Fatal(err)
	}
	f.ids["events"] = aws.ToString(api.ApiId)
}

func (f *auditFixture) client(t *testing.T, region string) *apigateway.Client {
	t.Helper()
	off := live.DefaultLimits().Scaled(0)
	c, err := live.NewClient(context.Background(), live.Config{Region: region, EndpointURL: f.endpoint, Local: true, Limits: &off, MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func must(t *testing.T) func(any, error) {
	return func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
}

func resources(t *testing.T, c *apigateway.Client, id string) map[string]string {
	t.Helper()
	out, err := c.GetResources(context.Background(), &apigateway.GetResourcesInput{RestApiId: &id, Limit: aws.Int32(500)})
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, r := range out.Items {
		m[aws.ToString(r.Path)] = aws.ToString(r.Id)
	}
	return m
}

func resetCalls(t *testing.T, endpoint string) {
	t.Helper()
	resp := admin(t, http.MethodDelete, endpoint+"/_portcullis/calls", "")
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("clearing the call log: %d", resp.StatusCode)
	}
}

// admin calls the local gateway's admin endpoint.
func admin(t *testing.T, method, url, body string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set(emulator.AdminHeader, "1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

type loggedCall struct {
	Operation string `json:"operation"`
	Method    string `json:"method"`
	Status    int    `json:"status"`
	Write     bool   `json:"write"`
}

func calls(t *testing.T, endpoint string) []loggedCall {
	t.Helper()
	resp := admin(t, http.MethodGet, endpoint+"/_portcullis/calls", "")
	defer resp.Body.Close()
	var out struct{ Calls []loggedCall }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 {
		t.Fatalf("reading the call log: %d %v", resp.StatusCode, err)
	}
	return out.Calls
}

func setFaults(t *testing.T, endpoint, body string) {
	t.Helper()
	resp := admin(t, http.MethodPut, endpoint+"/_portcullis/faults", body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("setting faults: %d", resp.StatusCode)
	}
}

type auditJSON struct {
	FormatVersion string `json:"format_version"`
	Summary       struct {
		APIs        int `json:"apis"`
		Undescribed int `json:"apis_without_description"`
		Methods     int `json:"methods"`
		Regions     []struct {
			Region string
			Error  *struct{ Code, Message string }
		} `json:"regions"`
		Findings map[string]int `json:"findings"`
	} `json:"summary"`
	APIs []struct {
		Name, Region, ID, ARN, Baseline string
		Error                           *struct{ Code, Message string }
		Routes                          []struct {
			Method, Path, Authorization string
			Accepted                    string
			Deployed                    map[string]string
		}
		Findings []struct {
			Severity, Code, Route, Stage, ARN, Detail string
		}
	} `json:"apis"`
}

func decodeAudit(t *testing.T, s string) auditJSON {
	t.Helper()
	var a auditJSON
	if err := json.Unmarshal([]byte(s), &a); err != nil {
		t.Fatalf("audit JSON: %v\n%s", err, s)
	}
	return a
}

// The done-when scenario: every finding the seeded account holds is
// reported, in JSON, and the audit wrote nothing.
func TestAuditLocalFindsWhatWasDoneOutOfBand(t *testing.T) {
	f := newAuditFixture(t)
	stdout, stderr, code := runCLI(t, "audit", "--local", "--regions", "us-east-1,eu-west-1", "--baseline", filepath.Join(f.src, "baseline"), "--format", "json")
	_ = stdout
	if code != ExitFindings {
		t.Fatalf("exit %d, want 1\n%s\n%s", code, stderr, stdout)
	}
	a := decodeAudit(t, stdout)
	if a.FormatVersion != "1.0" {
		t.Errorf("format_version %q", a.FormatVersion)
	}
	got := map[string]bool{}
	for _, api := range a.APIs {
		for _, fd := range api.Findings {
			got[api.Name+" "+fd.Code+" "+fd.Route+" "+fd.Stage] = true
		}
	}
	for _, want := range []string{
		"orders AUD002 PUT /orders/{id} ",    // opened out of band and deployed
		"orders AUD002 DELETE /orders/{id} ", // opened out of band, not deployed
		"orders AUD004  prod",                // ... so prod serves an older configuration
		"legacy AUD008  ",                    // no description
		"legacy AUD001 GET /status ",         // open, intent unknown
		"legacy AUD003 POST /upload v1",      // protected in the console, served open
		"legacy PCA013  ",                    // pool in another region
		"payments AUD008  ",                  // in eu-west-1, not described
		"events AUD001 GET /events ",         // an HTTP API opened out of band...
		"events AUD004  live",                // ... and not deployed
		"events AUD008  ",
	} {
		if !got[want] {
			t.Errorf("missing finding %q; have %v", want, got)
		}
	}
	regions := map[string]string{}
	for _, api := range a.APIs {
		regions[api.Name] = api.Region
	}
	if regions["payments"] != "eu-west-1" || regions["orders"] != "us-east-1" || regions["events"] != "eu-west-1" || len(a.APIs) != 4 {
		t.Errorf("APIs by region: %v", regions)
	}
	for k := range got {
		if strings.HasPrefix(k, "orders AUD00") && strings.Contains(k, "GET /health") {
			t.Errorf("declared-public GET /health reported: %s", k)
		}
	}
	text, _, _ := runCLI(t, "audit", "--local", "--regions", "us-east-1,eu-west-1", "--baseline", filepath.Join(f.src, "baseline"))
	t.Log(text)
	log := calls(t, f.endpoint)
	reads := 0
	for _, c := range log {
		if c.Write || c.Method != http.MethodGet {
			t.Errorf("the audit wrote: %+v", c)
		}
		if c.Status == 200 {
			reads++
		}
	}
	// Two audits of two regions, three REST APIs and one HTTP API:
	// GetRestApis and GetApis per region; per REST API GetRestApi,
	// GetResources, GetAuthorizers, GetGatewayResponses, GetStages,
	// GetDeployment and GetExport for its one stage; for the HTTP API
	// GetApi, GetAuthorizers, GetIntegrations, GetRoutes, GetStages and
	// ExportApi for its one stage.
	if want := 2 * (2*2 + 3*7 + 6); reads != want {
		ops := map[string]int{}
		for _, c := range log {
			ops[c.Operation]++
		}
		t.Logf("%v", ops)
		t.Errorf("%d successful reads in the call log, want %d", reads, want)
	}
}

// --probe asks each deployed stage: the method the console protects but
// the stage serves open answers without a token.
func TestAuditLocalProbe(t *testing.T) {
	f := newAuditFixture(t)
	stdout, stderr, code := runCLI(t, "audit", "--local", "--regions", "us-east-1,eu-west-1", "--probe", "--rps", "50", "--format", "json")
	if code != ExitFindings {
		t.Fatalf("exit %d\n%s\n%s", code, stderr, stdout)
	}
	var a struct {
		Summary struct{ Probed bool }
		APIs    []struct {
			Name   string
			Routes []struct {
				Method, Path string
				Probe        map[string]string
			}
			Findings []struct{ Code, Route, Stage, Source string }
		}
	}
	if err := json.Unmarshal([]byte(stdout), &a); err != nil {
		t.Fatal(err)
	}
	if err := schemas.AuditReport([]byte(stdout)); err != nil {
		t.Errorf("the JSON report does not match docs/audit.schema.json: %v", err)
	}
	verdicts := map[string]string{}
	probed := map[string]bool{}
	for _, api := range a.APIs {
		for _, r := range api.Routes {
			for st, v := range r.Probe {
				verdicts[api.Name+" "+r.Method+" "+r.Path+" "+st] = v
			}
		}
		for _, fd := range api.Findings {
			if fd.Source == "probe" {
				probed[api.Name+" "+fd.Code+" "+fd.Route+" "+fd.Stage] = true
			}
		}
	}
	if !a.Summary.Probed {
		t.Error("summary does not say the stages were probed")
	}
	for key, want := range map[string]string{
		"legacy POST /upload v1":        "OPEN",
		"legacy GET /files v1":          "protected",
		"orders GET /orders prod":       "protected",
		"orders PUT /orders/{id} prod":  "not probed", // unsafe and open: not without --unsafe
		"payments POST /payments live":  "protected",
		"orders GET /health prod":       "public",
		"orders DELETE /orders/{id} v1": "",
		// The HTTP API's stage still serves the JWT route the API now opens.
		"events GET /events live": "FAILED public",
	} {
		if verdicts[key] != want {
			t.Errorf("%s: verdict %q, want %q", key, verdicts[key], want)
		}
	}
	if !probed["events PC-P009 GET /events live"] {
		t.Errorf("no probe finding for the HTTP API route the stage still guards: %v", probed)
	}
	if !probed["legacy PC-P001 POST /upload v1"] {
		t.Errorf("no probe finding for the open POST /upload: %v", probed)
	}
	for _, c := range calls(t, f.endpoint) {
		if c.Write {
			t.Errorf("the audit wrote: %+v", c)
		}
	}
}

// The done-when: one seeded local gateway, all four formats written with
// -o; the SARIF validates against the 2.1.0 schema. The reports are kept
// in testdata/artifacts (or $PORTCULLIS_ARTIFACTS).
func TestAuditLocalAllFormats(t *testing.T) {
	dir := os.Getenv("PORTCULLIS_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("testdata", "artifacts")
	}
	dir, _ = filepath.Abs(filepath.Join(dir, "audit"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f := newAuditFixture(t)
	for _, format := range []string{"text", "json", "sarif", "html"} {
		out := filepath.Join(dir, "audit."+format)
		_, stderr, code := runCLI(t, "audit", "--local", "--regions", "us-east-1,eu-west-1", "--baseline", filepath.Join(f.src, "baseline"), "--format", format, "-o", out)
		if code != ExitFindings || !strings.Contains(stderr, "Wrote "+out+": 4 APIs") {
			t.Fatalf("%s: exit %d\n%s", format, code, stderr)
		}
		b, err := os.ReadFile(out)
		if err != nil || len(b) == 0 {
			t.Fatalf("%s: %v", format, err)
		}
		switch format {
		case "sarif":
			if err := schemas.SARIF(b); err != nil {
				t.Errorf("SARIF does not validate against the 2.1.0 schema: %v", err)
			}
		case "json":
			if err := schemas.AuditReport(b); err != nil {
				t.Errorf("the JSON report does not match docs/audit.schema.json: %v", err)
			}
		case "html":
			if !bytes.Contains(b, []byte(`<section class="api"`)) || !bytes.Contains(b, []byte("served-open")) {
				t.Errorf("HTML lacks its sections")
			}
		case "text":
			if !bytes.HasPrefix(b, []byte("Audited 4 APIs in eu-west-1, us-east-1: 4 stages, 9 methods")) {
				t.Errorf("text summary:\n%s", b)
			}
		}
		t.Logf("%s: %s", format, out)
	}
}

// Exit status: 0 when nothing reaches --fail-on, 1 when something does, 2
// when no region can be read.
func TestAuditExitCodes(t *testing.T) {
	f := newAuditFixture(t)
	base := filepath.Join(f.src, "baseline")
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"--regions", "eu-west-1"}, ExitOK},
		{[]string{"--regions", "eu-west-1", "--baseline", base}, ExitOK},
		{[]string{"--regions", "eu-west-1", "--baseline", base, "--fail-on", "info"}, ExitFindings},
		{[]string{"--regions", "us-east-1"}, ExitFindings},
		{[]string{"--regions", "eu-west-1", "--fail-on", "never"}, ExitError},
		{[]string{"--regions", "eu-west-1", "--format", "yaml"}, ExitError},
		{[]string{"--regions", "eu-west-1", "--baseline", filepath.Join(f.dir, "missing")}, ExitError},
	} {
		_, stderr, code := runCLI(t, append([]string{"audit", "--local"}, tc.args...)...)
		if code != tc.want {
			t.Errorf("%v: exit %d, want %d\n%s", tc.args, code, tc.want, stderr)
		}
	}
	// Every region refused: the audit could not run.
	setFaults(t, f.endpoint, `{"inject":[{"operation":"GetRestApis","status":403,"errorType":"AccessDeniedException"}]}`)
	stdout, stderr, code := runCLI(t, "audit", "--local", "--regions", "us-east-1,eu-west-1")
	if code != ExitError || !strings.Contains(stderr, "no region could be read") || !strings.Contains(stdout, "Region eu-west-1 could not be read") {
		t.Errorf("all regions refused: exit %d\n%s\n%s", code, stdout, stderr)
	}
	// One region refused: reported, the other audited, exit 1.
	setFaults(t, f.endpoint, `{"inject":[{"operation":"GetRestApis","region":"us-east-1","status":403,"errorType":"AccessDeniedException"}]}`)
	stdout, stderr, code = runCLI(t, "audit", "--local", "--regions", "us-east-1,eu-west-1")
	if code != ExitFindings || !strings.Contains(stdout, "Audited 2 APIs in eu-west-1, us-east-1") || !strings.Contains(stdout, "Region us-east-1 could not be read") {
		t.Errorf("one region refused: exit %d\n%s\n%s", code, stdout, stderr)
	}
}

// An account with no default region configured is audited all the same:
// the first of --regions answers (here the gateway comes from
// AWS_ENDPOINT_URL, as a non-local endpoint would).
func TestAuditWithoutConfiguredRegion(t *testing.T) {
	f := newAuditFixture(t)
	home := t.TempDir()
	for k, v := range map[string]string{
		"HOME": home, "AWS_CONFIG_FILE": filepath.Join(home, "config"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(home, "credentials"),
		"AWS_REGION": "", "AWS_DEFAULT_REGION": "", "AWS_PROFILE": "", "AWS_EC2_METADATA_DISABLED": "true",
		"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_ENDPOINT_URL": f.endpoint,
	} {
		t.Setenv(k, v)
	}
	stdout, stderr, code := runCLI(t, "audit", "--regions", "eu-west-1", "--format", "json")
	if code != ExitOK && code != ExitFindings {
		t.Fatalf("exit %d\n%s\n%s", code, stderr, stdout)
	}
	if a := decodeAudit(t, stdout); a.Summary.APIs != 2 || a.Summary.Regions[0].Region != "eu-west-1" {
		t.Errorf("summary %+v", a.Summary)
	}
}
