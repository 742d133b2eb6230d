package plan_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-dev/portcullis/diff"
	"github.com/portcullis-dev/portcullis/plan"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/state"
)

const (
	poolA = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_A"
	poolB = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_B"
)

// described is a small description: one authorizer, a protected and a
// public route, a stage.
func described() *spec.API {
	return &spec.API{
		Name: "shop",
		Authorizers: []*spec.Authorizer{{Name: "users", Type: spec.AuthorizerCognito, UserPoolARNs: []string{poolB},
			IdentitySource: spec.DefaultIdentitySource, TTLSeconds: 300}},
		Routes: []*spec.Route{
			{Method: "GET", Path: "/orders", AuthType: spec.AuthCognito, Authorizer: "users", Scopes: []string{"shop/read"}},
			{Method: "GET", Path: "/ping", AuthType: spec.AuthNone, Public: true, Reason: "health"},
		},
		Stages: []*spec.Stage{{Name: "prod"}},
	}
}

// current is the live API: the authorizer "legacy" on pool A, GET /orders
// open with a stale scope, GET /ping, an undescribed open DELETE, and the
// stage serving exactly this working configuration.
func current() *state.State {
	m := func(verb, auth, authz string, scopes ...string) *state.Method {
		return &state.Method{HTTPMethod: verb, AuthorizationType: auth, AuthorizerID: authz, Scopes: scopes,
			Integration: &spec.Integration{Type: spec.IntegrationMock}}
	}
	return &state.State{
		RestAPIID: "abcdefghij", RootResourceID: "root",
		Resources: map[string]*state.Resource{
			"/": {ID: "root", Path: "/", Methods: map[string]*state.Method{}},
			"/orders": {ID: "r1", Path: "/orders", Methods: map[string]*state.Method{
				"GET":    m("GET", spec.AuthNone, "", "shop/old"),
				"DELETE": m("DELETE", spec.AuthNone, ""),
			}},
			"/ping": {ID: "r2", Path: "/ping", Methods: map[string]*state.Method{"GET": m("GET", spec.AuthNone, "")}},
		},
		Authorizers: []*state.Authorizer{{Authorizer: spec.Authorizer{ID: "az1", Name: "users", Type: spec.AuthorizerCognito,
			UserPoolARNs: []string{poolA}, IdentitySource: spec.DefaultIdentitySource, TTLSeconds: 300}},
			{Authorizer: spec.Authorizer{ID: "az9", Name: "legacy", Type: spec.AuthorizerCognito, UserPoolARNs: []string{poolA},
				IdentitySource: spec.DefaultIdentitySource, TTLSeconds: 300}}},
		GatewayResponses: map[string]*spec.GatewayResponse{},
		Stages: map[string]*state.Stage{"prod": {Name: "prod", DeploymentID: "d1", Deployed: &state.Deployed{DeploymentID: "d1",
			Auth: map[string]string{"GET /orders": "NONE", "DELETE /orders": "NONE", "GET /ping": "NONE"}}}},
	}
}

func TestPlanOrderAndBatching(t *testing.T) {
	p := plan.Make(described(), current(), plan.Options{Prune: true})
	var got []string
	for _, c := range p.Changes {
		got = append(got, c.Action.Symbol()+" "+c.Address)
	}
	want := []string{
		"~ authorizer.users",      // pools: add B before removing A
		"~ method.GET /orders",    // switched in one UpdateMethod
		"- method.DELETE /orders", // prune
		"- authorizer.legacy",     // deleted once nothing uses it
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("changes (-want +got):\n%s", d)
	}
	az := p.Changes[0]
	if d := cmp.Diff([]diff.PatchOp{{Op: "add", Path: "/providerARNs", Value: poolB}, {Op: "remove", Path: "/providerARNs", Value: poolA}}, az.Ops); d != "" {
		t.Errorf("authorizer ops: adds before removes (-want +got):\n%s", d)
	}
	m := p.Changes[1]
	wantOps := []diff.PatchOp{
		{Op: "replace", Path: "/authorizationType", Value: spec.AuthCognito},
		{Op: "replace", Path: "/authorizerId", AuthorizerRef: "users"},
		{Op: "add", Path: "/authorizationScopes", Value: "shop/read"},
		{Op: "add", Path: "/requestParameters/method.request.header.Authorization", Value: "true"},
		{Op: "remove", Path: "/authorizationScopes", Value: "shop/old"},
	}
	if d := cmp.Diff(wantOps, m.Ops); d != "" {
		t.Errorf("method ops (-want +got):\n%s", d)
	}
	if p.Deploy == nil || p.Deploy.Stage != "prod" || !p.Deploy.StageExists {
		t.Errorf("want one redeploy of prod, got %+v", p.Deploy)
	}
	if p.Summary != (plan.Summary{Add: 0, Change: 2, Destroy: 2}) {
		t.Errorf("summary %+v", p.Summary)
	}
}

func TestWithoutPruneUndescribedIsReported(t *testing.T) {
	p := plan.Make(described(), current(), plan.Options{})
	for _, c := range p.Changes {
		if c.Action == diff.Delete {
			t.Errorf("deleted without --prune: %s", c.Address)
		}
	}
	codes := map[string]string{}
	for _, d := range p.Diagnostics {
		codes[d.Code] = d.Route
	}
	if codes[diff.CodeOpenUndescribed] != "DELETE /orders" {
		t.Errorf("the open undescribed DELETE should be a warning: %v", p.Diagnostics)
	}
	if _, ok := codes[diff.CodeUndescribedAuthz]; !ok {
		t.Errorf("the undescribed authorizer should be noted: %v", p.Diagnostics)
	}
}

func TestNothingChanged(t *testing.T) {
	have := current()
	have.Resources["/orders"].Methods["GET"].Scopes = nil
	want := described()
	want.Authorizers[0].UserPoolARNs = []string{poolA}
	want.Routes[0].AuthType, want.Routes[0].Authorizer, want.Routes[0].Scopes = spec.AuthNone, "", nil
	want.Routes[0].Public = true
	want.Routes = append(want.Routes, &spec.Route{Method: "DELETE", Path: "/orders", AuthType: spec.AuthNone, Public: true})
	p := plan.Make(want, have, plan.Options{})
	if !p.Empty() {
		t.Fatalf("want an empty plan, got %v deploy %+v", p.Changes, p.Deploy)
	}
	// Changed but never deployed: the stage serves an older snapshot.
	have.Stages["prod"].Deployed.Auth["GET /orders"] = spec.AuthCognito
	p = plan.Make(want, have, plan.Options{})
	if len(p.Changes) != 0 || p.Deploy == nil || !strings.Contains(strings.Join(p.Deploy.Reasons, ";"), "GET /orders") {
		t.Fatalf("an undeployed change alone should plan one deployment naming it: %+v", p.Deploy)
	}
}

func TestCannotCreateWithoutIntegration(t *testing.T) {
	want := described()
	want.Routes = append(want.Routes, &spec.Route{Method: "POST", Path: "/orders/{id}/refund", AuthType: spec.AuthCognito, Authorizer: "users",
		Range: spec.Range{Filename: "shop.hcl", Start: spec.Range{}.Start}})
	p := plan.Make(want, current(), plan.Options{})
	if !p.Diagnostics.HasErrors() {
		t.Fatal("a missing route without an integration must be a plan error")
	}
	for _, c := range p.Changes {
		if strings.Contains(c.Address, "refund") {
			t.Errorf("planned %s anyway", c.Address)
		}
	}
	// With an integration it is created, with its resources, parents first.
	want.Routes[2].Integration = &spec.Integration{Type: spec.IntegrationHTTPProxy, URI: "https://x.example/refund", HTTPMethod: "POST"}
	p = plan.Make(want, current(), plan.Options{})
	var creates []string
	for _, c := range p.Changes {
		if c.Action == diff.Create {
			creates = append(creates, c.Address)
		}
	}
	if d := cmp.Diff([]string{"resource./orders/{id}", "resource./orders/{id}/refund", "method.POST /orders/{id}/refund"}, creates); d != "" {
		t.Errorf("creates (-want +got):\n%s", d)
	}
}

func TestSavedPlanRefusedWhenStale(t *testing.T) {
	have := current()
	p := plan.Make(described(), have, plan.Options{})
	file := filepath.Join(t.TempDir(), "x.plan")
	if err := p.Save(file); err != nil {
		t.Fatal(err)
	}
	back, err := plan.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(p.Changes, back.Changes, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Range" }, cmp.Ignore())); d != "" {
		t.Errorf("plan does not survive a save (-saved +loaded):\n%s", d)
	}
	if err := back.CheckFresh(current()); err != nil {
		t.Errorf("same live API: %v", err)
	}
	changed := current()
	changed.Resources["/ping"].Methods["GET"].AuthorizationType = spec.AuthIAM
	if err := back.CheckFresh(changed); !errors.Is(err, plan.ErrStale) {
		t.Errorf("changed live API: want ErrStale, got %v", err)
	}
}

// Both kinds save in the one format and each refuses the other's file;
// a format 1.x file (an HTTP API's under http_plan) is refused as such,
// yet still known for a saved plan.
func TestSavedPlanKindsAndFormats(t *testing.T) {
	dir := t.TempDir()
	rest, http := filepath.Join(dir, "rest.plan"), filepath.Join(dir, "http.plan")
	if err := plan.Make(described(), current(), plan.Options{}).Save(rest); err != nil {
		t.Fatal(err)
	}
	hp := &plan.HTTPPlan{FormatVersion: plan.FormatVersion, APIType: plan.HTTP, API: "h", Stage: "$default", Changes: []diff.HTTPChange{}}
	if err := hp.Save(http); err != nil {
		t.Fatal(err)
	}
	if back, err := plan.LoadHTTP(http); err != nil || back.API != "h" || back.Stage != "$default" {
		t.Errorf("LoadHTTP: %+v %v", back, err)
	}
	if _, err := plan.Load(http); !errors.Is(err, plan.ErrHTTPPlan) {
		t.Errorf("Load of an HTTP API's plan: %v", err)
	}
	if _, err := plan.LoadHTTP(rest); !errors.Is(err, plan.ErrRESTPlan) {
		t.Errorf("LoadHTTP of a REST API's plan: %v", err)
	}
	old := filepath.Join(dir, "old.plan")
	if err := os.WriteFile(old, []byte(`{"format_version": "1.0", "http_plan": {"api": "h", "changes": []}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, load := range []func(string) error{
		func(p string) error { _, err := plan.Load(p); return err },
		func(p string) error { _, err := plan.LoadHTTP(p); return err },
	} {
		if err := load(old); !errors.Is(err, plan.ErrFormat) || !strings.Contains(err.Error(), "plan format 1.0") {
			t.Errorf("a format 1.0 plan: %v", err)
		}
	}
	notPlan := filepath.Join(dir, "x.json")
	if err := os.WriteFile(notPlan, []byte(`{"format_version": "1.0", "valid": true}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]bool{rest: true, http: true, old: true, notPlan: false} {
		if got := plan.IsSaved(path); got != want {
			t.Errorf("IsSaved(%s) = %v", filepath.Base(path), got)
		}
	}
}
