package apply

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	v2types "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/portcullis-dev/portcullis/diff"
	"github.com/portcullis-dev/portcullis/emulator"
	"github.com/portcullis-dev/portcullis/live/livetest"
	"github.com/portcullis-dev/portcullis/plan"
)

// httpCreates are every non-idempotent create an HTTP API apply uses.
var httpCreates = []string{"CreateApi", "CreateAuthorizer", "CreateIntegration", "CreateRoute", "CreateStage", "CreateDeployment"}

// TestHTTPLostAnswersMakeNoDuplicates: with the SDK's retries on (as the
// CLI runs, 10 attempts) and the first answer of every create lost (the
// object made, the client told 500), apply makes exactly one of each,
// adopts what the lost calls made, and a re-run has nothing to do.
func TestHTTPLostAnswersMakeNoDuplicates(t *testing.T) {
	want := livetest.LoadHTTP(t, httpExample)
	// A stage that does not deploy itself, so apply makes a deployment.
	want.Stages[0].AutoDeploy = false
	var f emulator.Faults
	for _, op := range httpCreates {
		f.Inject = append(f.Inject, emulator.Injection{Operation: op, Nth: 1, Status: 500, After: true})
	}
	env := livetest.New(t, livetest.Options{MaxAttempts: 10, Emulator: emulator.Options{Faults: f}})
	_, res, err := convergeHTTP(t, env, want, diff.HTTPOptions{})
	if err != nil {
		t.Fatalf("apply with lost answers: %v", err)
	}
	// Each injection fired (one lost answer per create), and the object of
	// each was adopted rather than made again.
	lost := map[string]int{}
	for _, c := range env.E.Calls() {
		if c.Status == 500 {
			lost[c.Operation]++
		}
	}
	for _, op := range httpCreates {
		if lost[op] != 1 {
			t.Errorf("%s: %d lost answers, want 1", op, lost[op])
		}
	}
	if len(res.Recovered) != len(httpCreates) {
		t.Errorf("recovered %v, want one of each of %v", res.Recovered, httpCreates)
	}
	env.E.SetFaults(emulator.Faults{})
	if _, _, err := convergeHTTP(t, env, want, diff.HTTPOptions{}); err != nil {
		t.Fatal(err)
	}
	if p := plan.MakeHTTP(want, readHTTP(t, env, want), diff.HTTPOptions{}); !p.Empty() || p.Diagnostics.HasErrors() {
		t.Fatalf("not converged: %d changes, %v", len(p.Changes), p.Diagnostics)
	}

	ctx := context.Background()
	apis, err := env.HTTP.GetApis(ctx, &apigatewayv2.GetApisInput{})
	if err != nil || len(apis.Items) != 1 {
		t.Fatalf("%d HTTP APIs (%v), want 1", len(apis.Items), err)
	}
	id := apis.Items[0].ApiId
	azs, err := env.HTTP.GetAuthorizers(ctx, &apigatewayv2.GetAuthorizersInput{ApiId: id})
	if err != nil || len(azs.Items) != len(want.Authorizers) {
		t.Errorf("%d authorizers (%v), want %d", len(azs.Items), err, len(want.Authorizers))
	}
	routes, err := env.HTTP.GetRoutes(ctx, &apigatewayv2.GetRoutesInput{ApiId: id})
	if err != nil || len(routes.Items) != len(want.Routes) {
		t.Errorf("%d routes (%v), want %d", len(routes.Items), err, len(want.Routes))
	}
	// Every integration is used by a route: a duplicate made by a blind
	// retry would be left over.
	used := map[string]bool{}
	for _, r := range routes.Items {
		used[strings.TrimPrefix(aws.ToString(r.Target), "integrations/")] = true
	}
	its, err := env.HTTP.GetIntegrations(ctx, &apigatewayv2.GetIntegrationsInput{ApiId: id})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range its.Items {
		if !used[aws.ToString(it.IntegrationId)] {
			t.Errorf("integration %s (%s) is used by no route: a duplicate", aws.ToString(it.IntegrationId), aws.ToString(it.IntegrationUri))
		}
	}
	stages, err := env.HTTP.GetStages(ctx, &apigatewayv2.GetStagesInput{ApiId: id})
	if err != nil || len(stages.Items) != 1 {
		t.Errorf("%d stages (%v), want 1", len(stages.Items), err)
	}
	deps, err := env.HTTP.GetDeployments(ctx, &apigatewayv2.GetDeploymentsInput{ApiId: id})
	if err != nil || len(deps.Items) != 1 {
		t.Errorf("%d deployments (%v), want 1", len(deps.Items), err)
	}
	if open := unauthenticated(t, env, want, aws.ToString(id)); len(open) > 0 {
		t.Errorf("open without a token: %v", open)
	}
}

// TestHTTPDuplicateFoundHasAWayOut: HTTP API names are not unique. When
// someone else makes an API of the name while apply's CreateApi answer is
// lost, apply stops naming both and the command that keeps one; after it,
// apply converges.
func TestHTTPDuplicateFoundHasAWayOut(t *testing.T) {
	want := livetest.LoadHTTP(t, httpExample)
	env := livetest.New(t, livetest.Options{MaxAttempts: 10})
	p := plan.MakeHTTP(want, nil, diff.HTTPOptions{})
	ctx := context.Background()
	if _, err := env.HTTP.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String(want.Name), ProtocolType: v2types.ProtocolTypeHttp}); err != nil {
		t.Fatal(err)
	}
	env.E.SetFaults(emulator.Faults{Inject: []emulator.Injection{{Operation: "CreateApi", Nth: 1, Status: 500, After: true}}})
	_, err := HTTP(ctx, env.HTTP, p, nil, Options{})
	var dup *DuplicateError
	if !errors.As(err, &dup) || len(dup.IDs) != 2 {
		t.Fatalf("want a DuplicateError naming two HTTP APIs, got %v", err)
	}
	if !strings.Contains(err.Error(), "aws apigatewayv2 delete-api --api-id "+dup.IDs[1]) {
		t.Errorf("no way out in %q", err)
	}
	env.E.SetFaults(emulator.Faults{})
	if _, err := env.HTTP.DeleteApi(ctx, &apigatewayv2.DeleteApiInput{ApiId: &dup.IDs[1]}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := convergeHTTP(t, env, want, diff.HTTPOptions{}); err != nil {
		t.Fatal(err)
	}
	if p := plan.MakeHTTP(want, readHTTP(t, env, want), diff.HTTPOptions{}); !p.Empty() {
		t.Fatalf("not converged after the way out: %d changes", len(p.Changes))
	}
}

// TestHTTPLostAuthorizerNotAdoptedIfOthers: authorizer names are unique
// in an API, so a lost CreateAuthorizer may find one someone else made
// meanwhile, checking another issuer. apply does not point routes at it:
// it stops with a way out, and the next plan brings it in line.
func TestHTTPLostAuthorizerNotAdoptedIfOthers(t *testing.T) {
	want := livetest.LoadHTTP(t, httpExample)
	env := livetest.New(t, livetest.Options{MaxAttempts: 10})
	p := plan.MakeHTTP(want, nil, diff.HTTPOptions{})
	ctx := context.Background()
	// An apply stopped after the API (CreateAuthorizer refused); someone
	// else's authorizer of the same name, on another pool, appears.
	env.E.SetFaults(emulator.Faults{Inject: []emulator.Injection{{Operation: "CreateAuthorizer", Nth: 1, Status: 400}}})
	if _, err := HTTP(ctx, env.HTTP, p, nil, Options{}); err == nil {
		t.Fatal("apply went on past a refused CreateAuthorizer")
	}
	have := readHTTP(t, env, want)
	az := want.Authorizers[0]
	if _, err := env.HTTP.CreateAuthorizer(ctx, &apigatewayv2.CreateAuthorizerInput{ApiId: &have.APIID, Name: aws.String(az.Name),
		AuthorizerType: v2types.AuthorizerTypeJwt, IdentitySource: []string{"$request.header.Authorization"},
		JwtConfiguration: &v2types.JWTConfiguration{Issuer: aws.String("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other"), Audience: az.Audiences}}); err != nil {
		t.Fatal(err)
	}
	// The plan made before it still creates the authorizer; its answer is lost.
	p = plan.MakeHTTP(want, have, diff.HTTPOptions{})
	env.E.SetFaults(emulator.Faults{Inject: []emulator.Injection{{Operation: "CreateAuthorizer", Nth: 1, Status: 500, After: true}}})
	_, err := HTTP(ctx, env.HTTP, p, have, Options{})
	if err == nil || !strings.Contains(err.Error(), "does not check tokens as asked") || !strings.Contains(err.Error(), "aws apigatewayv2 delete-authorizer") {
		t.Fatalf("adopted someone else's authorizer: %v", err)
	}
	routes, _ := env.HTTP.GetRoutes(ctx, &apigatewayv2.GetRoutesInput{ApiId: &have.APIID})
	for _, rt := range routes.Items {
		if rt.AuthorizerId != nil && *rt.AuthorizerId != "" {
			t.Errorf("route %s points at an authorizer apply did not make", aws.ToString(rt.RouteKey))
		}
	}
	env.E.SetFaults(emulator.Faults{})
	if _, _, err := convergeHTTP(t, env, want, diff.HTTPOptions{}); err != nil {
		t.Fatal(err)
	}
	if p := plan.MakeHTTP(want, readHTTP(t, env, want), diff.HTTPOptions{}); !p.Empty() {
		t.Fatalf("not converged: %d changes", len(p.Changes))
	}
}
