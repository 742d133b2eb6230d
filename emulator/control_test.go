package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"

	"github.com/portcullis-dev/portcullis/tokens"
)

const testPoolARN = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123"

// newCP serves an emulator on a loopback test server and returns the SDK's
// own client pointed at it, with retries off so every answer is visible.
func newCP(t testing.TB, e *Emulator) (*apigateway.Client, *httptest.Server) {
	t.Helper()
	srv := httptest.NewServer(e.Handler())
	t.Cleanup(srv.Close)
	return sdkClient(srv.URL, srv.Client()), srv
}

func sdkClient(url string, hc *http.Client) *apigateway.Client {
	cfg := aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		HTTPClient:  hc,
	}
	return apigateway.NewFromConfig(cfg, func(o *apigateway.Options) {
		o.BaseEndpoint = aws.String(url)
		o.Retryer = aws.NopRetryer{}
	})
}

// wantAPIError asserts that err is the SDK's typed error T.
func wantAPIError[T error](t *testing.T, err error, what string) T {
	t.Helper()
	var target T
	if !errors.As(err, &target) {
		t.Fatalf("%s: got %v (%T), want %T", what, err, err, target)
	}
	return target
}

// check(f())(t) fails the test when f returned an error.
func check[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

var bg = context.Background()

// rootID returns the id of the API's "/" resource.
func rootID(t testing.TB, c *apigateway.Client, apiID string) string {
	t.Helper()
	out := check(c.GetResources(bg, &apigateway.GetResourcesInput{RestApiId: &apiID}))(t)
	for _, r := range out.Items {
		if aws.ToString(r.Path) == "/" {
			return aws.ToString(r.Id)
		}
	}
	t.Fatal("no root resource")
	return ""
}

func TestSDKLifecycle(t *testing.T) {
	c, _ := newCP(t, New(Options{}))
	api := check(c.CreateRestApi(bg, &apigateway.CreateRestApiInput{Name: aws.String("todo")}))(t)
	id := aws.ToString(api.Id)
	if len(id) != 10 || strings.ToLower(id) != id {
		t.Errorf("api id %q: want 10 lowercase alphanumerics", id)
	}
	root := rootID(t, c, id)
	if root != aws.ToString(api.RootResourceId) {
		t.Errorf("root %s != rootResourceId %s", root, aws.ToString(api.RootResourceId))
	}
	items := check(c.CreateResource(bg, &apigateway.CreateResourceInput{RestApiId: &id, ParentId: &root, PathPart: aws.String("items")}))(t)
	item := check(c.CreateResource(bg, &apigateway.CreateResourceInput{RestApiId: &id, ParentId: items.Id, PathPart: aws.String("{id}")}))(t)
	if aws.ToString(item.Path) != "/items/{id}" || len(aws.ToString(item.Id)) != 6 {
		t.Errorf("child resource = %s %s", aws.ToString(item.Id), aws.ToString(item.Path))
	}
	_, err := c.CreateResource(bg, &apigateway.CreateResourceInput{RestApiId: &id, ParentId: &root, PathPart: aws.String("items")})
	wantAPIError[*types.ConflictException](t, err, "duplicate path part")
	_, err = c.CreateResource(bg, &apigateway.CreateResourceInput{RestApiId: &id, ParentId: &root, PathPart: aws.String("bad path")})
	wantAPIError[*types.BadRequestException](t, err, "invalid path part")

	az := check(c.CreateAuthorizer(bg, &apigateway.CreateAuthorizerInput{
		RestApiId: &id, Name: aws.String("pool"), Type: types.AuthorizerTypeCognitoUserPools,
		ProviderARNs: []string{testPoolARN}, IdentitySource: aws.String("method.request.header.Authorization"),
	}))(t)
	if az.AuthType == nil || *az.AuthType != "cognito_user_pools" || az.AuthorizerResultTtlInSeconds != nil {
		t.Errorf("authorizer defaults: authType=%v ttl=%v", az.AuthType, az.AuthorizerResultTtlInSeconds)
	}

	m := check(c.PutMethod(bg, &apigateway.PutMethodInput{
		RestApiId: &id, ResourceId: items.Id, HttpMethod: aws.String("GET"),
		AuthorizationType: aws.String("COGNITO_USER_POOLS"), AuthorizerId: az.Id,
		AuthorizationScopes: []string{"todo/read"},
		RequestParameters:   map[string]bool{"method.request.querystring.limit": false},
	}))(t)
	if aws.ToString(m.HttpMethod) != "GET" || !slices.Equal(m.AuthorizationScopes, []string{"todo/read"}) {
		t.Errorf("PutMethod = %+v", m)
	}
	_, err = c.PutMethod(bg, &apigateway.PutMethodInput{RestApiId: &id, ResourceId: items.Id, HttpMethod: aws.String("GET"), AuthorizationType: aws.String("NONE")})
	wantAPIError[*types.ConflictException](t, err, "PutMethod twice")
	_, err = c.PutMethod(bg, &apigateway.PutMethodInput{RestApiId: &id, ResourceId: items.Id, HttpMethod: aws.String("POST"), AuthorizationType: aws.String("COGNITO_USER_POOLS"), AuthorizerId: aws.String("nope00")})
	wantAPIError[*types.BadRequestException](t, err, "Cognito method with an unknown authorizer")

	in := check(c.PutIntegration(bg, &apigateway.PutIntegrationInput{
		RestApiId: &id, ResourceId: items.Id, HttpMethod: aws.String("GET"), Type: types.IntegrationTypeMock,
		RequestTemplates: map[string]string{"application/json": `{"statusCode": 200}`},
	}))(t)
	if in.TimeoutInMillis != 29000 || aws.ToString(in.PassthroughBehavior) != "WHEN_NO_MATCH" {
		t.Errorf("integration defaults: %+v", in)
	}
	// The Go field IntegrationHttpMethod travels as JSON "httpMethod".
	_, err = c.PutIntegration(bg, &apigateway.PutIntegrationInput{RestApiId: &id, ResourceId: items.Id, HttpMethod: aws.String("GET"), Type: types.IntegrationTypeHttp, Uri: aws.String("http://x")})
	wantAPIError[*types.BadRequestException](t, err, "HTTP integration without httpMethod")
	check(c.PutMethod(bg, &apigateway.PutMethodInput{RestApiId: &id, ResourceId: item.Id, HttpMethod: aws.String("GET"), AuthorizationType: aws.String("NONE")}))(t)
	hin := check(c.PutIntegration(bg, &apigateway.PutIntegrationInput{
		RestApiId: &id, ResourceId: item.Id, HttpMethod: aws.String("GET"), Type: types.IntegrationTypeHttpProxy,
		IntegrationHttpMethod: aws.String("GET"), Uri: aws.String("http://127.0.0.1:9/items/{id}"),
	}))(t)
	if aws.ToString(hin.HttpMethod) != "GET" {
		t.Errorf("integration httpMethod = %v", hin.HttpMethod)
	}
	check(c.PutMethodResponse(bg, &apigateway.PutMethodResponseInput{RestApiId: &id, ResourceId: items.Id, HttpMethod: aws.String("GET"), StatusCode: aws.String("200"),
		ResponseParameters: map[string]bool{"method.response.header.Access-Control-Allow-Origin": false}}))(t)
	check(c.PutIntegrationResponse(bg, &apigateway.PutIntegrationResponseInput{RestApiId: &id, ResourceId: items.Id, HttpMethod: aws.String("GET"), StatusCode: aws.String("200"),
		ResponseParameters: map[string]string{"method.response.header.Access-Control-Allow-Origin": "'*'"},
		ResponseTemplates:  map[string]string{"application/json": `{"ok":true}`}}))(t)

	// Scopes are a set patched one value at a time; replace is refused.
	patch := func(op types.Op, path, value string) types.PatchOperation {
		return types.PatchOperation{Op: op, Path: aws.String(path), Value: aws.String(value)}
	}
	m2 := check(c.UpdateMethod(bg, &apigateway.UpdateMethodInput{RestApiId: &id, ResourceId: items.Id, HttpMethod: aws.String("GET"),
		PatchOperations: []types.PatchOperation{
			patch(types.OpAdd, "/authorizationScopes", "todo/write"),
			patch(types.OpRemove, "/authorizationScopes", "todo/read"),
			patch(types.OpAdd, "/requestParameters/method.request.header.X-Trace", "true"),
			patch(types.OpRemove, "/requestParameters/method.request.querystring.limit", ""),
		}}))(t)
	if !slices.Equal(m2.AuthorizationScopes, []string{"todo/write"}) || len(m2.RequestParameters) != 1 || !m2.RequestParameters["method.request.header.X-Trace"] {
		t.Errorf("after patch: scopes=%v params=%v", m2.AuthorizationScopes, m2.RequestParameters)
	}
	_, err = c.UpdateMethod(bg, &apigateway.UpdateMethodInput{RestApiId: &id, ResourceId: items.Id, HttpMethod: aws.String("GET"),
		PatchOperations: []types.PatchOperation{patch(types.OpReplace, "/authorizationScopes", "a/b")}})
	wantAPIError[*types.BadRequestException](t, err, "replace on /authorizationScopes")
	_, err = c.UpdateMethod(bg, &apigateway.UpdateMethodInput{RestApiId: &id, ResourceId: items.Id, HttpMethod: aws.String("GET"),
		PatchOperations: []types.PatchOperation{patch(types.OpReplace, "/nonsense", "x")}})
	wantAPIError[*types.BadRequestException](t, err, "bad patch path")

	// providerARNs: add before remove, never empty.
	other := "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Other1"
	az2 := check(c.UpdateAuthorizer(bg, &apigateway.UpdateAuthorizerInput{RestApiId: &id, AuthorizerId: az.Id, PatchOperations: []types.PatchOperation{
		patch(types.OpAdd, "/providerARNs", other), patch(types.OpRemove, "/providerARNs", testPoolARN),
		patch(types.OpReplace, "/authorizerResultTtlInSeconds", "60"),
	}}))(t)
	if !slices.Equal(az2.ProviderARNs, []string{other}) || aws.ToInt32(az2.AuthorizerResultTtlInSeconds) != 60 {
		t.Errorf("after authorizer patch: %v ttl %v", az2.ProviderARNs, az2.AuthorizerResultTtlInSeconds)
	}
	_, err = c.UpdateAuthorizer(bg, &apigateway.UpdateAuthorizerInput{RestApiId: &id, AuthorizerId: az.Id, PatchOperations: []types.PatchOperation{patch(types.OpRemove, "/providerARNs", other)}})
	wantAPIError[*types.BadRequestException](t, err, "removing the last provider ARN")
	_, err = c.UpdateAuthorizer(bg, &apigateway.UpdateAuthorizerInput{RestApiId: &id, AuthorizerId: az.Id, PatchOperations: []types.PatchOperation{patch(types.OpReplace, "/providerARNs", other)}})
	wantAPIError[*types.BadRequestException](t, err, "replace on /providerARNs")

	dep := check(c.CreateDeployment(bg, &apigateway.CreateDeploymentInput{RestApiId: &id, StageName: aws.String("dev"), Variables: map[string]string{"backend": "local"}}))(t)
	st := check(c.GetStage(bg, &apigateway.GetStageInput{RestApiId: &id, StageName: aws.String("dev")}))(t)
	if aws.ToString(st.DeploymentId) != aws.ToString(dep.Id) || st.Variables["backend"] != "local" {
		t.Errorf("stage = %+v", st)
	}
	gd := check(c.GetDeployment(bg, &apigateway.GetDeploymentInput{RestApiId: &id, DeploymentId: dep.Id, Embed: []string{"apisummary"}}))(t)
	if got := gd.ApiSummary["/items"]["GET"]; aws.ToString(got.AuthorizationType) != "COGNITO_USER_POOLS" {
		t.Errorf("apiSummary = %+v", gd.ApiSummary)
	}

	// Read back with embed=methods.
	rs := check(c.GetResources(bg, &apigateway.GetResourcesInput{RestApiId: &id, Embed: []string{"methods"}}))(t)
	var got *types.Method
	for _, r := range rs.Items {
		if aws.ToString(r.Path) == "/items" {
			mm := r.ResourceMethods["GET"]
			got = &mm
		}
	}
	if got == nil || aws.ToString(got.AuthorizerId) != aws.ToString(az.Id) || got.MethodIntegration == nil ||
		got.MethodIntegration.IntegrationResponses["200"].ResponseTemplates["application/json"] != `{"ok":true}` {
		t.Fatalf("embedded method = %+v", got)
	}

	// Export the stage: the deployment's view, with the Cognito scheme.
	exp := check(c.GetExport(bg, &apigateway.GetExportInput{RestApiId: &id, StageName: aws.String("dev"), ExportType: aws.String("oas30"),
		Parameters: map[string]string{"extensions": "apigateway"}}))(t)
	var doc struct {
		Paths map[string]map[string]struct {
			Security    []map[string][]string `json:"security"`
			Integration map[string]any        `json:"x-amazon-apigateway-integration"`
		} `json:"paths"`
		Components struct {
			SecuritySchemes map[string]struct {
				AuthType   string `json:"x-amazon-apigateway-authtype"`
				Authorizer struct {
					ProviderARNs []string `json:"providerARNs"`
				} `json:"x-amazon-apigateway-authorizer"`
			} `json:"securitySchemes"`
		} `json:"components"`
	}
	if err := json.Unmarshal(exp.Body, &doc); err != nil {
		t.Fatalf("export is not JSON: %v\n%s", err, exp.Body)
	}
	get := doc.Paths["/items"]["get"]
	if len(get.Security) != 1 || !slices.Equal(get.Security[0]["pool"], []string{"todo/write"}) || get.Integration["type"] != "mock" {
		t.Errorf("exported GET /items = %+v", get)
	}
	if s := doc.Components.SecuritySchemes["pool"]; s.AuthType != "cognito_user_pools" || !slices.Equal(s.Authorizer.ProviderARNs, []string{other}) {
		t.Errorf("exported scheme = %+v", s)
	}

	// Errors, typed.
	_, err = c.DeleteAuthorizer(bg, &apigateway.DeleteAuthorizerInput{RestApiId: &id, AuthorizerId: az.Id})
	wantAPIError[*types.ConflictException](t, err, "deleting an authorizer in use")
	_, err = c.GetMethod(bg, &apigateway.GetMethodInput{RestApiId: &id, ResourceId: items.Id, HttpMethod: aws.String("PATCH")})
	wantAPIError[*types.NotFoundException](t, err, "GetMethod of a missing verb")
	_, err = c.GetRestApi(bg, &apigateway.GetRestApiInput{RestApiId: aws.String("nope")})
	nf := wantAPIError[*types.NotFoundException](t, err, "GetRestApi of a missing API")
	if !strings.Contains(nf.ErrorMessage(), "Invalid API identifier") {
		t.Errorf("message = %q", nf.ErrorMessage())
	}
	_, err = c.DeleteDeployment(bg, &apigateway.DeleteDeploymentInput{RestApiId: &id, DeploymentId: dep.Id})
	wantAPIError[*types.BadRequestException](t, err, "deleting a deployment a stage uses")

	// Move the method off the authorizer; then it can go.
	check(c.UpdateMethod(bg, &apigateway.UpdateMethodInput{RestApiId: &id, ResourceId: items.Id, HttpMethod: aws.String("GET"),
		PatchOperations: []types.PatchOperation{patch(types.OpReplace, "/authorizationType", "NONE")}}))(t)
	check(c.DeleteAuthorizer(bg, &apigateway.DeleteAuthorizerInput{RestApiId: &id, AuthorizerId: az.Id}))(t)

	// Stage updates and re-pointing.
	dep2 := check(c.CreateDeployment(bg, &apigateway.CreateDeploymentInput{RestApiId: &id, Description: aws.String("second")}))(t)
	st2 := check(c.UpdateStage(bg, &apigateway.UpdateStageInput{RestApiId: &id, StageName: aws.String("dev"), PatchOperations: []types.PatchOperation{
		patch(types.OpReplace, "/deploymentId", aws.ToString(dep2.Id)),
		patch(types.OpReplace, "/variables/backend", "remote"),
		patch(types.OpReplace, "/description", "dev stage"),
		patch(types.OpReplace, "/*/*/logging/loglevel", "INFO"),
	}}))(t)
	if aws.ToString(st2.DeploymentId) != aws.ToString(dep2.Id) || st2.Variables["backend"] != "remote" || st2.MethodSettings["*/*"].LoggingLevel == nil {
		t.Errorf("UpdateStage = %+v", st2)
	}
	check(c.DeleteDeployment(bg, &apigateway.DeleteDeploymentInput{RestApiId: &id, DeploymentId: dep.Id}))(t)
	deps := check(c.GetDeployments(bg, &apigateway.GetDeploymentsInput{RestApiId: &id}))(t)
	if len(deps.Items) != 1 || aws.ToString(deps.Items[0].Description) != "second" {
		t.Errorf("deployments = %+v", deps.Items)
	}
	stages := check(c.GetStages(bg, &apigateway.GetStagesInput{RestApiId: &id}))(t)
	if len(stages.Item) != 1 {
		t.Errorf("stages = %+v", stages.Item)
	}
	check(c.FlushStageAuthorizersCache(bg, &apigateway.FlushStageAuthorizersCacheInput{RestApiId: &id, StageName: aws.String("dev")}))(t)

	// Deleting a resource takes its children along.
	check(c.DeleteResource(bg, &apigateway.DeleteResourceInput{RestApiId: &id, ResourceId: items.Id}))(t)
	_, err = c.GetResource(bg, &apigateway.GetResourceInput{RestApiId: &id, ResourceId: item.Id})
	wantAPIError[*types.NotFoundException](t, err, "child of a deleted resource")
	check(c.DeleteRestApi(bg, &apigateway.DeleteRestApiInput{RestApiId: &id}))(t)
	_, err = c.GetResources(bg, &apigateway.GetResourcesInput{RestApiId: &id})
	wantAPIError[*types.NotFoundException](t, err, "resources of a deleted API")
}

func TestGatewayResponsesSDK(t *testing.T) {
	c, _ := newCP(t, New(Options{}))
	id := aws.ToString(check(c.CreateRestApi(bg, &apigateway.CreateRestApiInput{Name: aws.String("gr")}))(t).Id)
	all := check(c.GetGatewayResponses(bg, &apigateway.GetGatewayResponsesInput{RestApiId: &id, Limit: aws.Int32(500)}))(t)
	if len(all.Items) != len(DefaultGatewayResponseStatus) || !all.Items[0].DefaultResponse {
		t.Fatalf("defaults: %d items", len(all.Items))
	}
	gr := check(c.PutGatewayResponse(bg, &apigateway.PutGatewayResponseInput{RestApiId: &id, ResponseType: types.GatewayResponseTypeDefault4xx,
		ResponseParameters: map[string]string{"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"}}))(t)
	if gr.DefaultResponse {
		t.Error("a put response is not a default one")
	}
	ugr := check(c.UpdateGatewayResponse(bg, &apigateway.UpdateGatewayResponseInput{RestApiId: &id, ResponseType: types.GatewayResponseTypeUnauthorized,
		PatchOperations: []types.PatchOperation{{Op: types.OpReplace, Path: aws.String("/statusCode"), Value: aws.String("401")},
			{Op: types.OpAdd, Path: aws.String("/responseParameters/gatewayresponse.header.WWW-Authenticate"), Value: aws.String("'Bearer'")}}}))(t)
	if aws.ToString(ugr.StatusCode) != "401" || ugr.ResponseParameters["gatewayresponse.header.WWW-Authenticate"] != "'Bearer'" {
		t.Errorf("updated = %+v", ugr)
	}
	_, err := c.PutGatewayResponse(bg, &apigateway.PutGatewayResponseInput{RestApiId: &id, ResponseType: types.GatewayResponseTypeDefault5xx, StatusCode: aws.String("600")})
	wantAPIError[*types.BadRequestException](t, err, "status 600")
	check(c.DeleteGatewayResponse(bg, &apigateway.DeleteGatewayResponseInput{RestApiId: &id, ResponseType: types.GatewayResponseTypeDefault4xx}))(t)
	back := check(c.GetGatewayResponse(bg, &apigateway.GetGatewayResponseInput{RestApiId: &id, ResponseType: types.GatewayResponseTypeDefault4xx}))(t)
	if !back.DefaultResponse {
		t.Error("deleted response should be back to the default")
	}
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	return check(os.ReadFile(name))(t)
}

func TestTestInvokeAuthorizer(t *testing.T) {
	v, iss, err := tokens.Setup{KeyFile: filepath.Join(t.TempDir(), "key.pem")}.Verifier()
	if err != nil {
		t.Fatal(err)
	}
	defer v.Resolver.Close()
	c, _ := newCP(t, New(Options{DataPlane: DataPlaneOptions{Verifier: v}}))
	id := aws.ToString(check(c.CreateRestApi(bg, &apigateway.CreateRestApiInput{Name: aws.String("ti")}))(t).Id)
	az := check(c.CreateAuthorizer(bg, &apigateway.CreateAuthorizerInput{RestApiId: &id, Name: aws.String("p"),
		Type: types.AuthorizerTypeCognitoUserPools, ProviderARNs: []string{testPoolARN}, IdentitySource: aws.String("method.request.header.X-Id")}))(t)
	idTok := check(iss.Mint(tokens.MintOptions{Pool: testPoolARN, Username: "alice"}))(t)
	accessTok := check(iss.Mint(tokens.MintOptions{Pool: testPoolARN, Username: "alice", Scopes: []string{"a/b"}}))(t)
	invoke := func(h map[string]string) *apigateway.TestInvokeAuthorizerOutput {
		return check(c.TestInvokeAuthorizer(bg, &apigateway.TestInvokeAuthorizerInput{RestApiId: &id, AuthorizerId: az.Id, Headers: h}))(t)
	}
	if out := invoke(map[string]string{"x-id": idTok}); out.ClientStatus != 0 || out.Claims["cognito:username"] != "alice" && out.Claims["username"] != "alice" {
		t.Errorf("ID token: status %d claims %v log %s", out.ClientStatus, out.Claims, aws.ToString(out.Log))
	}
	for name, h := range map[string]map[string]string{
		"access token": {"X-Id": accessTok}, "no header": {}, "wrong header": {"Authorization": idTok}, "garbage": {"X-Id": "a.b.c"},
	} {
		if out := invoke(h); out.ClientStatus != 401 || out.Claims != nil {
			t.Errorf("%s: status %d claims %v", name, out.ClientStatus, out.Claims)
		}
	}
}
