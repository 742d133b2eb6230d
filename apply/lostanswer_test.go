package apply_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"

	"github.com/portcullis-dev/portcullis/apply"
	"github.com/portcullis-dev/portcullis/emulator"
	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/openapi"
	"github.com/portcullis-dev/portcullis/live/livetest"
	"github.com/portcullis-dev/portcullis/plan"
	"github.com/portcullis-dev/portcullis/spec"
)

// creates are every non-idempotent create apply uses.
var creates = []string{"CreateRestApi", "CreateAuthorizer", "CreateResource", "CreateDeployment"}

// lostAnswers makes the first call of each create succeed with its answer
// lost: the object is made, the client sees a 500.
func lostAnswers() emulator.Faults {
	var f emulator.Faults
	for _, op := range creates {
		f.Inject = append(f.Inject, emulator.Injection{Operation: op, Nth: 1, Status: 500, After: true})
	}
	return f
}

// TestLostAnswersMakeNoDuplicates: with the SDK's retries on (as the CLI
// runs, 10 attempts) and the first answer of every create lost, apply
// makes exactly one of each and a re-run has nothing to do.
func TestLostAnswersMakeNoDuplicates(t *testing.T) {
	want := livetest.Load(t, todo)
	env := livetest.New(t, livetest.Options{MaxAttempts: 10, Emulator: emulator.Options{Faults: lostAnswers()}})
	_, res, err := converge(t, env, want, plan.Options{})
	if err != nil {
		t.Fatalf("apply with lost answers: %v", err)
	}
	if len(res.Recovered) < len(creates) {
		t.Errorf("recovered %v, want one of each of %v", res.Recovered, creates)
	}
	env.E.SetFaults(emulator.Faults{})
	mustConverge(t, env, want)
	s := readState(t, env, want)
	if p := plan.Make(want, s, plan.Options{}); !p.Empty() || p.Diagnostics.HasErrors() {
		t.Fatalf("not converged: %d changes, %v", len(p.Changes), p.Diagnostics)
	}

	apis := must(env.Client.GetRestApis(ctx, &apigateway.GetRestApisInput{}))(t)
	if len(apis.Items) != 1 {
		t.Fatalf("%d REST APIs, want 1", len(apis.Items))
	}
	id := apis.Items[0].Id
	azs := must(env.Client.GetAuthorizers(ctx, &apigateway.GetAuthorizersInput{RestApiId: id}))(t)
	names := map[string]int{}
	for _, a := range azs.Items {
		names[aws.ToString(a.Name)]++
	}
	if len(names) != len(want.Authorizers) || len(azs.Items) != len(want.Authorizers) {
		t.Errorf("authorizers %v, want one each of %d", names, len(want.Authorizers))
	}
	rs := must(env.Client.GetResources(ctx, &apigateway.GetResourcesInput{RestApiId: id, Limit: aws.Int32(500)}))(t)
	paths := map[string]int{}
	for _, r := range rs.Items {
		paths[aws.ToString(r.Path)]++
		if paths[aws.ToString(r.Path)] > 1 {
			t.Errorf("resource %s twice", aws.ToString(r.Path))
		}
	}
	deps := must(env.Client.GetDeployments(ctx, &apigateway.GetDeploymentsInput{RestApiId: id}))(t)
	if len(deps.Items) != 1 {
		t.Errorf("%d deployments, want 1", len(deps.Items))
	}
}

// TestDuplicateFoundHasAWayOut: when the lost answer's authorizer has a
// twin made by someone else meanwhile, apply stops naming both and the
// command that keeps one; after it, apply converges.
func TestDuplicateFoundHasAWayOut(t *testing.T) {
	want := livetest.Load(t, todo)
	env := livetest.New(t, livetest.Options{MaxAttempts: 10})
	mustConverge(t, env, want)
	// The authorizer goes away (a teammate's cleanup), so the next plan
	// creates it again...
	s := readState(t, env, want)
	name := want.Authorizers[0].Name
	for _, m := range s.Resources {
		for verb, meth := range m.Methods {
			if a := s.AuthorizerByID(meth.AuthorizerID); a != nil && a.Name == name {
				must(env.Client.UpdateMethod(ctx, &apigateway.UpdateMethodInput{RestApiId: &s.RestAPIID, ResourceId: &m.ID, HttpMethod: aws.String(verb),
					PatchOperations: []types.PatchOperation{{Op: types.OpReplace, Path: aws.String("/authorizationType"), Value: aws.String("AWS_IAM")}}}))(t)
			}
		}
	}
	must(env.Client.DeleteAuthorizer(ctx, &apigateway.DeleteAuthorizerInput{RestApiId: &s.RestAPIID, AuthorizerId: aws.String(s.AuthorizerByName(name)[0].ID)}))(t)
	have := readState(t, env, want)
	p := plan.Make(want, have, plan.Options{})
	// ...while someone else makes one of that name, and apply's answer is lost.
	must(env.Client.CreateAuthorizer(ctx, &apigateway.CreateAuthorizerInput{RestApiId: &s.RestAPIID, Name: aws.String(name),
		Type: types.AuthorizerTypeCognitoUserPools, ProviderARNs: want.Authorizers[0].UserPoolARNs, IdentitySource: aws.String("method.request.header.Authorization")}))(t)
	env.E.SetFaults(emulator.Faults{Inject: []emulator.Injection{{Operation: "CreateAuthorizer", Nth: 1, Status: 500, After: true}}})
	_, err := apply.Apply(ctx, env.Client, p, apply.Options{})
	var dup *apply.DuplicateError
	if !errors.As(err, &dup) || len(dup.IDs) != 2 {
		t.Fatalf("want a DuplicateError naming two authorizers, got %v", err)
	}
	if !strings.Contains(err.Error(), "aws apigateway delete-authorizer --rest-api-id "+s.RestAPIID+" --authorizer-id "+dup.IDs[1]) {
		t.Errorf("no way out in %q", err)
	}
	env.E.SetFaults(emulator.Faults{})
	// The way out, then apply converges.
	must(env.Client.DeleteAuthorizer(ctx, &apigateway.DeleteAuthorizerInput{RestApiId: &s.RestAPIID, AuthorizerId: &dup.IDs[1]}))(t)
	mustConverge(t, env, want)
	if p := plan.Make(want, readState(t, env, want), plan.Options{}); !p.Empty() {
		t.Fatalf("not converged after the way out: %d changes", len(p.Changes))
	}
}

func must[T any](v T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// TestImportLostAnswerMakesOneAPI: the import strategy's CreateRestApi
// survives a lost answer as apply's does.
func TestImportLostAnswerMakesOneAPI(t *testing.T) {
	want := livetest.Load(t, todo)
	env := livetest.New(t, livetest.Options{MaxAttempts: 10, Emulator: emulator.Options{Faults: lostAnswers()}})
	files, err := openapi.New().Generate(&spec.Description{APIs: []*spec.API{want}}, generators.Options{Format: "json"})
	if err != nil {
		t.Fatal(err)
	}
	id, _, err := apply.Import(ctx, env.Client, want, nil, files[0].Content)
	if err != nil {
		t.Fatal(err)
	}
	apis := must(env.Client.GetRestApis(ctx, &apigateway.GetRestApisInput{}))(t)
	if len(apis.Items) != 1 || aws.ToString(apis.Items[0].Id) != id {
		t.Fatalf("%d REST APIs after a lost CreateRestApi answer, want 1 (%s)", len(apis.Items), id)
	}
}
