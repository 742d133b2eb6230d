package serverless_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/internal/gentest"
	"github.com/portcullis-dev/portcullis/generators/serverless"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/spec/load"
)

func TestGolden(t *testing.T) {
	gentest.Golden(t, serverless.New(), generators.Options{})
}

var fixtures = filepath.Join("..", "equivalence", "testdata", "descriptions")

// TestFixtures covers what the examples may not: several pools behind one
// authorizer (a shared CloudFormation authorizer), an existing API, IAM and
// public routes, the root path, escaping, and several APIs.
func TestFixtures(t *testing.T) {
	for _, name := range []string{"edge", "multi"} {
		t.Run(name, func(t *testing.T) {
			d, ds := load.Load(filepath.Join(fixtures, name+".hcl"), load.Options{})
			if ds.HasErrors() {
				t.Fatal(ds)
			}
			files, err := serverless.New().Generate(d, generators.Options{Source: name + ".hcl"})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range files {
				var v any
				if err := yaml.Unmarshal(f.Content, &v); err != nil {
					t.Errorf("%s does not parse: %v", f.Path, err)
				}
				golden(t, filepath.Join("testdata", "fixtures", name, f.Path), f.Content)
			}
		})
	}
}

func TestSharedAuthorizerAndExistingAPI(t *testing.T) {
	d, ds := load.Load(filepath.Join(fixtures, "edge.hcl"), load.Options{})
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	files, err := serverless.New().Generate(d, generators.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Params   map[string]map[string]string
		Provider struct {
			Stage      string
			APIGateway map[string]string `yaml:"apiGateway"`
		}
		Functions map[string]struct {
			Handler string
			Events  []struct {
				HTTP map[string]any `yaml:"http"`
			}
		}
		Resources struct {
			Resources map[string]struct {
				Type       string         `yaml:"Type"`
				Properties map[string]any `yaml:"Properties"`
			} `yaml:"Resources"`
		}
	}
	if err := yaml.Unmarshal(files[0].Content, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Params["default"]["restApiId"] != "a1b2c3d4e5" || doc.Provider.APIGateway["restApiId"] != "${param:restApiId}" ||
		doc.Provider.APIGateway["restApiRootResourceId"] != "${param:restApiRootResourceId}" {
		t.Errorf("existing API not wired through params: %+v %+v", doc.Params, doc.Provider.APIGateway)
	}
	az, ok := doc.Resources.Resources["PortcullisAuthorizerPartners"]
	if !ok || az.Type != "AWS::ApiGateway::Authorizer" || len(az.Properties["ProviderARNs"].([]any)) != 2 ||
		az.Properties["RestApiId"] != "${param:restApiId}" || az.Properties["AuthorizerResultTtlInSeconds"] != 0 {
		t.Errorf("shared authorizer: %+v", az)
	}
	found := map[string]map[string]any{}
	for _, f := range doc.Functions {
		for _, e := range f.Events {
			found[strings.ToUpper(e.HTTP["method"].(string))+" "+e.HTTP["path"].(string)] = e.HTTP
		}
	}
	if a, _ := found["GET partners/{partnerId}/orders"]["authorizer"].(map[string]any); a["authorizerId"] == nil || a["arn"] != nil {
		t.Errorf("several pools must reference the shared authorizer: %+v", a)
	}
	if a, _ := found["GET /"]; a == nil || a["authorizer"] != nil {
		t.Errorf("the public root route must have no authorizer: %+v", a)
	}
	if found["OPTIONS reports"]["cors"] != nil || found["GET reports"]["cors"] != nil {
		t.Error("a path with a written OPTIONS route must not get a generated preflight")
	}
	if doc.Functions["staff_items"].Handler != "handlers/staff_items.handler" {
		t.Errorf("Lambda routes are grouped by function: %+v", doc.Functions)
	}
	if doc.Provider.Stage != "live" {
		t.Errorf("stage %q", doc.Provider.Stage)
	}
}

func TestFormatsAndStages(t *testing.T) {
	d, ds := load.Load(filepath.Join(fixtures, "edge.hcl"), load.Options{})
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	if _, err := serverless.New().Generate(d, generators.Options{Format: "json"}); err == nil {
		t.Error("json is not offered")
	}
	if _, err := serverless.New().Generate(d, generators.Options{Stage: "nope"}); err == nil {
		t.Error("an unknown stage must be an error")
	}
}

var update = flag.Lookup("update")

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if update != nil && update.Value.String() == "true" {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs from the generated output (run go test -update and review the diff)", path)
	}
}

// TestVariableSyntaxIsFlagged: Serverless would resolve ${...} in a value
// from the description, so the header says which values hold one.
func TestVariableSyntaxIsFlagged(t *testing.T) {
	d := &spec.Description{APIs: []*spec.API{{
		Name: "v", Description: "costs ${price}",
		Routes:           []*spec.Route{{Method: "GET", Path: "/", AuthType: spec.AuthNone, Public: true}},
		GatewayResponses: []*spec.GatewayResponse{{Type: "DEFAULT_4XX", ResponseTemplates: map[string]string{"application/json": `{"m":"${oops}"}`}}},
	}}}
	files, err := serverless.New().Generate(d, generators.Options{})
	if err != nil {
		t.Fatal(err)
	}
	head := strings.SplitN(string(files[0].Content), "\nservice:", 2)[0]
	if !strings.Contains(head, `"costs ${price}"`) || !strings.Contains(head, `${oops}`) {
		t.Errorf("header does not flag the ${...} values:\n%s", head)
	}
}
