package cdk_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/cdk"
	"github.com/portcullis-dev/portcullis/generators/internal/gentest"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/spec/load"
)

func TestGolden(t *testing.T) {
	gentest.Golden(t, cdk.New(), generators.Options{})
}

var fixtures = filepath.Join("..", "equivalence", "testdata", "descriptions")

// TestFixtures covers an existing API (imported, with its own deployment
// and stage), several pools, an audience check, IAM and public routes, the
// root path, escaping, several APIs (one stack each), and an existing HTTP
// API (imported, its routes bound to it).
func TestFixtures(t *testing.T) {
	for _, name := range []string{"edge", "multi", "http-api-proxies"} {
		t.Run(name, func(t *testing.T) {
			d, ds := load.Load(filepath.Join(fixtures, name+".hcl"), load.Options{})
			if ds.HasErrors() {
				t.Fatal(ds)
			}
			files, err := cdk.New().Generate(d, generators.Options{Source: name + ".hcl"})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range files {
				golden(t, filepath.Join("testdata", "fixtures", name, f.Path), f.Content)
			}
		})
	}
}

// TestStringsCannotEscape feeds names and values full of TypeScript syntax
// through the generator: every one must come out inside a string literal.
func TestStringsCannotEscape(t *testing.T) {
	evil := "x\"); process.exit(1); (\"`${1}`\n// */ \u2028"
	d := &spec.Description{APIs: []*spec.API{{
		Name: evil, Description: evil, Region: "us-east-1",
		Authorizers: []*spec.Authorizer{{Name: evil, Type: spec.AuthorizerCognito, IdentitySource: spec.DefaultIdentitySource,
			UserPoolARNs: []string{"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_X"}, ValidationExpression: evil, TTLSeconds: 300}},
		Routes: []*spec.Route{{Method: "GET", Path: "/a", AuthType: spec.AuthCognito, Authorizer: evil, Scopes: []string{evil}}},
		Stages: []*spec.Stage{{Name: "s", Description: evil, Variables: map[string]string{evil: evil}}},
	}}}
	files, err := cdk.New().Generate(d, generators.Options{Source: evil})
	if err != nil {
		t.Fatal(err)
	}
	literal := regexp.MustCompile(`"(?:[^"\\\n]|\\.)*"`)
	for _, f := range files {
		if strings.Contains(string(f.Content), "\u2028") {
			t.Errorf("%s: raw line separator in output", f.Path)
		}
		for i, line := range strings.Split(string(f.Content), "\n") {
			if trimmed := strings.TrimSpace(line); strings.HasPrefix(trimmed, "//") || strings.HasPrefix(trimmed, "/**") && strings.Count(line, "*/") == 1 && strings.HasSuffix(trimmed, "*/") {
				continue
			}
			if code := literal.ReplaceAllString(line, `""`); strings.Contains(code, "process.exit") || strings.Contains(code, "*/") {
				t.Errorf("%s:%d: a value escaped its string literal: %q", f.Path, i+1, line)
			}
		}
	}
}

// TestExistingHTTPAPI: an HTTP API with an api_id is imported, every route
// and authorizer binds to the imported API, its stages are its own, and its CORS
// configuration, which only the API's owner can set, is a comment rather
// than code or a refusal.
func TestExistingHTTPAPI(t *testing.T) {
	d, ds := load.Load(filepath.Join("..", "..", "examples", "http-api", "http-api.hcl"), load.Options{})
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	a := d.HTTPAPIs[0]
	a.APIID = "abcdefghij"
	files, err := cdk.New().Generate(d, generators.Options{})
	if err != nil {
		t.Fatalf("an existing HTTP API must be generated: %v", err)
	}
	src := string(files[0].Content)
	for _, want := range []string{
		`public readonly api: apigwv2.IHttpApi;`,
		`const api = apigwv2.HttpApi.fromHttpApiAttributes(this, "Api", { httpApiId: "abcdefghij" });`,
		`// CORS is a property of the existing API abcdefghij`,
		`//   allowOrigins ["https://app.example.com"]`,
		`// The existing API abcdefghij keeps its stages (none is created)`,
	} {
		if !strings.Contains(src, want) {
			t.Errorf("missing %q in\n%s", want, src)
		}
	}
	for _, bad := range []string{"new apigwv2.HttpApi(", "corsPreflight"} {
		if strings.Contains(src, bad) {
			t.Errorf("%q written for an existing API", bad)
		}
	}
	if got, want := strings.Count(src, "httpApi: api,"), len(a.Routes); got != want {
		t.Errorf("%d routes bound to the imported API, want %d", got, want)
	}
}

// An existing HTTP API keeps its stages: the construct creates none and
// points "prod", which serves a deployment, at a new retained one; the
// auto-deploying $default needs nothing. Its CORS is a warning on the file.
func TestExistingHTTPAPIStages(t *testing.T) {
	d, ds := load.Load(filepath.Join("..", "..", "examples", "existing-http-api"), load.Options{})
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	files, err := cdk.New().Generate(d, generators.Options{})
	if err != nil {
		t.Fatal(err)
	}
	src := string(files[0].Content)
	for _, want := range []string{
		`import { RemovalPolicy } from "aws-cdk-lib";`,
		`{ apiId: api.apiId, stageName: "prod" });`,
		`deploymentProd.applyRemovalPolicy(RemovalPolicy.RETAIN);`,
		`routes.forEach((r) => deploymentProd.node.addDependency(r));`,
	} {
		if !strings.Contains(src, want) {
			t.Errorf("missing %q in\n%s", want, src)
		}
	}
	if strings.Contains(src, "CfnStage") || strings.Contains(src, `stageName: "$default"`) {
		t.Errorf("a stage of the existing API is created:\n%s", src)
	}
	if ws := files[0].Warnings; len(ws) != 1 || ws[0].Code != generators.CodeExistingAPICORS {
		t.Errorf("warnings: %v", ws)
	}
}

func TestOnlyCognitoAuthorizers(t *testing.T) {
	d := &spec.Description{APIs: []*spec.API{{
		Name:        "lambda",
		Authorizers: []*spec.Authorizer{{Name: "fn", Type: spec.AuthorizerToken, IdentitySource: spec.DefaultIdentitySource}},
		Routes:      []*spec.Route{{Method: "GET", Path: "/a", AuthType: spec.AuthCustom, Authorizer: "fn"}},
	}}}
	if _, err := cdk.New().Generate(d, generators.Options{}); err == nil || !strings.Contains(err.Error(), "GET /a") {
		t.Errorf("a Lambda authorizer must be refused naming the route, got %v", err)
	}
	if _, err := cdk.New().Generate(d, generators.Options{Format: "json"}); err == nil {
		t.Error("json is not offered")
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
