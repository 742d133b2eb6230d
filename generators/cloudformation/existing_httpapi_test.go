package cloudformation

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/internal/gentest"
	"github.com/portcullis-dev/portcullis/generators/internal/tree"
	"github.com/portcullis-dev/portcullis/spec"
)

func existingHTTPAPI(t *testing.T) *spec.HTTPAPI {
	t.Helper()
	for _, ex := range gentest.Examples(t) {
		if ex.Name == "existing-http-api" {
			return ex.Desc.HTTPAPIs[0]
		}
	}
	t.Fatal("no example existing-http-api")
	return nil
}

// httpResources lists "LogicalId Type [StageName]" for the template of a.
func httpResources(t *testing.T, a *spec.HTTPAPI, stage string) ([]string, map[string]any) {
	t.Helper()
	stages, err := HTTPStages(a, stage)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(tree.JSON(HTTPTemplate(a, stages, "x")), &m); err != nil {
		t.Fatal(err)
	}
	res := m["Resources"].(map[string]any)
	var out []string
	for id, r := range res {
		r := r.(map[string]any)
		typ := r["Type"].(string)
		if typ == "AWS::ApiGatewayV2::Stage" || typ == "AWS::ApiGatewayV2::Deployment" {
			p := r["Properties"].(map[string]any)
			s, _ := p["StageName"].(string)
			out = append(out, id+" "+typ+" "+s)
		}
	}
	sort.Strings(out)
	return out, res
}

// An existing HTTP API keeps its stages: the template creates none (a
// stage the API has would fail with ConflictException), points each
// described stage without auto-deploy at a new Deployment (StageName),
// retained with the stack gone, and deploys nothing when no stage is
// described. An API the template creates still gets its stages.
func TestExistingHTTPAPIStages(t *testing.T) {
	a := existingHTTPAPI(t)
	got, res := httpResources(t, a, "")
	dep := HTTPStageDeployment(a, "prod")
	if diff := cmp.Diff([]string{dep + " AWS::ApiGatewayV2::Deployment prod"}, got); diff != "" {
		t.Errorf("stages and deployments (-want +got):\n%s", diff)
	}
	d := res[dep].(map[string]any)
	if d["DeletionPolicy"] != "Retain" || d["UpdateReplacePolicy"] != "Retain" || len(d["DependsOn"].([]any)) != len(a.Routes) {
		t.Errorf("deployment of prod: %v", d)
	}
	if got, _ := httpResources(t, a, "$default"); len(got) != 0 {
		t.Errorf("the auto-deploying $default needs nothing, got %v", got)
	}
	a.Stages = nil
	if got, _ := httpResources(t, a, ""); len(got) != 0 {
		t.Errorf("no stage described: nothing to create or deploy, got %v", got)
	}
	a.APIID = ""
	if got, _ := httpResources(t, a, ""); !cmp.Equal(got, []string{"StageDefault AWS::ApiGatewayV2::Stage $default"}) {
		t.Errorf("a new API gets an auto-deploying $default stage, got %v", got)
	}
}

// The CORS configuration of an existing HTTP API is not in the template,
// and the generated file says so with a warning at the cors block that
// tells how to set it.
func TestExistingHTTPAPICORSWarning(t *testing.T) {
	a := existingHTTPAPI(t)
	d := &spec.Description{HTTPAPIs: []*spec.HTTPAPI{a}}
	files, err := New().Generate(d, generators.Options{Source: "examples/existing-http-api"})
	if err != nil {
		t.Fatal(err)
	}
	ws := files[0].Warnings
	if len(ws) != 1 || ws[0].Code != generators.CodeExistingAPICORS || ws[0].Severity != spec.SeverityWarning {
		t.Fatalf("warnings: %v", ws)
	}
	if r := ws[0].Range; r == nil || *r != a.CORS.Range || r.Start.Line != 20 || r.Start.Column != 3 {
		t.Errorf("warning at %v, want the cors block at line 20, column 3", r)
	}
	for _, want := range []string{"cloudformation output", "portcullis apply examples/existing-http-api",
		`aws apigatewayv2 update-api --api-id h1t2p3a4p5 --cors-configuration '{"AllowOrigins":["https://partners.example.com"],"AllowHeaders":["authorization"]}'`} {
		if !strings.Contains(ws[0].Summary+ws[0].Detail, want) {
			t.Errorf("warning lacks %q:\n%s\n%s", want, ws[0].Summary, ws[0].Detail)
		}
	}
	if strings.Contains(string(files[0].Content), "AWS::ApiGatewayV2::Api") {
		t.Error("an existing API is not created")
	}
	a.APIID = ""
	if files, _ := New().Generate(d, generators.Options{}); len(files[0].Warnings) != 0 {
		t.Errorf("a new API's CORS is in the template: no warning, got %v", files[0].Warnings)
	}
}
