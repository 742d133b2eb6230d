package emulator

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"
)

func TestStatePersistsAcrossRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "state.json")
	e := check(Open(path, Options{}))(t)
	c, srv := newCP(t, e)
	api := check(c.ImportRestApi(bg, &apigateway.ImportRestApiInput{Body: readFile(t, "testdata/cognito-oas3.yaml")}))(t)
	id := aws.ToString(api.Id)
	dep := check(c.CreateDeployment(bg, &apigateway.CreateDeploymentInput{RestApiId: &id, StageName: aws.String("prod")}))(t)
	before := methodsByPath(t, c, id)
	srv.Close()
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".state-*")); len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}

	e2 := check(Open(path, Options{}))(t)
	c2, _ := newCP(t, e2)
	after := methodsByPath(t, c2, id)
	if len(after) != len(before) || aws.ToString(after["GET /items"].AuthorizerId) != aws.ToString(before["GET /items"].AuthorizerId) {
		t.Errorf("methods after restart: %v", keysOf(after))
	}
	st := check(c2.GetStage(bg, &apigateway.GetStageInput{RestApiId: &id, StageName: aws.String("prod")}))(t)
	if aws.ToString(st.DeploymentId) != aws.ToString(dep.Id) {
		t.Errorf("stage after restart = %+v", st)
	}
	snap, _, ok := e2.StageSnapshot(id, "prod")
	if !ok || snap.ResourceByPath("/items") == nil || snap.ResourceByPath("/items").Methods["GET"].Integration == nil {
		t.Fatalf("snapshot after restart: %+v", snap)
	}

	// A file that is not state is refused, not overwritten.
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(bad, Options{}); err == nil || !strings.Contains(err.Error(), "not an emulator state file") {
		t.Errorf("Open(bad) = %v", err)
	}
}

// TestTwoProcessesShareAStateFile: a running server picks up what another
// process (an `apply --local`) wrote to the same file.
func TestTwoProcessesShareAStateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	serve := check(Open(path, Options{}))(t)
	c1, _ := newCP(t, serve)
	first := aws.ToString(check(c1.CreateRestApi(bg, &apigateway.CreateRestApiInput{Name: aws.String("one")}))(t).Id)

	other := check(Open(path, Options{}))(t)
	c2, _ := newCP(t, other)
	second := aws.ToString(check(c2.CreateRestApi(bg, &apigateway.CreateRestApiInput{Name: aws.String("two")}))(t).Id)

	apis := check(c1.GetRestApis(bg, &apigateway.GetRestApisInput{}))(t)
	if len(apis.Items) != 2 {
		t.Fatalf("the server does not see the other process's API %s: %d APIs", second, len(apis.Items))
	}
	check(c1.DeleteRestApi(bg, &apigateway.DeleteRestApiInput{RestApiId: &first}))(t)
	if _, err := c2.GetRestApi(bg, &apigateway.GetRestApiInput{RestApiId: &first}); err == nil {
		t.Error("the other process still sees a deleted API")
	}
}

// TestSnapshotIsolation: a stage keeps serving what was deployed while the
// working configuration moves on ("changed but not deployed").
func TestSnapshotIsolation(t *testing.T) {
	e := New(Options{})
	c, _ := newCP(t, e)
	id := deployableAPI(t, c)
	root := rootID(t, c, id)
	az := check(c.CreateAuthorizer(bg, &apigateway.CreateAuthorizerInput{RestApiId: &id, Name: aws.String("p"),
		Type: types.AuthorizerTypeCognitoUserPools, ProviderARNs: []string{testPoolARN}, IdentitySource: aws.String("method.request.header.Authorization")}))(t)
	check(c.CreateDeployment(bg, &apigateway.CreateDeploymentInput{RestApiId: &id, StageName: aws.String("v1")}))(t)

	check(c.UpdateMethod(bg, &apigateway.UpdateMethodInput{RestApiId: &id, ResourceId: &root, HttpMethod: aws.String("GET"), PatchOperations: []types.PatchOperation{
		{Op: types.OpReplace, Path: aws.String("/authorizationType"), Value: aws.String("COGNITO_USER_POOLS")},
		{Op: types.OpReplace, Path: aws.String("/authorizerId"), Value: az.Id},
		{Op: types.OpAdd, Path: aws.String("/authorizationScopes"), Value: aws.String("a/b")},
	}}))(t)
	check(c.UpdateAuthorizer(bg, &apigateway.UpdateAuthorizerInput{RestApiId: &id, AuthorizerId: az.Id, PatchOperations: []types.PatchOperation{
		{Op: types.OpReplace, Path: aws.String("/name"), Value: aws.String("renamed")}}}))(t)
	check(c.PutGatewayResponse(bg, &apigateway.PutGatewayResponseInput{RestApiId: &id, ResponseType: types.GatewayResponseTypeUnauthorized, StatusCode: aws.String("418")}))(t)

	snap, st, ok := e.StageSnapshot(id, "v1")
	if !ok {
		t.Fatal("no snapshot")
	}
	m := snap.ResourceByPath("/").Methods["GET"]
	if m.AuthorizationType != "NONE" || len(m.AuthorizationScopes) != 0 || snap.Authorizer(aws.ToString(az.Id)).Name != "p" {
		t.Errorf("deployed snapshot changed: %+v", m)
	}
	if gr := snap.EffectiveGatewayResponse("UNAUTHORIZED"); gr.StatusCode != "401" {
		t.Errorf("deployed UNAUTHORIZED = %+v", gr)
	}
	// The stage copy is the caller's.
	st.Variables = map[string]string{"x": "y"}
	if _, st2, _ := e.StageSnapshot(id, "v1"); st2.Variables != nil {
		t.Error("StageSnapshot's stage aliases live state")
	}

	check(c.CreateDeployment(bg, &apigateway.CreateDeploymentInput{RestApiId: &id, StageName: aws.String("v1")}))(t)
	snap2, _, _ := e.StageSnapshot(id, "v1")
	if snap2.ResourceByPath("/").Methods["GET"].AuthorizationType != "COGNITO_USER_POOLS" || snap2.EffectiveGatewayResponse("UNAUTHORIZED").StatusCode != "418" {
		t.Error("redeploy did not capture the new configuration")
	}
	if snap.ResourceByPath("/").Methods["GET"].AuthorizationType != "NONE" {
		t.Error("the old snapshot changed on redeploy")
	}
	if _, _, ok := e.StageSnapshot(id, "nope"); ok {
		t.Error("snapshot of a missing stage")
	}
}

// TestConcurrentClients runs writers and readers at once; run with -race.
func TestConcurrentClients(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	e := check(Open(path, Options{}))(t)
	c, srv := newCP(t, e)
	id := deployableAPI(t, c)
	root := rootID(t, c, id)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 15; i++ {
				r, err := c.CreateResource(bg, &apigateway.CreateResourceInput{RestApiId: &id, ParentId: &root, PathPart: aws.String(fmt.Sprintf("w%d-%d", w, i))})
				if err != nil {
					errs <- err
					return
				}
				if _, err := c.PutMethod(bg, &apigateway.PutMethodInput{RestApiId: &id, ResourceId: r.Id, HttpMethod: aws.String("GET"), AuthorizationType: aws.String("NONE")}); err != nil {
					errs <- err
					return
				}
				if _, err := c.PutIntegration(bg, &apigateway.PutIntegrationInput{RestApiId: &id, ResourceId: r.Id, HttpMethod: aws.String("GET"), Type: types.IntegrationTypeMock}); err != nil {
					errs <- err
					return
				}
			}
		}(w)
	}
	// Deployments race the writers: a method caught between PutMethod and
	// PutIntegration makes one fail, as on AWS.
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 10; i++ {
			_, err := c.CreateDeployment(bg, &apigateway.CreateDeploymentInput{RestApiId: &id, StageName: aws.String("live")})
			var br *types.BadRequestException
			if err != nil && !(errors.As(err, &br) && strings.Contains(br.ErrorMessage(), "No integration")) {
				errs <- err
				return
			}
		}
	}()
	for r := 0; r < 2; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 30; i++ {
				if _, err := c.GetResources(bg, &apigateway.GetResourcesInput{RestApiId: &id, Embed: []string{"methods"}, Limit: aws.Int32(500)}); err != nil {
					errs <- err
					return
				}
				e.StageSnapshot(id, "live")
				resp, err := http.Get(srv.URL + "/restapis/" + id + "/live/_user_request_/")
				if err == nil {
					resp.Body.Close()
				}
				e.Calls()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	out := check(c.GetResources(bg, &apigateway.GetResourcesInput{RestApiId: &id, Limit: aws.Int32(500)}))(t)
	if len(out.Items) != 61 {
		t.Errorf("resources = %d, want 61", len(out.Items))
	}
	e.Close()
	e2 := check(Open(path, Options{}))(t)
	c2, _ := newCP(t, e2)
	if out := check(c2.GetResources(bg, &apigateway.GetResourcesInput{RestApiId: &id, Limit: aws.Int32(500)}))(t); len(out.Items) != 61 {
		t.Errorf("persisted resources = %d, want 61", len(out.Items))
	}
}

func TestStartLocalSharesStateAcrossRuns(t *testing.T) {
	dir := t.TempDir()
	url, stop, err := StartLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	url2, stop2, err := StartLocal(dir) // same process: reused
	if err != nil || url2 != url {
		t.Fatalf("second StartLocal = %s, %v; want %s", url2, err, url)
	}
	c := sdkClient(url, http.DefaultClient)
	id := aws.ToString(check(c.CreateRestApi(bg, &apigateway.CreateRestApiInput{Name: aws.String("local")}))(t).Id)
	if err := stop2(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetRestApi(bg, &apigateway.GetRestApiInput{RestApiId: &id}); err != nil {
		t.Fatalf("server stopped while still referenced: %v", err)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, LocalStateFile)); err != nil {
		t.Fatal(err)
	}
	// A later run (as another process would) sees the API.
	url3, stop3, err := StartLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer stop3()
	if _, err := sdkClient(url3, http.DefaultClient).GetRestApi(bg, &apigateway.GetRestApiInput{RestApiId: &id}); err != nil {
		t.Fatalf("API not found in a later run: %v", err)
	}
}

// TestServeShutdownKeepsAnotherProcesssLock reproduces `local serve
// --state F` running while `apply --local` locks a method in F: stopping
// the server must not write its older copy back and re-open the method.
func TestServeShutdownKeepsAnotherProcesssLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	serve := check(Open(path, Options{}))(t)
	c1, srv := newCP(t, serve)
	api := check(c1.CreateRestApi(bg, &apigateway.CreateRestApiInput{Name: aws.String("big")}))(t)
	id, root := aws.ToString(api.Id), aws.ToString(api.RootResourceId)
	check(c1.PutMethod(bg, &apigateway.PutMethodInput{RestApiId: &id, ResourceId: &root, HttpMethod: aws.String("GET"), AuthorizationType: aws.String("NONE")}))(t)

	// apply --local, another process: it locks GET.
	apply := check(Open(path, Options{}))(t)
	c2, _ := newCP(t, apply)
	auth := check(c2.CreateAuthorizer(bg, &apigateway.CreateAuthorizerInput{RestApiId: &id, Name: aws.String("pool"),
		Type: types.AuthorizerTypeCognitoUserPools, ProviderARNs: []string{"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_X"},
		IdentitySource: aws.String("method.request.header.Authorization")}))(t)
	check(c2.UpdateMethod(bg, &apigateway.UpdateMethodInput{RestApiId: &id, ResourceId: &root, HttpMethod: aws.String("GET"), PatchOperations: []types.PatchOperation{
		{Op: types.OpReplace, Path: aws.String("/authorizationType"), Value: aws.String("COGNITO_USER_POOLS")},
		{Op: types.OpReplace, Path: aws.String("/authorizerId"), Value: auth.Id},
	}}))(t)
	if err := apply.Close(); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)

	// The server got no request since: Ctrl-C.
	srv.Close()
	if err := serve.Close(); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(path)
	if string(after) != string(before) {
		t.Error("shutdown rewrote a state file it did not change")
	}
	e := check(Open(path, Options{}))(t)
	c3, _ := newCP(t, e)
	m := check(c3.GetMethod(bg, &apigateway.GetMethodInput{RestApiId: &id, ResourceId: &root, HttpMethod: aws.String("GET")}))(t)
	if aws.ToString(m.AuthorizationType) != "COGNITO_USER_POOLS" {
		t.Fatalf("the lock did not survive the shutdown: GET is %s", aws.ToString(m.AuthorizationType))
	}
}

// TestNeverWritesOverANewerFile: a change made on a copy that another
// process has since replaced is dropped (409), not written over it.
func TestNeverWritesOverANewerFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	a := check(Open(path, Options{}))(t)
	c1, _ := newCP(t, a)
	check(c1.CreateRestApi(bg, &apigateway.CreateRestApiInput{Name: aws.String("one")}))(t)
	b := check(Open(path, Options{}))(t)
	c2, _ := newCP(t, b)
	check(c2.CreateRestApi(bg, &apigateway.CreateRestApiInput{Name: aws.String("two")}))(t)
	newer, _ := os.ReadFile(path)

	// a changes its copy without having seen b's write (as if b wrote
	// between a's reload and its write).
	a.mu.Lock()
	a.apis["zzz"] = &apiState{RestApi: RestApi{ID: "zzz", Name: "stale"}}
	err := a.persistLocked()
	a.mu.Unlock()
	if !errors.Is(err, errStale) {
		t.Fatalf("persist over a newer file: %v", err)
	}
	if got, _ := os.ReadFile(path); string(got) != string(newer) {
		t.Fatal("the newer file was overwritten")
	}
	// The next call works on the newer file and keeps both APIs.
	check(c1.CreateRestApi(bg, &apigateway.CreateRestApiInput{Name: aws.String("three")}))(t)
	apis := check(c2.GetRestApis(bg, &apigateway.GetRestApisInput{}))(t)
	if len(apis.Items) != 3 {
		t.Errorf("%d APIs, want one, two and three", len(apis.Items))
	}
}
