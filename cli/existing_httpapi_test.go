package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/portcullis-dev/portcullis/emulator"
	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/registry"
	"github.com/portcullis-dev/portcullis/internal/peertest"
	"github.com/portcullis-dev/portcullis/spec/load"
	"github.com/portcullis-dev/portcullis/workflow"
)

// generate says, once for every target that cannot, that an existing HTTP
// API's CORS configuration is not in its output, at the cors block, and
// how to set it; the files are written all the same.
func TestGenerateExistingHTTPAPICORSWarning(t *testing.T) {
	_, errOut, code := runCLI(t, "generate", "../examples/existing-http-api", "--target", "all", "--out", t.TempDir())
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	const summary = "Warning: [existing-api-cors] CORS of an existing HTTP API is not in the cdk, cloudformation, serverless, terraform outputs"
	if n := strings.Count(errOut, "[existing-api-cors]"); n != 1 || !strings.Contains(errOut, summary) {
		t.Errorf("want one warning %q, got:\n%s", summary, errOut)
	}
	for _, want := range []string{"existing-http-api/api.hcl line 20", "portcullis apply", "aws apigatewayv2 update-api --api-id h1t2p3a4p5 --cors-configuration"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("warning lacks %q:\n%s", want, errOut)
		}
	}
}

// check-generators passes on an existing HTTP API with CORS: the outputs
// that cannot set it say so, and their missing CORS is reported as
// expected, with the reason, rather than as a difference.
func TestCheckGeneratorsExistingHTTPAPICORS(t *testing.T) {
	out, errOut, code := runCLI(t, "check-generators", "../examples/existing-http-api", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	var doc struct {
		OK      bool `json:"ok"`
		Reports []struct {
			Outputs []struct {
				Name string `json:"name"`
				APIs []struct {
					Differences []string `json:"differences"`
					Expected    []string `json:"expected"`
				} `json:"apis"`
			} `json:"outputs"`
		} `json:"reports"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if !doc.OK {
		t.Errorf("check-generators: not ok\n%s", out)
	}
	cannot := map[string]bool{"cloudformation": true, "cloudformation (json)": true, "terraform": true, "serverless (as written)": true}
	seen := 0
	for _, o := range doc.Reports[0].Outputs {
		for _, a := range o.APIs {
			got := strings.Join(a.Expected, "\n")
			switch {
			case cannot[o.Name]:
				seen++
				if len(a.Expected) != 1 || !strings.HasPrefix(got, "CORS none, want origins=[https://partners.example.com]") || !strings.Contains(got, "not in the "+strings.Fields(o.Name)[0]+" output") {
					t.Errorf("%s: expected %q", o.Name, got)
				}
			case len(a.Expected) > 0:
				t.Errorf("%s sets CORS, yet expects %q", o.Name, got)
			}
		}
	}
	if seen != len(cannot) {
		t.Errorf("%d outputs checked that cannot set CORS, want %d", seen, len(cannot))
	}
}

// The Terraform generated for an existing HTTP API, applied by the real
// Terraform and AWS provider to the local gateway where that API already
// has an auto-deploying $default stage and a "prod" stage without
// auto-deploy: it converges in one apply without touching $default (the
// old output created it again, and the apply failed with
// ConflictException), adopts prod and points it at the new deployment,
// and a second plan has nothing to do.
func TestExistingHTTPAPIGeneratedTerraform(t *testing.T) {
	tf, env := peertest.Terraform(t)
	state := t.TempDir()
	t.Setenv(workflow.EnvStateDir, state)
	url, stop, err := emulator.StartLocalIn(state, emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	ctx := context.Background()
	c := apigatewayv2.New(apigatewayv2.Options{Region: "us-west-2", BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	made, err := c.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("orders-http"), ProtocolType: types.ProtocolTypeHttp})
	if err != nil {
		t.Fatal(err)
	}
	id := made.ApiId
	if _, err := c.CreateStage(ctx, &apigatewayv2.CreateStageInput{ApiId: id, StageName: aws.String("$default"), AutoDeploy: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateStage(ctx, &apigatewayv2.CreateStageInput{ApiId: id, StageName: aws.String("prod")}); err != nil {
		t.Fatal(err)
	}

	d, ds := load.Load("../examples/existing-http-api", load.Options{})
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	d.HTTPAPIs[0].APIID = aws.ToString(id)
	g, _ := registry.Lookup("terraform")
	files, err := g.Generate(d, generators.Options{Source: "examples/existing-http-api"})
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	files = append(files, generators.File{Path: "provider.tf", Content: []byte(`provider "aws" {
  region                      = "us-west-2"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  endpoints {
    apigatewayv2 = "` + url + `"
  }
}
`)})
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(root, f.Path), f.Content, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	run := tfRunner(t, tf, env, root)
	run(0, "init", "-input=false", "-no-color")
	run(0, "validate", "-no-color")
	out := run(0, "apply", "-auto-approve", "-input=false", "-no-color")
	if !strings.Contains(out, "1 imported") {
		t.Errorf("prod must be imported, not created:\n%s", out)
	}
	run(0, "plan", "-detailed-exitcode", "-input=false", "-no-color")

	stages, err := c.GetStages(ctx, &apigatewayv2.GetStagesInput{ApiId: id})
	if err != nil {
		t.Fatal(err)
	}
	deps, err := c.GetDeployments(ctx, &apigatewayv2.GetDeploymentsInput{ApiId: id})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]types.Stage{}
	for _, s := range stages.Items {
		got[aws.ToString(s.StageName)] = s
	}
	if len(got) != 2 || !aws.ToBool(got["$default"].AutoDeploy) {
		t.Errorf("stages after apply: %v", got)
	}
	prod := aws.ToString(got["prod"].DeploymentId)
	found := false
	for _, dp := range deps.Items {
		found = found || aws.ToString(dp.DeploymentId) == prod
	}
	if prod == "" || !found {
		t.Errorf("prod serves deployment %q, not one of %d made", prod, len(deps.Items))
	}
	routes, err := c.GetRoutes(ctx, &apigatewayv2.GetRoutesInput{ApiId: id})
	if err != nil || len(routes.Items) != len(d.HTTPAPIs[0].Routes) {
		t.Errorf("routes after apply: %d, %v", len(routes.Items), err)
	}
}
