package diff

import (
	"maps"
	"slices"
	"strings"

	"github.com/portcullis-dev/portcullis/restapi"
	"github.com/portcullis-dev/portcullis/spec"
)

// What apply manages is the shape package restapi derives for every
// generator: `apply --strategy import` pushes the generated OpenAPI, and a
// plan right after it must show no changes.

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

// wantMethods is restapi's method list as apply manages it: integrations
// only when declared (restapi's generated default MOCK is for generators,
// whose outputs must deploy) and scopes only on Cognito methods.
func wantMethods(a *spec.API) []*wantMethod {
	rms := restapi.Methods(a)
	out := make([]*wantMethod, 0, len(rms))
	for _, rm := range rms {
		m := &wantMethod{Path: rm.Path, Verb: rm.Verb, Route: rm.Route, AuthType: rm.AuthType, Authorizer: rm.Authorizer,
			Scopes: slices.Sorted(slices.Values(rm.Scopes)), Integration: rm.Integration, Params: rm.RequestParameters}
		if rm.DefaultIntegration {
			m.Integration = nil
		}
		if m.AuthType != spec.AuthCognito {
			m.Scopes = nil
		}
		out = append(out, m)
	}
	return out
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
	for _, code := range slices.Sorted(maps.Keys(codes)) {
		out.MethodResponses = append(out.MethodResponses, MethodResponseSpec{StatusCode: code, Headers: slices.Sorted(maps.Keys(codes[code]))})
	}
	return out
}
