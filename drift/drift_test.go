package drift_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"

	"github.com/portcullis-dev/portcullis/apply"
	"github.com/portcullis-dev/portcullis/drift"
	"github.com/portcullis-dev/portcullis/internal/peertest"
	"github.com/portcullis-dev/portcullis/live"
	"github.com/portcullis-dev/portcullis/live/livetest"
	"github.com/portcullis-dev/portcullis/plan"
	"github.com/portcullis-dev/portcullis/spec"
)

var ctx = context.Background()

// awsCLI runs the real AWS CLI against the emulator.
func awsCLI(t *testing.T, env *livetest.Env, args ...string) string {
	t.Helper()
	peertest.Long(t)
	bin := "/usr/bin/aws"
	if _, err := os.Stat(bin); err != nil {
		peertest.Missing(t, "apt-get install -y awscli", err)
	}
	cmd := exec.Command(bin, append(args, "--endpoint-url", env.URL, "--region", "us-east-1", "--output", "json")...)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=secret", "AWS_PAGER=", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func converge(t *testing.T, env *livetest.Env, want *spec.API) {
	t.Helper()
	have, err := live.ReadFor(ctx, env.Client, want, live.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := apply.Apply(ctx, env.Client, plan.Make(want, have, plan.Options{}), apply.Options{}); err != nil {
		t.Fatal(err)
	}
}

func check(t *testing.T, env *livetest.Env, want *spec.API) spec.Diagnostics {
	t.Helper()
	env.E.ResetCalls()
	have, err := live.ReadFor(ctx, env.Client, want, live.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ds := drift.Check(want, have, "")
	if w := env.Writes(); w != 0 {
		t.Fatalf("drift made %d write calls", w)
	}
	return ds
}

func codes(ds spec.Diagnostics) map[string]int {
	out := map[string]int{}
	for _, d := range ds {
		out[d.Code]++
	}
	return out
}

// TestOutOfBandChangesWithAWSCLI changes the auth surface behind
// Portcullis's back with the real AWS CLI, and expects drift to report
// every change and apply to fix them all.
func TestOutOfBandChangesWithAWSCLI(t *testing.T) {
	env := livetest.New(t, livetest.Options{})
	want := livetest.Load(t, "../examples/todo/todo.hcl")
	converge(t, env, want)
	if ds := check(t, env, want); drift.Found(ds) {
		t.Fatalf("drift right after apply: %v", ds)
	}
	have, _ := live.ReadFor(ctx, env.Client, want, live.ReadOptions{})
	api := have.RestAPIID
	items, item := have.Resources["/items"].ID, have.Resources["/items/{id}"].ID
	authz := have.Authorizers[0].ID

	// With the AWS CLI: a method switched to NONE, a pool added to the
	// authorizer. With the SDK: scopes changed on another method, a new
	// authorizer, an open undescribed method.
	awsCLI(t, env, "apigateway", "update-method", "--rest-api-id", api, "--resource-id", items, "--http-method", "GET",
		"--patch-operations", "op=replace,path=/authorizationType,value=NONE")
	if _, err := env.Client.UpdateMethod(ctx, &apigateway.UpdateMethodInput{RestApiId: &api, ResourceId: &item, HttpMethod: aws.String("DELETE"),
		PatchOperations: []types.PatchOperation{{Op: types.OpAdd, Path: aws.String("/authorizationScopes"), Value: aws.String("todo/admin")},
			{Op: types.OpRemove, Path: aws.String("/authorizationScopes"), Value: aws.String("todo/write")}}}); err != nil {
		t.Fatal(err)
	}
	awsCLI(t, env, "apigateway", "update-authorizer", "--rest-api-id", api, "--authorizer-id", authz,
		"--patch-operations", "op=add,path=/providerARNs,value=arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Other")
	if _, err := env.Client.CreateAuthorizer(ctx, &apigateway.CreateAuthorizerInput{RestApiId: &api, Name: aws.String("sneaky"), Type: types.AuthorizerTypeCognitoUserPools,
		ProviderARNs: []string{"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Other"}, IdentitySource: aws.String("method.request.header.Authorization")}); err != nil {
		t.Fatal(err)
	}
	// (The CLI costs seconds per call: two changes go through it, the
	// rest through the SDK.)
	if _, err := env.Client.PutMethod(ctx, &apigateway.PutMethodInput{RestApiId: &api, ResourceId: &items, HttpMethod: aws.String("PUT"), AuthorizationType: aws.String("NONE")}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Client.PutIntegration(ctx, &apigateway.PutIntegrationInput{RestApiId: &api, ResourceId: &items, HttpMethod: aws.String("PUT"), Type: types.IntegrationTypeMock}); err != nil {
		t.Fatal(err)
	}

	ds := check(t, env, want)
	got := codes(ds)
	for _, code := range []string{drift.CodeMethodOpened, drift.CodeScopes, drift.CodeAuthorizerChanged, drift.CodeAuthorizerExtra, drift.CodeOpenUndescribed} {
		if got[code] == 0 {
			t.Errorf("drift did not report %s; got %v", code, ds)
		}
	}
	for _, d := range ds {
		if d.Code == drift.CodeMethodOpened && (d.Route != "GET /items" || d.Range == nil || d.Range.Start.Line == 0) {
			t.Errorf("open-method finding should point at the GET /items route in the description: %+v", d)
		}
	}

	// Deploying the tampered working configuration makes the stage serve
	// it; before that, drift also says the stage lags (undeployed).
	if got[drift.CodeUndeployed] == 0 {
		t.Errorf("changes made but not deployed were not reported: %v", got)
	}

	// apply fixes every managed difference; the undescribed PUT stays
	// (reported) until --prune.
	converge(t, env, want)
	got = codes(check(t, env, want))
	for _, code := range []string{drift.CodeMethodOpened, drift.CodeScopes, drift.CodeAuthorizerChanged, drift.CodeUndeployed} {
		if got[code] != 0 {
			t.Errorf("%s still reported after apply: %v", code, got)
		}
	}
	if got[drift.CodeOpenUndescribed] == 0 || got[drift.CodeAuthorizerExtra] == 0 {
		t.Errorf("undescribed elements should still be reported without --prune: %v", got)
	}

	// --prune deletes them.
	have, _ = live.ReadFor(ctx, env.Client, want, live.ReadOptions{})
	p := plan.Make(want, have, plan.Options{Prune: true})
	if p.Summary.Destroy != 2 {
		t.Fatalf("prune plan should delete the PUT method and the sneaky authorizer: %+v", p.Changes)
	}
	if _, err := apply.Apply(ctx, env.Client, p, apply.Options{}); err != nil {
		t.Fatal(err)
	}
	if ds := check(t, env, want); drift.Found(ds) {
		t.Fatalf("drift after prune: %v", ds)
	}
}

// TestUndeployedChange: a change made and not deployed is drift even
// when the working configuration matches the description again... and a
// deploy clears it.
func TestUndeployedChange(t *testing.T) {
	env := livetest.New(t, livetest.Options{})
	want := livetest.Load(t, "../examples/todo/todo.hcl")
	converge(t, env, want)
	have, _ := live.ReadFor(ctx, env.Client, want, live.ReadOptions{})
	setAuth := func(v string) {
		if _, err := env.Client.UpdateMethod(ctx, &apigateway.UpdateMethodInput{RestApiId: &have.RestAPIID, ResourceId: aws.String(have.Resources["/items"].ID),
			HttpMethod: aws.String("GET"), PatchOperations: []types.PatchOperation{{Op: types.OpReplace, Path: aws.String("/authorizationType"), Value: aws.String(v)}}}); err != nil {
			t.Fatal(err)
		}
	}
	setAuth("NONE")
	if _, err := env.Client.CreateDeployment(ctx, &apigateway.CreateDeploymentInput{RestApiId: &have.RestAPIID, StageName: aws.String("prod")}); err != nil {
		t.Fatal(err)
	}
	setAuth("COGNITO_USER_POOLS")
	// The working configuration matches again, but the stage serves the
	// open method.
	ds := check(t, env, want)
	if got := codes(ds); got[drift.CodeUndeployed] != 1 || got[drift.CodeMethodOpened] != 0 {
		t.Fatalf("want exactly the undeployed finding, got %v", ds)
	}
	if !strings.Contains(ds[0].Detail, "GET /items: NONE -> COGNITO_USER_POOLS") {
		t.Errorf("detail should name the method and both auth types: %s", ds[0].Detail)
	}
	// The next apply deploys (one deployment), and drift is clean.
	env.E.ResetCalls()
	converge(t, env, want)
	if n := env.Count("CreateDeployment"); n != 1 {
		t.Fatalf("apply should redeploy the stale stage once, made %d deployments", n)
	}
	if ds := check(t, env, want); drift.Found(ds) {
		t.Fatalf("drift after redeploy: %v", ds)
	}
}

// TestUndeployedScopeChange: the deployment's apisummary only has
// authorization types; a scope change is caught through the stage export.
func TestUndeployedScopeChange(t *testing.T) {
	env := livetest.New(t, livetest.Options{})
	want := livetest.Load(t, "../examples/todo/todo.hcl")
	converge(t, env, want)
	have, _ := live.ReadFor(ctx, env.Client, want, live.ReadOptions{})
	scopes := func(op types.Op, v string) {
		if _, err := env.Client.UpdateMethod(ctx, &apigateway.UpdateMethodInput{RestApiId: &have.RestAPIID, ResourceId: aws.String(have.Resources["/items"].ID),
			HttpMethod: aws.String("GET"), PatchOperations: []types.PatchOperation{{Op: op, Path: aws.String("/authorizationScopes"), Value: aws.String(v)}}}); err != nil {
			t.Fatal(err)
		}
	}
	scopes(types.OpAdd, "todo/admin")
	if _, err := env.Client.CreateDeployment(ctx, &apigateway.CreateDeploymentInput{RestApiId: &have.RestAPIID, StageName: aws.String("prod")}); err != nil {
		t.Fatal(err)
	}
	scopes(types.OpRemove, "todo/admin")
	ds := check(t, env, want)
	if got := codes(ds); got[drift.CodeUndeployed] != 1 || got[drift.CodeScopes] != 0 {
		t.Fatalf("want exactly the undeployed finding (from the export), got %v", ds)
	}
	if !strings.Contains(ds[0].Detail, "todo/admin") {
		t.Errorf("detail should show the deployed scopes: %s", ds[0].Detail)
	}
}
