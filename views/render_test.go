package views

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/portcullis-dev/portcullis/diff"
	"github.com/portcullis-dev/portcullis/generators/equivalence"
	"github.com/portcullis-dev/portcullis/internal/schemas"
	"github.com/portcullis-dev/portcullis/plan"
	"github.com/portcullis-dev/portcullis/probe"
	"github.com/portcullis-dev/portcullis/spec"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// golden compares got with testdata/name (rewritten with -update).
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// matrix is a probe result with every kind of cell: passes, unexpected
// answers, network errors, answers not from API Gateway, checks not sent,
// CORS on refusals and the browser columns.
func matrix() *probe.Result {
	sent := func(n probe.CheckName, e probe.Expect, status int, c probe.Class) probe.CheckResult {
		return probe.CheckResult{Name: n, Expect: e, Status: status, Class: c}
	}
	refused := sent(probe.CheckNoToken, probe.ExpectRefuse, 401, probe.ClassUnauthorized)
	refused.CORS = true
	noCORS := refused
	noCORS.CORS = false
	return &probe.Result{
		BaseURL:  "http://127.0.0.1:4566/prod",
		Requests: 11,
		Elapsed:  1234567890,
		Routes: []probe.RouteResult{
			{Key: "GET /items", Verdict: probe.VerdictProtected, Checks: []probe.CheckResult{
				refused,
				sent(probe.CheckForged, probe.ExpectRefuse, 401, probe.ClassUnauthorized),
				sent(probe.CheckAccessToken, probe.ExpectAdmit, 200, probe.ClassReached),
				sent(probe.CheckBearer, probe.ExpectAdmit, 401, probe.ClassUnauthorized),
				{Name: probe.CheckPreflight, Expect: probe.ExpectPreflight, Skipped: "no CORS"},
			}, Browser: &probe.BrowserResult{
				Preflight:      probe.BrowserCheck{Pass: true},
				IdentityHeader: probe.BrowserCheck{Pass: true},
				Readable401:    probe.BrowserCheck{Pass: true, Status: 401},
			}},
			{Key: "POST /items", Verdict: probe.VerdictOpen, Checks: []probe.CheckResult{
				noCORS,
				sent(probe.CheckForged, probe.ExpectRefuse, 200, probe.ClassReached),
				sent(probe.CheckAccessToken, probe.ExpectAdmit, 0, probe.ClassNetwork),
				{Name: probe.CheckBearer, Expect: probe.ExpectAdmit, Skipped: unsafeForTest},
			}, Browser: &probe.BrowserResult{
				Preflight:      probe.BrowserCheck{CORSError: "PreflightMissingAllowOriginHeader"},
				IdentityHeader: probe.BrowserCheck{CORSError: "HeaderDisallowedByPreflightResponse"},
				Readable401:    probe.BrowserCheck{Status: 500},
			}},
			{Key: "GET /health", Verdict: probe.VerdictPublic, Checks: []probe.CheckResult{
				sent(probe.CheckNoToken, probe.ExpectAdmit, 404, probe.ClassNotGateway),
				sent(probe.CheckPreflight, probe.ExpectPreflight, 204, probe.ClassReached),
			}},
			{Key: "DELETE /items/{id}", Verdict: probe.VerdictNotProbed, Checks: []probe.CheckResult{
				{Name: probe.CheckNoToken, Expect: probe.ExpectRefuse, Skipped: unsafeForTest},
			}, Browser: &probe.BrowserResult{
				Preflight:      probe.BrowserCheck{Skipped: "unsafe"},
				IdentityHeader: probe.BrowserCheck{Error: "TypeError: Failed to fetch"},
				Readable401:    probe.BrowserCheck{},
			}},
		},
	}
}

const unsafeForTest = "unsafe method; --unsafe sends it"

// The probe table is pinned byte for byte (it moved here from probe/).
func TestProbeTableGolden(t *testing.T) {
	var b bytes.Buffer
	if err := ProbeTable(&b, matrix()); err != nil {
		t.Fatal(err)
	}
	golden(t, "probe_table.txt", b.Bytes())
	// Without a browser row the browser columns go.
	r := matrix()
	for i := range r.Routes {
		r.Routes[i].Browser = nil
	}
	r.Elapsed = 5 * time.Millisecond
	b.Reset()
	if err := ProbeTable(&b, r); err != nil {
		t.Fatal(err)
	}
	golden(t, "probe_table_nobrowser.txt", b.Bytes())
}

// The HTTP API plan text is pinned byte for byte (it moved here from
// plan/), and colour, like the REST plan's, only when asked.
func TestHTTPPlanTextGolden(t *testing.T) {
	changes := []diff.HTTPChange{
		{Action: diff.Create, Kind: diff.KindJWTAuthorize, Address: "jwt_authorizer.cognito", Fields: []diff.Field{{Name: "issuer", New: "https://issuer"}}},
		{Action: diff.Update, Kind: diff.KindRoute, Address: "route.GET /items", Fields: []diff.Field{{Name: "authorization_scopes", Old: "a", New: "a b"}, {Name: "authorizer", Old: "old", New: ""}}},
		{Action: diff.Delete, Kind: diff.KindRoute, Address: "route.GET /old"},
	}
	deployed := append(append([]diff.HTTPChange(nil), changes...), diff.HTTPChange{Action: diff.Create, Kind: diff.KindDeployment, Address: "deployment"})
	for name, p := range map[string]*plan.HTTPPlan{
		"http_plan_empty.txt":         {API: "todo", Stage: "prod", Changes: []diff.HTTPChange{}},
		"http_plan_empty_auto.txt":    {API: "todo", Stage: "$default", AutoDeploy: true, Changes: []diff.HTTPChange{}},
		"http_plan_deploy.txt":        {API: "todo", APIID: "abc123", Stage: "prod", Changes: deployed, Summary: plan.Summary{Add: 2, Change: 1, Destroy: 1}},
		"http_plan_auto.txt":          {API: "todo", Stage: "$default", AutoDeploy: true, Changes: changes, Summary: plan.Summary{Add: 1, Change: 1, Destroy: 1}},
		"http_plan_nodeploy.txt":      {API: "todo", Stage: "", Changes: changes, Summary: plan.Summary{Add: 1, Change: 1, Destroy: 1}},
		"http_plan_empty_nostage.txt": {API: "todo", Stage: "", Changes: []diff.HTTPChange{}},
	} {
		var b bytes.Buffer
		if err := HTTPPlanText(&b, p, false); err != nil {
			t.Fatal(err)
		}
		golden(t, name, b.Bytes())
	}
	p := &plan.HTTPPlan{API: "todo", Changes: changes}
	var plain, colour bytes.Buffer
	_ = HTTPPlanText(&plain, p, false)
	_ = HTTPPlanText(&colour, p, true)
	if bytes.Contains(plain.Bytes(), []byte("\x1b[")) {
		t.Errorf("escape codes without colour: %q", plain.String())
	}
	if !bytes.Contains(colour.Bytes(), []byte(ansiGreen+"+"+ansiReset+" jwt_authorizer.cognito")) ||
		!bytes.Contains(colour.Bytes(), []byte(ansiRed+"-"+ansiReset+" route.GET /old")) {
		t.Errorf("no coloured symbols with colour: %q", colour.String())
	}
}

// check-generators' text is pinned byte for byte (it moved here from
// generators/equivalence).
func TestCheckGeneratorsTextGolden(t *testing.T) {
	ok := equivalence.APIResult{API: "a", Methods: 2, Preflights: 2, Responses: 2, Differences: []string{}}
	bad := equivalence.APIResult{API: "b", Methods: 1, Differences: []string{"GET /items: scopes [items/write], want [items/read]", "POST /items: authorization NONE, want COGNITO_USER_POOLS"}}
	reports := []*equivalence.Report{
		{Input: "examples/todo", OK: false, Outputs: []equivalence.Output{
			{Name: "cloudformation", APIs: []equivalence.APIResult{ok, bad}},
			{Name: "serverless (sls package)", Err: "sls package: exit status 1\nline one\nline two\n"},
			{Name: "cdk (synth)", Skipped: "no CDK given (--cdk DIR)"},
		}},
		{Input: "examples/multipool", OK: true, Outputs: []equivalence.Output{
			{Name: "terraform", APIs: []equivalence.APIResult{ok}},
		}},
	}
	var b bytes.Buffer
	if err := CheckGeneratorsText(&b, reports); err != nil {
		t.Fatal(err)
	}
	golden(t, "check_generators.txt", b.Bytes())
}

// A REST API's plan document and an HTTP API's are pinned byte for byte:
// one shape (docs/plan.schema.json), the common fields in the same order,
// each kind's own fields after them, fields a list even when empty.
func TestPlanJSONGolden(t *testing.T) {
	rest := plan.Make(&spec.API{Name: "todo", Stages: []*spec.Stage{{Name: "prod"}},
		Authorizers: []*spec.Authorizer{{Name: "cognito", Type: spec.AuthorizerCognito, UserPoolARNs: []string{"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example"}}}},
		nil, plan.Options{})
	rest.Target = "local /state"
	http := &plan.HTTPPlan{FormatVersion: plan.FormatVersion, APIType: plan.HTTP, API: "todo-http", APIID: "abc123", Target: "local /state", Stage: "$default",
		AutoDeploy: true, Fingerprint: "0123456789abcdef0123456789abcdef", Summary: plan.Summary{Change: 1, Destroy: 1},
		Changes: []diff.HTTPChange{
			{Action: diff.Update, Kind: diff.KindRoute, Address: "route.GET /items", ID: "r1", Key: "GET /items", Fields: []diff.Field{{Name: "authorization_scopes", Old: "a", New: "a b"}}},
			{Action: diff.Delete, Kind: diff.KindRoute, Address: "route.GET /old", ID: "r2", Key: "GET /old"},
		}}
	for name, doc := range map[string]PlanDocument{"plan_rest.json": NewPlanDocument(rest, ""), "plan_http.json": NewHTTPPlanDocument(http, "todo.plan")} {
		var b bytes.Buffer
		if err := WriteJSON(&b, doc); err != nil {
			t.Fatal(err)
		}
		golden(t, name, b.Bytes())
		p, err := json.Marshal(doc.Plan)
		if err != nil {
			t.Fatal(err)
		}
		if err := schemas.Plan(p); err != nil {
			t.Errorf("%s: the plan does not match docs/plan.schema.json: %v", name, err)
		}
	}
}
