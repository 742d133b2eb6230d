package serverless_test

import (
	"bytes"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
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
// public routes, the root path, escaping, several APIs, and HTTP APIs whose
// routes all proxy to HTTP backends (an existing one and a new one).
func TestFixtures(t *testing.T) {
	for _, name := range []string{"edge", "multi", "http-api-proxies"} {
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

// slsDoc is the part of a serverless.yml the HTTP API tests read.
type slsDoc struct {
	Provider struct {
		HTTPAPI map[string]any `yaml:"httpApi"`
	}
	Functions map[string]struct {
		Events []struct {
			HTTPAPI map[string]any `yaml:"httpApi"`
		}
	}
	Resources struct {
		Resources map[string]struct {
			Type       string         `yaml:"Type"`
			Properties map[string]any `yaml:"Properties"`
		} `yaml:"Resources"`
	}
}

func httpAPIDocs(t *testing.T, path string) map[string]slsDoc {
	t.Helper()
	d, ds := load.Load(path, load.Options{})
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	files, err := serverless.New().Generate(d, generators.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]slsDoc{}
	for _, f := range files {
		var doc slsDoc
		if err := yaml.Unmarshal(f.Content, &doc); err != nil {
			t.Fatal(err)
		}
		out[f.Path] = doc
	}
	return out
}

// TestHTTPProxyRoutesAreResources: an HTTP_PROXY route is an Integration
// and a Route in resources.Resources, on Serverless's HttpApi and with the
// authorizer Serverless compiles; no placeholder function carries it.
func TestHTTPProxyRoutesAreResources(t *testing.T) {
	doc := httpAPIDocs(t, filepath.Join("..", "..", "examples", "http-api", "http-api.hcl"))["serverless.yml"]
	if _, ok := doc.Functions["routes"]; ok || len(doc.Functions) != 1 {
		t.Errorf("functions %v, want only the described Lambda (no placeholder)", slices.Sorted(maps.Keys(doc.Functions)))
	}
	res := doc.Resources.Resources
	route, in := res["RoutePostItems"], res["IntegrationPostItems"]
	if route.Type != "AWS::ApiGatewayV2::Route" || route.Properties["RouteKey"] != "POST /items" || route.Properties["AuthorizationType"] != "JWT" ||
		fmt.Sprint(route.Properties["AuthorizerId"]) != "map[Ref:HttpApiAuthorizerCognito]" || fmt.Sprint(route.Properties["ApiId"]) != "map[Ref:HttpApi]" ||
		fmt.Sprint(route.Properties["AuthorizationScopes"]) != "[todo/write]" {
		t.Errorf("route POST /items: %+v", route)
	}
	if in.Type != "AWS::ApiGatewayV2::Integration" || in.Properties["IntegrationType"] != "HTTP_PROXY" ||
		in.Properties["IntegrationUri"] != "https://backend.example.com/items" || in.Properties["PayloadFormatVersion"] != "1.0" {
		t.Errorf("integration of POST /items: %+v", in)
	}
	if h := res["RouteGetHealth"]; h.Properties["AuthorizationType"] != "NONE" || h.Properties["AuthorizerId"] != nil {
		t.Errorf("the public route: %+v", h)
	}
}

// TestHTTPAPIWithoutFunctions: a new API with HTTP_PROXY routes only gets
// the API (with its CORS), the $default stage and the authorizers as
// resources, since Serverless compiles none of them without an event; an
// existing API gets its authorizers as resources on its id, since
// Serverless refuses authorizers for an API it does not own.
func TestHTTPAPIWithoutFunctions(t *testing.T) {
	docs := httpAPIDocs(t, filepath.Join(fixtures, "http-api-proxies.hcl"))
	shop := docs["storefront/serverless.yml"]
	res := shop.Resources.Resources
	if len(shop.Functions) != 0 || shop.Provider.HTTPAPI != nil {
		t.Errorf("functions %v, provider.httpApi %v: want neither", shop.Functions, shop.Provider.HTTPAPI)
	}
	if res["HttpApi"].Type != "AWS::ApiGatewayV2::Api" || res["HttpApi"].Properties["CorsConfiguration"] == nil ||
		res["HttpApiStage"].Properties["StageName"] != "$default" || res["HttpApiStage"].Properties["AutoDeploy"] != true ||
		res["PortcullisAuthorizerShoppers"].Type != "AWS::ApiGatewayV2::Authorizer" {
		t.Errorf("the API, stage and authorizer must be resources: %v", slices.Sorted(maps.Keys(res)))
	}
	if r := res["RouteDefault"]; r.Properties["RouteKey"] != "$default" || fmt.Sprint(r.Properties["AuthorizerId"]) != "map[Ref:PortcullisAuthorizerShoppers]" {
		t.Errorf("$default: %+v", r)
	}
	legacy := docs["legacy/serverless.yml"]
	if fmt.Sprint(legacy.Provider.HTTPAPI) != "map[id:a1b2c3d4e5]" {
		t.Errorf("provider.httpApi %v, want the id alone (Serverless refuses authorizers and cors with it)", legacy.Provider.HTTPAPI)
	}
	res = legacy.Resources.Resources
	if az := res["PortcullisAuthorizerPartnerLogin"]; az.Properties["ApiId"] != "a1b2c3d4e5" || az.Properties["AuthorizerType"] != "JWT" {
		t.Errorf("authorizer on the existing API: %+v", az)
	}
	if r := res["RouteAnyPartnerProxyVarGreedy"]; r.Properties["ApiId"] != "a1b2c3d4e5" ||
		fmt.Sprint(r.Properties["AuthorizerId"]) != "map[Ref:PortcullisAuthorizerPartnerLogin]" {
		t.Errorf("route on the existing API: %+v", r)
	}
}

// TestExistingHTTPAPIEvents: on an existing API a Lambda route's event names
// its authorizer by the resource (authorizer.id), and CORS is left to the
// API, as Serverless requires.
func TestExistingHTTPAPIEvents(t *testing.T) {
	d, ds := load.Load(filepath.Join("..", "..", "examples", "http-api", "http-api.hcl"), load.Options{})
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	d.HTTPAPIs[0].APIID = "abcdefghij"
	files, err := serverless.New().Generate(d, generators.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var doc slsDoc
	if err := yaml.Unmarshal(files[0].Content, &doc); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(doc.Provider.HTTPAPI) != "map[id:abcdefghij]" {
		t.Errorf("provider.httpApi %v", doc.Provider.HTTPAPI)
	}
	for _, e := range doc.Functions["todo-items"].Events {
		if az := fmt.Sprint(e.HTTPAPI["authorizer"]); !strings.HasPrefix(az, "map[id:map[Ref:PortcullisAuthorizerCognito]") {
			t.Errorf("%v %v: authorizer %s", e.HTTPAPI["method"], e.HTTPAPI["path"], az)
		}
	}
	if !strings.Contains(string(files[0].Content), "# The CORS configuration belongs to the existing API abcdefghij") {
		t.Error("the header must say where the CORS configuration went")
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
