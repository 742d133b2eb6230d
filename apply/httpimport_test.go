package apply

import (
	"context"
	"io"
	"maps"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"

	"github.com/portcullis-dev/portcullis/diff"
	"github.com/portcullis-dev/portcullis/emulator"
	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/openapi"
	"github.com/portcullis-dev/portcullis/live/livetest"
	"github.com/portcullis-dev/portcullis/plan"
	"github.com/portcullis-dev/portcullis/spec"
)

func httpDocument(t testing.TB, want *spec.HTTPAPI) []byte {
	t.Helper()
	files, err := openapi.New().Generate(&spec.Description{HTTPAPIs: []*spec.HTTPAPI{want}}, generators.Options{Format: "json"})
	if err != nil || len(files) != 1 {
		t.Fatalf("generating the OpenAPI document: %v", err)
	}
	return files[0].Content
}

// publicHTTPCopy is want with every route open: the API as most teams
// have it before they lock it.
func publicHTTPCopy(want *spec.HTTPAPI) *spec.HTTPAPI {
	c := *want
	c.Routes = nil
	for _, r := range want.Routes {
		o := *r
		o.AuthType, o.Authorizer, o.Scopes, o.Public = spec.AuthNone, "", nil, true
		c.Routes = append(c.Routes, &o)
	}
	return &c
}

// manualExample is the example with a stage that does not auto-deploy.
func manualExample(t *testing.T) *spec.HTTPAPI {
	want := livetest.LoadHTTP(t, httpExample)
	want.Stages[0].AutoDeploy = false
	return want
}

// convergedManual is manualExample applied to a new gateway.
func convergedManual(t *testing.T) (*spec.HTTPAPI, *livetest.Env) {
	want := manualExample(t)
	env := livetest.New(t, livetest.Options{})
	if _, _, err := convergeHTTP(t, env, want, diff.HTTPOptions{}); err != nil {
		t.Fatal(err)
	}
	return want, env
}

// importThenFinish is the import strategy as workflow runs it.
func importThenFinish(t testing.TB, env *livetest.Env, want *spec.HTTPAPI, prune bool) (int, *plan.HTTPPlan, HTTPResult, error) {
	t.Helper()
	have := readHTTP(t.(*testing.T), env, want)
	got, calls, err := ImportHTTP(context.Background(), env.HTTP, want, have, httpDocument(t, want), "us-east-1", "$default")
	if err != nil {
		return calls, nil, HTTPResult{}, err
	}
	p, res, err := HTTPAfterImport(context.Background(), env.HTTP, want, got, "$default", prune, Options{})
	return calls, p, res, err
}

// TestHTTPImportStrategy: the generated OpenAPI locks an API whose routes
// are all open with one ReimportApi and no other route or authorizer
// call; the auto-deploying stage serves it at once, and the plan after is
// empty. From nothing, ImportApi creates the API and the stage follows.
func TestHTTPImportStrategy(t *testing.T) {
	want := livetest.LoadHTTP(t, httpExample)
	env := livetest.New(t, livetest.Options{})
	if _, _, err := convergeHTTP(t, env, publicHTTPCopy(want), diff.HTTPOptions{}); err != nil {
		t.Fatal(err)
	}
	have := readHTTP(t, env, want)
	env.E.ResetCalls()
	calls, p, res, err := importThenFinish(t, env, want, false)
	if err != nil {
		t.Fatal(err)
	}
	if calls != 1 || env.Count("ReimportApi") != 1 || len(p.Changes) != 0 || res.Calls != 0 {
		t.Fatalf("want exactly one ReimportApi and nothing after: %d import call(s), then %+v", calls, p.Changes)
	}
	for _, op := range []string{"CreateRoute", "UpdateRoute", "CreateAuthorizer", "CreateDeployment"} {
		if n := env.Count(op); n != 0 {
			t.Errorf("%d %s beside the import", n, op)
		}
	}
	if open := unauthenticated(t, env, want, have.APIID); len(open) > 0 {
		t.Fatalf("served without a token after the import: %v", open)
	}
	if p := plan.MakeHTTP(want, readHTTP(t, env, want), diff.HTTPOptions{}); !p.Empty() {
		t.Fatalf("not converged: %+v", p.Changes)
	}

	fresh := livetest.New(t, livetest.Options{})
	calls, p, _, err = importThenFinish(t, fresh, want, false)
	if err != nil {
		t.Fatal(err)
	}
	if calls != 1 || fresh.Count("ImportApi") != 1 || len(p.Changes) != 1 || p.Changes[0].Kind != diff.KindHTTPStage {
		t.Fatalf("from nothing: %d import call(s), then %+v", calls, p.Changes)
	}
	got := readHTTP(t, fresh, want)
	if open := unauthenticated(t, fresh, want, got.APIID); len(open) > 0 {
		t.Fatalf("served without a token: %v", open)
	}
	if p := plan.MakeHTTP(want, got, diff.HTTPOptions{}); !p.Empty() {
		t.Fatalf("not converged from nothing: %+v", p.Changes)
	}
}

// TestHTTPImportManualStageDeploysOnce: on a stage without auto-deploy the
// import is not served until the one CreateDeployment after it, even when
// what changed (an integration) leaves the auth surface as it was.
func TestHTTPImportManualStageDeploysOnce(t *testing.T) {
	_, env := convergedManual(t)
	changed := manualExample(t)
	changed.Route("GET /health").Integration.URI = "https://backend.example.com/healthz"
	env.E.ResetCalls()
	_, p, res, err := importThenFinish(t, env, changed, false)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Deploys() || res.DeploymentID == "" || env.Count("CreateDeployment") != 1 || env.Count("ReimportApi") != 1 {
		t.Fatalf("want one ReimportApi and one CreateDeployment: %+v %+v", p.Changes, res)
	}
	if p := plan.MakeHTTP(changed, readHTTP(t, env, changed), diff.HTTPOptions{}); !p.Empty() {
		t.Fatalf("not converged: %+v", p.Changes)
	}
}

// TestHTTPImportVerifies: a document that leaves a route without its
// security is imported as written by the gateway, and the verification
// after it says which route, so the strategy deploys nothing.
func TestHTTPImportVerifies(t *testing.T) {
	want, env := convergedManual(t)
	// GET /items loses its security requirement.
	body := string(httpDocument(t, want))
	i := strings.Index(body, `"/items": {`)
	i += strings.Index(body[i:], `"security": [`)
	j := i + strings.Index(body[i:], "],") + 2
	have := readHTTP(t, env, want)
	env.E.ResetCalls()
	_, _, err := ImportHTTP(context.Background(), env.HTTP, want, have, []byte(body[:i]+body[j:]), "us-east-1", "$default")
	if err == nil || !strings.Contains(err.Error(), "has NONE, want JWT cognito") || !strings.Contains(err.Error(), "nothing was deployed") {
		t.Fatalf("want the verification to name the open route, got %v", err)
	}
	if env.Count("CreateDeployment") != 0 {
		t.Fatal("deployed after a failed verification")
	}
	if problems := VerifyHTTP(want, have, "$default"); len(problems) != 0 {
		t.Fatalf("verify of the converged API: %v", problems)
	}
}

// TestHTTPImportFailureChangesNothing: a refused ReimportApi (an injected
// failure, or a warning with failOnWarnings) leaves the API as it was,
// every protected route protected, and a re-run converges.
func TestHTTPImportFailureChangesNothing(t *testing.T) {
	before := livetest.LoadHTTP(t, httpExample)
	after := switchedAuthorizer(t)
	env := livetest.New(t, livetest.Options{})
	if _, _, err := convergeHTTP(t, env, before, diff.HTTPOptions{}); err != nil {
		t.Fatal(err)
	}
	id := readHTTP(t, env, before).APIID
	env.E.SetFaults(emulator.Faults{Inject: []emulator.Injection{{Operation: "ReimportApi", Nth: 1, Status: 400}}})
	if _, _, _, err := importThenFinish(t, env, after, true); err == nil || !strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("injected failure: %v", err)
	}
	env.E.SetFaults(emulator.Faults{})
	if p := plan.MakeHTTP(before, readHTTP(t, env, before), diff.HTTPOptions{}); !p.Empty() {
		t.Fatalf("a failed import changed the API: %+v", p.Changes)
	}
	if open := unauthenticated(t, env, before, id); len(open) > 0 {
		t.Fatalf("open after a failed import: %v", open)
	}
	// A REST-only integration type is a warning: refused as a whole.
	have := readHTTP(t, env, before)
	body := strings.Replace(string(httpDocument(t, after)), `"type": "aws_proxy"`, `"type": "aws"`, 1)
	if _, _, err := ImportHTTP(context.Background(), env.HTTP, after, have, []byte(body), "us-east-1", "$default"); err == nil || !strings.Contains(err.Error(), "Warnings found during import") {
		t.Fatalf("a warning with failOnWarnings: %v", err)
	}
	if p := plan.MakeHTTP(before, readHTTP(t, env, before), diff.HTTPOptions{}); !p.Empty() {
		t.Fatalf("a refused import changed the API: %+v", p.Changes)
	}
	if _, _, _, err := importThenFinish(t, env, after, true); err != nil {
		t.Fatalf("re-run: %v", err)
	}
	if p := plan.MakeHTTP(after, readHTTP(t, env, after), diff.HTTPOptions{Prune: true}); !p.Empty() {
		t.Fatalf("re-run did not converge: %+v", p.Changes)
	}
}

// switchedAuthorizer is the example moved to another authorizer (another
// pool), with a route added: the change TestHTTPSwitchAuthorizerAtEveryCall
// makes call by call.
func switchedAuthorizer(t *testing.T) *spec.HTTPAPI {
	after := livetest.LoadHTTP(t, httpExample)
	users := *after.Authorizers[0]
	users.Name, users.Issuer = "users", spec.CognitoIssuer("us-east-1_Users")
	after.Authorizers = []*spec.JWTAuthorizer{&users}
	for _, r := range after.Routes {
		if r.Authorizer != "" {
			r.Authorizer = "users"
		}
	}
	extra := *after.Route("GET /items")
	extra.Key, extra.Path = "GET /items/{id}/notes", "/items/{id}/notes"
	after.Routes = append(after.Routes, &extra)
	after.Sort()
	return after
}

// TestHTTPImportOpenWindow measures what the patch strategy's every-call
// test proves call by call: requests without a token sent to every
// protected route of an auto-deploying stage, as fast as they go, for the
// whole time the import strategy moves the API to another authorizer and
// back (ReimportApi replaces routes, integrations and authorizers in one
// call, so the stage goes from one configuration to the next with
// nothing in between). Every answer must be 401 (or 404 for the route not
// there yet); the count of others is the open window, and it must be 0.
func TestHTTPImportOpenWindow(t *testing.T) {
	before := livetest.LoadHTTP(t, httpExample)
	after := switchedAuthorizer(t)
	env := livetest.New(t, livetest.Options{})
	if _, _, err := convergeHTTP(t, env, before, diff.HTTPOptions{}); err != nil {
		t.Fatal(err)
	}
	id := readHTTP(t, env, before).APIID
	var sent, open atomic.Int64
	var openSeen sync.Map
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, r := range after.Routes {
		if r.AuthType != spec.AuthJWT {
			continue
		}
		wg.Add(1)
		go func(r *spec.HTTPRoute) {
			defer wg.Done()
			url := env.URL + "/restapis/" + id + "/$default/_user_request_" + strings.NewReplacer("{id}", "42").Replace(r.Path)
			for {
				select {
				case <-stop:
					return
				default:
				}
				req, _ := http.NewRequest(r.Method, url, nil)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				sent.Add(1)
				if resp.StatusCode != 401 && resp.StatusCode != 404 {
					open.Add(1)
					openSeen.Store(r.Key, resp.StatusCode)
				}
			}
		}(r)
	}
	rounds := 10
	for i := range rounds {
		want := after
		if i%2 == 1 {
			want = before
		}
		if _, _, _, err := importThenFinish(t, env, want, true); err != nil {
			close(stop)
			wg.Wait()
			t.Fatalf("round %d: %v", i, err)
		}
	}
	close(stop)
	wg.Wait()
	t.Logf("%d imports, %d requests without a token to protected routes, %d not refused", rounds, sent.Load(), open.Load())
	if open.Load() != 0 {
		openSeen.Range(func(k, v any) bool { t.Errorf("%v answered %v without a token", k, v); return true })
	}
	if sent.Load() < int64(rounds) {
		t.Fatalf("only %d requests were sent during the imports", sent.Load())
	}
}

// TestHTTPImportLostAnswer: an ImportApi whose answer is lost after it
// took effect is not sent again (that would make a second API): the API is
// found by name and adopted. A lost ReimportApi answer says the import may
// have happened, and a re-run converges.
func TestHTTPImportLostAnswer(t *testing.T) {
	want := livetest.LoadHTTP(t, httpExample)
	env := livetest.New(t, livetest.Options{})
	env.E.SetFaults(emulator.Faults{Inject: []emulator.Injection{{Operation: "ImportApi", Nth: 1, Status: 500, After: true}}})
	if _, _, _, err := importThenFinish(t, env, want, false); err != nil {
		t.Fatalf("lost ImportApi answer: %v", err)
	}
	env.E.SetFaults(emulator.Faults{})
	sent := 0
	for _, c := range env.E.Calls() {
		if c.Operation == "ImportApi" {
			sent++
		}
	}
	apis, err := env.HTTP.GetApis(context.Background(), &apigatewayv2.GetApisInput{})
	if err != nil || sent != 1 || len(apis.Items) != 1 {
		t.Fatalf("ImportApi sent %d time(s), %d API(s) (%v): want one of each", sent, len(apis.Items), err)
	}
	if p := plan.MakeHTTP(want, readHTTP(t, env, want), diff.HTTPOptions{}); !p.Empty() {
		t.Fatalf("not converged: %+v", p.Changes)
	}
	changed := switchedAuthorizer(t)
	env.E.SetFaults(emulator.Faults{Inject: []emulator.Injection{{Operation: "ReimportApi", Nth: 1, Status: 500, After: true}}})
	if _, _, _, err := importThenFinish(t, env, changed, true); err == nil || !strings.Contains(err.Error(), "may have been imported") {
		t.Fatalf("lost ReimportApi answer: %v", err)
	}
	env.E.SetFaults(emulator.Faults{})
	if _, _, _, err := importThenFinish(t, env, changed, true); err != nil {
		t.Fatalf("re-run: %v", err)
	}
	if p := plan.MakeHTTP(changed, readHTTP(t, env, changed), diff.HTTPOptions{Prune: true}); !p.Empty() {
		t.Fatalf("re-run did not converge: %+v", p.Changes)
	}
}

// TestHTTPParameterMappingKept: a live integration's parameter mapping,
// which no description carries, survives an apply that updates the
// integration (UpdateIntegration leaves fields it is not sent alone), and
// the import strategy, whose ReimportApi would remove it, refuses before
// any call.
func TestHTTPParameterMappingKept(t *testing.T) {
	want := livetest.LoadHTTP(t, httpExample)
	env := livetest.New(t, livetest.Options{})
	if _, _, err := convergeHTTP(t, env, want, diff.HTTPOptions{}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	have := readHTTP(t, env, want)
	var id string
	for k := range have.Integrations {
		id = k
		break
	}
	mapping := map[string]string{"append:header.x-from-gateway": "yes"}
	if _, err := env.HTTP.UpdateIntegration(ctx, &apigatewayv2.UpdateIntegrationInput{ApiId: aws.String(have.APIID), IntegrationId: aws.String(id), RequestParameters: mapping}); err != nil {
		t.Fatal(err)
	}
	mapped := func() map[string]string {
		out, err := env.HTTP.GetIntegration(ctx, &apigatewayv2.GetIntegrationInput{ApiId: aws.String(have.APIID), IntegrationId: aws.String(id)})
		if err != nil {
			t.Fatal(err)
		}
		return out.RequestParameters
	}
	// A changed timeout on every integration: each one is updated.
	changed := *want
	changed.Routes = nil
	for _, r := range want.Routes {
		o := *r
		if r.Integration != nil {
			in := *r.Integration
			in.TimeoutMillis = 12345
			o.Integration = &in
		}
		changed.Routes = append(changed.Routes, &o)
	}
	env.E.ResetCalls()
	if _, _, err := convergeHTTP(t, env, &changed, diff.HTTPOptions{}); err != nil {
		t.Fatal(err)
	}
	if env.Count("UpdateIntegration") == 0 {
		t.Fatal("the integrations were not updated")
	}
	if got := mapped(); !maps.Equal(got, mapping) {
		t.Fatalf("after apply: mapping %v, want %v kept", got, mapping)
	}
	if !readHTTP(t, env, want).Integrations[id].ParameterMapping {
		t.Error("the live read does not see the mapping")
	}
	env.E.ResetCalls()
	_, _, _, err := importThenFinish(t, env, want, true)
	if err == nil || !strings.Contains(err.Error(), "map parameters") || !strings.Contains(err.Error(), id) {
		t.Fatalf("import over a mapping: %v", err)
	}
	if n := env.Count("ReimportApi"); n != 0 {
		t.Fatalf("%d ReimportApi over a mapping", n)
	}
	if got := mapped(); !maps.Equal(got, mapping) {
		t.Fatalf("after the refused import: mapping %v", got)
	}
}
