package equivalence_test

import (
	"strings"
	"testing"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/equivalence"
	"github.com/portcullis-dev/portcullis/generators/internal/gentest"
	"github.com/portcullis-dev/portcullis/generators/registry"
)

const pool = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example"

func cognito(ttl int, header string) *equivalence.Authorizer {
	return &equivalence.Authorizer{Type: "COGNITO_USER_POOLS", Pools: []string{pool}, IdentitySource: "method.request.header." + header, TTLSeconds: ttl}
}

func want(t *testing.T, got equivalence.Surface, err error, methods ...equivalence.Method) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	if d := equivalence.Compare(equivalence.Surface{Methods: methods}, got); len(d) > 0 {
		t.Errorf("differences:\n%s", strings.Join(d, "\n"))
	}
}

func TestCloudFormationDefaultsAndRefs(t *testing.T) {
	got, err := equivalence.FromCloudFormation([]byte(`
Parameters:
  Pools: {Type: CommaDelimitedList, Default: "` + pool + `"}
  RootId: {Type: String, Default: abc}
Resources:
  Az:
    Type: AWS::ApiGateway::Authorizer
    Properties: {Type: COGNITO_USER_POOLS, ProviderARNs: !Ref Pools, IdentitySource: method.request.header.Authorization}
  Items:
    Type: AWS::ApiGateway::Resource
    Properties: {ParentId: !Ref RootId, PathPart: items}
  Id:
    Type: AWS::ApiGateway::Resource
    Properties: {ParentId: !Ref Items, PathPart: "{id}"}
  Get:
    Type: AWS::ApiGateway::Method
    Properties: {ResourceId: !Ref Id, HttpMethod: get, AuthorizationType: COGNITO_USER_POOLS, AuthorizerId: !Ref Az, AuthorizationScopes: [b, a]}
  Root:
    Type: AWS::ApiGateway::Method
    Properties: {ResourceId: !GetAtt Api.RootResourceId, HttpMethod: GET}
`))
	want(t, got, err,
		equivalence.Method{Verb: "GET", Path: "/items/{id}", AuthType: "COGNITO_USER_POOLS", Authorizer: cognito(300, "Authorization"), Scopes: []string{"a", "b"}},
		equivalence.Method{Verb: "GET", Path: "/", AuthType: "NONE"})
}

func TestOpenAPIIgnoresRootSecurity(t *testing.T) {
	got, err := equivalence.FromOpenAPI([]byte(`{
  "openapi": "3.0.1",
  "security": [{"pool": []}],
  "paths": {
    "/a": {"get": {}, "post": {"security": [{"pool": ["s"]}]}, "put": {"security": []}},
    "/b": {"x-amazon-apigateway-any-method": {"security": [{"iam": []}]}}
  },
  "components": {"securitySchemes": {
    "pool": {"type": "apiKey", "name": "X-Token", "in": "header", "x-amazon-apigateway-authtype": "cognito_user_pools",
             "x-amazon-apigateway-authorizer": {"type": "cognito_user_pools", "providerARNs": ["` + pool + `"], "authorizerResultTtlInSeconds": 0}},
    "iam": {"type": "apiKey", "name": "Authorization", "in": "header", "x-amazon-apigateway-authtype": "awsSigv4"}
  }}
}`))
	want(t, got, err,
		equivalence.Method{Verb: "GET", Path: "/a", AuthType: "NONE"},
		equivalence.Method{Verb: "POST", Path: "/a", AuthType: "COGNITO_USER_POOLS", Authorizer: cognito(0, "X-Token"), Scopes: []string{"s"}},
		equivalence.Method{Verb: "PUT", Path: "/a", AuthType: "NONE"},
		equivalence.Method{Verb: "ANY", Path: "/b", AuthType: "AWS_IAM"})
}

// TestSAMDefaults checks SAM's own defaults: the default authorizer (with
// its default scopes) on operations and events without auth, and on
// preflights unless AddDefaultAuthorizerToCorsPreflight is false (here it
// is left at true, so the preflight must be flagged).
func TestSAMDefaults(t *testing.T) {
	got, err := equivalence.FromSAM([]byte(`
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      Auth:
        DefaultAuthorizer: pool
        Authorizers:
          pool: {UserPoolArn: "` + pool + `", AuthorizationScopes: [d]}
      DefinitionBody:
        swagger: "2.0"
        paths:
          /a: {get: {}, options: {}, post: {security: [{NONE: []}]}}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        One: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /b, Method: get}}
        Two: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /b, Method: put, Auth: {Authorizer: pool, AuthorizationScopes: [x]}}}
        Three: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /b, Method: any, Auth: {Authorizer: AWS_IAM}}}
`))
	if err != nil {
		t.Fatal(err)
	}
	model := equivalence.Surface{Methods: []equivalence.Method{
		{Verb: "GET", Path: "/a", AuthType: "COGNITO_USER_POOLS", Authorizer: cognito(300, "Authorization"), Scopes: []string{"d"}},
		{Verb: "POST", Path: "/a", AuthType: "NONE"},
		{Verb: "GET", Path: "/b", AuthType: "COGNITO_USER_POOLS", Authorizer: cognito(300, "Authorization"), Scopes: []string{"d"}},
		{Verb: "PUT", Path: "/b", AuthType: "COGNITO_USER_POOLS", Authorizer: cognito(300, "Authorization"), Scopes: []string{"x"}},
		{Verb: "ANY", Path: "/b", AuthType: "AWS_IAM"},
	}}
	d := equivalence.Compare(model, got)
	if len(d) != 1 || !strings.Contains(d[0], "OPTIONS /a: preflight requires COGNITO_USER_POOLS") {
		t.Errorf("want only the locked preflight flagged, got:\n%s", strings.Join(d, "\n"))
	}
}

func TestTerraformDefaultsAndReferences(t *testing.T) {
	got, err := equivalence.FromTerraform("t.tf", []byte(`
variable "pools" { default = ["`+pool+`"] }
variable "api_id" { default = "a1b2c3d4e5" }
data "aws_api_gateway_resource" "root" {
  rest_api_id = var.api_id
  path        = "/"
}
resource "aws_api_gateway_authorizer" "token" {
  rest_api_id   = var.api_id
  provider_arns = var.pools
}
resource "aws_api_gateway_authorizer" "pool" {
  rest_api_id   = var.api_id
  type          = "COGNITO_USER_POOLS"
  provider_arns = var.pools
}
resource "aws_api_gateway_resource" "a" {
  parent_id = data.aws_api_gateway_resource.root.id
  path_part = "a"
}
resource "aws_api_gateway_resource" "b" {
  parent_id = aws_api_gateway_resource.a.id
  path_part = "{b}"
}
resource "aws_api_gateway_method" "get" {
  resource_id          = aws_api_gateway_resource.b.id
  http_method          = "GET"
  authorization        = "COGNITO_USER_POOLS"
  authorizer_id        = aws_api_gateway_authorizer.pool.id
  authorization_scopes = toset(["z", "y"])
}
resource "aws_api_gateway_method" "put" {
  resource_id   = aws_api_gateway_resource.b.id
  http_method   = "PUT"
  authorization = "CUSTOM"
  authorizer_id = aws_api_gateway_authorizer.token.id
}
`))
	tok := cognito(300, "Authorization")
	tok.Type = "TOKEN" // the provider's default type: a Lambda authorizer, not Cognito
	want(t, got, err,
		equivalence.Method{Verb: "GET", Path: "/a/{b}", AuthType: "COGNITO_USER_POOLS", Authorizer: cognito(300, "Authorization"), Scopes: []string{"y", "z"}},
		equivalence.Method{Verb: "PUT", Path: "/a/{b}", AuthType: "CUSTOM", Authorizer: tok})

	if _, err := equivalence.FromTerraform("c.tf", []byte(`
resource "aws_api_gateway_method" "m" {
  for_each = toset(["GET"])
  http_method = each.key
}`)); err == nil || !strings.Contains(err.Error(), "for_each") {
		t.Errorf("for_each must be refused, got %v", err)
	}
}

// TestServerlessDefaults reads the framework's shorthand forms: an ARN
// string, aws_iam, an object without identity source or TTL.
func TestServerlessDefaults(t *testing.T) {
	got, err := equivalence.FromServerless([]byte(`
service: s
functions:
  f:
    handler: h.h
    events:
      - http: {path: a, method: get, authorizer: "` + pool + `"}
      - http: {path: a, method: post, authorizer: aws_iam}
      - http: {path: /, method: any, authorizer: {arn: "` + pool + `", scopes: [s], identitySource: method.request.header.X-Token, resultTtlInSeconds: 0}}
      - http: {path: b, method: put, authorizer: {type: COGNITO_USER_POOLS, authorizerId: {Ref: Shared}, scopes: [q]}}
      - http: {path: b, method: delete}
resources:
  Resources:
    Shared:
      Type: AWS::ApiGateway::Authorizer
      Properties: {Type: COGNITO_USER_POOLS, ProviderARNs: ["` + pool + `"], IdentitySource: method.request.header.Authorization}
`))
	want(t, got, err,
		equivalence.Method{Verb: "GET", Path: "/a", AuthType: "COGNITO_USER_POOLS", Authorizer: cognito(300, "Authorization")},
		equivalence.Method{Verb: "POST", Path: "/a", AuthType: "AWS_IAM"},
		equivalence.Method{Verb: "ANY", Path: "/", AuthType: "COGNITO_USER_POOLS", Authorizer: cognito(0, "X-Token"), Scopes: []string{"s"}},
		equivalence.Method{Verb: "PUT", Path: "/b", AuthType: "COGNITO_USER_POOLS", Authorizer: cognito(300, "Authorization"), Scopes: []string{"q"}},
		equivalence.Method{Verb: "DELETE", Path: "/b", AuthType: "NONE"})
}

// TestServerlessHTTPAPIRoutes reads an HTTP API service's routes without a
// function: Route resources whose AuthorizerId names the authorizer
// Serverless compiles (HttpApiAuthorizer + the name, "-" as Dash and "_" as
// Underscore) or an authorizer resource, events naming one by
// authorizer.id, and CORS on an Api resource. An AuthorizerId that names
// neither is an error, not a guess.
func TestServerlessHTTPAPIRoutes(t *testing.T) {
	const svc = `
service: s
provider:
  httpApi:
    authorizers:
      partner-login: {type: jwt, identitySource: $request.header.X-Token, issuerUrl: "https://p.example.com/", audience: [app]}
functions:
  f:
    handler: h.h
    events:
      - httpApi: {method: GET, path: /own, authorizer: {id: {Ref: Own}, scopes: [s]}}
resources:
  Resources:
    Own:
      Type: AWS::ApiGatewayV2::Authorizer
      Properties: {AuthorizerType: JWT, IdentitySource: [$request.header.Authorization], JwtConfiguration: {Issuer: "https://o.example.com/", Audience: [b, a]}}
    Api:
      Type: AWS::ApiGatewayV2::Api
      Properties: {CorsConfiguration: {AllowOrigins: ["https://app.example.com"]}}
    R1:
      Type: AWS::ApiGatewayV2::Route
      Properties: {RouteKey: "ANY /p/{proxy+}", AuthorizationType: JWT, AuthorizerId: {Ref: HttpApiAuthorizerPartnerDashlogin}, AuthorizationScopes: [q]}
    R2:
      Type: AWS::ApiGatewayV2::Route
      Properties: {RouteKey: "$default", AuthorizationType: JWT, AuthorizerId: {Ref: Own}}
    R3:
      Type: AWS::ApiGatewayV2::Route
      Properties: {RouteKey: POST /admin, AuthorizationType: AWS_IAM}
`
	got, err := equivalence.FromServerless([]byte(svc))
	cors := got.CORS
	got.CORS = nil // want compares methods
	partner := &equivalence.Authorizer{Type: "JWT", Issuer: "https://p.example.com/", IdentitySource: "$request.header.X-Token", Audiences: []string{"app"}}
	own := &equivalence.Authorizer{Type: "JWT", Issuer: "https://o.example.com/", IdentitySource: "$request.header.Authorization", Audiences: []string{"a", "b"}}
	want(t, got, err,
		equivalence.Method{Verb: "GET", Path: "/own", AuthType: "JWT", Authorizer: own, Scopes: []string{"s"}},
		equivalence.Method{Verb: "ANY", Path: "/p/{proxy+}", AuthType: "JWT", Authorizer: partner, Scopes: []string{"q"}},
		equivalence.Method{Verb: "$DEFAULT", AuthType: "JWT", Authorizer: own}, // verbs are compared upper case
		equivalence.Method{Verb: "POST", Path: "/admin", AuthType: "AWS_IAM"})
	if cors == nil || cors.String() != (&equivalence.CORS{AllowOrigins: []string{"https://app.example.com"}}).String() {
		t.Errorf("CORS of the Api resource not read: %v", cors)
	}
	if _, err := equivalence.FromServerless([]byte(strings.Replace(svc, "HttpApiAuthorizerPartnerDashlogin", "HttpApiAuthorizerPartnerlogin", 1))); err == nil {
		t.Error("an AuthorizerId that names no authorizer must be an error")
	}
}

func TestCompareReportsEveryKindOfDifference(t *testing.T) {
	model := equivalence.Surface{
		Methods: []equivalence.Method{
			{Verb: "GET", Path: "/a", AuthType: "COGNITO_USER_POOLS", Authorizer: cognito(300, "Authorization"), Scopes: []string{"s"}},
			{Verb: "GET", Path: "/gone", AuthType: "NONE"},
		},
		GatewayResponses: []equivalence.GatewayResponse{{Type: "DEFAULT_4XX", Headers: map[string]string{"Access-Control-Allow-Origin": "'*'"}}},
	}
	got := equivalence.Surface{
		Methods: []equivalence.Method{
			{Verb: "GET", Path: "/a", AuthType: "COGNITO_USER_POOLS", Authorizer: cognito(60, "Authorization"), Scopes: []string{"t"}},
			{Verb: "POST", Path: "/extra", AuthType: "NONE"},
			{Verb: "OPTIONS", Path: "/a", AuthType: "NONE"},
		},
		GatewayResponses: []equivalence.GatewayResponse{{Type: "DEFAULT_4XX", StatusCode: "400"}},
	}
	d := strings.Join(equivalence.Compare(model, got), "\n")
	for _, w := range []string{"GET /a: authorizer", "GET /a: scopes [t], want [s]", "GET /gone: missing", "POST /extra: not in the description",
		`gateway response DEFAULT_4XX: status "400"`, "gateway response DEFAULT_4XX: CORS headers {}"} {
		if !strings.Contains(d, w) {
			t.Errorf("missing %q in:\n%s", w, d)
		}
	}
	if strings.Contains(d, "OPTIONS") {
		t.Errorf("an unauthenticated preflight is not a difference:\n%s", d)
	}
}

// TestReadersSeeMutations changes auth in each generated output (a scope,
// a pool) and expects the check to notice: a reader that ignored a field
// would pass everything.
func TestReadersSeeMutations(t *testing.T) {
	var todo gentest.Example
	for _, ex := range gentest.Examples(t) {
		if ex.Name == "todo" {
			todo = ex
		}
	}
	if todo.Desc == nil {
		t.Fatal("examples/todo is missing")
	}
	model := equivalence.FromModel(todo.Desc.APIs[0])
	readers := map[string]func([]byte) (equivalence.Surface, error){
		"cloudformation": equivalence.FromCloudFormation, "sam": equivalence.FromSAM,
		"openapi": equivalence.FromOpenAPI, "swagger": equivalence.FromOpenAPI, "serverless": equivalence.FromServerless,
		"terraform": func(b []byte) (equivalence.Surface, error) { return equivalence.FromTerraform("todo.tf", b) },
	}
	for target, read := range readers {
		g, _ := registry.Lookup(target)
		files, err := g.Generate(todo.Desc, generators.Options{})
		if err != nil {
			t.Fatal(err)
		}
		src := string(files[0].Content)
		for _, m := range []struct{ from, to, expect string }{
			{"todo/write", "todo/wrote", "scopes"},
			{"us-east-1_Example", "us-east-1_Other", "authorizer"},
			{"https://app.example.com", "https://evil.example.com", "CORS headers"},
		} {
			if !strings.Contains(src, m.from) {
				t.Fatalf("%s: output has no %q", target, m.from)
			}
			got, err := read([]byte(strings.ReplaceAll(src, m.from, m.to)))
			if err != nil {
				t.Fatalf("%s: %v", target, err)
			}
			if d := strings.Join(equivalence.Compare(model, got), "\n"); !strings.Contains(d, m.expect) {
				t.Errorf("%s: replacing %q went unnoticed (differences: %q)", target, m.from, d)
			}
		}
	}
}
