package workflow

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/spec/load"
	"github.com/portcullis-dev/portcullis/state"
)

func TestStateDirDoesNotDependOnTheWorkingDirectory(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	cases := []struct {
		flag string
		env  map[string]string
		want string
	}{
		{"/x/flag", map[string]string{EnvStateDir: "/x/env", "HOME": "/home/u"}, "/x/flag"},
		{"", map[string]string{EnvStateDir: "/x/env", "HOME": "/home/u"}, "/x/env"},
		{"", map[string]string{"XDG_STATE_HOME": "/x/xdg", "HOME": "/home/u"}, "/x/xdg/portcullis"},
		{"", map[string]string{"XDG_STATE_HOME": "relative", "HOME": "/home/u"}, "/home/u/.local/state/portcullis"},
		{"", map[string]string{"HOME": "/home/u"}, "/home/u/.local/state/portcullis"},
	}
	for _, c := range cases {
		for _, wd := range []string{t.TempDir(), "/"} {
			t.Chdir(wd)
			got, err := StateDir(c.flag, env(c.env))
			if err != nil || got != c.want {
				t.Errorf("StateDir(%q, %v) from %s = %q, %v; want %q", c.flag, c.env, wd, got, err, c.want)
			}
		}
	}
}

// The whole sequence on the embedded gateway: a typo'd stage is refused
// before anything is written, a plan records its target and is refused on
// another, apply then deploy converge, and the stage's URL is found.
func TestSequenceOnTheEmbeddedGateway(t *testing.T) {
	ctx := context.Background()
	tg, err := Load(filepath.Join("..", "examples", "todo", "todo.hcl"), load.Options{}, "")
	if err != nil {
		t.Fatal(err)
	}
	if ds := Gate(tg); len(ds) > 0 {
		t.Fatalf("todo fails the gate: %v", ds)
	}
	dir := t.TempDir()
	s, err := Connect(ctx, Endpoint{Local: true, StateDir: dir}, tg.API.Region)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Target() != "local "+dir {
		t.Errorf("target %q", s.Target())
	}

	_, _, err = Plan(ctx, s, tg.API, PlanOptions{Stage: "prdo"})
	if we, ok := AsError(err); !ok || we.Step != "stage" || !strings.Contains(err.Error(), `--stage "prdo"`) || !strings.Contains(err.Error(), "stages prod") {
		t.Fatalf("typo'd stage: %v", err)
	}

	p, have, err := Plan(ctx, s, tg.API, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Target != s.Target() || p.Empty() {
		t.Fatalf("plan target %q, empty %v", p.Target, p.Empty())
	}
	other := *s
	other.Local, other.EndpointURL, other.Region = false, "", "eu-west-1"
	if err := CheckSaved(p, "todo.plan", &other, tg.API, have); err == nil || !strings.Contains(err.Error(), "todo.plan was made for local") {
		t.Errorf("a local plan on AWS: %v", err)
	}
	if err := CheckSaved(p, "todo.plan", s, tg.API, have); err != nil {
		t.Errorf("the plan on its own target: %v", err)
	}

	_, res, err := Apply(ctx, s, tg.API, have, p, ApplyOptions{Strategy: "patch"})
	if err != nil || res.DeploymentID == "" {
		t.Fatalf("apply: %v %+v", err, res)
	}
	again, _, err := Plan(ctx, s, tg.API, PlanOptions{})
	if err != nil || !again.Empty() {
		t.Fatalf("apply did not converge: %v %+v", err, again)
	}
	if _, err := Deploy(ctx, s, tg.API, "prdo", "", false); err == nil || !strings.Contains(err.Error(), "--new-stage") {
		t.Errorf("deploy to a typo'd stage: %v", err)
	}
	d, err := Deploy(ctx, s, tg.API, "", "", false)
	if err != nil || d.Stage != "prod" || d.DeploymentID == "" {
		t.Fatalf("deploy: %+v %v", d, err)
	}
	u, err := StageURL(ctx, s, tg.API, "", "prod")
	if err != nil || !strings.HasPrefix(u, s.EndpointURL+"/restapis/"+res.RestAPIID+"/prod") {
		t.Errorf("stage URL %q, %v", u, err)
	}
	if _, err := StageURL(ctx, s, tg.API, "", "dev"); err == nil || !strings.Contains(err.Error(), "deploy it first") {
		t.Errorf("missing stage: %v", err)
	}
}

func TestLoadNamesTheFileAndTheAPIs(t *testing.T) {
	_, err := Load(filepath.Join("..", "examples", "todo", "todo.hcl"), load.Options{}, "nope")
	if err == nil || !strings.Contains(err.Error(), `has no api "nope" (it has todo)`) {
		t.Errorf("unknown --api: %v", err)
	}
	_, err = Load(filepath.Join(t.TempDir(), "missing.hcl"), load.Options{}, "")
	we, ok := AsError(err)
	if !ok || we.Step != "load" || !we.Diagnostics.HasErrors() {
		t.Errorf("missing file: %v", err)
	}
}

// The default stage is the first described, not the first by name.
func TestDefaultStageIsTheFirstDescribed(t *testing.T) {
	p := filepath.Join(t.TempDir(), "api.hcl")
	src := `api "a" {
  region = "us-east-1"
  route "GET /x" {
    public = true
    reason = "test"
  }
  stage "prod" {}
  stage "dev" {}
}
`
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	tg, err := Load(p, load.Options{}, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := StageOf(tg.API, ""); got != "prod" {
		t.Errorf("default stage %q, want prod (the first described)", got)
	}
}

// An HTTP API exported by AWS (no stage described, a Lambda timeout spelled
// out as the default 30000 ms) on the embedded gateway: --stage naming a
// stage neither described nor live is refused unless --new-stage, which
// creates it; apply converges (the default timeout reads back as the
// default), and the now live stage is accepted without --new-stage.
func TestHTTPExportedDocumentOnTheEmbeddedGateway(t *testing.T) {
	ctx := context.Background()
	tg, err := Load(filepath.Join("..", "spec", "load", "testdata", "aws-httpapi", "authorizer-oauth2-and-openidconnect.json"), load.Options{}, "")
	if err != nil || tg.HTTPAPI == nil {
		t.Fatalf("%v %+v", err, tg)
	}
	s, err := Connect(ctx, Endpoint{Local: true, StateDir: t.TempDir()}, "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, _, err := PlanHTTP(ctx, s, tg.HTTPAPI, "$default", false, false); err == nil || !strings.Contains(err.Error(), "--new-stage") {
		t.Fatalf("undescribed stage without --new-stage: %v", err)
	}
	p, have, err := PlanHTTP(ctx, s, tg.HTTPAPI, "$default", false, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(tg.HTTPAPI.Stages) != 0 {
		t.Errorf("--new-stage changed the description's model: %d stages", len(tg.HTTPAPI.Stages))
	}
	if _, err := ApplyHTTP(ctx, s, p, have, nil); err != nil {
		t.Fatal(err)
	}
	again, _, err := PlanHTTP(ctx, s, tg.HTTPAPI, "$default", false, false)
	if err != nil || !again.Empty() {
		t.Fatalf("apply did not converge: %v %+v", err, again)
	}
}

// The same with --strategy import: the generated document is imported and
// the --new-stage stage created and deployed, and the plan is then empty.
func TestHTTPImportStrategyCreatesANewStage(t *testing.T) {
	ctx := context.Background()
	tg, err := Load(filepath.Join("..", "spec", "load", "testdata", "aws-httpapi", "authorizer-oauth2-and-openidconnect.json"), load.Options{}, "")
	if err != nil || tg.HTTPAPI == nil {
		t.Fatalf("%v %+v", err, tg)
	}
	s, err := Connect(ctx, Endpoint{Local: true, StateDir: t.TempDir()}, "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p, have, err := PlanHTTP(ctx, s, tg.HTTPAPI, "live", false, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, res, err := ApplyHTTPImport(ctx, s, tg.HTTPAPI, have, p, HTTPImportOptions{}); err != nil || res.DeploymentID == "" {
		t.Fatalf("import: %+v %v", res, err)
	}
	again, _, err := PlanHTTP(ctx, s, tg.HTTPAPI, "live", false, false)
	if err != nil || !again.Empty() {
		t.Fatalf("import did not converge: %v %+v", err, again)
	}
}

// A stage variable the description drops is removed from the live stage:
// UpdateStage merges variables (a variable set to "" is removed), so apply
// sends the dropped one as "", and the plan after it is empty.
func TestHTTPStageVariableRemoved(t *testing.T) {
	ctx := context.Background()
	tg, err := Load(filepath.Join("..", "examples", "http-api", "http-api.hcl"), load.Options{}, "")
	if err != nil || tg.HTTPAPI == nil {
		t.Fatalf("%v %+v", err, tg)
	}
	s, err := Connect(ctx, Endpoint{Local: true, StateDir: t.TempDir()}, "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	converge := func(api *spec.HTTPAPI) *state.HTTPAPI {
		t.Helper()
		p, have, err := PlanHTTP(ctx, s, api, "", false, false)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ApplyHTTP(ctx, s, p, have, nil); err != nil {
			t.Fatal(err)
		}
		again, have, err := PlanHTTP(ctx, s, api, "", false, false)
		if err != nil || !again.Empty() {
			t.Fatalf("apply did not converge: %v %+v", err, again)
		}
		return have
	}
	converge(tg.HTTPAPI)
	api := *tg.HTTPAPI
	st := *api.Stages[0]
	st.Variables = map[string]string{"region": "eu-west-1"}
	api.Stages = []*spec.HTTPStage{&st}
	have := converge(&api)
	if got := have.Stages[st.Name].Variables; len(got) != 1 || got["region"] != "eu-west-1" {
		t.Errorf("live stage variables %v, want only region", got)
	}
}
