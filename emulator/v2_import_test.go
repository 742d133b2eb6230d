package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/smithy-go"

	"github.com/portcullis-dev/portcullis/internal/peertest"
	"github.com/portcullis-dev/portcullis/spec/oasspec"
)

func importDoc(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile("testdata/v2-import.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// routeAuth is route key -> "TYPE authorizer-name scope,scope" (or
// "NONE") with the target's integration type.
func routeAuth(t testing.TB, c *apigatewayv2.Client, id string) map[string]string {
	t.Helper()
	ctx := context.Background()
	azs, err := c.GetAuthorizers(ctx, &apigatewayv2.GetAuthorizersInput{ApiId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, a := range azs.Items {
		names[aws.ToString(a.AuthorizerId)] = aws.ToString(a.Name)
	}
	ins, err := c.GetIntegrations(ctx, &apigatewayv2.GetIntegrationsInput{ApiId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]string{}
	for _, in := range ins.Items {
		types["integrations/"+aws.ToString(in.IntegrationId)] = string(in.IntegrationType) + " " + aws.ToString(in.PayloadFormatVersion)
	}
	rs, err := c.GetRoutes(ctx, &apigatewayv2.GetRoutesInput{ApiId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range rs.Items {
		s := string(r.AuthorizationType)
		if r.AuthorizerId != nil {
			s += " " + names[aws.ToString(r.AuthorizerId)]
		}
		if len(r.AuthorizationScopes) > 0 {
			s += " " + strings.Join(r.AuthorizationScopes, ",")
		}
		out[aws.ToString(r.RouteKey)] = s + " -> " + types[aws.ToString(r.Target)]
	}
	return out
}

// TestV2ImportApi: ImportApi makes the routes, integrations, authorizer
// and CORS the document describes, each route with its authorization;
// ReimportApi replaces them in one call (a route gone, a scope changed,
// CORS removed), keeping the stage, which (auto-deploying) serves the new
// configuration at once. An invalid document, a warning with
// failOnWarnings, and a route naming a scheme that is no authorizer change
// nothing.
func TestV2ImportApi(t *testing.T) {
	e := New(Options{})
	c, _ := newV2CP(t, e)
	ctx := context.Background()
	doc := importDoc(t)
	out, err := c.ImportApi(ctx, &apigatewayv2.ImportApiInput{Body: aws.String(doc), FailOnWarnings: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(out.ApiId)
	if aws.ToString(out.Name) != "imported" || aws.ToString(out.Description) != "imported by ImportApi" || aws.ToString(out.Version) != "2" ||
		out.CorsConfiguration == nil || aws.ToInt32(out.CorsConfiguration.MaxAge) != 600 || len(out.Warnings) != 0 {
		t.Fatalf("ImportApi answered %+v", out)
	}
	want := map[string]string{
		"GET /items":  "JWT cognito todo/read -> AWS_PROXY 2.0",
		"POST /items": "JWT cognito todo/write,todo/admin -> HTTP_PROXY 1.0",
		"GET /health": "NONE -> HTTP_PROXY 1.0",
		"$default":    "JWT cognito -> HTTP_PROXY 1.0",
	}
	if got := routeAuth(t, c, id); !maps.Equal(got, want) {
		t.Fatalf("imported routes:\n got %v\nwant %v", got, want)
	}
	check(c.CreateStage(ctx, &apigatewayv2.CreateStageInput{ApiId: aws.String(id), StageName: aws.String("$default"), AutoDeploy: aws.Bool(true)}))(t)
	azs, _ := c.GetAuthorizers(ctx, &apigatewayv2.GetAuthorizersInput{ApiId: aws.String(id)})
	azID := aws.ToString(azs.Items[0].AuthorizerId)

	// Reimport: POST /items gone, GET /items scoped todo/admin, no CORS.
	changed := strings.Replace(doc, `        - cognito: ["todo/read"]`, `        - cognito: ["todo/admin"]`, 1)
	start := strings.Index(changed, "    post:")
	end := strings.Index(changed, "  /health:")
	changed = changed[:start] + changed[end:]
	start = strings.Index(changed, "x-amazon-apigateway-cors:")
	end = strings.Index(changed, "paths:")
	changed = changed[:start] + changed[end:]
	re, err := c.ReimportApi(ctx, &apigatewayv2.ReimportApiInput{ApiId: aws.String(id), Body: aws.String(changed), FailOnWarnings: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	if re.CorsConfiguration != nil || aws.ToString(re.ApiId) != id {
		t.Fatalf("ReimportApi answered %+v", re)
	}
	want = map[string]string{
		"GET /items":  "JWT cognito todo/admin -> AWS_PROXY 2.0",
		"GET /health": "NONE -> HTTP_PROXY 1.0",
		"$default":    "JWT cognito -> HTTP_PROXY 1.0",
	}
	if got := routeAuth(t, c, id); !maps.Equal(got, want) {
		t.Fatalf("reimported routes:\n got %v\nwant %v", got, want)
	}
	if azs, _ := c.GetAuthorizers(ctx, &apigatewayv2.GetAuthorizersInput{ApiId: aws.String(id)}); len(azs.Items) != 1 || aws.ToString(azs.Items[0].AuthorizerId) != azID {
		t.Errorf("the authorizer did not keep its id across the reimport: %+v", azs.Items)
	}
	snap, st, ok := e.HTTPStageSnapshot(id, "$default")
	if !ok || st.DeploymentID == "" || len(snap.Routes) != 3 || snap.Cors != nil {
		t.Fatalf("the auto-deploying stage does not serve the reimport: ok=%v %+v", ok, snap)
	}

	// Nothing changes on an error or, with failOnWarnings, a warning.
	before := routeAuth(t, c, id)
	refused := map[string]string{
		"a REST-only integration": strings.Replace(changed, "type: aws_proxy", "type: aws", 1),
		"an undefined scheme":     strings.Replace(changed, `        - cognito: ["todo/admin"]`, `        - other: []`, 1),
		"no info.title":           strings.Replace(changed, "title: imported", "x-title: imported", 1),
		"an invalid route key":    strings.Replace(changed, "  /health:", "  /he alth:", 1),
		"Swagger 2.0":             `{"swagger": "2.0", "info": {"title": "x", "version": "1"}, "paths": {}}`,
	}
	for what, body := range refused {
		_, err := c.ReimportApi(ctx, &apigatewayv2.ReimportApiInput{ApiId: aws.String(id), Body: aws.String(body), FailOnWarnings: aws.Bool(true)})
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "BadRequestException" {
			t.Errorf("%s: want BadRequestException, got %v", what, err)
		}
		if got := routeAuth(t, c, id); !maps.Equal(got, before) {
			t.Fatalf("%s changed the API: %v", what, got)
		}
	}
	// Without failOnWarnings the warning is returned and the rest imported.
	re, err = c.ReimportApi(ctx, &apigatewayv2.ReimportApiInput{ApiId: aws.String(id), Body: aws.String(refused["a REST-only integration"])})
	if err != nil || len(re.Warnings) != 1 || !strings.Contains(re.Warnings[0], "aws_proxy") {
		t.Fatalf("a warning without failOnWarnings: %v %+v", err, re)
	}
	if got := routeAuth(t, c, id); got["GET /items"] != "JWT cognito todo/admin -> " {
		t.Fatalf("the route whose integration was ignored: %v", got)
	}
}

// TestV2ImportAWSCLI drives ImportApi and ReimportApi with the real AWS
// CLI: `aws apigatewayv2 import-api --body file://...` and `reimport-api
// --fail-on-warnings`.
func TestV2ImportAWSCLI(t *testing.T) {
	peertest.Long(t)
	if _, err := os.Stat(awsCLI); err != nil {
		peertest.Missing(t, "apt-get install -y awscli", err)
	}
	e := New(Options{})
	c, srv := newV2CP(t, e)
	run := v2CLI(t, srv.URL)
	body := filepath.Join(t.TempDir(), "api.yaml")
	if err := os.WriteFile(body, []byte(importDoc(t)), 0o644); err != nil {
		t.Fatal(err)
	}
	var api struct {
		ApiId, Name string
		Warnings    []string
	}
	if errOut, ok := run(&api, "import-api", "--body", "file://"+body, "--fail-on-warnings"); !ok || api.Name != "imported" {
		t.Fatalf("import-api: %s %+v", errOut, api)
	}
	if got := routeAuth(t, c, api.ApiId); got["GET /items"] != "JWT cognito todo/read -> AWS_PROXY 2.0" || len(got) != 4 {
		t.Fatalf("after import-api: %v", got)
	}
	changed := strings.Replace(importDoc(t), `["todo/read"]`, `["todo/admin"]`, 1)
	if err := os.WriteFile(body, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	if errOut, ok := run(nil, "reimport-api", "--api-id", api.ApiId, "--body", "file://"+body, "--fail-on-warnings"); !ok {
		t.Fatalf("reimport-api: %s", errOut)
	}
	if got := routeAuth(t, c, api.ApiId); got["GET /items"] != "JWT cognito todo/admin -> AWS_PROXY 2.0" {
		t.Fatalf("after reimport-api: %v", got)
	}
	if err := os.WriteFile(body, []byte(strings.Replace(changed, "type: http_proxy", "type: mock", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if errOut, ok := run(nil, "reimport-api", "--api-id", api.ApiId, "--body", "file://"+body, "--fail-on-warnings"); ok || !strings.Contains(errOut, "BadRequestException") {
		t.Fatalf("reimport-api with a warning and --fail-on-warnings: ok=%v %s", ok, errOut)
	}
}

// TestV2ImportAWSShapedDocuments: ImportApi with failOnWarnings takes the
// documents written as AWS documents and exports them
// (spec/load/testdata/aws-httpapi): connectionType, timeoutInMillis,
// isDefaultRoute and the import/export version draw no warning, both
// Lambda ARN forms are Lambda proxies, and an openIdConnect scheme without
// an issuer gets it from openIdConnectUrl, and root-level security is not
// applied.
func TestV2ImportAWSShapedDocuments(t *testing.T) {
	e := New(Options{})
	c, _ := newV2CP(t, e)
	ctx := context.Background()
	for _, c2 := range []struct {
		file string
		want map[string]string
	}{
		{"export-default-route.yaml", map[string]string{"$default": "NONE -> AWS_PROXY 2.0"}},
		{"export-with-extensions.json", map[string]string{"$default": "JWT cognito-jwt -> AWS_PROXY 2.0", "GET /pets": "JWT cognito-jwt pets/read -> AWS_PROXY 2.0",
			"ANY /{proxy+}": "JWT cognito-jwt pets/read,pets/write -> HTTP_PROXY 1.0"}},
		{"authorizer-oauth2-and-openidconnect.json", map[string]string{"GET /pets": "JWT jwt-authorizer-oauth pets/read -> AWS_PROXY 2.0",
			"POST /pets": "JWT jwt-authorizer-autofind -> HTTP_PROXY 1.0"}},
		// Root-level security is not applied, as the reader does not
		// apply it (docs/spec.md, "HTTP APIs").
		{"root-security-and-opt-out.yaml", map[string]string{"GET /health": "NONE -> HTTP_PROXY 1.0", "ANY /{proxy+}": "NONE -> AWS_PROXY 2.0"}},
	} {
		body, err := os.ReadFile(filepath.Join("..", "spec", "load", "testdata", "aws-httpapi", c2.file))
		if err != nil {
			t.Fatal(err)
		}
		out, err := c.ImportApi(ctx, &apigatewayv2.ImportApiInput{Body: aws.String(string(body)), FailOnWarnings: aws.Bool(true)})
		if err != nil {
			t.Errorf("%s: %v", c2.file, err)
			continue
		}
		if got := routeAuth(t, c, aws.ToString(out.ApiId)); !maps.Equal(got, c2.want) {
			t.Errorf("%s: routes %v, want %v", c2.file, got, c2.want)
		}
		azs, err := c.GetAuthorizers(ctx, &apigatewayv2.GetAuthorizersInput{ApiId: out.ApiId})
		if err != nil {
			t.Fatal(err)
		}
		for _, az := range azs.Items {
			if iss := aws.ToString(az.JwtConfiguration.Issuer); !strings.HasPrefix(iss, "https://cognito-idp.") || !strings.Contains(iss, ".amazonaws.com/") || len(az.JwtConfiguration.Audience) == 0 {
				t.Errorf("%s: authorizer %s: issuer %q audience %v", c2.file, aws.ToString(az.Name), iss, az.JwtConfiguration.Audience)
			}
		}
	}
}

// FuzzV2ImportDefinition: any body given to ImportApi either imports or is
// refused with a 4xx; it never panics (the router would turn a panic into
// a 500), and a refused import leaves the API it started from unchanged.
func FuzzV2ImportDefinition(f *testing.F) {
	f.Add(readFile(f, "testdata/v2-import.yaml"))
	for _, name := range []string{"export-default-route.yaml", "export-with-extensions.json", "authorizer-oauth2-and-openidconnect.json", "root-security-and-opt-out.yaml"} {
		f.Add(readFile(f, filepath.Join("..", "spec", "load", "testdata", "aws-httpapi", name)))
	}
	f.Add([]byte(`{"openapi":"3.0.1","info":{"title":"x","version":"1"},"paths":{"/$default":{"x-amazon-apigateway-any-method":{"security":[{"a":["s/x"]}]}}}}`))
	f.Add([]byte("openapi: 3.0.1\ninfo: {title: t, version: '1'}\nx-amazon-apigateway-cors: {allowOrigins: 5}\npaths: {}"))
	f.Fuzz(func(t *testing.T, body []byte) {
		e := New(Options{})
		in, err := json.Marshal(v2ImportInput{Body: aws.String(string(body))})
		if err != nil {
			t.Skip()
		}
		a := &httpAPIState{Region: "us-east-1", API: HTTPAPI{APIID: "abcdefghij", Name: "before", ProtocolType: v2ProtocolHTTP, Tags: map[string]string{}}}
		a.fill()
		before := a.API
		q := &req{region: "us-east-1", query: url.Values{"failOnWarnings": {"false"}}, body: in}
		next, out, aerr := e.importV2(a, q)
		if aerr != nil && (aerr.status < 400 || aerr.status >= 500) {
			t.Fatalf("status %d for a bad body: %s", aerr.status, aerr.msg)
		}
		if aerr == nil && (next == nil || out == nil) {
			t.Fatal("no API and no error")
		}
		if a.API.Name != before.Name || len(a.Routes) != 0 || len(a.Authorizers) != 0 || len(a.Integrations) != 0 {
			t.Fatalf("the API imported into changed: %+v", a.API)
		}
	})
}

// TestV2ImportTimeoutAgreesWithReader: timeoutInMillis as a number or as a
// string of one is the same timeout to the spec reader and to ImportApi,
// and anything else is refused by both (the reader took "29000" and
// ImportApi refused it).
func TestV2ImportTimeoutAgreesWithReader(t *testing.T) {
	e := New(Options{})
	c, _ := newV2CP(t, e)
	ctx := context.Background()
	for _, tc := range []struct {
		value string
		want  int // 0: refused
	}{{`29000`, 29000}, {`"29000"`, 29000}, {`"29s"`, 0}, {`true`, 0}} {
		doc := `{"openapi": "3.0.1", "info": {"title": "t", "version": "1"}, "x-portcullis-protocol": "HTTP",
 "paths": {"/a": {"get": {"x-portcullis-public": true, "x-portcullis-public-reason": "test",
  "x-amazon-apigateway-integration": {"type": "http_proxy", "httpMethod": "GET", "uri": "https://example.com/a",
   "payloadFormatVersion": "1.0", "timeoutInMillis": ` + tc.value + `}}}}}`
		d, ds := oasspec.Read("t.json", []byte(doc), oasspec.Options{})
		readerTimeout := 0
		if !ds.HasErrors() {
			readerTimeout = d.HTTPAPIs[0].Route("GET /a").Integration.TimeoutMillis
		} else if r := ds[0].Range; r == nil || r.Start.Line == 0 {
			t.Errorf("%s: reader diagnostic without a position: %v", tc.value, ds)
		}
		out, err := c.ImportApi(ctx, &apigatewayv2.ImportApiInput{Body: aws.String(doc)})
		importTimeout := 0
		if err == nil {
			ins, err := c.GetIntegrations(ctx, &apigatewayv2.GetIntegrationsInput{ApiId: out.ApiId})
			if err != nil || len(ins.Items) != 1 {
				t.Fatalf("%s: %v", tc.value, err)
			}
			importTimeout = int(aws.ToInt32(ins.Items[0].TimeoutInMillis))
		}
		if readerTimeout != tc.want || importTimeout != tc.want {
			t.Errorf("timeoutInMillis %s: reader %d (%v), ImportApi %d (%v); want %d from both", tc.value, readerTimeout, ds, importTimeout, err, tc.want)
		}
	}
}
