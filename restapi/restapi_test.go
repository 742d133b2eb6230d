package restapi

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-dev/portcullis/spec"
)

func api() *spec.API {
	a := &spec.API{
		Name: "t",
		Authorizers: []*spec.Authorizer{{Name: "c", Type: spec.AuthorizerCognito, IdentitySource: "method.request.header.X-Token",
			TTLSeconds: 300, UserPoolARNs: []string{"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_A"}}},
		CORS: &spec.CORS{AllowOrigins: []string{"https://a.example"}},
		Routes: []*spec.Route{
			{Method: "GET", Path: "/items/{id}", AuthType: spec.AuthCognito, Authorizer: "c", Scopes: []string{"s/read"}},
			{Method: "ANY", Path: "/{proxy+}", AuthType: spec.AuthCognito, Authorizer: "c"},
			{Method: "GET", Path: "/health", AuthType: spec.AuthNone, Public: true, Reason: "lb"},
			{Method: "OPTIONS", Path: "/health", AuthType: spec.AuthNone, Public: true, Reason: "own preflight"},
		},
	}
	a.Sort()
	return a
}

func TestMethods(t *testing.T) {
	a := api()
	var keys []string
	for _, m := range Methods(a) {
		keys = append(keys, m.Key())
		switch m.Key() {
		case "GET /items/{id}":
			want := map[string]bool{"method.request.path.id": true, "method.request.header.X-Token": true}
			if d := cmp.Diff(want, m.RequestParameters); d != "" {
				t.Errorf("request parameters (-want +got):\n%s", d)
			}
			if !m.DefaultIntegration || m.Integration.Type != spec.IntegrationMock {
				t.Errorf("a route without integration gets the default MOCK: %+v", m.Integration)
			}
		case "OPTIONS /items/{id}":
			if !m.Preflight || m.AuthType != spec.AuthNone || m.Authorizer != nil {
				t.Errorf("preflight must be unauthenticated: %+v", m)
			}
			h := m.Integration.Responses[0].ResponseParameters
			if h["method.response.header.Access-Control-Allow-Methods"] != "'GET,OPTIONS'" || h["method.response.header.Access-Control-Allow-Origin"] != "'https://a.example'" {
				t.Errorf("preflight headers: %v", h)
			}
		case "OPTIONS /health":
			if m.Preflight || m.Route == nil {
				t.Error("an explicit OPTIONS route replaces the generated preflight")
			}
		case "OPTIONS /{proxy+}":
			h := m.Integration.Responses[0].ResponseParameters
			if h["method.response.header.Access-Control-Allow-Methods"] != "'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT'" {
				t.Errorf("ANY expands to every method: %v", h)
			}
		}
	}
	want := []string{"GET /health", "OPTIONS /health", "GET /items/{id}", "OPTIONS /items/{id}", "ANY /{proxy+}", "OPTIONS /{proxy+}"}
	if d := cmp.Diff(want, keys); d != "" {
		t.Errorf("methods (-want +got):\n%s", d)
	}
}

func TestAuthHashFollowsAuthChanges(t *testing.T) {
	base := AuthHash(api())
	if base != AuthHash(api()) {
		t.Fatal("hash is not deterministic")
	}
	changes := map[string]func(a *spec.API){
		"scope":            func(a *spec.API) { a.Route("GET", "/items/{id}").Scopes = []string{"s/write"} },
		"pool":             func(a *spec.API) { a.Authorizers[0].UserPoolARNs = append(a.Authorizers[0].UserPoolARNs, "arn:x") },
		"ttl":              func(a *spec.API) { a.Authorizers[0].TTLSeconds = 0 },
		"header":           func(a *spec.API) { a.Authorizers[0].IdentitySource = spec.DefaultIdentitySource },
		"validation":       func(a *spec.API) { a.Authorizers[0].ValidationExpression = "^x$" },
		"auth type":        func(a *spec.API) { r := a.Route("ANY", "/{proxy+}"); r.AuthType, r.Authorizer = spec.AuthIAM, "" },
		"gateway response": func(a *spec.API) { a.GatewayResponses = spec.CORSGatewayResponses(a.CORS) },
		"cors origin":      func(a *spec.API) { a.CORS.AllowOrigins = []string{"https://b.example"} },
		"integration": func(a *spec.API) {
			a.Routes[0].Integration = &spec.Integration{Type: "HTTP_PROXY", URI: "https://x", HTTPMethod: "GET"}
		},
	}
	for name, change := range changes {
		a := api()
		change(a)
		if AuthHash(a) == base {
			t.Errorf("%s: the hash did not change", name)
		}
	}
	a := api()
	a.Routes[0].Range = spec.Range{Filename: "moved.hcl"}
	a.Description = "only the description changed"
	if AuthHash(a) != base {
		t.Error("source positions and descriptions must not change the hash")
	}
}

func TestNames(t *testing.T) {
	cases := map[string][2]string{
		"/":                      {"Root", "root"},
		"/items":                 {"Items", "items"},
		"/items/{id}":            {"ItemsIdVar", "items_id_var"},
		"/{proxy+}":              {"ProxyVarGreedy", "proxy_var_greedy"},
		"/user-profile/v1.2/x_y": {"UserProfileV12XY", "user_profile_v1_2_x_y"},
	}
	for p, want := range cases {
		if got := PathPascal(p); got != want[0] {
			t.Errorf("PathPascal(%q) = %q, want %q", p, got, want[0])
		}
		if got := PathSnake(p); got != want[1] {
			t.Errorf("PathSnake(%q) = %q, want %q", p, got, want[1])
		}
	}
	u := Unique([]string{"/a-b", "/ab", "/A-b", "/c"}, PathPascal, "")
	seen := map[string]bool{}
	for p, n := range u {
		if seen[n] {
			t.Errorf("name %q given twice", n)
		}
		seen[n] = true
		if p == "/c" && n != "C" {
			t.Errorf("a path without collision keeps its readable name: %q", n)
		}
	}
}

func TestOrigins(t *testing.T) {
	one := &spec.CORS{AllowOrigins: []string{"https://a"}}
	if AllowOrigin(one) != "https://a" || OriginTemplate(one) != "" {
		t.Error("one origin is answered statically")
	}
	star := &spec.CORS{AllowOrigins: []string{"https://a", "*"}}
	if AllowOrigin(star) != "*" || OriginTemplate(star) != "" {
		t.Error("* allows any origin")
	}
	two := &spec.CORS{AllowOrigins: []string{"https://a", "https://b"}, AllowCredentials: true}
	if AllowOrigin(two) != "https://a" {
		t.Error("several origins never answer *: browsers refuse it with credentials")
	}
	tpl := OriginTemplate(two)
	if !strings.Contains(tpl, `$origin == "https://b"`) || !strings.Contains(tpl, "responseOverride.header.Access-Control-Allow-Origin") {
		t.Errorf("template must echo allowed origins:\n%s", tpl)
	}
	h := PreflightHeaders(&spec.CORS{AllowOrigins: []string{"https://a"}, AllowCredentials: true, MaxAgeSeconds: 60}, []string{"GET"})
	if h["Access-Control-Allow-Credentials"] != "true" || h["Access-Control-Max-Age"] != "60" {
		t.Errorf("credentials and max age: %v", h)
	}
}
