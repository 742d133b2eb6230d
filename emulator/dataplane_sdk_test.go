package emulator

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"

	"github.com/portcullis-dev/portcullis/tokens"
)

// invoke calls the data plane in-process, in the LocalStack form or, with
// host set, in the execute-api Host form.
func invoke(t *testing.T, e *Emulator, method, target, host string, header map[string]string) answer {
	t.Helper()
	req := localRequest(method, target, nil)
	if host != "" {
		req.Host = host
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	e.Handler().ServeHTTP(rec, req)
	b, _ := io.ReadAll(rec.Body)
	return answer{rec.Code, canonical(rec.Header()), string(b)}
}

// putMock gives a method a MOCK integration answering 200 with template
// and the response header mappings in params, declaring them on the method
// response as API Gateway requires.
func putMock(t *testing.T, c *apigateway.Client, id, res, verb string, params map[string]string, template string) {
	t.Helper()
	check(c.PutIntegration(bg, &apigateway.PutIntegrationInput{RestApiId: &id, ResourceId: &res, HttpMethod: &verb, Type: types.IntegrationTypeMock,
		RequestTemplates: map[string]string{"application/json": `{"statusCode": 200}`}}))(t)
	declared := map[string]bool{}
	for k := range params {
		declared[k] = false
	}
	check(c.PutMethodResponse(bg, &apigateway.PutMethodResponseInput{RestApiId: &id, ResourceId: &res, HttpMethod: &verb, StatusCode: aws.String("200"), ResponseParameters: declared}))(t)
	in := &apigateway.PutIntegrationResponseInput{RestApiId: &id, ResourceId: &res, HttpMethod: &verb, StatusCode: aws.String("200"), ResponseParameters: params}
	if template != "" {
		in.ResponseTemplates = map[string]string{"application/json": template}
	}
	check(c.PutIntegrationResponse(bg, in))(t)
}

// TestDataPlaneThroughTheControlPlane builds an API with the SDK, exactly
// as apply would, and checks what the deployed stage answers: deployed
// configuration only, Cognito enforced, CORS preflight from MOCK, CORS on
// 4XX from the gateway response, the authorizer cache and its flush.
func TestDataPlaneThroughTheControlPlane(t *testing.T) {
	e := New(Options{DataPlane: DataPlaneOptions{Verifier: verifierForTest(t)}})
	c, _ := newCP(t, e)
	id := aws.ToString(check(c.CreateRestApi(bg, &apigateway.CreateRestApiInput{Name: aws.String("todo")}))(t).Id)
	root := rootID(t, c, id)
	items := aws.ToString(check(c.CreateResource(bg, &apigateway.CreateResourceInput{RestApiId: &id, ParentId: &root, PathPart: aws.String("items")}))(t).Id)
	az := check(c.CreateAuthorizer(bg, &apigateway.CreateAuthorizerInput{RestApiId: &id, Name: aws.String("pool"),
		Type: types.AuthorizerTypeCognitoUserPools, ProviderARNs: []string{dpPool},
		IdentitySource: aws.String("method.request.header.Authorization"), AuthorizerResultTtlInSeconds: aws.Int32(300)}))(t)

	mock := func(res, verb string, params map[string]string, template string) {
		putMock(t, c, id, res, verb, params, template)
	}
	check(c.PutMethod(bg, &apigateway.PutMethodInput{RestApiId: &id, ResourceId: &items, HttpMethod: aws.String("GET"),
		AuthorizationType: aws.String("COGNITO_USER_POOLS"), AuthorizerId: az.Id}))(t)
	mock(items, "GET", nil, `{"user":"$context.authorizer.claims['cognito:username']"}`)
	check(c.PutMethod(bg, &apigateway.PutMethodInput{RestApiId: &id, ResourceId: &items, HttpMethod: aws.String("POST"),
		AuthorizationType: aws.String("COGNITO_USER_POOLS"), AuthorizerId: az.Id, AuthorizationScopes: []string{"todo/write"}}))(t)
	mock(items, "POST", nil, `{"created":true}`)
	check(c.PutMethod(bg, &apigateway.PutMethodInput{RestApiId: &id, ResourceId: &items, HttpMethod: aws.String("OPTIONS"), AuthorizationType: aws.String("NONE")}))(t)
	mock(items, "OPTIONS", map[string]string{
		"method.response.header.Access-Control-Allow-Origin":  "'*'",
		"method.response.header.Access-Control-Allow-Methods": "'GET,POST,OPTIONS'",
		"method.response.header.Access-Control-Allow-Headers": "'Content-Type,Authorization'",
	}, "")
	check(c.PutGatewayResponse(bg, &apigateway.PutGatewayResponseInput{RestApiId: &id, ResponseType: types.GatewayResponseTypeDefault4xx,
		ResponseParameters: map[string]string{"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"}}))(t)

	stageURL := "/restapis/" + id + "/prod/_user_request_"
	// Nothing deployed yet.
	if a := invoke(t, e, "GET", stageURL+"/items", "", auth(idToken(t))); a.status != 403 || a.body != missingToken {
		t.Fatalf("before deployment: %d %s", a.status, a.body)
	}
	check(c.CreateDeployment(bg, &apigateway.CreateDeploymentInput{RestApiId: &id, StageName: aws.String("prod")}))(t)

	a := invoke(t, e, "GET", stageURL+"/items", "", nil)
	if a.status != 401 || a.body != unauthorized || a.header.Get("Access-Control-Allow-Origin") != "*" || a.header.Get("x-amzn-ErrorType") != "UnauthorizedException" {
		t.Fatalf("no token: %d %s %v", a.status, a.body, a.header)
	}
	tok := idToken(t)
	if a := invoke(t, e, "GET", stageURL+"/items", "", auth(tok)); a.status != 200 || a.body != `{"user":"alice"}` {
		t.Fatalf("ID token: %d %s", a.status, a.body)
	}
	if a := invoke(t, e, "GET", "/prod/items", id+".execute-api.localhost:4567", auth(tok)); a.status != 200 {
		t.Fatalf("Host form: %d %s", a.status, a.body)
	}
	if a := invoke(t, e, "POST", stageURL+"/items", "", auth(tok)); a.status != 401 {
		t.Fatalf("ID token on a scoped method: %d", a.status)
	}
	if a := invoke(t, e, "POST", stageURL+"/items", "", auth(accessToken(t, "todo/write"))); a.status != 200 || a.body != `{"created":true}` {
		t.Fatalf("access token: %d %s", a.status, a.body)
	}
	a = invoke(t, e, "OPTIONS", stageURL+"/items", "", map[string]string{"Origin": "http://localhost:3000"})
	if a.status != 200 || a.header.Get("Access-Control-Allow-Methods") != "GET,POST,OPTIONS" {
		t.Fatalf("preflight: %d %v", a.status, a.header)
	}
	if a := invoke(t, e, "OPTIONS", stageURL+"/", "", nil); a.status != 403 || a.body != missingToken {
		t.Fatalf("preflight where none is defined: %d %s", a.status, a.body)
	}

	// Changed but not deployed: the stage keeps answering as deployed.
	check(c.UpdateMethod(bg, &apigateway.UpdateMethodInput{RestApiId: &id, ResourceId: &items, HttpMethod: aws.String("GET"), PatchOperations: []types.PatchOperation{
		{Op: types.OpReplace, Path: aws.String("/authorizationType"), Value: aws.String("NONE")}}}))(t)
	check(c.PutMethod(bg, &apigateway.PutMethodInput{RestApiId: &id, ResourceId: &root, HttpMethod: aws.String("GET"), AuthorizationType: aws.String("NONE")}))(t)
	mock(root, "GET", nil, `{"root":true}`)
	if a := invoke(t, e, "GET", stageURL+"/items", "", nil); a.status != 401 {
		t.Fatalf("undeployed change to NONE took effect: %d", a.status)
	}
	if a := invoke(t, e, "GET", stageURL+"/", "", nil); a.status != 403 {
		t.Fatalf("undeployed method answered: %d", a.status)
	}

	// The authorizer cache (TTL 300): a cached token keeps passing while
	// the verifier is gone, until FlushStageAuthorizersCache.
	dp := e.dataPlane.(*dataPlane)
	dp.opts.Verifier = nil
	if a := invoke(t, e, "GET", stageURL+"/items", "", auth(tok)); a.status != 200 {
		t.Fatalf("cached decision not used: %d", a.status)
	}
	if a := invoke(t, e, "POST", stageURL+"/items", "", auth(tok)); a.status != 401 {
		t.Fatalf("the cache ignored the method's scopes: %d", a.status)
	}
	check(c.FlushStageAuthorizersCache(bg, &apigateway.FlushStageAuthorizersCacheInput{RestApiId: &id, StageName: aws.String("prod")}))(t)
	if a := invoke(t, e, "GET", stageURL+"/items", "", auth(tok)); a.status != 401 {
		t.Fatalf("flushed cache still answered: %d", a.status)
	}
	dp.opts.Verifier = verifierForTest(t)

	check(c.CreateDeployment(bg, &apigateway.CreateDeploymentInput{RestApiId: &id, StageName: aws.String("prod")}))(t)
	if a := invoke(t, e, "GET", stageURL+"/items", "", nil); a.status != 200 || !strings.Contains(a.body, `"user":""`) {
		t.Fatalf("after redeploy: %d %s", a.status, a.body)
	}
	if a := invoke(t, e, "GET", stageURL+"/", "", nil); a.status != 200 || a.body != `{"root":true}` {
		t.Fatalf("after redeploy: %d %s", a.status, a.body)
	}
}

// TestImportedCognitoAPIIsEnforced imports an OpenAPI document with a
// Cognito security scheme, deploys it and checks the data plane enforces
// what the document says.
func TestImportedCognitoAPIIsEnforced(t *testing.T) {
	e := New(Options{DataPlane: DataPlaneOptions{Verifier: verifierForTest(t)}})
	c, _ := newCP(t, e)
	doc := `openapi: 3.0.1
info: {title: imported, version: "1"}
paths:
  /notes:
    get:
      security: [{pool: ["notes/read"]}]
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{"statusCode": 200}'}
        responses: {default: {statusCode: "200", responseTemplates: {application/json: '{"notes":[]}'}}}
components:
  securitySchemes:
    pool:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authtype: cognito_user_pools
      x-amazon-apigateway-authorizer: {type: cognito_user_pools, providerARNs: ["` + dpPool + `"]}
x-amazon-apigateway-gateway-responses:
  UNAUTHORIZED:
    statusCode: "401"
    responseParameters: {gatewayresponse.header.WWW-Authenticate: "'Bearer'"}
    responseTemplates: {application/json: '{"error":$context.error.messageString}'}
`
	api, err := c.ImportRestApi(bg, &apigateway.ImportRestApiInput{Body: []byte(doc)})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(api.Id)
	check(c.CreateDeployment(bg, &apigateway.CreateDeploymentInput{RestApiId: &id, StageName: aws.String("v1")}))(t)
	url := "/restapis/" + id + "/v1/_user_request_/notes"
	a := invoke(t, e, "GET", url, "", auth(idToken(t)))
	if a.status != 401 || a.body != `{"error":"Unauthorized"}` || a.header.Get("WWW-Authenticate") != "Bearer" {
		t.Fatalf("ID token on a scoped import: %d %s %v", a.status, a.body, a.header)
	}
	if a := invoke(t, e, "GET", url, "", auth(badToken(t, tokens.BadExpired, "notes/read"))); a.body != `{"error":"The incoming token has expired"}` {
		t.Fatalf("expired: %d %s", a.status, a.body)
	}
	if a := invoke(t, e, "GET", url, "", auth(accessToken(t, "notes/read"))); a.status != 200 || a.body != `{"notes":[]}` {
		t.Fatalf("access token: %d %s", a.status, a.body)
	}
}
