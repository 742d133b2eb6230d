package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	v2types "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/portcullis-dev/portcullis/emulator"
	"github.com/portcullis-dev/portcullis/live"
)

// gateway is an in-process emulator and a way to reach it per region.
type gateway struct {
	e   *emulator.Emulator
	url string
	srv *httptest.Server
	// limits pace the audit's clients (nil: none).
	limits      *live.Limits
	maxAttempts int
	maxBackoff  time.Duration
}

func newGateway(t testing.TB) *gateway {
	t.Helper()
	e := emulator.New(emulator.Options{})
	srv := httptest.NewServer(e.Handler())
	t.Cleanup(srv.Close)
	return &gateway{e: e, url: srv.URL, srv: srv, maxAttempts: 1, maxBackoff: 10 * time.Millisecond}
}

func (g *gateway) client(region string) (*apigateway.Client, error) {
	limits := g.limits
	if limits == nil {
		off := live.DefaultLimits().Scaled(0)
		limits = &off
	}
	return live.NewClient(context.Background(), live.Config{Region: region, EndpointURL: g.url, Local: true, Limits: limits,
		MaxAttempts: g.maxAttempts, MaxBackoff: g.maxBackoff, HTTPClient: g.srv.Client()})
}

func (g *gateway) mustClient(t testing.TB, region string) *apigateway.Client {
	t.Helper()
	c, err := g.client(region)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// kind is the REST kind over the gateway, a client per region.
func (g *gateway) kind() *REST {
	return &REST{Connect: func(_ context.Context, region string) (live.Reader, error) { return g.client(region) }}
}

// openAPI writes an OpenAPI 3 document of paths resources under the root
// (so paths+1 resources in all), each with a GET guarded by a Cognito
// authorizer with a scope, except every openEvery-th, which is open
// (openEvery 0: none).
func openAPI(name string, paths, openEvery int) []byte {
	ps := map[string]any{}
	mock := map[string]any{"type": "mock", "requestTemplates": map[string]string{"application/json": `{"statusCode": 200}`},
		"responses": map[string]any{"default": map[string]any{"statusCode": "200"}}}
	for i := 0; i < paths; i++ {
		op := map[string]any{"responses": map[string]any{"200": map[string]any{"description": "ok"}}, "x-amazon-apigateway-integration": mock}
		if openEvery == 0 || i%openEvery != openEvery-1 {
			op["security"] = []map[string][]string{{"pool": {"api/read"}}}
		}
		ps[fmt.Sprintf("/p%d", i)] = map[string]any{"get": op}
	}
	doc := map[string]any{
		"openapi": "3.0.1",
		"info":    map[string]string{"title": name, "version": "1"},
		"paths":   ps,
		"components": map[string]any{"securitySchemes": map[string]any{"pool": map[string]any{
			"type": "apiKey", "name": "Authorization", "in": "header",
			"x-amazon-apigateway-authtype": "cognito_user_pools",
			"x-amazon-apigateway-authorizer": map[string]any{"type": "cognito_user_pools",
				"providerARNs": []string{"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Pool"}},
		}}},
	}
	b, _ := json.Marshal(doc)
	return b
}

// seed imports an API into region and deploys it to stage "prod".
func (g *gateway) seed(t testing.TB, region, name string, paths, openEvery int) string {
	t.Helper()
	c := g.mustClient(t, region)
	ctx := context.Background()
	api, err := c.ImportRestApi(ctx, &apigateway.ImportRestApiInput{Body: openAPI(name, paths, openEvery)})
	if err != nil {
		t.Fatalf("ImportRestApi %s: %v", name, err)
	}
	if _, err := c.CreateDeployment(ctx, &apigateway.CreateDeploymentInput{RestApiId: api.Id, StageName: aws.String("prod")}); err != nil {
		t.Fatalf("CreateDeployment %s: %v", name, err)
	}
	return aws.ToString(api.Id)
}

func collect(t testing.TB, r *Report) []*APIResult {
	t.Helper()
	var out []*APIResult
	if err := r.Each(func(a *APIResult) error { out = append(out, a); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func codes(a *APIResult) map[string]int {
	m := map[string]int{}
	for _, f := range a.Findings {
		m[f.Code]++
	}
	return m
}

// httpKind is the HTTP kind over the gateway.
func (g *gateway) httpKind() *HTTP {
	return &HTTP{Connect: func(_ context.Context, region string) (live.HTTPReader, error) {
		off := live.DefaultLimits().Scaled(0)
		return live.NewHTTPClient(context.Background(), live.Config{Region: region, EndpointURL: g.url, Local: true, Limits: &off,
			MaxAttempts: g.maxAttempts, MaxBackoff: g.maxBackoff, HTTPClient: g.srv.Client()})
	}}
}

// seedHTTP makes an HTTP API with GET /items behind a Cognito JWT
// authorizer and GET /health open, deployed to stage "live".
func (g *gateway) seedHTTP(t testing.TB, region, name string) string {
	t.Helper()
	ctx := context.Background()
	c, err := g.httpKind().Connect(ctx, region)
	if err != nil {
		t.Fatal(err)
	}
	v2 := c.(*apigatewayv2.Client)
	api, err := v2.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String(name), ProtocolType: v2types.ProtocolTypeHttp})
	if err != nil {
		t.Fatal(err)
	}
	az, err := v2.CreateAuthorizer(ctx, &apigatewayv2.CreateAuthorizerInput{ApiId: api.ApiId, Name: aws.String("cognito"), AuthorizerType: v2types.AuthorizerTypeJwt,
		IdentitySource: []string{"$request.header.Authorization"}, JwtConfiguration: &v2types.JWTConfiguration{
			Issuer: aws.String("https://cognito-idp." + region + ".amazonaws.com/" + region + "_Items"), Audience: []string{"client"}}})
	if err != nil {
		t.Fatal(err)
	}
	in, err := v2.CreateIntegration(ctx, &apigatewayv2.CreateIntegrationInput{ApiId: api.ApiId, IntegrationType: v2types.IntegrationTypeHttpProxy,
		IntegrationMethod: aws.String("GET"), IntegrationUri: aws.String("https://backend.example.com/"), PayloadFormatVersion: aws.String("1.0")})
	if err != nil {
		t.Fatal(err)
	}
	target := aws.String("integrations/" + aws.ToString(in.IntegrationId))
	for _, r := range []apigatewayv2.CreateRouteInput{
		{RouteKey: aws.String("GET /items"), AuthorizationType: v2types.AuthorizationTypeJwt, AuthorizerId: az.AuthorizerId, AuthorizationScopes: []string{"items/read"}},
		{RouteKey: aws.String("GET /health"), AuthorizationType: v2types.AuthorizationTypeNone},
	} {
		r.ApiId, r.Target = api.ApiId, target
		if _, err := v2.CreateRoute(ctx, &r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := v2.CreateStage(ctx, &apigatewayv2.CreateStageInput{ApiId: api.ApiId, StageName: aws.String("live")}); err != nil {
		t.Fatal(err)
	}
	if _, err := v2.CreateDeployment(ctx, &apigatewayv2.CreateDeploymentInput{ApiId: api.ApiId, StageName: aws.String("live")}); err != nil {
		t.Fatal(err)
	}
	return aws.ToString(api.ApiId)
}
