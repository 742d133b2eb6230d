package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/portcullis-dev/portcullis/emulator"
	"github.com/portcullis-dev/portcullis/internal/schemas"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/state"
)

func run(t *testing.T, opts Options) *Report {
	t.Helper()
	r, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return r
}

// Every API of every region asked is read and judged, in a stable order;
// open methods without a description are "intent unknown".
func TestRunReadsEveryRegion(t *testing.T) {
	g := newGateway(t)
	g.seed(t, "us-east-1", "b-api", 4, 2)
	g.seed(t, "us-east-1", "a-api", 3, 0)
	g.seed(t, "eu-west-1", "c-api", 2, 1)
	g.seedHTTP(t, "eu-west-1", "d-http")
	r := run(t, Options{Regions: []string{"us-east-1", "eu-west-1", "us-east-1"}, Kinds: []Kind{g.kind(), g.httpKind()}})
	apis := collect(t, r)
	var got []string
	for _, a := range apis {
		got = append(got, a.Region+"/"+a.Name+"/"+a.Kind)
	}
	if strings.Join(got, " ") != "eu-west-1/c-api/rest eu-west-1/d-http/http us-east-1/a-api/rest us-east-1/b-api/rest" {
		t.Fatalf("order %v", got)
	}
	s := r.Summary
	if s.APIs != 4 || s.Methods != 11 || s.Open != 5 || s.Stages != 4 || len(s.Regions) != 2 {
		t.Errorf("summary %+v", s)
	}
	if n := codes(apis[3])[CodeOpenIntentUnknown]; n != 2 {
		t.Errorf("b-api: %d intent-unknown findings, want 2: %+v", n, apis[3].Findings)
	}
	if n := codes(apis[2])[CodeOpenIntentUnknown]; n != 0 {
		t.Errorf("a-api has no open method but %d findings", n)
	}
	if n := codes(apis[1])[CodeOpenIntentUnknown]; n != 1 || !strings.Contains(apis[1].ARN, "::/apis/") {
		t.Errorf("d-http: %d intent-unknown findings, ARN %s", n, apis[1].ARN)
	}
	for _, a := range apis {
		for _, rt := range a.Routes {
			if rt.Deployed[a.Stages[0].Name] != rt.Authorization {
				t.Errorf("%s %s deployed %v, working %s", a.Name, rt.Key(), rt.Deployed, rt.Authorization)
			}
		}
	}
}

// A region whose listing is refused, an API whose read is refused, and an
// API throttled beyond the retries are each reported, and the rest of the
// audit goes on.
func TestUnreadableIsReportedAndTheRestGoesOn(t *testing.T) {
	g := newGateway(t)
	g.seed(t, "us-east-1", "one", 2, 0)
	g.seed(t, "us-east-1", "two", 2, 0)
	g.seed(t, "us-east-1", "three", 2, 0)
	g.seed(t, "eu-west-1", "west", 2, 0)
	g.maxAttempts = 3
	g.e.SetFaults(emulator.Faults{Inject: []emulator.Injection{
		{Operation: "GetRestApis", Region: "eu-west-1", Status: 403, ErrorType: "AccessDeniedException", Message: "not authorized to perform apigateway:GET"},
		{Operation: "GetResources", Nth: 1, Status: 403, ErrorType: "AccessDeniedException"},
		{Operation: "GetAuthorizers", Status: 429}, // every attempt: throttled beyond retries
	}})
	r := run(t, Options{Regions: []string{"us-east-1", "eu-west-1"}, Kinds: []Kind{g.kind()}, PerRegion: 1})
	west := r.Summary.Regions[0]
	if west.Region != "eu-west-1" || west.Error == nil || west.Error.Code != "AccessDeniedException" {
		t.Errorf("eu-west-1: %+v", west)
	}
	apis := collect(t, r)
	if len(apis) != 3 {
		t.Fatalf("%d APIs", len(apis))
	}
	// GetResources fails for the first API read ("one"); GetAuthorizers
	// for every API that gets that far.
	byCode := map[string]string{}
	for _, a := range apis {
		if a.Error == nil || codes(a)[CodeUnreadable] != 1 {
			t.Errorf("%s: error %+v findings %+v", a.Name, a.Error, a.Findings)
			continue
		}
		byCode[a.Name] = a.Error.Code
	}
	if byCode["one"] != "AccessDeniedException" || byCode["two"] != "TooManyRequestsException" || byCode["three"] != "TooManyRequestsException" {
		t.Errorf("errors %v", byCode)
	}
	if r.Summary.Unreadable != 3 || r.Summary.Findings.Error != 4 {
		t.Errorf("summary %+v", r.Summary)
	}
	// Throttled calls were retried: three attempts for each of two APIs.
	n := 0
	for _, c := range g.e.Calls() {
		if c.Operation == "GetAuthorizers" {
			n++
		}
	}
	if n != 6 {
		t.Errorf("%d GetAuthorizers attempts, want 6", n)
	}
}

// The stage checks on a state the emulator cannot make (a stage without a
// deployment) and one it can (a deployment that serves a method open).
func TestStageChecks(t *testing.T) {
	s := &state.State{RestAPIID: "abc", Resources: map[string]*state.Resource{
		"/":  {ID: "root", Path: "/", Methods: map[string]*state.Method{}},
		"/a": {ID: "r1", Path: "/a", Methods: map[string]*state.Method{"GET": {HTTPMethod: "GET", AuthorizationType: spec.AuthCognito, AuthorizerID: "az"}}},
	}, Authorizers: []*state.Authorizer{{Authorizer: spec.Authorizer{ID: "az", Name: "pool", Type: spec.AuthorizerCognito,
		UserPoolARNs: []string{"arn:aws:cognito-idp:us-east-1:999999999999:userpool/us-east-1_X"}}}},
		Stages: map[string]*state.Stage{
			"empty": {Name: "empty"},
			"prod":  {Name: "prod", DeploymentID: "d1", Deployed: &state.Deployed{DeploymentID: "d1", Auth: map[string]string{"GET /a": spec.AuthNone, "POST /gone": spec.AuthNone}}},
		}}
	s.BuildModel("x", "")
	res, _ := judgeREST(s, Judgement{Region: "us-east-1", Accounts: []string{"123456789012"}})
	got := map[string]bool{}
	for _, f := range res.Findings {
		got[f.Code+" "+f.Route+" "+f.Stage] = true
	}
	for _, want := range []string{
		CodeNoDeployment + "  empty",
		CodeServedOpen + " GET /a prod",
		CodeServedOpen + " POST /gone prod",
		CodeUndeployed + "  prod",
		CodePoolUnexpected + "  ",
	} {
		if !got[want] {
			t.Errorf("missing %q in %v", want, got)
		}
	}
	for _, f := range res.Findings {
		if !strings.HasPrefix(f.ARN, "arn:aws:apigateway:us-east-1::/restapis/abc") || f.Help == "" {
			t.Errorf("finding %s: ARN %q help %q", f.Code, f.ARN, f.Help)
		}
	}
}

// A baseline's declared-public methods are accepted, its suppressions
// apply, and an API it does not describe is listed as such.
func TestBaselineIntent(t *testing.T) {
	g := newGateway(t)
	id := g.seed(t, "us-east-1", "shop", 4, 2) // GET /p1 and GET /p3 open
	g.seed(t, "us-east-1", "other", 1, 0)
	shop := &spec.API{Name: "shop", RestAPIID: id, Routes: []*spec.Route{
		{Method: "GET", Path: "/p1", AuthType: spec.AuthNone, Public: true, Reason: "catalogue"},
		{Method: "GET", Path: "/p3", AuthType: spec.AuthNone, Public: true}, // no reason: not accepted
	}, Range: spec.Range{Filename: "apis/shop.hcl"}}
	r := run(t, Options{Regions: []string{"us-east-1"}, Kinds: []Kind{g.kind()}, Baseline: NewBaseline("apis", []*spec.API{shop})})
	apis := collect(t, r)
	other, got := apis[0], apis[1]
	if codes(other)[CodeNoDescription] != 1 || got.Baseline != "apis/shop.hcl" {
		t.Errorf("other %+v / shop baseline %q", codes(other), got.Baseline)
	}
	open := map[string]string{}
	for _, f := range got.Findings {
		if f.Code == CodeOpenNotDeclared || f.Code == CodeOpenIntentUnknown {
			open[f.Route] = f.Code
		}
	}
	if len(open) != 1 || open["GET /p3"] != CodeOpenNotDeclared {
		t.Errorf("open findings %v", open)
	}
	if r.Summary.Accepted != 1 || r.Summary.Undescribed != 1 {
		t.Errorf("summary %+v", r.Summary)
	}
}

// Every format renders the same audit; SARIF validates against the OASIS
// 2.1.0 schema with every result located by ARN and pointing at its rule;
// JSON has no nulls and is the same twice.
func TestFormats(t *testing.T) {
	g := newGateway(t)
	g.seed(t, "us-east-1", "shop", 3, 2)
	g.seed(t, "eu-west-1", "pay", 2, 0)
	g.e.SetFaults(emulator.Faults{Inject: []emulator.Injection{{Operation: "GetRestApis", Region: "ap-south-1", Status: 403, ErrorType: "AccessDeniedException"}}})
	r := run(t, Options{Regions: []string{"us-east-1", "eu-west-1", "ap-south-1"}, Kinds: []Kind{g.kind()}})
	meta := Meta{ToolVersion: "v0.0.0-test", Generated: time.Date(2026, 12, 6, 4, 0, 0, 0, time.UTC)}
	out := map[string][]byte{}
	for _, f := range Formats() {
		var b bytes.Buffer
		if err := Write(&b, f, r, meta); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[f] = b.Bytes()
	}

	if err := schemas.SARIF(out["sarif"]); err != nil {
		t.Fatalf("SARIF does not validate against the 2.1.0 schema:\n%v", err)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct{ ID string }
				}
			}
			Results []struct {
				RuleID    string
				RuleIndex int
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
					}
					LogicalLocations []struct{ FullyQualifiedName string }
				}
			}
		}
	}
	if err := json.Unmarshal(out["sarif"], &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if len(run.Results) != r.Summary.Findings.Error+r.Summary.Findings.Warning+r.Summary.Findings.Info {
		t.Errorf("%d results for summary %+v", len(run.Results), r.Summary.Findings)
	}
	region := false
	for _, res := range run.Results {
		if run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %s points at rule %s", res.RuleID, run.Tool.Driver.Rules[res.RuleIndex].ID)
		}
		uri := res.Locations[0].PhysicalLocation.ArtifactLocation.URI
		if !strings.HasPrefix(uri, "arn:aws:apigateway:") || res.Locations[0].LogicalLocations[0].FullyQualifiedName != uri {
			t.Errorf("result %s located at %q", res.RuleID, uri)
		}
		if res.RuleID == CodeUnreadable && strings.Contains(uri, "ap-south-1") {
			region = true
		}
	}
	if !region {
		t.Error("the unreadable region has no SARIF result")
	}

	if bytes.Contains(out["json"], []byte("null")) {
		t.Errorf("JSON has a null:\n%s", out["json"])
	}
	var again bytes.Buffer
	_ = Write(&again, "json", r, meta)
	if !bytes.Equal(again.Bytes(), out["json"]) {
		t.Error("JSON differs between two renderings of one report")
	}
	var doc map[string]any
	if err := json.Unmarshal(out["json"], &doc); err != nil || doc["format_version"] != FormatVersion {
		t.Errorf("JSON envelope: %v %v", err, doc["format_version"])
	}
	if err := schemas.AuditReport(out["json"]); err != nil {
		t.Errorf("the JSON report does not match docs/audit.schema.json: %v", err)
	}

	html := string(out["html"])
	for _, want := range []string{"<!DOCTYPE html>", `data-region="eu-west-1"`, "ap-south-1", "AUD001 open-intent-unknown", DocsBase + "audit.md#aud001", "Content-Security-Policy"} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	for _, banned := range []string{"src=\"http", "href=\"http://", "<link", "@import", "url("} {
		if strings.Contains(html, banned) {
			t.Errorf("HTML loads something from outside: %q", banned)
		}
	}
	if text := string(out["text"]); !strings.Contains(text, "Audited 2 APIs in ap-south-1, eu-west-1, us-east-1") || !strings.Contains(text, "Region ap-south-1 could not be read") {
		t.Errorf("text:\n%s", text)
	}
}

// An HTTP API is judged like a REST API: a declared-public route is
// accepted, an undeclared open one is not, a stage serving a route open
// that is protected now is reported, and an issuer other than the
// described one is unexpected.
func TestJudgeHTTP(t *testing.T) {
	s := &state.HTTPAPI{APIID: "h1", Name: "events",
		Authorizers: []*state.HTTPAuthorizer{{ID: "a1", Name: "cognito", Type: spec.AuthorizerJWT, Issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other",
			IdentitySources: []string{"$request.header.Authorization"}, Audiences: []string{"c"}}},
		Routes: []*state.HTTPRoute{
			{ID: "r1", Key: "GET /health", AuthorizationType: spec.AuthNone},
			{ID: "r2", Key: "GET /events", AuthorizationType: spec.AuthNone},
			{ID: "r3", Key: "POST /events", AuthorizationType: spec.AuthJWT, AuthorizerID: "a1", Scopes: []string{"events/write"}},
		},
		Stages: map[string]*state.HTTPStage{
			"live":  {Name: "live", DeploymentID: "d1", Deployed: &state.HTTPDeployed{DeploymentID: "d1", Auth: map[string]string{"GET /health": "NONE", "GET /events": "NONE", "POST /events": "NONE"}}},
			"draft": {Name: "draft"},
		}}
	s.BuildModel("eu-west-1")
	b := &spec.HTTPAPI{Name: "events", Region: "eu-west-1", Range: spec.Range{Filename: "apis/events.hcl"},
		Authorizers: []*spec.JWTAuthorizer{{Name: "cognito", Issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Events"}},
		Routes: []*spec.HTTPRoute{
			{Key: "GET /health", Method: "GET", Path: "/health", AuthType: spec.AuthNone, Public: true, Reason: "uptime checks"},
			{Key: "POST /events", Method: "POST", Path: "/events", AuthType: spec.AuthJWT, Authorizer: "cognito"},
		}}
	res, _ := judgeHTTP(s, Judgement{Region: "eu-west-1", HTTPBaseline: b, HaveBaseline: true})
	got := map[string]bool{}
	for _, f := range res.Findings {
		got[f.Code+" "+f.Route+" "+f.Stage] = true
		if !strings.HasPrefix(f.ARN, "arn:aws:apigateway:eu-west-1::/apis/h1") {
			t.Errorf("%s located at %s", f.Code, f.ARN)
		}
	}
	for _, want := range []string{
		CodeOpenNotDeclared + " GET /events ",
		CodeServedOpen + " POST /events live",
		CodeUndeployed + "  live",
		CodeNoDeployment + "  draft",
		CodePoolUnexpected + "  ",
	} {
		if !got[want] {
			t.Errorf("missing %q in %v", want, got)
		}
	}
	for k := range got {
		if strings.Contains(k, "GET /health") {
			t.Errorf("declared-public GET /health reported: %s", k)
		}
	}
	if res.Baseline != "apis/events.hcl" || res.Kind != KindHTTP || len(res.Routes) != 3 {
		t.Errorf("result %+v", res)
	}
}

// A browser-facing API (it answers preflights) whose refusals carry no
// CORS header is reported until DEFAULT_4XX sets one; a baseline's
// suppression (with its reason) silences a rule on the live API.
func TestCORSCheckAndSuppressions(t *testing.T) {
	mk := func() *state.State {
		s := &state.State{RestAPIID: "abc", Resources: map[string]*state.Resource{
			"/": {ID: "root", Path: "/", Methods: map[string]*state.Method{}},
			"/a": {ID: "r1", Path: "/a", Methods: map[string]*state.Method{
				"GET":     {HTTPMethod: "GET", AuthorizationType: spec.AuthCognito, AuthorizerID: "az"},
				"OPTIONS": {HTTPMethod: "OPTIONS", AuthorizationType: spec.AuthNone, Integration: &spec.Integration{Type: spec.IntegrationMock}},
			}},
		}, Authorizers: []*state.Authorizer{{Authorizer: spec.Authorizer{ID: "az", Name: "pool", Type: spec.AuthorizerCognito, TTLSeconds: 300,
			UserPoolARNs: []string{"arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_X"}}}},
			GatewayResponses: map[string]*spec.GatewayResponse{}, Stages: map[string]*state.Stage{}}
		s.BuildModel("x", "")
		return s
	}
	res, _ := judgeREST(mk(), Judgement{Region: "us-east-1"})
	c := codes(res)
	if c[CodeErrorsWithoutCORS] != 1 || c[CodeOpenIntentUnknown] != 0 || c["PCA013"] != 1 {
		t.Errorf("findings %v (the preflight is open by design; the pool is in another region)", c)
	}
	s := mk()
	s.GatewayResponses["DEFAULT_4XX"] = &spec.GatewayResponse{Type: "DEFAULT_4XX", ResponseParameters: map[string]string{"gatewayresponse.header.Access-Control-Allow-Origin": "'https://app.example.com'"}}
	b := &spec.API{Name: "x", Authorizers: []*spec.Authorizer{{Name: "pool", Suppressions: []spec.Suppression{{Rule: "PCA013", Reason: "the pool is shared from eu-west-1"}}}},
		Range: spec.Range{Filename: "apis/x.hcl"}}
	res, _ = judgeREST(s, Judgement{Region: "us-east-1", Baseline: b, HaveBaseline: true})
	if c := codes(res); c[CodeErrorsWithoutCORS] != 0 || c["PCA013"] != 1 {
		t.Errorf("findings %v", c)
	}
	for _, f := range res.Findings {
		if f.Code == "PCA013" && (!f.Suppressed || f.SuppressReason != "the pool is shared from eu-west-1") {
			t.Errorf("PCA013 not suppressed by the baseline: %+v", f)
		}
	}
}
