package oasspec

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// An alias bomb must be refused quickly, not expanded.
func TestAliasBombRefused(t *testing.T) {
	var b strings.Builder
	b.WriteString("openapi: 3.0.1\ninfo: {title: t, version: '1'}\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 12; i++ {
		b.WriteString(strings.Repeat(" ", 0))
		b.WriteString("a" + itoa(i) + ": &a" + itoa(i) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + itoa(i-1))
		}
		b.WriteString("]\n")
	}
	b.WriteString("paths: {}\n")
	start := time.Now()
	_, diags := Read("bomb.yaml", []byte(b.String()), Options{})
	if !diags.HasErrors() {
		t.Fatal("alias bomb accepted")
	}
	if !strings.Contains(diags[0].Detail, "alias") {
		t.Errorf("diagnostic does not name the cause: %v", diags[0])
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("refusing took %s", el)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// External references stay off unless allowed, and URLs stay off always.
func TestExternalRefs(t *testing.T) {
	doc := `openapi: 3.0.1
info: {title: t, version: "1"}
paths:
  /a:
    get:
      responses:
        "200":
          $ref: "https://example.com/responses.yaml#/ok"
`
	_, diags := Read("t.yaml", []byte(doc), Options{})
	if !diags.HasErrors() || diags[0].Code != "external-ref" {
		t.Fatalf("want external-ref, got %v", diags)
	}
	_, diags = Read("t.yaml", []byte(doc), Options{AllowExternalRefs: true})
	if !diags.HasErrors() || !strings.Contains(diags[0].Detail, "only local files") {
		t.Fatalf("a URL must be refused even with external refs allowed, got %v", diags)
	}
}

func TestSwaggerCognito(t *testing.T) {
	doc := `swagger: "2.0"
info: {title: sw, version: "1"}
host: abcdefghij.execute-api.eu-west-1.amazonaws.com
basePath: /prod
paths:
  /items:
    get:
      security: [{pool: [todo/read]}]
      responses: {"200": {description: ok}}
    x-amazon-apigateway-any-method:
      security: [{pool: []}]
      responses: {"200": {description: ok}}
securityDefinitions:
  pool:
    type: apiKey
    name: X-Token
    in: header
    x-amazon-apigateway-authtype: cognito_user_pools
    x-amazon-apigateway-authorizer:
      type: cognito_user_pools
      providerARNs: [arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Abc]
      authorizerResultTtlInSeconds: 0
`
	d, diags := Read("sw.yaml", []byte(doc), Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	a := d.APIs[0]
	if a.Region != "eu-west-1" || a.RestAPIID != "abcdefghij" || len(a.Stages) != 1 || a.Stages[0].Name != "prod" {
		t.Errorf("servers/basePath not read: region=%q id=%q stages=%v", a.Region, a.RestAPIID, a.Stages)
	}
	az := a.AuthorizerByName("pool")
	if az == nil || az.IdentitySource != "method.request.header.X-Token" || az.TTLSeconds != 0 {
		t.Fatalf("authorizer: %+v", az)
	}
	get := a.Route("GET", "/items")
	if get == nil || get.Authorizer != "pool" || strings.Join(get.Scopes, ",") != "todo/read" {
		t.Fatalf("GET route: %+v", get)
	}
	any := a.Route("ANY", "/items")
	if any == nil || any.AuthType != "COGNITO_USER_POOLS" || len(any.Scopes) != 0 {
		t.Fatalf("ANY route: %+v", any)
	}
	if get.Range.Start.Line != 7 {
		t.Errorf("GET range line %d, want 7", get.Range.Start.Line)
	}
}

func TestAPIKeyNextToCognito(t *testing.T) {
	doc := `openapi: 3.0.1
info: {title: k, version: "1"}
paths:
  /a:
    get:
      security: [{pool: [], api_key: []}]
      responses: {"200": {description: ok}}
components:
  securitySchemes:
    api_key: {type: apiKey, name: x-api-key, in: header}
    pool:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authtype: cognito_user_pools
      x-amazon-apigateway-authorizer:
        type: cognito_user_pools
        providerARNs: [arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_K]
`
	d, diags := Read("k.yaml", []byte(doc), Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if r := d.APIs[0].Route("GET", "/a"); r.AuthType != "COGNITO_USER_POOLS" || r.Authorizer != "pool" {
		t.Fatalf("route: %+v", r)
	}
}

// An OPTIONS mock that says something about itself is a described route,
// not CORS plumbing folded into the cors setting.
func TestDescribedOptionsIsARoute(t *testing.T) {
	doc := `openapi: 3.0.1
info: {title: o, version: "1"}
paths:
  /a:
    options:
      operationId: describeA
      x-portcullis-public: true
      x-portcullis-public-reason: discovery
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{"statusCode": 200}'}
        responses:
          default:
            statusCode: "200"
            responseParameters: {method.response.header.Access-Control-Allow-Origin: "'*'"}
`
	d, diags := Read("o.yaml", []byte(doc), Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	a := d.APIs[0]
	if a.Route("OPTIONS", "/a") == nil || a.CORS != nil {
		t.Fatalf("want an OPTIONS route and no inferred CORS, got routes=%d cors=%v", len(a.Routes), a.CORS)
	}
}
