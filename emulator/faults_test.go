package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// deployableAPI makes an API with one MOCK method.
func deployableAPI(t *testing.T, c *apigateway.Client) string {
	t.Helper()
	id := aws.ToString(check(c.CreateRestApi(bg, &apigateway.CreateRestApiInput{Name: aws.String("d")}))(t).Id)
	root := rootID(t, c, id)
	check(c.PutMethod(bg, &apigateway.PutMethodInput{RestApiId: &id, ResourceId: &root, HttpMethod: aws.String("GET"), AuthorizationType: aws.String("NONE")}))(t)
	check(c.PutIntegration(bg, &apigateway.PutIntegrationInput{RestApiId: &id, ResourceId: &root, HttpMethod: aws.String("GET"), Type: types.IntegrationTypeMock}))(t)
	return id
}

// fakeClock is a settable clock for the rate limiters.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestThrottlingAtScaledAccountRates(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	e := New(Options{Now: clock.Now})
	c, _ := newCP(t, e)
	id := deployableAPI(t, c)
	// CreateDeployment is once per 5 s on AWS; at factor 0.02, once per 100 ms.
	e.SetFaults(Faults{Throttle: 0.02})
	check(c.CreateDeployment(bg, &apigateway.CreateDeploymentInput{RestApiId: &id}))(t)
	_, err := c.CreateDeployment(bg, &apigateway.CreateDeploymentInput{RestApiId: &id})
	tm := wantAPIError[*types.TooManyRequestsException](t, err, "second CreateDeployment within the interval")
	if aws.ToString(tm.RetryAfterSeconds) != "1" {
		t.Errorf("RetryAfterSeconds = %v", aws.ToString(tm.RetryAfterSeconds))
	}
	if wantAPIError[*smithyhttp.ResponseError](t, err, "response").Response.StatusCode != 429 {
		t.Error("want status 429")
	}
	ms, _ := strconv.Atoi(wantAPIError[*smithyhttp.ResponseError](t, err, "response").Response.Header.Get("X-Portcullis-Retry-After-Ms"))
	if ms != 100 {
		t.Errorf("exact retry delay = %d ms, want 100", ms)
	}
	// Other operations have their own budget.
	check(c.GetRestApi(bg, &apigateway.GetRestApiInput{RestApiId: &id}))(t)
	clock.Advance(99 * time.Millisecond)
	_, err = c.CreateDeployment(bg, &apigateway.CreateDeploymentInput{RestApiId: &id})
	wantAPIError[*types.TooManyRequestsException](t, err, "CreateDeployment 1 ms early")
	clock.Advance(time.Millisecond)
	check(c.CreateDeployment(bg, &apigateway.CreateDeploymentInput{RestApiId: &id}))(t)
	if n := e.CountWrites(); n != 5 { // PutMethod, PutIntegration, CreateRestApi, 2 deployments
		t.Errorf("writes = %d, want 5", n)
	}
	if n := e.CountCalls("CreateDeployment"); n != 2 {
		t.Errorf("successful CreateDeployment calls = %d, want 2", n)
	}

	// The overall budget: burst 40, then 10/s scaled.
	e.SetFaults(Faults{Throttle: 1})
	throttled := 0
	for i := 0; i < 45; i++ {
		if _, err := c.GetRestApi(bg, &apigateway.GetRestApiInput{RestApiId: &id}); err != nil {
			wantAPIError[*types.TooManyRequestsException](t, err, "overall rate")
			throttled++
		}
	}
	if throttled != 5 {
		t.Errorf("throttled %d of 45 calls at burst 40", throttled)
	}
}

func TestInjectedFailures(t *testing.T) {
	e := New(Options{})
	c, srv := newCP(t, e)
	id := deployableAPI(t, c)
	root := rootID(t, c, id)

	// Over the admin endpoint, as a test driving another process would.
	body := `{"inject":[{"operation":"PutMethod","nth":2,"status":503},{"operation":"CreateDeployment","status":500}]}`
	req, _ := http.NewRequest("PUT", srv.URL+"/_portcullis/faults", strings.NewReader(body))
	req.Header.Set(AdminHeader, "1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("set faults: %v %v", err, resp)
	}
	resp.Body.Close()
	if f := e.Faults(); len(f.Inject) != 2 || f.Inject[0].Nth != 2 {
		t.Fatalf("faults = %+v", f)
	}
	put := func(verb string) error {
		_, err := c.PutMethod(bg, &apigateway.PutMethodInput{RestApiId: &id, ResourceId: &root, HttpMethod: aws.String(verb), AuthorizationType: aws.String("NONE")})
		return err
	}
	if err := put("POST"); err != nil {
		t.Fatal(err)
	}
	// PutMethod's model has no ServiceUnavailableException: the SDK gives
	// a generic API error with the code.
	if ae := wantAPIError[smithy.APIError](t, put("PUT"), "second PutMethod"); ae.ErrorCode() != "ServiceUnavailableException" {
		t.Errorf("code = %s", ae.ErrorCode())
	}
	if err := put("DELETE"); err != nil {
		t.Fatalf("third PutMethod: %v", err)
	}
	// The failed call changed nothing.
	_, err = c.GetMethod(bg, &apigateway.GetMethodInput{RestApiId: &id, ResourceId: &root, HttpMethod: aws.String("PUT")})
	wantAPIError[*types.NotFoundException](t, err, "method of a failed PutMethod")
	_, err = c.CreateDeployment(bg, &apigateway.CreateDeploymentInput{RestApiId: &id})
	if re := wantAPIError[*smithyhttp.ResponseError](t, err, "injected 500"); re.Response.StatusCode != 500 {
		t.Errorf("status = %d", re.Response.StatusCode)
	}

	// A lost answer: the change is made, the caller sees a 500, and its
	// retry meets the result.
	e.SetFaults(Faults{Inject: []Injection{{Operation: "PutMethod", Status: 500, After: true}}})
	if err := put("PATCH"); err == nil {
		t.Fatal("want the injected 500")
	}
	e.SetFaults(Faults{})
	wantAPIError[*types.ConflictException](t, put("PATCH"), "retry after a lost answer")

	// "Fail the 3rd call of anything", counted from when it is set.
	e.SetFaults(Faults{Inject: []Injection{{Nth: 3, Status: 409}}})
	check(c.GetRestApis(bg, &apigateway.GetRestApisInput{}))(t)
	check(c.GetRestApis(bg, &apigateway.GetRestApisInput{}))(t)
	_, err = c.GetRestApis(bg, &apigateway.GetRestApisInput{})
	if ae := wantAPIError[smithy.APIError](t, err, "third call"); ae.ErrorCode() != "ConflictException" {
		t.Errorf("code = %s", ae.ErrorCode())
	}
	check(c.GetRestApis(bg, &apigateway.GetRestApisInput{}))(t)

	// The call log, over HTTP.
	req, _ = http.NewRequest("GET", srv.URL+"/_portcullis/calls?operation=PutMethod", nil)
	req.Header.Set(AdminHeader, "1")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var log struct{ Calls []Call }
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range log.Calls {
		got = append(got, fmt.Sprintf("%s %d", c.Method, c.Status))
	}
	if strings.Join(got, ",") != "PUT 201,PUT 201,PUT 503,PUT 201,PUT 500,PUT 409" {
		t.Errorf("PutMethod calls = %v", got)
	}
	req, _ = http.NewRequest("DELETE", srv.URL+"/_portcullis/calls", nil)
	req.Header.Set(AdminHeader, "1")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 204 {
		t.Fatalf("reset calls: %v", err)
	}
	if n := len(e.Calls()); n != 0 {
		t.Errorf("calls after reset = %d", n)
	}
	req, _ = http.NewRequest("PUT", srv.URL+"/_portcullis/faults", strings.NewReader(`{"bogus":1}`))
	req.Header.Set(AdminHeader, "1")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 400 {
		t.Errorf("unknown fault field accepted: %v %v", err, resp.StatusCode)
	}
}

func TestQuotas(t *testing.T) {
	c, _ := newCP(t, New(Options{Limits: Limits{ResourcesPerAPI: 5, StagesPerAPI: 2}}))
	id := deployableAPI(t, c)
	root := rootID(t, c, id)
	for i := 0; i < 4; i++ {
		check(c.CreateResource(bg, &apigateway.CreateResourceInput{RestApiId: &id, ParentId: &root, PathPart: aws.String(fmt.Sprint("r", i))}))(t)
	}
	_, err := c.CreateResource(bg, &apigateway.CreateResourceInput{RestApiId: &id, ParentId: &root, PathPart: aws.String("r5")})
	wantAPIError[*types.LimitExceededException](t, err, "resource quota")

	for i := 0; i < 10; i++ {
		check(c.CreateAuthorizer(bg, &apigateway.CreateAuthorizerInput{RestApiId: &id, Name: aws.String(fmt.Sprint("a", i)),
			Type: types.AuthorizerTypeCognitoUserPools, ProviderARNs: []string{testPoolARN}, IdentitySource: aws.String("method.request.header.Authorization")}))(t)
	}
	_, err = c.CreateAuthorizer(bg, &apigateway.CreateAuthorizerInput{RestApiId: &id, Name: aws.String("a10"),
		Type: types.AuthorizerTypeCognitoUserPools, ProviderARNs: []string{testPoolARN}, IdentitySource: aws.String("method.request.header.Authorization")})
	wantAPIError[*types.LimitExceededException](t, err, "11th authorizer")

	check(c.CreateDeployment(bg, &apigateway.CreateDeploymentInput{RestApiId: &id, StageName: aws.String("a")}))(t)
	check(c.CreateDeployment(bg, &apigateway.CreateDeploymentInput{RestApiId: &id, StageName: aws.String("b")}))(t)
	check(c.CreateDeployment(bg, &apigateway.CreateDeploymentInput{RestApiId: &id, StageName: aws.String("a")}))(t) // re-point, no new stage
	_, err = c.CreateDeployment(bg, &apigateway.CreateDeploymentInput{RestApiId: &id, StageName: aws.String("c")})
	wantAPIError[*types.LimitExceededException](t, err, "third stage")
	_, err = c.CreateDeployment(bg, &apigateway.CreateDeploymentInput{RestApiId: &id, StageName: aws.String("bad name!")})
	wantAPIError[*types.BadRequestException](t, err, "stage name")
}

func TestAPIQuota(t *testing.T) {
	c, _ := newCP(t, New(Options{Limits: Limits{APIs: 2}}))
	check(c.CreateRestApi(bg, &apigateway.CreateRestApiInput{Name: aws.String("a")}))(t)
	check(c.ImportRestApi(bg, &apigateway.ImportRestApiInput{Body: readFile(t, "testdata/cognito-oas3.yaml")}))(t)
	_, err := c.CreateRestApi(bg, &apigateway.CreateRestApiInput{Name: aws.String("c")})
	wantAPIError[*types.LimitExceededException](t, err, "third API")
	_, err = c.ImportRestApi(bg, &apigateway.ImportRestApiInput{Body: readFile(t, "testdata/cognito-oas3.yaml")})
	wantAPIError[*types.LimitExceededException](t, err, "third API by import")
}

func TestDefaultResourceQuotaIs300(t *testing.T) {
	e := New(Options{})
	c, _ := newCP(t, e)
	id := aws.ToString(check(c.CreateRestApi(bg, &apigateway.CreateRestApiInput{Name: aws.String("q")}))(t).Id)
	root := rootID(t, c, id)
	for i := 1; i < 300; i++ { // the root is the first of the 300
		check(c.CreateResource(bg, &apigateway.CreateResourceInput{RestApiId: &id, ParentId: &root, PathPart: aws.String(fmt.Sprint("r", i))}))(t)
	}
	_, err := c.CreateResource(bg, &apigateway.CreateResourceInput{RestApiId: &id, ParentId: &root, PathPart: aws.String("one-more")})
	wantAPIError[*types.LimitExceededException](t, err, "301st resource")
}

func TestPagingBeyond500(t *testing.T) {
	e := New(Options{Limits: Limits{ResourcesPerAPI: 700}})
	c, _ := newCP(t, e)
	id := aws.ToString(check(c.CreateRestApi(bg, &apigateway.CreateRestApiInput{Name: aws.String("big")}))(t).Id)
	root := rootID(t, c, id)
	for i := 1; i <= 620; i++ {
		check(c.CreateResource(bg, &apigateway.CreateResourceInput{RestApiId: &id, ParentId: &root, PathPart: aws.String(fmt.Sprint("r", i))}))(t)
	}
	first := check(c.GetResources(bg, &apigateway.GetResourcesInput{RestApiId: &id}))(t)
	if len(first.Items) != 25 || first.Position == nil {
		t.Fatalf("default page: %d items, position %v", len(first.Items), first.Position)
	}
	seen := map[string]bool{}
	pages := 0
	p := apigateway.NewGetResourcesPaginator(c, &apigateway.GetResourcesInput{RestApiId: &id, Limit: aws.Int32(500)})
	for p.HasMorePages() {
		page := check(p.NextPage(bg))(t)
		pages++
		for _, r := range page.Items {
			if seen[aws.ToString(r.Id)] {
				t.Fatalf("resource %s on two pages", aws.ToString(r.Id))
			}
			seen[aws.ToString(r.Id)] = true
		}
	}
	if len(seen) != 621 || pages != 2 {
		t.Errorf("paged %d resources in %d pages, want 621 in 2", len(seen), pages)
	}
	_, err := c.GetResources(bg, &apigateway.GetResourcesInput{RestApiId: &id, Limit: aws.Int32(501)})
	wantAPIError[*types.BadRequestException](t, err, "limit 501")
	_, err = c.GetResources(bg, &apigateway.GetResourcesInput{RestApiId: &id, Position: aws.String("garbage!")})
	wantAPIError[*types.BadRequestException](t, err, "bad position")
}
