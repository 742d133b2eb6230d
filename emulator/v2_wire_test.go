package emulator

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// The v2 handlers' answers on the wire for what every kind of object
// shares (a missing id, a page, an object in use), pinned byte for byte so
// that the handlers can share their code without changing what clients
// see.
func TestV2WireAnswers(t *testing.T) {
	e := New(Options{})
	c, srv := newV2CP(t, e)
	f := makeV2API(t, c, "http://127.0.0.1:1/{proxy}", nil)
	ids := strings.NewReplacer(f.api, "{api}", f.auth, "{auth}", f.integ, "{integ}", f.open, "{open}", f.closed, "{closed}")
	path := strings.NewReplacer("{api}", f.api, "{auth}", f.auth, "{integ}", f.integ, "{open}", f.open)
	integ := regexp.MustCompile(`integrations/[a-z0-9]+`)
	deployment := regexp.MustCompile(`"deploymentId":"[a-z0-9]+"`)
	date := regexp.MustCompile(`"\d{4}-\d\d-\d\dT[0-9:]+Z"`)
	send := func(method, p, body string) string {
		t.Helper()
		r, err := http.NewRequest(method, srv.URL+p, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/apigateway/aws4_request, SignedHeaders=host, Signature=x")
		resp, err := srv.Client().Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		got := resp.Status + " " + resp.Header.Get("X-Amzn-Errortype") + " " + string(b)
		got = integ.ReplaceAllString(ids.Replace(got), "integrations/{id}")
		got = deployment.ReplaceAllString(got, `"deploymentId":"{id}"`)
		return date.ReplaceAllString(got, `"{date}"`)
	}
	for _, tc := range []struct{ method, path, body, want string }{
		{"GET", "/v2/apis/missing/routes", "", "404 Not Found NotFoundException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/ {\"message\":\"Invalid API identifier specified 000000000000:missing\"}"},
		{"GET", "/v2/apis/{api}/authorizers/missing", "", "404 Not Found NotFoundException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/ {\"message\":\"Invalid Authorizer identifier specified 000000000000:missing\"}"},
		{"PATCH", "/v2/apis/{api}/authorizers/missing", "{}", "404 Not Found NotFoundException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/ {\"message\":\"Invalid Authorizer identifier specified 000000000000:missing\"}"},
		{"DELETE", "/v2/apis/{api}/authorizers/missing", "", "404 Not Found NotFoundException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/ {\"message\":\"Invalid Authorizer identifier specified 000000000000:missing\"}"},
		{"GET", "/v2/apis/{api}/integrations/missing", "", "404 Not Found NotFoundException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/ {\"message\":\"Invalid Integration identifier specified 000000000000:missing\"}"},
		{"PATCH", "/v2/apis/{api}/integrations/missing", "{}", "404 Not Found NotFoundException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/ {\"message\":\"Invalid Integration identifier specified 000000000000:missing\"}"},
		{"DELETE", "/v2/apis/{api}/integrations/missing", "", "404 Not Found NotFoundException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/ {\"message\":\"Invalid Integration identifier specified 000000000000:missing\"}"},
		{"GET", "/v2/apis/{api}/routes/missing", "", "404 Not Found NotFoundException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/ {\"message\":\"Invalid Route identifier specified 000000000000:missing\"}"},
		{"PATCH", "/v2/apis/{api}/routes/missing", "{}", "404 Not Found NotFoundException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/ {\"message\":\"Invalid Route identifier specified 000000000000:missing\"}"},
		{"DELETE", "/v2/apis/{api}/routes/missing", "", "404 Not Found NotFoundException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/ {\"message\":\"Invalid Route identifier specified 000000000000:missing\"}"},
		{"GET", "/v2/apis/{api}/stages/missing", "", "404 Not Found NotFoundException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/ {\"message\":\"Invalid stage identifier specified missing\"}"},
		{"PATCH", "/v2/apis/{api}/stages/missing", "{}", "404 Not Found NotFoundException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/ {\"message\":\"Invalid stage identifier specified missing\"}"},
		{"DELETE", "/v2/apis/{api}/stages/missing", "", "404 Not Found NotFoundException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/ {\"message\":\"Invalid stage identifier specified missing\"}"},
		{"GET", "/v2/apis/{api}/deployments/missing", "", "404 Not Found NotFoundException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/ {\"message\":\"Invalid Deployment identifier specified 000000000000:missing\"}"},
		{"PATCH", "/v2/apis/{api}/deployments/missing", "{}", "404 Not Found NotFoundException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/ {\"message\":\"Invalid Deployment identifier specified 000000000000:missing\"}"},
		{"DELETE", "/v2/apis/{api}/deployments/missing", "", "404 Not Found NotFoundException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/ {\"message\":\"Invalid Deployment identifier specified 000000000000:missing\"}"},
		{"PATCH", "/v2/apis/{api}/routes/{open}", "{not json", "400 Bad Request BadRequestException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/ {\"message\":\"Invalid request body: invalid character 'n' looking for beginning of object key string\"}"},
		{"DELETE", "/v2/apis/{api}/authorizers/{auth}", "", "409 Conflict ConflictException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/ {\"message\":\"Cannot delete authorizer {auth}: it is used by routes [ANY /items/{proxy+}]\"}"},
		{"DELETE", "/v2/apis/{api}/integrations/{integ}", "", "409 Conflict ConflictException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/ {\"message\":\"Cannot delete integration {integ}: it is the target of route ANY /items/{proxy+}\"}"},
		{"GET", "/v2/apis/{api}/routes?maxResults=1", "", "200 OK  {\"items\":[{\"routeId\":\"{open}\",\"routeKey\":\"GET /health\",\"apiKeyRequired\":false,\"authorizationType\":\"NONE\",\"target\":\"integrations/{id}\"}],\"nextToken\":\"bzE\"}"},
		{"GET", "/v2/apis/{api}/routes?maxResults=1&nextToken=bzE", "", "200 OK  {\"items\":[{\"routeId\":\"{closed}\",\"routeKey\":\"ANY /items/{proxy+}\",\"apiKeyRequired\":false,\"authorizationScopes\":[\"todo/read\"],\"authorizationType\":\"JWT\",\"authorizerId\":\"{auth}\",\"target\":\"integrations/{integ}\"}]}"},
		{"GET", "/v2/apis/{api}/authorizers", "", "200 OK  {\"items\":[{\"authorizerId\":\"{auth}\",\"name\":\"cognito\",\"authorizerType\":\"JWT\",\"identitySource\":[\"$request.header.Authorization\"],\"jwtConfiguration\":{\"audience\":[\"client-a\"],\"issuer\":\"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_DataPlane\"}}]}"},
		{"GET", "/v2/apis/{api}/integrations?maxResults=1", "", "200 OK  {\"items\":[{\"integrationId\":\"{integ}\",\"integrationType\":\"HTTP_PROXY\",\"integrationMethod\":\"ANY\",\"integrationUri\":\"http://127.0.0.1:1/{proxy}\",\"payloadFormatVersion\":\"1.0\",\"connectionType\":\"INTERNET\",\"timeoutInMillis\":30000}],\"nextToken\":\"bzE\"}"},
		{"PATCH", "/v2/apis/{api}/authorizers/{auth}", "{\"jwtConfiguration\":{\"audience\":[\"client-b\"]}}", "200 OK  {\"authorizerId\":\"{auth}\",\"name\":\"cognito\",\"authorizerType\":\"JWT\",\"identitySource\":[\"$request.header.Authorization\"],\"jwtConfiguration\":{\"audience\":[\"client-b\"],\"issuer\":\"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_DataPlane\"}}"},
		{"PATCH", "/v2/apis/{api}/authorizers/{auth}", "{\"authorizerType\":\"REQUEST\",\"authorizerUri\":\"arn:x\",\"jwtConfiguration\":null}", "400 Bad Request BadRequestException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/ {\"message\":\"JwtConfiguration is supported only for a JWT authorizer\"}"},
		{"PATCH", "/v2/apis/{api}/integrations/{integ}", "{\"timeoutInMillis\":1000}", "200 OK  {\"integrationId\":\"{integ}\",\"integrationType\":\"HTTP_PROXY\",\"integrationMethod\":\"ANY\",\"integrationUri\":\"http://127.0.0.1:1/{proxy}\",\"payloadFormatVersion\":\"1.0\",\"connectionType\":\"INTERNET\",\"timeoutInMillis\":1000}"},
		{"PATCH", "/v2/apis/{api}/integrations/{integ}", "{\"timeoutInMillis\":10}", "400 Bad Request BadRequestException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/ {\"message\":\"TimeoutInMillis must be between 50 and 30000 for an HTTP API\"}"},
		{"POST", "/v2/apis/{api}/authorizers", "{\"name\":\"noaud\",\"authorizerType\":\"JWT\",\"identitySource\":[\"$request.header.Authorization\"],\"jwtConfiguration\":{\"issuer\":\"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_X\"}}", "400 Bad Request BadRequestException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/ {\"message\":\"JwtConfiguration.Audience is required for a JWT authorizer\"}"},
		{"PATCH", "/v2/apis/{api}/authorizers/{auth}", "{\"jwtConfiguration\":{\"audience\":[]}}", "400 Bad Request BadRequestException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/ {\"message\":\"JwtConfiguration.Audience is required for a JWT authorizer\"}"},
		{"POST", "/v2/apis/{api}/stages", "{\"stageName\":\"rs\",\"routeSettings\":{\"GET /items/{proxy+}\":{\"throttlingBurstLimit\":1}}}", "404 Not Found NotFoundException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/ {\"message\":\"Unable to find Route by key GET /items/{proxy+} within the provided RouteSettings\"}"},
		{"POST", "/v2/apis/{api}/stages", "{\"stageName\":\"prod\"}", "201 Created  {\"stageName\":\"prod\",\"autoDeploy\":false,\"tags\":{},\"createdDate\":\"{date}\",\"lastUpdatedDate\":\"{date}\"}"},
		{"POST", "/v2/apis/{api}/deployments", "{\"stageName\":\"prod\",\"description\":\"one\"}", "201 Created  {\"deploymentId\":\"{id}\",\"autoDeployed\":false,\"createdDate\":\"{date}\",\"deploymentStatus\":\"DEPLOYED\",\"description\":\"one\"}"},
		{"PATCH", "/v2/apis/{api}/stages/prod", "{\"routeSettings\":{\"GET /nope\":{\"throttlingBurstLimit\":1}}}", "404 Not Found NotFoundException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/ {\"message\":\"Unable to find Route by key GET /nope within the provided RouteSettings\"}"},
		{"GET", "/v2/apis/{api}/stages", "", "200 OK  {\"items\":[{\"stageName\":\"prod\",\"autoDeploy\":false,\"deploymentId\":\"{id}\",\"tags\":{},\"createdDate\":\"{date}\",\"lastUpdatedDate\":\"{date}\"}]}"},
		{"GET", "/v2/apis/{api}/deployments", "", "200 OK  {\"items\":[{\"deploymentId\":\"{id}\",\"autoDeployed\":false,\"createdDate\":\"{date}\",\"deploymentStatus\":\"DEPLOYED\",\"description\":\"one\"}]}"},
		{"DELETE", "/v2/apis/{api}/stages/prod/accesslogsettings", "", "204 No Content  "},
		{"DELETE", "/v2/apis/{api}/stages/missing/accesslogsettings", "", "404 Not Found NotFoundException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/ {\"message\":\"Invalid stage identifier specified missing\"}"},
		{"DELETE", "/v2/apis/{api}/stages/prod/cache/authorizers", "", "204 No Content  "},
		{"PATCH", "/v2/apis/{api}/stages/prod", "{\"stageVariables\":{\"a\":\"1\",\"b\":\"2\"}}", "200 OK  {\"stageName\":\"prod\",\"autoDeploy\":false,\"deploymentId\":\"{id}\",\"stageVariables\":{\"a\":\"1\",\"b\":\"2\"},\"tags\":{},\"createdDate\":\"{date}\",\"lastUpdatedDate\":\"{date}\"}"},
		{"PATCH", "/v2/apis/{api}/stages/prod", "{\"stageVariables\":{\"a\":\"\",\"c\":\"3\"}}", "200 OK  {\"stageName\":\"prod\",\"autoDeploy\":false,\"deploymentId\":\"{id}\",\"stageVariables\":{\"b\":\"2\",\"c\":\"3\"},\"tags\":{},\"createdDate\":\"{date}\",\"lastUpdatedDate\":\"{date}\"}"},
		{"PATCH", "/v2/apis/{api}/stages/prod", "{\"stageVariables\":{\"d\":\"no spaces allowed\"}}", "400 Bad Request BadRequestException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/ {\"message\":\"Stage variable value of d must match [A-Za-z0-9-._~:/?#\\u0026=,]+: \\\"no spaces allowed\\\"\"}"},
		{"PATCH", "/v2/apis/{api}/stages/prod", "{\"routeSettings\":{\"GET /health\":{\"throttlingBurstLimit\":1}}}", "200 OK  {\"stageName\":\"prod\",\"autoDeploy\":false,\"deploymentId\":\"{id}\",\"stageVariables\":{\"b\":\"2\",\"c\":\"3\"},\"routeSettings\":{\"GET /health\":{\"throttlingBurstLimit\":1}},\"tags\":{},\"createdDate\":\"{date}\",\"lastUpdatedDate\":\"{date}\"}"},
		{"PATCH", "/v2/apis/{api}/stages/prod", "{\"routeSettings\":{\"ANY /items/{proxy+}\":{\"throttlingBurstLimit\":2}}}", "200 OK  {\"stageName\":\"prod\",\"autoDeploy\":false,\"deploymentId\":\"{id}\",\"stageVariables\":{\"b\":\"2\",\"c\":\"3\"},\"routeSettings\":{\"ANY /items/{proxy+}\":{\"throttlingBurstLimit\":2},\"GET /health\":{\"throttlingBurstLimit\":1}},\"tags\":{},\"createdDate\":\"{date}\",\"lastUpdatedDate\":\"{date}\"}"},
		{"DELETE", "/v2/apis/{api}/stages/prod/routesettings/GET%20%2Fhealth", "", "204 No Content  "},
		{"DELETE", "/v2/apis/{api}/stages/prod/routesettings/GET%20%2Fhealth", "", "404 Not Found NotFoundException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/ {\"message\":\"Unable to find route settings for route key GET /health\"}"},
		{"GET", "/v2/apis/{api}/stages/prod", "", "200 OK  {\"stageName\":\"prod\",\"autoDeploy\":false,\"deploymentId\":\"{id}\",\"stageVariables\":{\"b\":\"2\",\"c\":\"3\"},\"routeSettings\":{\"ANY /items/{proxy+}\":{\"throttlingBurstLimit\":2}},\"tags\":{},\"createdDate\":\"{date}\",\"lastUpdatedDate\":\"{date}\"}"},
		{"DELETE", "/v2/apis/{api}/stages/prod", "", "204 No Content  "},
		{"GET", "/v2/apis/{api}/routes?maxResults=0", "", "400 Bad Request BadRequestException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/ {\"message\":\"maxResults must be a number between 1 and 500\"}"},
		{"PATCH", "/v2/apis/{api}/routes/{open}", "{\"operationName\":\"health\"}", "200 OK  {\"routeId\":\"{open}\",\"routeKey\":\"GET /health\",\"apiKeyRequired\":false,\"authorizationType\":\"NONE\",\"operationName\":\"health\",\"target\":\"integrations/{id}\"}"},
		{"GET", "/v2/apis/{api}/routes/{open}", "", "200 OK  {\"routeId\":\"{open}\",\"routeKey\":\"GET /health\",\"apiKeyRequired\":false,\"authorizationType\":\"NONE\",\"operationName\":\"health\",\"target\":\"integrations/{id}\"}"},
		{"DELETE", "/v2/apis/{api}/routes/{open}", "", "204 No Content  "},
		{"GET", "/v2/apis/{api}/routes/{open}", "", "404 Not Found NotFoundException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/ {\"message\":\"Invalid Route identifier specified 000000000000:{open}\"}"},
	} {
		got := send(tc.method, path.Replace(tc.path), tc.body)
		if got != tc.want {
			t.Errorf("%s %s: got %q, want %q", tc.method, tc.path, got, tc.want)
		}
	}
}
