package emulator

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"
)

// methodsByPath reads every method back through GetResources?embed=methods.
func methodsByPath(t *testing.T, c *apigateway.Client, id string) map[string]types.Method {
	t.Helper()
	out := map[string]types.Method{}
	p := apigateway.NewGetResourcesPaginator(c, &apigateway.GetResourcesInput{RestApiId: &id, Embed: []string{"methods"}})
	for p.HasMorePages() {
		page := check(p.NextPage(bg))(t)
		for _, r := range page.Items {
			for verb, m := range r.ResourceMethods {
				out[verb+" "+aws.ToString(r.Path)] = m
			}
		}
	}
	return out
}

func TestImportOAS3Cognito(t *testing.T) {
	c, _ := newCP(t, New(Options{}))
	api := check(c.ImportRestApi(bg, &apigateway.ImportRestApiInput{Body: readFile(t, "testdata/cognito-oas3.yaml"), FailOnWarnings: true}))(t)
	id := aws.ToString(api.Id)
	if aws.ToString(api.Name) != "demo-cognito" || len(api.Warnings) != 0 {
		t.Fatalf("imported %q, warnings %v", aws.ToString(api.Name), api.Warnings)
	}
	azs := check(c.GetAuthorizers(bg, &apigateway.GetAuthorizersInput{RestApiId: &id}))(t)
	if len(azs.Items) != 1 {
		t.Fatalf("authorizers = %+v", azs.Items)
	}
	az := azs.Items[0]
	if aws.ToString(az.Name) != "CognitoPool" || az.Type != types.AuthorizerTypeCognitoUserPools ||
		aws.ToString(az.IdentitySource) != "method.request.header.Authorization" || aws.ToInt32(az.AuthorizerResultTtlInSeconds) != 60 ||
		!slices.Equal(az.ProviderARNs, []string{"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_EXAMPLE"}) {
		t.Errorf("authorizer = %+v", az)
	}
	ms := methodsByPath(t, c, id)
	get := ms["GET /items"]
	if aws.ToString(get.AuthorizationType) != "COGNITO_USER_POOLS" || aws.ToString(get.AuthorizerId) != aws.ToString(az.Id) ||
		!slices.Equal(get.AuthorizationScopes, []string{"todo/read"}) || aws.ToString(get.OperationName) != "listItems" {
		t.Errorf("GET /items = %+v", get)
	}
	if get.RequestParameters["method.request.querystring.limit"] {
		t.Error("optional query parameter imported as required")
	}
	if ir := get.MethodIntegration.IntegrationResponses["200"]; ir.ResponseParameters["method.response.header.Access-Control-Allow-Origin"] != "'*'" {
		t.Errorf("integration response = %+v", ir)
	}
	// Root-level security is ignored: OPTIONS has none of its own.
	if opt := ms["OPTIONS /items"]; aws.ToString(opt.AuthorizationType) != "NONE" {
		t.Errorf("OPTIONS /items auth = %v", aws.ToString(opt.AuthorizationType))
	}
	del := ms["DELETE /items/{id}"]
	if aws.ToString(del.AuthorizationType) != "COGNITO_USER_POOLS" || len(del.AuthorizationScopes) != 0 ||
		!del.RequestParameters["method.request.path.id"] || del.MethodIntegration.Type != types.IntegrationTypeHttpProxy {
		t.Errorf("DELETE /items/{id} = %+v", del)
	}
	gr := check(c.GetGatewayResponse(bg, &apigateway.GetGatewayResponseInput{RestApiId: &id, ResponseType: types.GatewayResponseTypeUnauthorized}))(t)
	if aws.ToString(gr.StatusCode) != "401" || gr.DefaultResponse {
		t.Errorf("UNAUTHORIZED = %+v", gr)
	}
}

func TestImportSwagger2(t *testing.T) {
	c, _ := newCP(t, New(Options{}))
	api := check(c.ImportRestApi(bg, &apigateway.ImportRestApiInput{Body: readFile(t, "testdata/cognito-swagger.json"),
		Parameters: map[string]string{"basepath": "prepend", "endpointConfigurationTypes": "REGIONAL"}}))(t)
	id := aws.ToString(api.Id)
	if !slices.Equal(api.EndpointConfiguration.Types, []types.EndpointType{types.EndpointTypeRegional}) {
		t.Errorf("endpoint types = %v", api.EndpointConfiguration.Types)
	}
	ms := methodsByPath(t, c, id)
	post, ok := ms["POST /v1/orders"]
	if !ok {
		t.Fatalf("basepath=prepend: methods are %v", keysOf(ms))
	}
	if !slices.Equal(post.AuthorizationScopes, []string{"orders/write", "orders/admin"}) || post.MethodIntegration.Type != types.IntegrationTypeAwsProxy ||
		aws.ToString(post.MethodIntegration.HttpMethod) != "POST" {
		t.Errorf("POST = %+v", post)
	}
	if _, ok := post.MethodResponses["201"].ResponseParameters["method.response.header.Location"]; !ok {
		t.Errorf("method responses = %+v", post.MethodResponses)
	}
	if anyM := ms["ANY /v1/orders"]; anyM.MethodIntegration == nil || anyM.MethodIntegration.Type != types.IntegrationTypeMock {
		t.Errorf("ANY = %+v", anyM)
	}
	az := check(c.GetAuthorizer(bg, &apigateway.GetAuthorizerInput{RestApiId: &id, AuthorizerId: post.AuthorizerId}))(t)
	if aws.ToString(az.IdentitySource) != "method.request.header.X-Token" || aws.ToString(az.IdentityValidationExpression) != "^client123$" {
		t.Errorf("authorizer = %+v", az)
	}
}

func TestPutRestApiModes(t *testing.T) {
	c, _ := newCP(t, New(Options{}))
	api := check(c.ImportRestApi(bg, &apigateway.ImportRestApiInput{Body: readFile(t, "testdata/cognito-oas3.yaml")}))(t)
	id := aws.ToString(api.Id)
	before := methodsByPath(t, c, id)
	azBefore := check(c.GetAuthorizers(bg, &apigateway.GetAuthorizersInput{RestApiId: &id}))(t).Items[0]

	extra := `{"openapi":"3.0.1","info":{"title":"demo-cognito","version":"2"},
	  "paths":{"/health":{"get":{"responses":{"200":{"description":"ok"}},
	    "x-amazon-apigateway-integration":{"type":"mock","requestTemplates":{"application/json":"{\"statusCode\": 200}"}}}}}}`

	// merge keeps everything the body does not mention.
	check(c.PutRestApi(bg, &apigateway.PutRestApiInput{RestApiId: &id, Mode: types.PutModeMerge, Body: []byte(extra)}))(t)
	merged := methodsByPath(t, c, id)
	if len(merged) != len(before)+1 || merged["GET /health"].MethodIntegration == nil {
		t.Errorf("merge: %v", keysOf(merged))
	}

	// A warning with failonwarnings changes nothing.
	cors := strings.Replace(extra, `"paths"`, `"x-amazon-apigateway-cors":{"allowOrigins":["*"]},"paths"`, 1)
	cors = strings.Replace(cors, "/health", "/other", 1)
	_, err := c.PutRestApi(bg, &apigateway.PutRestApiInput{RestApiId: &id, Mode: types.PutModeOverwrite, FailOnWarnings: true, Body: []byte(cors)})
	br := wantAPIError[*types.BadRequestException](t, err, "warning with failonwarnings")
	if !strings.Contains(br.ErrorMessage(), "x-amazon-apigateway-cors") {
		t.Errorf("message = %q", br.ErrorMessage())
	}
	if after := methodsByPath(t, c, id); len(after) != len(merged) {
		t.Errorf("a refused import changed the API: %v", keysOf(after))
	}
	// Without failonwarnings the same body imports, with the warning.
	out := check(c.PutRestApi(bg, &apigateway.PutRestApiInput{RestApiId: &id, Mode: types.PutModeMerge, Body: []byte(cors)}))(t)
	if len(out.Warnings) != 1 {
		t.Errorf("warnings = %v", out.Warnings)
	}

	// An error changes nothing either.
	broken := strings.Replace(extra, `"type":"mock"`, `"type":"http"`, 1)
	_, err = c.PutRestApi(bg, &apigateway.PutRestApiInput{RestApiId: &id, Mode: types.PutModeOverwrite, Body: []byte(broken)})
	wantAPIError[*types.BadRequestException](t, err, "http integration without httpMethod")

	// overwrite drops what the body does not mention, authorizers included,
	// and keeps the ids of surviving paths.
	check(c.PutRestApi(bg, &apigateway.PutRestApiInput{RestApiId: &id, Mode: types.PutModeOverwrite, Body: []byte(extra)}))(t)
	over := methodsByPath(t, c, id)
	if len(over) != 1 || over["GET /health"].MethodIntegration == nil {
		t.Errorf("overwrite: %v", keysOf(over))
	}
	if azs := check(c.GetAuthorizers(bg, &apigateway.GetAuthorizersInput{RestApiId: &id}))(t); len(azs.Items) != 0 {
		t.Errorf("overwrite kept authorizers %v", azs.Items)
	}
	if gr := check(c.GetGatewayResponse(bg, &apigateway.GetGatewayResponseInput{RestApiId: &id, ResponseType: types.GatewayResponseTypeUnauthorized}))(t); !gr.DefaultResponse {
		t.Errorf("overwrite kept a gateway response: %+v", gr)
	}
	// Re-importing the first document restores the authorizer under its old id.
	check(c.PutRestApi(bg, &apigateway.PutRestApiInput{RestApiId: &id, Mode: types.PutModeOverwrite, Body: readFile(t, "testdata/cognito-oas3.yaml")}))(t)
	if azs := check(c.GetAuthorizers(bg, &apigateway.GetAuthorizersInput{RestApiId: &id}))(t); len(azs.Items) != 1 || aws.ToString(azs.Items[0].Id) == "" {
		t.Errorf("authorizers after re-import: %+v (before: %s)", azs.Items, aws.ToString(azBefore.Id))
	}
}

func TestImportErrors(t *testing.T) {
	c, _ := newCP(t, New(Options{}))
	cases := map[string]string{
		"not a document":       `hello: [`,
		"no version":           `{"info":{"title":"x"},"paths":{}}`,
		"undefined scheme":     `{"openapi":"3.0.1","info":{"title":"x","version":"1"},"paths":{"/a":{"get":{"security":[{"Nope":[]}],"responses":{}}}}}`,
		"cognito without arns": `{"openapi":"3.0.1","info":{"title":"x","version":"1"},"paths":{},"components":{"securitySchemes":{"P":{"type":"apiKey","name":"Authorization","in":"header","x-amazon-apigateway-authorizer":{"type":"cognito_user_pools"}}}}}`,
		"bad path part":        `{"openapi":"3.0.1","info":{"title":"x","version":"1"},"paths":{"/a b":{"get":{"responses":{}}}}}`,
	}
	for name, body := range cases {
		_, err := c.ImportRestApi(bg, &apigateway.ImportRestApiInput{Body: []byte(body)})
		wantAPIError[*types.BadRequestException](t, err, name)
	}
	if apis := check(c.GetRestApis(bg, &apigateway.GetRestApisInput{}))(t); len(apis.Items) != 0 {
		t.Errorf("failed imports created APIs: %d", len(apis.Items))
	}
	big := make([]byte, 6<<20+1)
	_, err := c.ImportRestApi(bg, &apigateway.ImportRestApiInput{Body: big})
	wantAPIError[*types.BadRequestException](t, err, "body over 6 MB")
}

// TestExportRoundTrip imports what a stage exports into a new API and
// expects the same methods, authorizers and gateway responses.
func TestExportRoundTrip(t *testing.T) {
	c, _ := newCP(t, New(Options{}))
	for _, kind := range []string{"oas30", "swagger"} {
		src := aws.ToString(check(c.ImportRestApi(bg, &apigateway.ImportRestApiInput{Body: readFile(t, "testdata/cognito-oas3.yaml")}))(t).Id)
		check(c.CreateDeployment(bg, &apigateway.CreateDeploymentInput{RestApiId: &src, StageName: aws.String("prod")}))(t)
		exp := check(c.GetExport(bg, &apigateway.GetExportInput{RestApiId: &src, StageName: aws.String("prod"), ExportType: aws.String(kind),
			Parameters: map[string]string{"extensions": "apigateway"}}))(t)
		if !json.Valid(exp.Body) || aws.ToString(exp.ContentType) != "application/json" {
			t.Fatalf("%s export: %s", kind, aws.ToString(exp.ContentType))
		}
		dst := aws.ToString(check(c.ImportRestApi(bg, &apigateway.ImportRestApiInput{Body: exp.Body, FailOnWarnings: true}))(t).Id)
		a, b := methodsByPath(t, c, src), methodsByPath(t, c, dst)
		if len(a) != len(b) {
			t.Fatalf("%s: %v vs %v", kind, keysOf(a), keysOf(b))
		}
		for k, m := range a {
			n := b[k]
			if aws.ToString(m.AuthorizationType) != aws.ToString(n.AuthorizationType) || !slices.Equal(m.AuthorizationScopes, n.AuthorizationScopes) ||
				m.MethodIntegration.Type != n.MethodIntegration.Type || len(m.MethodIntegration.IntegrationResponses) != len(n.MethodIntegration.IntegrationResponses) ||
				len(m.RequestParameters) != len(n.RequestParameters) || len(m.MethodResponses) != len(n.MethodResponses) {
				t.Errorf("%s %s: %+v\nvs %+v", kind, k, m, n)
			}
		}
		azA := check(c.GetAuthorizers(bg, &apigateway.GetAuthorizersInput{RestApiId: &src}))(t).Items[0]
		azB := check(c.GetAuthorizers(bg, &apigateway.GetAuthorizersInput{RestApiId: &dst}))(t).Items[0]
		if !slices.Equal(azA.ProviderARNs, azB.ProviderARNs) || aws.ToInt32(azA.AuthorizerResultTtlInSeconds) != aws.ToInt32(azB.AuthorizerResultTtlInSeconds) {
			t.Errorf("%s authorizers: %+v vs %+v", kind, azA, azB)
		}
		grB := check(c.GetGatewayResponse(bg, &apigateway.GetGatewayResponseInput{RestApiId: &dst, ResponseType: types.GatewayResponseTypeDefault4xx}))(t)
		if grB.ResponseParameters["gatewayresponse.header.Access-Control-Allow-Origin"] != "'*'" {
			t.Errorf("%s gateway response: %+v", kind, grB)
		}
	}
}

func keysOf[V any](m map[string]V) []string {
	out := orderedKeys(m)
	return out
}

// TestImportUnquotedVersions: `swagger: 2.0` and `version: 1` are numbers
// in YAML; AWS takes them and so does the emulator.
func TestImportUnquotedVersions(t *testing.T) {
	c, _ := newCP(t, New(Options{}))
	for _, head := range []string{"swagger: 2.0", "openapi: 3.0"} {
		body := head + "\ninfo: {title: t, version: 1}\npaths:\n  /a:\n    get:\n      responses: {200: {description: ok}}\n" +
			"      x-amazon-apigateway-integration: {type: mock}\n"
		api := check(c.ImportRestApi(bg, &apigateway.ImportRestApiInput{Body: []byte(body), FailOnWarnings: true}))(t)
		if aws.ToString(api.Version) != "1" {
			t.Errorf("%s: version = %q", head, aws.ToString(api.Version))
		}
		ms := methodsByPath(t, c, aws.ToString(api.Id))
		if _, ok := ms["GET /a"].MethodResponses["200"]; !ok {
			t.Errorf("%s: methods = %+v", head, ms)
		}
	}
}

// FuzzImportDefinition: any body either imports or is refused with a 4xx;
// it never panics (the router would turn a panic into a 500).
func FuzzImportDefinition(f *testing.F) {
	f.Add(readFile(f, "testdata/cognito-oas3.yaml"))
	f.Add(readFile(f, "testdata/cognito-swagger.json"))
	f.Add([]byte(`{"openapi":"3.0.1","info":{"title":"x","version":"1"},"paths":{"/{a+}/b":{"get":{}}}}`))
	f.Add([]byte("swagger: 2.0\npaths: {/a: {x-amazon-apigateway-any-method: 5}}"))
	f.Fuzz(func(t *testing.T, body []byte) {
		e := New(Options{})
		q := &req{query: map[string][]string{}}
		next, _, err := e.importDefinition(e.newAPI("us-east-1", ""), body, "overwrite", q)
		if err != nil && (err.status < 400 || err.status >= 500) {
			t.Fatalf("status %d for a bad body: %s", err.status, err.msg)
		}
		if err == nil && next == nil {
			t.Fatal("no API and no error")
		}
	})
}
