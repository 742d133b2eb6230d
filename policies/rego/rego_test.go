package rego

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/portcullis-dev/portcullis/policies"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/spec/load"
)

func loadAPI(t testing.TB) *spec.Description {
	t.Helper()
	d, ds := load.Load("testdata/api/api.hcl", load.Options{})
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	return d
}

// summarize prints findings as "line code route [suppressed] source: summary".
func summarize(ds spec.Diagnostics) []string {
	var out []string
	for _, d := range ds {
		line := 0
		if d.Range != nil {
			line = d.Range.Start.Line
		}
		s := fmt.Sprintf("%d %s %q %s: %s", line, d.Severity, d.Route, d.Code, d.Summary)
		if d.Suppressed {
			s += " (suppressed: " + d.SuppressReason + ")"
		}
		if d.Source != "policy" {
			s += " <" + d.Source + ">"
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

func TestPolicies(t *testing.T) {
	ctx := context.Background()
	e, diags, err := Load(ctx, Options{Paths: []string{"testdata/basic"}})
	if err != nil || len(diags) > 0 {
		t.Fatalf("Load: %v %v", err, diags)
	}
	if diff := cmp.Diff([]string{"deny", "violation_legacy", "warn", "warn_version"}, e.RuleNames()); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	d := loadAPI(t)
	fs, err := e.Eval(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	got := summarize(policies.Finish(d, fs))
	want := []string{
		`1 warning "" rego:warn: api shop declares no stage <testdata/basic/api.rego, testdata/basic/routes.rego>`,
		`13 error "DELETE /orders/{id}" rego:deny: DELETE /orders/{id} changes data but accepts ID tokens: give it scopes. <testdata/basic/routes.rego>`,
		`15 warning "GET /health" ops-health-head: health check should be HEAD too <testdata/basic/api.rego, testdata/basic/routes.rego>`,
		`20 error "POST /legacy" ops-no-legacy: legacy route still described (suppressed: removed next quarter) <testdata/basic/routes.rego>`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

// The input never holds null where a list belongs: a `count(x) == 0` rule
// sees every empty list (a nil Go slice would have been null and missed).
func TestInputHasNoNullLists(t *testing.T) {
	d := loadAPI(t)
	in, err := Input(d)
	if err != nil {
		t.Fatal(err)
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case nil:
			// Only pointer-like single values may be null.
			for _, ok := range []string{".cors", ".integration", ".authorizer", ".default_authorizer"} {
				if strings.HasSuffix(path, ok) {
					return
				}
			}
			t.Errorf("%s is null", path)
		case map[string]any:
			for k, c := range x {
				walk(path+"."+k, c)
			}
		case []any:
			for i, c := range x {
				walk(fmt.Sprintf("%s[%d]", path, i), c)
			}
		}
	}
	walk("input", in)
	if v := in.(map[string]any)["format_version"]; v != spec.FormatVersion {
		t.Errorf("format_version = %v", v)
	}
}

func TestRefusedBuiltins(t *testing.T) {
	for _, file := range []string{"net.rego", "dns.rego", "runtime.rego"} {
		t.Run(file, func(t *testing.T) {
			e, diags, err := Load(context.Background(), Options{Paths: []string{"testdata/unsafe/" + file}})
			if err != nil {
				t.Fatal(err)
			}
			if e.Compiled() || !diags.HasErrors() {
				t.Fatalf("policy with a network/runtime builtin compiled: %v", diags)
			}
			d := diags[0]
			if d.Code != CodeCompile || d.Range == nil || d.Range.Filename != "testdata/unsafe/"+file || d.Range.Start.Line != 4 {
				t.Errorf("diagnostic = %s %+v", d.Error(), d.Range)
			}
			if !strings.Contains(d.Detail, "unsafe built-in") {
				t.Errorf("detail %q does not say the builtin is refused", d.Detail)
			}
		})
	}
}

func TestParseAndCompileErrorsAreLocated(t *testing.T) {
	for path, want := range map[string]struct {
		code string
		line int
	}{
		"testdata/broken/syntax.rego": {CodeParse, 4},
		"testdata/undefined/ref.rego": {CodeCompile, 5},
	} {
		_, diags, err := Load(context.Background(), Options{Paths: []string{path}})
		if err != nil {
			t.Fatal(err)
		}
		if len(diags) == 0 {
			t.Errorf("%s: no diagnostic", path)
			continue
		}
		d := diags[0]
		if d.Severity != spec.SeverityError || d.Code != want.code || d.Range == nil || d.Range.Filename != path || d.Range.Start.Line != want.line {
			t.Errorf("%s: got %s (%s) at %+v, want %s at line %d", path, d.Error(), d.Code, d.Range, want.code, want.line)
		}
	}
}

func TestNamespace(t *testing.T) {
	ctx := context.Background()
	e, diags, err := Load(ctx, Options{Paths: []string{"testdata/ns"}, Namespace: "portcullis.team"})
	if err != nil || len(diags) > 0 {
		t.Fatalf("Load: %v %v", err, diags)
	}
	d := loadAPI(t)
	fs, err := e.Eval(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	got := summarize(policies.Finish(d, fs))
	want := []string{`15 error "GET /health" rego:deny: GET /health: public routes need a security review. <testdata/ns/team.rego>`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestMissingPath(t *testing.T) {
	if _, _, err := Load(context.Background(), Options{Paths: []string{"testdata/nope"}}); err == nil {
		t.Error("no error for a missing --policy path")
	}
	if _, _, err := Load(context.Background(), Options{Paths: []string{"testdata/api"}}); err == nil || !strings.Contains(err.Error(), "no .rego policies") {
		t.Errorf("err = %v, want no .rego policies", err)
	}
}

func TestRouteFromText(t *testing.T) {
	ix := newIndex(loadAPI(t))
	for text, want := range map[string]string{
		"DELETE /orders/{id}: no scopes":     "DELETE /orders/{id}",
		"route GET /orders.":                 "GET /orders",
		"(GET /health)":                      "GET /health",
		"GET /ordersX is not described":      "",
		"nothing here":                       "",
		"see POST /legacy, then GET /orders": "POST /legacy",
	} {
		got := ""
		if rr := ix.routeFromText(text, ""); rr != nil {
			got = rr.r.Key()
		}
		if got != want {
			t.Errorf("routeFromText(%q) = %q, want %q", text, got, want)
		}
	}
}

// InputValue must be exactly the JSON document: compare it with the value
// OPA makes from the JSON text, for descriptions that use every shape
// (null authorizer and integration, maps, suppressions, sources, CORS).
func TestInputValueEqualsJSON(t *testing.T) {
	for name, d := range map[string]*spec.Description{
		"api.hcl":  loadAPI(t),
		"big":      bigDescription(200),
		"todo":     loadExample(t, "../../examples/todo/todo.hcl"),
		"openapi":  loadExample(t, "../../examples/todo/todo.openapi.yaml"),
		"http-api": loadExample(t, "../../examples/http-api/http-api.hcl"),
		"empty":    {},
		"unlocated": {APIs: []*spec.API{{Name: "bare", Routes: []*spec.Route{{Method: "GET", Path: "/", AuthType: spec.AuthNone}},
			Authorizers: []*spec.Authorizer{{Name: "a", Type: spec.AuthorizerCognito}}}}},
	} {
		direct, err := InputValue(d)
		if err != nil {
			t.Fatal(err)
		}
		in, err := Input(d)
		if err != nil {
			t.Fatal(err)
		}
		viaJSON, err := ast.InterfaceToValue(in)
		if err != nil {
			t.Fatal(err)
		}
		if direct.Compare(viaJSON) != 0 {
			t.Errorf("%s: InputValue differs from the JSON document:\n%s\n%s", name, direct, viaJSON)
		}
	}
}

func loadExample(t *testing.T, path string) *spec.Description {
	t.Helper()
	d, ds := load.Load(path, load.Options{})
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	return d
}

// The example policy in docs/rules/README.md compiles and finds what it
// says it finds.
func TestDocumentedPolicy(t *testing.T) {
	b, err := os.ReadFile("../../docs/rules/README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(b), "```rego\n")
	src, _, ok2 := strings.Cut(after, "```")
	if !ok || !ok2 {
		t.Fatal("no rego example in docs/rules/README.md")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "doc.rego"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	e, diags, err := Load(ctx, Options{Paths: []string{dir}})
	if err != nil || len(diags) > 0 {
		t.Fatalf("documented policy does not load: %v %v", err, diags)
	}
	d := loadAPI(t)
	fs, err := e.Eval(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		got = append(got, f.Code+" "+f.Diagnostic.Route)
	}
	sort.Strings(got)
	want := []string{"rego:deny DELETE /orders/{id}"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// User policies see HTTP APIs (v2) under input.http_apis, in the same shape
// `show --format json` prints.
func TestPoliciesSeeHTTPAPIs(t *testing.T) {
	dir := t.TempDir()
	src := `package main

deny contains msg if {
	some api in input.http_apis
	api.protocol == "HTTP"
	some r in api.routes
	r.auth_type == "JWT"
	not "todo/write" in r.scopes
	r.method == "DELETE"
	msg := sprintf("%s deletes without todo/write", [r.key])
}

warn contains msg if {
	some api in input.http_apis
	some s in api.stages
	s.auto_deploy
	msg := sprintf("stage %s deploys itself", [s.name])
}
`
	if err := os.WriteFile(filepath.Join(dir, "v2.rego"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	e, diags, err := Load(ctx, Options{Paths: []string{dir}})
	if err != nil || len(diags) > 0 {
		t.Fatalf("policy does not load: %v %v", err, diags)
	}
	d := loadExample(t, "../../examples/http-api/http-api.hcl")
	d.HTTPAPIs[0].Route("DELETE /items/{id}").Scopes = []string{"todo/read"}
	fs, err := e.Eval(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		got = append(got, f.Code+" "+f.Summary)
	}
	sort.Strings(got)
	want := []string{"rego:deny DELETE /items/{id} deletes without todo/write", "rego:warn stage $default deploys itself"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestNoRulesInNamespace(t *testing.T) {
	e, diags, err := Load(context.Background(), Options{Paths: []string{"testdata/ns/team.rego"}})
	if err != nil || !e.Compiled() {
		t.Fatal(err, diags)
	}
	if len(diags) != 1 || diags[0].Code != CodeNoRules || diags[0].Severity != spec.SeverityWarning ||
		!strings.Contains(diags[0].Detail, "package main; the policies are in portcullis.team") {
		t.Errorf("diags = %v", diags)
	}
}

// print() output reaches the writer given, so authors can debug a rule.
func TestPrint(t *testing.T) {
	dir := t.TempDir()
	src := "package main\n\nwarn contains msg if {\n\tsome api in input.apis\n\tprint(\"checking\", api.name)\n\tmsg := \"x\"\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "p.rego"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	ctx := context.Background()
	e, diags, err := Load(ctx, Options{Paths: []string{dir}, Print: &out})
	if err != nil || len(diags) > 0 {
		t.Fatal(err, diags)
	}
	if _, err := e.Eval(ctx, loadAPI(t)); err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "p.rego") + ":5: checking shop\n"; out.String() != want {
		t.Errorf("print output = %q, want %q", out.String(), want)
	}
	// Without a writer, print is accepted and silent.
	e, diags, err = Load(ctx, Options{Paths: []string{dir}})
	if err != nil || len(diags) > 0 {
		t.Fatal(err, diags)
	}
	if _, err := e.Eval(ctx, loadAPI(t)); err != nil {
		t.Fatal(err)
	}
}

func TestFunctionsAreNotResults(t *testing.T) {
	dir := t.TempDir()
	src := "package main\n\ndeny_check(r) if r.public\n\ndeny contains msg if {\n\tsome api in input.apis\n\tsome r in api.routes\n\tdeny_check(r)\n\tmsg := sprintf(\"%s is public\", [r.key])\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "fn.rego"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	e, diags, err := Load(ctx, Options{Paths: []string{dir}})
	if err != nil || len(diags) > 0 {
		t.Fatal(err, diags)
	}
	if diff := cmp.Diff([]string{"deny"}, e.RuleNames()); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	fs, err := e.Eval(ctx, loadAPI(t))
	if err != nil || len(fs) != 1 || fs[0].Diagnostic.Route != "GET /health" {
		t.Errorf("findings = %v, %v", fs, err)
	}
}
