package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"

	"github.com/portcullis-dev/portcullis/emulator"
	"github.com/portcullis-dev/portcullis/generators/terraform"
	"github.com/portcullis-dev/portcullis/internal/peertest"
	"github.com/portcullis-dev/portcullis/live"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/spec/load"
	"github.com/portcullis-dev/portcullis/workflow"
)

// tfExample is one example's generated Terraform, as a module of one root
// configuration: one init, one apply, one plan and one destroy cover them
// all (the provider is a 600 MB binary; each command starts it).
type tfExample struct {
	module, path string
	// existing: the description adds to an API that already exists
	// (rest_api_id); the test creates one and passes its id.
	existing bool
	// portcullis: plan, drift and probe of the description run too (not
	// for the existing-API examples, whose rest_api_id is a placeholder).
	portcullis bool
	// probeExit is what probe must exit with: multipool describes an
	// OPTIONS route of its own without CORS headers, which the probe
	// rightly reports (PC-P006) wherever the API is deployed.
	probeExit int
}

var tfExamples = []tfExample{
	{"todo", "todo/todo.hcl", false, true, 0},
	{"proxy", "proxy/api.hcl", false, true, 0},
	{"id_tokens", "id-tokens/api.hcl", false, true, 0},
	{"multipool", "multipool/multipool.hcl", false, true, 1},
	{"swagger", "swagger/api.json", true, false, 0},
	{"existing", "existing-api/existing.hcl", true, false, 0},
}

// TestTerraformPeer applies the generated Terraform of every REST API
// example with the real terraform and AWS provider to the local gateway:
// it converges in one apply (plan -detailed-exitcode is 0 right after),
// Portcullis's plan, drift and probe are clean on the result, a changed
// scope redeploys the stage, and terraform destroy removes what apply made.
func TestTerraformPeer(t *testing.T) {
	tf, env := peertest.Terraform(t)
	state := t.TempDir()
	t.Setenv(workflow.EnvStateDir, state)
	endpoint, stop, err := emulator.StartLocalIn(state, emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	ctx := context.Background()
	client := func(region string) *apigateway.Client { return regionClient(t, endpoint, region) }
	root := t.TempDir()
	apis, regions := writeRoot(t, root, endpoint, tfExamples, func(region, name string) string {
		made, err := client(region).CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String(name + "-existing")})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(made.Id)
	})
	run := tfRunner(t, tf, env, root)
	run(0, "init", "-input=false", "-no-color")
	run(0, "apply", "-auto-approve", "-parallelism=20", "-input=false", "-no-color")
	run(0, "plan", "-detailed-exitcode", "-parallelism=20", "-input=false", "-no-color")

	for _, ex := range tfExamples {
		if !ex.portcullis {
			continue
		}
		p := example(ex.path)
		e := []string{"--endpoint-url", endpoint}
		wantCode(t, 0, append([]string{"plan", "--exit-code", p}, e...)...)
		wantCode(t, 0, append([]string{"drift", p}, e...)...)
		out, _ := wantCode(t, ex.probeExit, append([]string{"probe", p}, e...)...)
		if strings.Contains(out, "OPEN") || strings.Contains(out, "NOT DEPLOYED") || strings.Contains(out, "SCOPES IGNORED") {
			t.Errorf("probe of %s:\n%s", ex.path, out)
		}
	}

	// A changed scope, re-generated: terraform redeploys the stage, and the
	// stage serves it (Portcullis's plan reads what it serves).
	todo := apis["todo"]
	id, _, err := live.Find(ctx, client(todo.Region), live.Target{Name: todo.Name})
	if err != nil {
		t.Fatal(err)
	}
	before, err := client(todo.Region).GetStage(ctx, &apigateway.GetStageInput{RestApiId: aws.String(id), StageName: aws.String("prod")})
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(example("todo/todo.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	changed := filepath.Join(t.TempDir(), "todo.hcl")
	if err := os.WriteFile(changed, bytes.ReplaceAll(src, []byte(`"todo/read"`), []byte(`"todo/list"`)), 0o600); err != nil {
		t.Fatal(err)
	}
	d, ds := load.Load(changed, load.Options{})
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	writeModule(t, root, "todo", d.APIs[0], "todo/todo.hcl")
	// The state is fresh (the plan above refreshed it): skipping the
	// refresh halves the time of the two commands that follow.
	run(0, "apply", "-auto-approve", "-refresh=false", "-parallelism=20", "-input=false", "-no-color")
	after, err := client(todo.Region).GetStage(ctx, &apigateway.GetStageInput{RestApiId: aws.String(id), StageName: aws.String("prod")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(after.DeploymentId) == aws.ToString(before.DeploymentId) {
		t.Error("a changed scope did not redeploy the stage")
	}
	wantCode(t, 0, "plan", "--exit-code", changed, "--endpoint-url", endpoint)

	run(0, "destroy", "-auto-approve", "-refresh=false", "-parallelism=20", "-input=false", "-no-color")
	for r := range regions {
		list, err := client(r).GetRestApis(ctx, &apigateway.GetRestApisInput{})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range list.Items {
			if !strings.HasSuffix(aws.ToString(a.Name), "-existing") {
				t.Errorf("%s: API %s (%s) left after terraform destroy", r, aws.ToString(a.Name), aws.ToString(a.Id))
				continue
			}
			res, err := client(r).GetResources(ctx, &apigateway.GetResourcesInput{RestApiId: a.Id})
			if err != nil || len(res.Items) != 1 {
				t.Errorf("%s: existing API %s keeps %d resource(s) after destroy (%v)", r, aws.ToString(a.Id), len(res.Items), err)
			}
		}
	}
}

// TestTerraformMotoPeer: the same generated Terraform, applied with the
// real provider to moto, for the examples whose resources moto
// implements: one apply converges, and Portcullis's plan and drift are
// clean on the result (destroy is held on our gateway above).
func TestTerraformMotoPeer(t *testing.T) {
	tf, env := peertest.Terraform(t)
	moto := peertest.Moto(t)
	root := t.TempDir()
	var exs []tfExample
	for _, ex := range tfExamples {
		for _, m := range motoExamples {
			if ex.path == m.path {
				exs = append(exs, ex)
			}
		}
	}
	writeRoot(t, root, moto, exs, nil)
	run := tfRunner(t, tf, env, root)
	run(0, "init", "-input=false", "-no-color")
	run(0, "apply", "-auto-approve", "-parallelism=20", "-input=false", "-no-color")
	run(0, "plan", "-detailed-exitcode", "-parallelism=20", "-input=false", "-no-color")
	for _, ex := range exs {
		wantCode(t, 0, "plan", "--exit-code", example(ex.path), "--endpoint-url", moto)
		wantCode(t, 0, "drift", example(ex.path), "--endpoint-url", moto)
	}
}

func regionClient(t *testing.T, endpoint, region string) *apigateway.Client {
	t.Helper()
	off := live.DefaultLimits().Scaled(0)
	c, err := live.NewClient(context.Background(), live.Config{EndpointURL: endpoint, Local: true, Limits: &off, Region: region})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// writeRoot writes one root configuration with a provider per region (all
// at endpoint) and each example's generated Terraform as a module.
// existing makes the API an existing-API example adds to, and returns its id.
func writeRoot(t *testing.T, root, endpoint string, exs []tfExample, existing func(region, name string) string) (map[string]*spec.API, map[string]bool) {
	t.Helper()
	apis := map[string]*spec.API{}
	regions := map[string]bool{}
	var modules strings.Builder
	for _, ex := range exs {
		d, ds := load.Load(example(ex.path), load.Options{})
		if ds.HasErrors() || len(d.APIs) != 1 {
			t.Fatalf("%s: %v", ex.path, ds)
		}
		a := d.APIs[0]
		apis[ex.module] = a
		regions[a.Region] = true
		writeModule(t, root, ex.module, a, ex.path)
		fmt.Fprintf(&modules, "module %q {\n  source = \"./modules/%s\"\n  providers = { aws = aws.%s }\n", ex.module, ex.module, alias(a.Region))
		if ex.existing {
			fmt.Fprintf(&modules, "  %s_rest_api_id = %q\n", strings.ReplaceAll(a.Name, "-", "_"), existing(a.Region, a.Name))
		}
		modules.WriteString("}\n\n")
	}
	var providers strings.Builder
	for r := range regions {
		fmt.Fprintf(&providers, `provider "aws" {
  alias                       = %q
  region                      = %q
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  endpoints {
    apigateway = %q
  }
}

`, alias(r), r, endpoint)
	}
	if err := os.WriteFile(filepath.Join(root, "main.tf"), []byte(providers.String()+modules.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return apis, regions
}

// tfRunner runs terraform in root and fails the test on another exit code.
func tfRunner(t *testing.T, tf string, env []string, root string) func(wantExit int, args ...string) string {
	return func(wantExit int, args ...string) string {
		t.Helper()
		start := time.Now()
		cmd := exec.Command(tf, append([]string{"-chdir=" + root}, args...)...)
		cmd.Env = env
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		t.Logf("terraform %s: exit %d in %v", args[0], code, time.Since(start).Round(time.Second))
		if code != wantExit {
			t.Fatalf("terraform %s: exit %d, want %d\n%s", strings.Join(args, " "), code, wantExit, out.String())
		}
		return out.String()
	}
}

func alias(region string) string { return strings.ReplaceAll(region, "-", "_") }

func writeModule(t *testing.T, root, module string, a *spec.API, source string) {
	t.Helper()
	dir := filepath.Join(root, "modules", module)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), terraform.File(a, a.Stages, source), 0o600); err != nil {
		t.Fatal(err)
	}
}
