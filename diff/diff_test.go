package diff_test

import (
	"strings"
	"testing"

	"github.com/portcullis-dev/portcullis/diff"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/state"
)

func liveState(m *state.Method, responses map[string]*spec.GatewayResponse, stage *state.Stage) *state.State {
	s := &state.State{RestAPIID: "abcdefghij", Resources: map[string]*state.Resource{
		"/":  {ID: "root", Path: "/", Methods: map[string]*state.Method{}},
		"/x": {ID: "rx", Path: "/x", Methods: map[string]*state.Method{"GET": m}},
	}, GatewayResponses: responses, Stages: map[string]*state.Stage{}}
	if stage != nil {
		s.Stages[stage.Name] = stage
	}
	return s
}

func addresses(cs []diff.Change) string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Action.Symbol()+c.Address)
	}
	return strings.Join(out, " ")
}

// TestIntegrationOnlyWhenDeclared: an undeclared integration is never
// touched; a declared one is compared on what it declares.
func TestIntegrationOnlyWhenDeclared(t *testing.T) {
	lm := &state.Method{HTTPMethod: "GET", AuthorizationType: spec.AuthNone,
		Integration: &spec.Integration{Type: spec.IntegrationHTTPProxy, URI: "https://old.example", HTTPMethod: "GET", PassthroughBehavior: "WHEN_NO_MATCH"}}
	want := &spec.API{Name: "a", Routes: []*spec.Route{{Method: "GET", Path: "/x", AuthType: spec.AuthNone, Public: true}}}
	if r := diff.Compute(want, liveState(lm, nil, nil), diff.Options{}); len(r.Changes) != 0 {
		t.Fatalf("undeclared integration changed: %s", addresses(r.Changes))
	}
	want.Routes[0].Integration = &spec.Integration{Type: spec.IntegrationHTTPProxy, URI: "https://new.example", HTTPMethod: "GET"}
	r := diff.Compute(want, liveState(lm, nil, nil), diff.Options{})
	if addresses(r.Changes) != "~integration.GET /x" {
		t.Fatalf("changes: %s", addresses(r.Changes))
	}
	c := r.Changes[0]
	if c.Fields[0] != (diff.Field{Name: "integration.uri", Old: "https://old.example", New: "https://new.example"}) || len(c.Fields) != 1 {
		t.Errorf("fields: %+v", c.Fields)
	}
	if c.Integration.URI != "https://new.example" || len(c.Integration.Responses) != 0 {
		t.Errorf("a proxy integration needs no responses: %+v", c.Integration)
	}
}

// TestGatewayResponsesAndVariables: CORS gateway responses are put when
// missing or different; stage variables compare as a subset, since
// CreateDeployment merges them.
func TestGatewayResponsesAndVariables(t *testing.T) {
	lm := &state.Method{HTTPMethod: "GET", AuthorizationType: spec.AuthNone, Integration: &spec.Integration{Type: spec.IntegrationMock}}
	cors := &spec.CORS{AllowOrigins: []string{"https://app.example"}}
	want := &spec.API{Name: "a", CORS: cors, GatewayResponses: spec.CORSGatewayResponses(cors),
		Routes: []*spec.Route{{Method: "GET", Path: "/x", AuthType: spec.AuthNone, Public: true}},
		Stages: []*spec.Stage{{Name: "prod", Variables: map[string]string{"tier": "prod"}}}}
	g4 := spec.CORSGatewayResponses(cors)[0]
	stage := &state.Stage{Name: "prod", DeploymentID: "d", Variables: map[string]string{"tier": "prod", "extra": "kept"}}
	r := diff.Compute(want, liveState(lm, map[string]*spec.GatewayResponse{"DEFAULT_4XX": g4}, stage), diff.Options{})
	got := addresses(r.Changes)
	if got != "+method.OPTIONS /x +gateway_response.DEFAULT_5XX" {
		t.Errorf("changes: %s", got)
	}
	stage.Variables["tier"] = "dev"
	r = diff.Compute(want, liveState(lm, map[string]*spec.GatewayResponse{"DEFAULT_4XX": g4}, stage), diff.Options{})
	if !strings.Contains(addresses(r.Changes), "~stage.prod") {
		t.Errorf("a changed variable must redeploy: %s", addresses(r.Changes))
	}
	// --prune resets a customized response nobody described.
	extra := &spec.GatewayResponse{Type: "UNAUTHORIZED", StatusCode: "401"}
	r = diff.Compute(want, liveState(lm, map[string]*spec.GatewayResponse{"DEFAULT_4XX": g4, "UNAUTHORIZED": extra}, nil), diff.Options{Prune: true})
	if !strings.Contains(addresses(r.Changes), "-gateway_response.UNAUTHORIZED") {
		t.Errorf("prune: %s", addresses(r.Changes))
	}
}

// TestAuthorizerTypeCannotChange: a live Lambda authorizer with a described
// Cognito authorizer's name is a plan error, not a silent replacement.
func TestAuthorizerTypeCannotChange(t *testing.T) {
	lm := &state.Method{HTTPMethod: "GET", AuthorizationType: spec.AuthNone, Integration: &spec.Integration{Type: spec.IntegrationMock}}
	s := liveState(lm, nil, nil)
	s.Authorizers = []*state.Authorizer{{Authorizer: spec.Authorizer{ID: "l1", Name: "auth", Type: spec.AuthorizerToken}}}
	want := &spec.API{Name: "a", Authorizers: []*spec.Authorizer{{Name: "auth", Type: spec.AuthorizerCognito, UserPoolARNs: []string{"arn:x"}, TTLSeconds: 300}},
		Routes: []*spec.Route{{Method: "GET", Path: "/x", AuthType: spec.AuthCognito, Authorizer: "auth"}}}
	r := diff.Compute(want, s, diff.Options{})
	if !r.Diagnostics.HasErrors() || r.Diagnostics[0].Code != diff.CodeTypeMismatch {
		t.Fatalf("want a type-mismatch error, got %v", r.Diagnostics)
	}
}

// TestIdentityHeaderParameterRidesAlong: a method that lacks the identity
// header's request parameter but is otherwise as described is no change
// (so a plan right after import is empty); when the method is patched
// anyway, the parameter is added in the same call.
func TestIdentityHeaderParameterRidesAlong(t *testing.T) {
	const pool = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Abc"
	az := &spec.Authorizer{Name: "cog", Type: spec.AuthorizerCognito, UserPoolARNs: []string{pool},
		IdentitySource: spec.DefaultIdentitySource, TTLSeconds: 300}
	want := &spec.API{Name: "a", Authorizers: []*spec.Authorizer{az},
		Routes: []*spec.Route{{Method: "GET", Path: "/x", AuthType: spec.AuthCognito, Authorizer: "cog", Scopes: []string{"r/read"}}}}
	lm := &state.Method{HTTPMethod: "GET", AuthorizationType: spec.AuthCognito, AuthorizerID: "l1", Scopes: []string{"r/read"},
		Integration: &spec.Integration{Type: spec.IntegrationMock}}
	s := liveState(lm, nil, nil)
	s.Authorizers = []*state.Authorizer{{Authorizer: spec.Authorizer{ID: "l1", Name: "cog", Type: spec.AuthorizerCognito,
		UserPoolARNs: []string{pool}, IdentitySource: spec.DefaultIdentitySource, TTLSeconds: 300}}}
	if r := diff.Compute(want, s, diff.Options{}); len(r.Changes) != 0 {
		t.Fatalf("a missing identity header parameter alone is no change, got %s", addresses(r.Changes))
	}
	want.Routes[0].Scopes = []string{"r/read", "r/write"}
	r := diff.Compute(want, s, diff.Options{})
	if len(r.Changes) != 1 {
		t.Fatalf("changes: %s", addresses(r.Changes))
	}
	var found bool
	for _, op := range r.Changes[0].Ops {
		if op.Path == "/requestParameters/method.request.header.Authorization" && op.Op == "add" {
			found = true
		}
	}
	if !found {
		t.Errorf("the parameter should ride along with the scope change: %+v", r.Changes[0].Ops)
	}
}

// TestJSONTemplatesCompareByValue: a JSON mapping template that differs
// only in spacing or key order is the same setting; a different value, or
// VTL that differs as text, is a change.
func TestJSONTemplatesCompareByValue(t *testing.T) {
	lm := &state.Method{HTTPMethod: "GET", AuthorizationType: spec.AuthNone,
		Integration: &spec.Integration{Type: spec.IntegrationMock, PassthroughBehavior: "WHEN_NO_MATCH",
			RequestTemplates: map[string]string{"application/json": `{"statusCode": 200, "a": [1, 2]}`}}}
	gr := map[string]*spec.GatewayResponse{"DEFAULT_4XX": {Type: "DEFAULT_4XX",
		ResponseTemplates: map[string]string{"application/json": `{ "message" : "no" }`}}}
	mk := func(req, resp string) *spec.API {
		return &spec.API{Name: "a",
			Routes: []*spec.Route{{Method: "GET", Path: "/x", AuthType: spec.AuthNone, Public: true,
				Integration: &spec.Integration{Type: spec.IntegrationMock, RequestTemplates: map[string]string{"application/json": req}}}},
			GatewayResponses: []*spec.GatewayResponse{{Type: "DEFAULT_4XX", ResponseTemplates: map[string]string{"application/json": resp}}}}
	}
	if r := diff.Compute(mk(`{"a":[1,2],"statusCode":200}`, `{"message":"no"}`), liveState(lm, gr, nil), diff.Options{}); len(r.Changes) != 0 {
		t.Errorf("equal JSON is a change: %s", addresses(r.Changes))
	}
	if r := diff.Compute(mk(`{"a":[1,2],"statusCode":201}`, `{"message":"no!"}`), liveState(lm, gr, nil), diff.Options{}); addresses(r.Changes) != "~integration.GET /x ~gateway_response.DEFAULT_4XX" {
		t.Errorf("changed JSON: %s", addresses(r.Changes))
	}
	lm.Integration.RequestTemplates["application/json"] = `#set($x = 1) {"statusCode": 200}`
	if r := diff.Compute(mk(`#set($x = 1){"statusCode": 200}`, `{"message":"no"}`), liveState(lm, gr, nil), diff.Options{}); len(r.Changes) != 1 {
		t.Errorf("VTL compares as text: %s", addresses(r.Changes))
	}
}
