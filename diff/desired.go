package diff

import (
	"fmt"
	"sort"
	"strings"

	"github.com/portcullis-dev/portcullis/spec"
)

// The shapes below are the ones generators/internal/restapi derives for
// every generator (that package is internal to generators/, so apply keeps
// its own copy). They must agree: `apply --strategy import` pushes the
// generated OpenAPI, and a plan right after it must show no changes.

// wantMethod is one method the description asks for.
type wantMethod struct {
	Path, Verb string
	Route      *spec.Route // nil for a CORS preflight
	AuthType   string
	Authorizer *spec.Authorizer
	Scopes     []string
	// Integration is declared (or the preflight's); nil = not managed.
	Integration *spec.Integration
	// Params are the method request parameters: the identity header and
	// the path parameters.
	Params map[string]bool
}

func (m *wantMethod) key() string { return m.Verb + " " + m.Path }

func wantMethods(a *spec.API) []*wantMethod {
	var out []*wantMethod
	for _, r := range a.Routes {
		m := &wantMethod{Path: r.Path, Verb: r.Method, Route: r, AuthType: r.AuthType, Scopes: sorted(r.Scopes), Integration: r.Integration,
			Params: pathParams(r.Path)}
		if r.AuthType == spec.AuthCognito || r.AuthType == spec.AuthCustom {
			m.Authorizer = a.AuthorizerByName(r.Authorizer)
			if m.Authorizer != nil {
				if h := m.Authorizer.IdentityHeader(); h != "" {
					m.Params["method.request.header."+h] = true
				}
			}
		}
		if r.AuthType != spec.AuthCognito {
			m.Scopes = nil
		}
		out = append(out, m)
	}
	if a.CORS != nil {
		for _, p := range a.Paths() {
			if a.Route("OPTIONS", p) != nil {
				continue
			}
			out = append(out, &wantMethod{Path: p, Verb: "OPTIONS", AuthType: spec.AuthNone,
				Integration: PreflightIntegration(a.CORS, a.MethodsOn(p)), Params: pathParams(p)})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Verb < out[j].Verb
	})
	return out
}

func pathParams(path string) map[string]bool {
	m := map[string]bool{}
	for _, p := range spec.PathParams(path) {
		m["method.request.path."+p] = true
	}
	return m
}

var allMethods = []string{"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"}

// PreflightIntegration is the MOCK integration answering a CORS preflight for a
// path with the given methods (as generators/internal/restapi builds it).
func PreflightIntegration(c *spec.CORS, methods []string) *spec.Integration {
	origin := "*"
	if len(c.AllowOrigins) == 1 {
		origin = c.AllowOrigins[0]
	}
	src := c.AllowMethods
	if len(src) == 0 {
		src = methods
	}
	set := map[string]bool{"OPTIONS": true}
	for _, m := range src {
		if m == "ANY" {
			for _, x := range allMethods {
				set[x] = true
			}
			continue
		}
		set[m] = true
	}
	h := map[string]string{
		"Access-Control-Allow-Origin":  origin,
		"Access-Control-Allow-Methods": strings.Join(sortedKeys(set), ","),
		"Access-Control-Allow-Headers": strings.Join(c.AllowHeadersOrDefault(), ","),
	}
	if c.AllowCredentials {
		h["Access-Control-Allow-Credentials"] = "true"
	}
	if c.MaxAgeSeconds > 0 {
		h["Access-Control-Max-Age"] = fmt.Sprint(c.MaxAgeSeconds)
	}
	params := map[string]string{}
	for k, v := range h {
		params["method.response.header."+k] = spec.Quote(v)
	}
	return &spec.Integration{
		Type:                spec.IntegrationMock,
		PassthroughBehavior: "WHEN_NO_MATCH",
		RequestTemplates:    map[string]string{"application/json": `{"statusCode": 200}`},
		Responses: []spec.IntegrationResponse{{Pattern: "default", StatusCode: "200", ResponseParameters: params,
			ResponseTemplates: map[string]string{"application/json": ""}}},
	}
}

// integrationSpec is the put payload for a declared integration: MOCK
// integrations and non-proxy ones without responses get the default 200
// so they answer at all.
func integrationSpec(in *spec.Integration) *IntegrationSpec {
	out := &IntegrationSpec{Type: in.Type, URI: in.URI, HTTPMethod: in.HTTPMethod, PassthroughBehavior: in.PassthroughBehavior,
		RequestTemplates: in.RequestTemplates, RequestParameters: in.RequestParameters, TimeoutMillis: in.TimeoutMillis}
	if in.Type == spec.IntegrationMock && len(out.RequestTemplates) == 0 {
		out.RequestTemplates = map[string]string{"application/json": `{"statusCode": 200}`}
		if out.PassthroughBehavior == "" {
			out.PassthroughBehavior = "WHEN_NO_MATCH"
		}
	}
	responses := in.Responses
	proxy := in.Type == spec.IntegrationAWSProxy || in.Type == spec.IntegrationHTTPProxy
	if len(responses) == 0 && !proxy {
		responses = []spec.IntegrationResponse{{Pattern: "default", StatusCode: "200"}}
	}
	codes := map[string]map[string]bool{}
	for _, r := range responses {
		p := r.Pattern
		if p == "default" {
			p = ""
		}
		out.Responses = append(out.Responses, IntegrationResponseSpec{Pattern: p, StatusCode: r.StatusCode,
			ResponseParameters: r.ResponseParameters, ResponseTemplates: r.ResponseTemplates})
		if codes[r.StatusCode] == nil {
			codes[r.StatusCode] = map[string]bool{}
		}
		for k := range r.ResponseParameters {
			if h, ok := strings.CutPrefix(k, "method.response.header."); ok {
				codes[r.StatusCode][h] = true
			}
		}
	}
	for _, code := range sortedKeys(codes) {
		out.MethodResponses = append(out.MethodResponses, MethodResponseSpec{StatusCode: code, Headers: sortedKeys(codes[code])})
	}
	return out
}

func sorted(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
