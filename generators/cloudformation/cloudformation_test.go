package cloudformation

import (
	"encoding/json"
	"testing"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/internal/gentest"
	"github.com/portcullis-dev/portcullis/generators/internal/tree"
	"github.com/portcullis-dev/portcullis/spec"
)

func TestGolden(t *testing.T) {
	gentest.Golden(t, New(), generators.Options{})
	gentest.Golden(t, New(), generators.Options{Format: "json"})
}

func load(t *testing.T, name string) *spec.API {
	t.Helper()
	for _, ex := range gentest.Examples(t) {
		if ex.Name == name {
			return ex.Desc.APIs[0]
		}
	}
	t.Fatalf("no example %s", name)
	return nil
}

func resources(t *testing.T, a *spec.API) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(tree.JSON(Template(a, a.Stages, "x")), &m); err != nil {
		t.Fatal(err)
	}
	return m["Resources"].(map[string]any)
}

func deploymentID(t *testing.T, res map[string]any) string {
	t.Helper()
	for id, r := range res {
		if r.(map[string]any)["Type"] == "AWS::ApiGateway::Deployment" {
			return id
		}
	}
	t.Fatal("no deployment")
	return ""
}

// TestDeploymentFollowsAuth: a changed scope gives the Deployment a new
// logical ID (so CloudFormation creates a new deployment and the stage
// points at it), and the deployment depends on every method.
func TestDeploymentFollowsAuth(t *testing.T) {
	a := load(t, "todo")
	res := resources(t, a)
	before := deploymentID(t, res)
	deps := res[before].(map[string]any)["DependsOn"].([]any)
	methods := 0
	for id, r := range res {
		if r.(map[string]any)["Type"] == "AWS::ApiGateway::Method" {
			methods++
			found := false
			for _, d := range deps {
				found = found || d == id
			}
			if !found {
				t.Errorf("deployment does not depend on %s", id)
			}
		}
	}
	if methods != 8 { // 5 routes + 3 preflights
		t.Errorf("%d methods, want 8", methods)
	}
	stage := res["StageProd"].(map[string]any)["Properties"].(map[string]any)
	if stage["DeploymentId"].(map[string]any)["Ref"] != before {
		t.Errorf("stage does not use the deployment: %v", stage)
	}
	a.Route("GET", "/items").Scopes = []string{"todo/admin"}
	if after := deploymentID(t, resources(t, a)); after == before {
		t.Error("changing a scope kept the deployment's logical ID")
	}
}

func TestExistingAPIIsAParameter(t *testing.T) {
	a := load(t, "existing-api")
	var m map[string]any
	if err := json.Unmarshal(tree.JSON(Template(a, a.Stages, "x")), &m); err != nil {
		t.Fatal(err)
	}
	params := m["Parameters"].(map[string]any)
	if params["RestApiId"].(map[string]any)["Default"] != "a1b2c3d4e5" || params["RootResourceId"] == nil {
		t.Errorf("parameters: %v", params)
	}
	res := m["Resources"].(map[string]any)
	if _, ok := res["RestApi"]; ok {
		t.Error("an existing API must not be created")
	}
	root := res["MethodRootGet"].(map[string]any)["Properties"].(map[string]any)
	if root["ResourceId"].(map[string]any)["Ref"] != "RootResourceId" {
		t.Errorf("GET / must sit on the root parameter: %v", root["ResourceId"])
	}
}
