package drift_test

import (
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/portcullis-dev/portcullis/drift"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/state"
)

// TestFindingsOverPlainData: an authorizer deleted out of band, a method
// moved to another authorizer, and a missing API.
func TestFindingsOverPlainData(t *testing.T) {
	pool := "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_A"
	want := &spec.API{Name: "a",
		Authorizers: []*spec.Authorizer{
			{Name: "users", Type: spec.AuthorizerCognito, UserPoolARNs: []string{pool}, IdentitySource: spec.DefaultIdentitySource, TTLSeconds: 300},
			{Name: "admins", Type: spec.AuthorizerCognito, UserPoolARNs: []string{pool}, IdentitySource: spec.DefaultIdentitySource, TTLSeconds: 300},
		},
		Routes: []*spec.Route{{Method: "GET", Path: "/x", AuthType: spec.AuthCognito, Authorizer: "users",
			Range: spec.Range{Filename: "a.hcl", Start: hcl.Pos{Line: 3, Column: 3}}}},
	}
	have := &state.State{RestAPIID: "abcdefghij",
		Resources: map[string]*state.Resource{"/x": {ID: "r", Path: "/x", Methods: map[string]*state.Method{"GET": {
			HTTPMethod: "GET", AuthorizationType: spec.AuthCognito, AuthorizerID: "other",
			RequestParameters: map[string]bool{"method.request.header.Authorization": true}}}}},
		Authorizers: []*state.Authorizer{
			{Authorizer: spec.Authorizer{ID: "u1", Name: "users", Type: spec.AuthorizerCognito, UserPoolARNs: []string{pool}, IdentitySource: spec.DefaultIdentitySource, TTLSeconds: 300}},
			{Authorizer: spec.Authorizer{ID: "other", Name: "legacy", Type: spec.AuthorizerToken}},
		},
		Stages: map[string]*state.Stage{},
	}
	ds := drift.Check(want, have, "")
	got := codes(ds)
	if got[drift.CodeAuthorizerMissing] != 1 || got[drift.CodeMethodAuth] != 1 || got[drift.CodeAuthorizerExtra] != 1 {
		t.Fatalf("findings: %v", ds)
	}
	for _, d := range ds {
		if d.Code == drift.CodeMethodAuth && (d.Route != "GET /x" || d.Range == nil || d.Range.Start.Line != 3) {
			t.Errorf("the method finding should point at the route: %+v", d)
		}
	}
	if !drift.Found(ds) {
		t.Error("Found should say drift")
	}
	ds = drift.Check(want, nil, "")
	if len(ds) != 1 || ds[0].Code != drift.CodeAPIMissing {
		t.Errorf("missing API: %v", ds)
	}
}
