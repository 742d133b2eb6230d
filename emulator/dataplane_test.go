package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/portcullis-dev/portcullis/tokens"
)

const (
	dpPool = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_DataPlane"
	dpAPI  = "abc123defg"
)

var (
	dpIssuerOnce sync.Once
	dpIssuer     *tokens.Issuer
)

func issuerForTest(t testing.TB) *tokens.Issuer {
	dpIssuerOnce.Do(func() {
		var err error
		if dpIssuer, err = tokens.GenerateIssuer(); err != nil {
			panic(err)
		}
	})
	return dpIssuer
}

func verifierForTest(t testing.TB) *tokens.Verifier {
	r, err := tokens.NewResolver(tokens.ResolverConfig{Local: issuerForTest(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return &tokens.Verifier{Resolver: r}
}

func idToken(t testing.TB) string {
	tok, err := issuerForTest(t).Mint(tokens.MintOptions{Pool: dpPool, Username: "alice", ClientID: "webclient"})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func accessToken(t testing.TB, scopes ...string) string {
	tok, err := issuerForTest(t).Mint(tokens.MintOptions{Pool: dpPool, Username: "alice", Scopes: scopes, TokenUse: tokens.UseAccess})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func badToken(t testing.TB, kind tokens.Bad, scopes ...string) string {
	tok, err := issuerForTest(t).MintBad(kind, tokens.MintOptions{Pool: dpPool, Username: "alice", Scopes: scopes})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func ttl(n int32) *int32 { return &n }

// mockOK is a MOCK integration answering 200 with body.
func mockOK(body string) *Integration {
	return &Integration{
		Type:             "MOCK",
		RequestTemplates: map[string]string{"application/json": `{"statusCode": 200}`},
		IntegrationResponses: map[string]*IntegrationResponse{
			"200": {StatusCode: "200", ResponseTemplates: map[string]string{"application/json": body}},
		},
	}
}

// corsPreflight is the OPTIONS method CORS generators write.
func corsPreflight() *Method {
	return &Method{HTTPMethod: "OPTIONS", AuthorizationType: "NONE", Integration: &Integration{
		Type:             "MOCK",
		RequestTemplates: map[string]string{"application/json": `{"statusCode": 200}`},
		IntegrationResponses: map[string]*IntegrationResponse{"200": {StatusCode: "200", ResponseParameters: map[string]string{
			"method.response.header.Access-Control-Allow-Origin":  "'https://app.example.com'",
			"method.response.header.Access-Control-Allow-Methods": "'GET,POST,OPTIONS'",
			"method.response.header.Access-Control-Allow-Headers": "'Content-Type,Authorization'",
		}}},
	}}
}

// testSnapshot is a deployed API: public and protected routes, every
// integration type, a proxy resource.
func testSnapshot(backend string) *Snapshot {
	cognito := func(verb string, scopes ...string) *Method {
		return &Method{HTTPMethod: verb, AuthorizationType: "COGNITO_USER_POOLS", AuthorizerID: "auth1",
			AuthorizationScopes: scopes, Integration: mockOK(`{"route":"` + verb + `","user":"$context.authorizer.claims['cognito:username']$context.authorizer.claims.username"}`)}
	}
	return &Snapshot{
		APIID: dpAPI, Name: "todo",
		Resources: []*Resource{
			{ID: "root", Path: "/", Methods: map[string]*Method{
				"GET": {HTTPMethod: "GET", AuthorizationType: "NONE", Integration: mockOK(`{"root":true,"stage":"$context.stage","v":"$stageVariables.color"}`)},
			}},
			{ID: "items", ParentID: "root", PathPart: "items", Path: "/items", Methods: map[string]*Method{
				"GET":     cognito("GET"),
				"POST":    cognito("POST", "todo/write"),
				"OPTIONS": corsPreflight(),
			}},
			{ID: "item", ParentID: "items", PathPart: "{id}", Path: "/items/{id}", Methods: map[string]*Method{
				"GET": {HTTPMethod: "GET", AuthorizationType: "NONE", Integration: mockOK(`{"param":true}`)},
			}},
			{ID: "special", ParentID: "items", PathPart: "special", Path: "/items/special", Methods: map[string]*Method{
				"GET": {HTTPMethod: "GET", AuthorizationType: "NONE", Integration: mockOK(`{"literal":true}`)},
			}},
			{ID: "iam", ParentID: "root", PathPart: "admin", Path: "/admin", Methods: map[string]*Method{
				"GET": {HTTPMethod: "GET", AuthorizationType: "AWS_IAM", Integration: mockOK(`{"admin":true}`)},
			}},
			{ID: "lambda", ParentID: "root", PathPart: "fn", Path: "/fn", Methods: map[string]*Method{
				"POST": {HTTPMethod: "POST", AuthorizationType: "COGNITO_USER_POOLS", AuthorizerID: "auth1", Integration: &Integration{
					Type: "AWS_PROXY", HTTPMethod: "POST", URI: "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:todo/invocations"}},
			}},
			{ID: "api", ParentID: "root", PathPart: "api", Path: "/api", Methods: map[string]*Method{}},
			{ID: "proxy", ParentID: "api", PathPart: "{proxy+}", Path: "/api/{proxy+}", Methods: map[string]*Method{
				"ANY": {HTTPMethod: "ANY", AuthorizationType: "NONE", Integration: &Integration{
					Type: "HTTP_PROXY", HTTPMethod: "ANY", URI: backend + "/backend/{proxy}"}},
			}},
			{ID: "ext", ParentID: "root", PathPart: "external", Path: "/external", Methods: map[string]*Method{
				"GET": {HTTPMethod: "GET", AuthorizationType: "NONE", Integration: &Integration{
					Type: "HTTP_PROXY", HTTPMethod: "GET", URI: "https://example.com/"}},
			}},
		},
		Authorizers: []*Authorizer{{ID: "auth1", Name: "pool", Type: "COGNITO_USER_POOLS",
			ProviderARNs: []string{dpPool}, IdentitySource: "method.request.header.Authorization", ResultTTL: ttl(0)}},
	}
}

// deploy installs snap as the deployment behind stage, as CreateDeployment
// would, with working configuration that differs from it.
func deploy(e *Emulator, stage string, snap *Snapshot, vars map[string]string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	a := e.apis[snap.APIID]
	if a == nil {
		a = &apiState{Region: "us-east-1", RestApi: RestApi{ID: snap.APIID, Name: snap.Name}, Deployments: map[string]*Deployment{}, Stages: map[string]*Stage{}}
		e.apis[snap.APIID] = a
	}
	id := newID(6)
	a.Deployments[id] = &Deployment{ID: id, Snapshot: snap}
	a.Stages[stage] = &Stage{StageName: stage, DeploymentID: id, Variables: vars}
	// The working configuration has moved on since: none of it may show.
	a.Resources = []*Resource{{ID: "root", Path: "/", Methods: map[string]*Method{
		"DELETE": {HTTPMethod: "DELETE", AuthorizationType: "NONE", Integration: mockOK(`{"undeployed":true}`)}}}}
}

type dpFixture struct {
	e       *Emulator
	h       http.Handler
	backend *httptest.Server
	logs    *logSink
}

type logSink struct {
	mu    sync.Mutex
	lines []string
}

func (l *logSink) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, strings.TrimSpace(fmt.Sprintf(format, args...)))
}

func (l *logSink) last() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.lines) == 0 {
		return ""
	}
	return l.lines[len(l.lines)-1]
}

func newFixture(t testing.TB, mutate func(*Snapshot)) *dpFixture {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("WWW-Authenticate", `Basic realm="backend"`)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTeapot)
		b, _ := io.ReadAll(r.Body)
		json.NewEncoder(w).Encode(map[string]string{
			"method": r.Method, "path": r.URL.EscapedPath(), "query": r.URL.RawQuery,
			"auth": r.Header.Get("Authorization"), "body": string(b), "custom": r.Header.Get("X-Custom"),
		})
	}))
	t.Cleanup(backend.Close)
	logs := &logSink{}
	e := New(Options{DataPlane: DataPlaneOptions{Verifier: verifierForTest(t), Logf: logs.logf}})
	snap := testSnapshot(backend.URL)
	if mutate != nil {
		mutate(snap)
	}
	deploy(e, "prod", snap, map[string]string{"color": "blue"})
	return &dpFixture{e: e, h: e.Handler(), backend: backend, logs: logs}
}

type answer struct {
	status int
	header http.Header
	body   string
}

func (f *dpFixture) do(t testing.TB, method, path string, header map[string]string, body string) answer {
	t.Helper()
	req := localRequest(method, "/restapis/"+dpAPI+"/prod/_user_request_"+path, strings.NewReader(body))
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return answer{rec.Code, canonical(rec.Header()), rec.Body.String()}
}

// canonical re-keys headers the way any HTTP client reads them, since the
// data plane writes some with API Gateway's exact spelling.
func canonical(h http.Header) http.Header {
	out := http.Header{}
	for k, vs := range h {
		for _, v := range vs {
			out.Add(k, v)
		}
	}
	return out
}

func auth(tok string) map[string]string { return map[string]string{"Authorization": tok} }

func expect(t *testing.T, a answer, status int, body string) {
	t.Helper()
	if a.status != status {
		t.Fatalf("status %d, want %d (body %s)", a.status, status, a.body)
	}
	if body != "" && a.body != body {
		t.Fatalf("body %s, want %s", a.body, body)
	}
	if a.header.Get("x-amzn-RequestId") == "" || len(a.header.Get("x-amz-apigw-id")) != 16 {
		t.Fatalf("request id headers missing: %v", a.header)
	}
}

const (
	unauthorized = `{"message":"Unauthorized"}`
	missingToken = `{"message":"Missing Authentication Token"}`
)

func TestRouting(t *testing.T) {
	f := newFixture(t, nil)
	expect(t, f.do(t, "GET", "", nil, ""), 200, `{"root":true,"stage":"prod","v":"blue"}`)
	expect(t, f.do(t, "GET", "/", nil, ""), 200, "")
	expect(t, f.do(t, "GET", "/items/special", nil, ""), 200, `{"literal":true}`)
	expect(t, f.do(t, "GET", "/items/42", nil, ""), 200, `{"param":true}`)
	expect(t, f.do(t, "GET", "/items/42/", nil, ""), 200, `{"param":true}`)

	for _, c := range []struct{ method, path string }{
		{"GET", "/nope"},
		{"GET", "/items/42/more"},
		{"PUT", "/items"},          // verb not deployed
		{"OPTIONS", "/items/42"},   // no preflight defined
		{"DELETE", "/"},            // only in the working configuration
		{"GET", "/api"},            // resource without methods
		{"GET", "/admin"},          // AWS_IAM, unsigned
		{"GET", "/restapis/x/y/z"}, // nothing deployed there
	} {
		a := f.do(t, c.method, c.path, nil, "")
		expect(t, a, 403, missingToken)
		if a.header.Get("x-amzn-ErrorType") != "MissingAuthenticationTokenException" {
			t.Errorf("%s %s: x-amzn-ErrorType %q", c.method, c.path, a.header.Get("x-amzn-ErrorType"))
		}
		if a.header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("CORS header without a gateway response configuring it")
		}
	}
	// Unknown stage and unknown API.
	for _, p := range []string{"/restapis/" + dpAPI + "/dev/_user_request_/", "/restapis/nope/prod/_user_request_/"} {
		rec := httptest.NewRecorder()
		f.h.ServeHTTP(rec, localRequest("GET", p, nil))
		if rec.Code != 403 || rec.Body.String() != missingToken {
			t.Errorf("%s: %d %s", p, rec.Code, rec.Body)
		}
	}
}

func TestHostForm(t *testing.T) {
	f := newFixture(t, nil)
	req := localRequest("GET", "/prod/items/special", nil)
	req.Host = dpAPI + ".execute-api.localhost:4567"
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	if rec.Code != 200 || rec.Body.String() != `{"literal":true}` {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
}

func TestGreedyBacktracking(t *testing.T) {
	f := newFixture(t, func(s *Snapshot) {
		// /{a}/x and /b/{c}: /b/x must reach /{a}/x after /b/{c}... does
		// not match "x"? It does, literal b first. /b/y/z has no literal
		// route, so /{a}/{proxy+} takes it.
		s.Resources = append(s.Resources,
			&Resource{ID: "a", Path: "/{a}", Methods: map[string]*Method{}},
			&Resource{ID: "ax", Path: "/{a}/x", Methods: map[string]*Method{"GET": {AuthorizationType: "NONE", Integration: mockOK(`{"ax":true}`)}}},
			&Resource{ID: "ap", Path: "/{a}/{rest+}", Methods: map[string]*Method{"GET": {AuthorizationType: "NONE", Integration: mockOK(`{"greedy":true}`)}}},
		)
	})
	// /items/x: literal "items" then /items/{id} matches one segment.
	expect(t, f.do(t, "GET", "/items/x", nil, ""), 200, `{"param":true}`)
	// /items/x/y: nothing under /items takes two segments: back off to /{a}/{rest+}.
	expect(t, f.do(t, "GET", "/items/x/y", nil, ""), 200, `{"greedy":true}`)
	expect(t, f.do(t, "GET", "/zzz/x", nil, ""), 200, `{"ax":true}`)
	expect(t, f.do(t, "GET", "/zzz/q/r/s", nil, ""), 200, `{"greedy":true}`)
	// {proxy+} needs at least one segment.
	expect(t, f.do(t, "GET", "/api", nil, ""), 403, missingToken)
}

func TestCognitoMethods(t *testing.T) {
	f := newFixture(t, nil)
	a := f.do(t, "GET", "/items", nil, "")
	expect(t, a, 401, unauthorized)
	if a.header.Get("x-amzn-ErrorType") != "UnauthorizedException" || a.header.Get("Content-Type") != "application/json" {
		t.Fatalf("headers %v", a.header)
	}
	if !strings.Contains(f.logs.last(), "no token in the Authorization header") {
		t.Errorf("log %q", f.logs.last())
	}

	expect(t, f.do(t, "GET", "/items", auth(idToken(t)), ""), 200, `{"route":"GET","user":"alice"}`)
	expect(t, f.do(t, "GET", "/items", auth("Bearer "+idToken(t)), ""), 200, "")
	expect(t, f.do(t, "POST", "/items", auth(accessToken(t, "todo/read", "todo/write")), ""), 200, `{"route":"POST","user":"alice"}`)

	expect(t, f.do(t, "GET", "/items", auth(badToken(t, tokens.BadExpired)), ""), 401, `{"message":"The incoming token has expired"}`)
	for _, kind := range []tokens.Bad{tokens.BadForged, tokens.BadTampered, tokens.BadWrongIssuer, tokens.BadAlgNone, tokens.BadHS256, tokens.BadGarbage} {
		a := f.do(t, "GET", "/items", auth(badToken(t, kind)), "")
		expect(t, a, 401, unauthorized)
	}
	// ID token where scopes are required; access token where they are not;
	// access token without the scope.
	expect(t, f.do(t, "POST", "/items", auth(idToken(t)), ""), 401, unauthorized)
	if !strings.Contains(f.logs.last(), "takes an access token") {
		t.Errorf("log %q", f.logs.last())
	}
	expect(t, f.do(t, "GET", "/items", auth(accessToken(t)), ""), 401, unauthorized)
	expect(t, f.do(t, "POST", "/items", auth(accessToken(t, "todo/read")), ""), 401, unauthorized)
	// The token never reaches the log.
	for _, l := range f.logs.lines {
		if strings.Contains(l, "eyJ") {
			t.Fatalf("token in log: %s", l)
		}
	}
}

func TestIdentitySourceAndValidationExpression(t *testing.T) {
	f := newFixture(t, func(s *Snapshot) {
		s.Authorizers[0].IdentitySource = "method.request.header.X-Id-Token"
		s.Authorizers[0].IdentityValidationExpression = "web.*"
	})
	expect(t, f.do(t, "GET", "/items", auth(idToken(t)), ""), 401, unauthorized)
	expect(t, f.do(t, "GET", "/items", map[string]string{"X-Id-Token": idToken(t)}, ""), 200, "")
	other, _ := issuerForTest(t).Mint(tokens.MintOptions{Pool: dpPool, Username: "bob", ClientID: "mobileclient"})
	expect(t, f.do(t, "GET", "/items", map[string]string{"X-Id-Token": other}, ""), 401, unauthorized)
	expect(t, f.do(t, "POST", "/items", map[string]string{"X-Id-Token": accessToken(t, "todo/write")}, ""), 401, unauthorized)
}

func TestAPIKeyRequired(t *testing.T) {
	f := newFixture(t, func(s *Snapshot) { s.ResourceByPath("/items/{id}").Methods["GET"].APIKeyRequired = true })
	a := f.do(t, "GET", "/items/1", nil, "")
	expect(t, a, 403, `{"message":"Forbidden"}`)
	if a.header.Get("x-amzn-ErrorType") != "ForbiddenException" {
		t.Errorf("%v", a.header)
	}
	expect(t, f.do(t, "GET", "/items/1", map[string]string{"X-API-Key": "k"}, ""), 200, `{"param":true}`)
}

func TestAWSIAMSignedPasses(t *testing.T) {
	f := newFixture(t, nil)
	a := f.do(t, "GET", "/admin", auth("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=abc"), "")
	expect(t, a, 200, `{"admin":true}`)
}

func TestGatewayResponses(t *testing.T) {
	f := newFixture(t, func(s *Snapshot) {
		s.GatewayResponses = map[string]*GatewayResponse{
			"DEFAULT_4XX": {ResponseType: "DEFAULT_4XX", ResponseParameters: map[string]string{
				"gatewayresponse.header.Access-Control-Allow-Origin":  "'*'",
				"gatewayresponse.header.Access-Control-Allow-Headers": "'Content-Type,Authorization'",
			}},
			"MISSING_AUTHENTICATION_TOKEN": {ResponseType: "MISSING_AUTHENTICATION_TOKEN", StatusCode: "404",
				ResponseParameters: map[string]string{"gatewayresponse.header.X-Echo": "method.request.header.X-Trace"},
				ResponseTemplates:  map[string]string{"application/json": `{"error":$context.error.messageString,"type":"$context.error.responseType","id":"$context.requestId"}`}},
			"DEFAULT_5XX": {ResponseType: "DEFAULT_5XX", ResponseParameters: map[string]string{"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"}},
		}
	})
	// UNAUTHORIZED is not customized: DEFAULT_4XX's headers, default body.
	a := f.do(t, "GET", "/items", nil, "")
	expect(t, a, 401, unauthorized)
	if a.header.Get("Access-Control-Allow-Origin") != "*" || a.header.Get("Access-Control-Allow-Headers") != "Content-Type,Authorization" {
		t.Fatalf("CORS headers missing on 401: %v", a.header)
	}
	// MISSING_AUTHENTICATION_TOKEN is customized: its status, header mapping
	// and template; its own parameters replace DEFAULT_4XX's.
	a = f.do(t, "GET", "/nope", map[string]string{"X-Trace": "t-1"}, "")
	want := `{"error":"Missing Authentication Token","type":"MISSING_AUTHENTICATION_TOKEN","id":"` + a.header.Get("x-amzn-RequestId") + `"}`
	expect(t, a, 404, want)
	if a.header.Get("X-Echo") != "t-1" || a.header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("headers %v", a.header)
	}
	// 5XX: the non-loopback backend is refused with DEFAULT_5XX's header.
	a = f.do(t, "GET", "/external", nil, "")
	if a.status != 500 || !strings.Contains(a.body, "only to loopback") || a.header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("%d %s %v", a.status, a.body, a.header)
	}
	var m map[string]string
	if err := json.Unmarshal([]byte(a.body), &m); err != nil {
		t.Fatalf("5xx body is not JSON: %v", err)
	}
}

func TestDefault4XXStatusOverride(t *testing.T) {
	f := newFixture(t, func(s *Snapshot) {
		s.GatewayResponses = map[string]*GatewayResponse{
			"UNAUTHORIZED": {ResponseType: "UNAUTHORIZED", StatusCode: "403",
				ResponseTemplates: map[string]string{"application/json": `{"msg":"$context.error.message"}`}},
		}
	})
	expect(t, f.do(t, "GET", "/items", nil, ""), 403, `{"msg":"Unauthorized"}`)
}

func TestDefault4XXStatusAppliesToEvery4XX(t *testing.T) {
	f := newFixture(t, func(s *Snapshot) {
		s.GatewayResponses = map[string]*GatewayResponse{
			"DEFAULT_4XX":                  {ResponseType: "DEFAULT_4XX", StatusCode: "400"},
			"MISSING_AUTHENTICATION_TOKEN": {ResponseType: "MISSING_AUTHENTICATION_TOKEN", StatusCode: "404"},
		}
	})
	// UNAUTHORIZED has no status of its own: DEFAULT_4XX's applies.
	expect(t, f.do(t, "GET", "/items", nil, ""), 400, unauthorized)
	// One with its own status keeps it.
	expect(t, f.do(t, "GET", "/nope", nil, ""), 404, missingToken)
	// 5XX are untouched.
	if a := f.do(t, "GET", "/external", nil, ""); a.status != 500 {
		t.Fatalf("5xx status %d", a.status)
	}
}

func TestCORSPreflightMock(t *testing.T) {
	f := newFixture(t, nil)
	a := f.do(t, "OPTIONS", "/items", map[string]string{"Origin": "https://app.example.com", "Access-Control-Request-Method": "POST"}, "")
	expect(t, a, 200, "")
	for k, v := range map[string]string{
		"Access-Control-Allow-Origin":  "https://app.example.com",
		"Access-Control-Allow-Methods": "GET,POST,OPTIONS",
		"Access-Control-Allow-Headers": "Content-Type,Authorization",
	} {
		if a.header.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, a.header.Get(k), v)
		}
	}
}

func TestMockSelectsIntegrationResponse(t *testing.T) {
	f := newFixture(t, func(s *Snapshot) {
		s.Resources[0].Methods["PUT"] = &Method{AuthorizationType: "NONE", Integration: &Integration{Type: "MOCK",
			RequestTemplates: map[string]string{"application/json": `{"statusCode": 418}`},
			IntegrationResponses: map[string]*IntegrationResponse{
				"200": {StatusCode: "200"},
				"418": {StatusCode: "418", SelectionPattern: "4\\d\\d", ResponseParameters: map[string]string{"method.response.header.X-Kind": "'teapot'"},
					ResponseTemplates: map[string]string{"application/json": `{"short":"and stout"}`}},
			}}}
		s.Resources[0].Methods["PATCH"] = &Method{AuthorizationType: "NONE", Integration: &Integration{Type: "MOCK",
			RequestTemplates: map[string]string{"application/json": `{"statusCode": 500}`},
			IntegrationResponses: map[string]*IntegrationResponse{
				"200": {StatusCode: "200", SelectionPattern: "2\\d\\d"},
			}}}
	})
	a := f.do(t, "PUT", "/", nil, "")
	expect(t, a, 418, `{"short":"and stout"}`)
	if a.header.Get("X-Kind") != "teapot" {
		t.Errorf("header %v", a.header)
	}
	expect(t, f.do(t, "PATCH", "/", nil, ""), 500, `{"message":"Internal server error"}`)
}

func TestHTTPProxyLoopback(t *testing.T) {
	f := newFixture(t, nil)
	a := f.do(t, "POST", "/api/a/b%20c?x=1&y=2", map[string]string{"Authorization": "secret", "X-Custom": "yes"}, "hello")
	expect(t, a, 418, "")
	var got map[string]string
	if err := json.Unmarshal([]byte(a.body), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"method": "POST", "path": "/backend/a/b%20c", "query": "x=1&y=2", "auth": "secret", "body": "hello", "custom": "yes"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("backend saw %s=%q, want %q", k, got[k], v)
		}
	}
	if a.header.Get("X-Amzn-Remapped-WWW-Authenticate") == "" || a.header.Get("WWW-Authenticate") != "" {
		t.Errorf("WWW-Authenticate not remapped: %v", a.header)
	}
}

func TestHTTPBackendDownAndTimeout(t *testing.T) {
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()
	f := newFixture(t, func(s *Snapshot) {
		s.Resources[0].Methods["PUT"] = &Method{AuthorizationType: "NONE", Integration: &Integration{Type: "HTTP_PROXY", HTTPMethod: "GET", URI: slow.URL, TimeoutInMillis: 50}}
		s.Resources[0].Methods["PATCH"] = &Method{AuthorizationType: "NONE", Integration: &Integration{Type: "HTTP_PROXY", HTTPMethod: "GET", URI: deadURL}}
	})
	expect(t, f.do(t, "PUT", "/", nil, ""), 504, `{"message":"Endpoint request timed out"}`)
	expect(t, f.do(t, "PATCH", "/", nil, ""), 504, `{"message":"Internal server error"}`)
}

func TestHTTPNonProxyMapsStatus(t *testing.T) {
	f := newFixture(t, func(s *Snapshot) {
		backend := strings.TrimSuffix(s.ResourceByPath("/api/{proxy+}").Methods["ANY"].Integration.URI, "/backend/{proxy}")
		s.Resources[0].Methods["PUT"] = &Method{AuthorizationType: "NONE", Integration: &Integration{
			Type: "HTTP", HTTPMethod: "GET", URI: backend + "/x",
			IntegrationResponses: map[string]*IntegrationResponse{
				"200": {StatusCode: "200"},
				"400": {StatusCode: "400", SelectionPattern: "4\\d\\d", ResponseParameters: map[string]string{"method.response.header.X-Backend-Type": "integration.response.header.Content-Type"}},
			}}}
	})
	// The backend answers 418: the 4\d\d integration response maps it to 400.
	a := f.do(t, "PUT", "/", nil, "")
	expect(t, a, 400, "")
	if a.header.Get("X-Backend-Type") != "application/json" || !strings.Contains(a.body, `"path":"/x"`) {
		t.Errorf("%v %s", a.header, a.body)
	}
}

func TestHTTPRequestParameters(t *testing.T) {
	f := newFixture(t, func(s *Snapshot) {
		backend := strings.TrimSuffix(s.ResourceByPath("/api/{proxy+}").Methods["ANY"].Integration.URI, "/backend/{proxy}")
		s.ResourceByPath("/items/{id}").Methods["PUT"] = &Method{AuthorizationType: "NONE", Integration: &Integration{
			Type: "HTTP", HTTPMethod: "POST", URI: backend + "/things/{thing}",
			RequestParameters: map[string]string{
				"integration.request.path.thing":      "method.request.path.id",
				"integration.request.querystring.q":   "method.request.querystring.search",
				"integration.request.header.X-Custom": "'fixed'",
			},
			IntegrationResponses: map[string]*IntegrationResponse{"default": {StatusCode: "200"}},
		}}
	})
	a := f.do(t, "PUT", "/items/a%2Fb?search=milk&other=1", map[string]string{"X-Custom": "client", "Authorization": "x"}, "body")
	expect(t, a, 200, "")
	var got map[string]string
	if err := json.Unmarshal([]byte(a.body), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"method": "POST", "path": "/things/a%2Fb", "query": "q=milk", "custom": "fixed", "auth": "", "body": "body"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("backend saw %s=%q, want %q", k, got[k], v)
		}
	}
}

func TestAWSProxyCannedAnswer(t *testing.T) {
	f := newFixture(t, nil)
	a := f.do(t, "POST", "/fn?q=1", auth(idToken(t)), `{"title":"milk"}`)
	expect(t, a, 200, "")
	var got struct {
		Note  string `json:"portcullis"`
		Event struct {
			Body           string
			HTTPMethod     string `json:"httpMethod"`
			Resource       string
			RequestContext struct {
				Authorizer struct{ Claims map[string]string }
				Stage      string
			} `json:"requestContext"`
			Query map[string]string `json:"queryStringParameters"`
		}
	}
	if err := json.Unmarshal([]byte(a.body), &got); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got.Note, "no Lambda ran") {
		t.Errorf("note %q", got.Note)
	}
	c := got.Event.RequestContext.Authorizer.Claims
	if c["cognito:username"] != "alice" || c["token_use"] != "id" || c["aud"] != "webclient" {
		t.Errorf("claims %v", c)
	}
	if got.Event.Body != `{"title":"milk"}` || got.Event.Resource != "/fn" || got.Event.Query["q"] != "1" || got.Event.RequestContext.Stage != "prod" {
		t.Errorf("event %+v", got.Event)
	}
	expect(t, f.do(t, "POST", "/fn", nil, ""), 401, unauthorized)
}

func TestAuthorizerCache(t *testing.T) {
	clock := time.Now()
	var clockMu sync.Mutex
	now := func() time.Time { clockMu.Lock(); defer clockMu.Unlock(); return clock }
	e := New(Options{Now: now, DataPlane: DataPlaneOptions{Verifier: verifierForTest(t)}})
	snap := testSnapshot("http://127.0.0.1:1")
	snap.Authorizers[0].ResultTTL = ttl(60)
	deploy(e, "prod", snap, nil)
	f := &dpFixture{e: e, h: e.Handler()}
	tok := idToken(t)
	expect(t, f.do(t, "GET", "/items", auth(tok), ""), 200, "")

	// Take the verifier away: the cached decision still answers.
	dp := e.dataPlane.(*dataPlane)
	dp.opts.Verifier = nil
	expect(t, f.do(t, "GET", "/items", auth(tok), ""), 200, "")
	// ... but only for the same token and scopes.
	expect(t, f.do(t, "GET", "/items", auth(tok+"  "), ""), 200, "") // trimmed: the same token
	expect(t, f.do(t, "POST", "/items", auth(tok), ""), 401, unauthorized)
	// After the TTL it is gone.
	clockMu.Lock()
	clock = clock.Add(61 * time.Second)
	clockMu.Unlock()
	expect(t, f.do(t, "GET", "/items", auth(tok), ""), 401, unauthorized)

	// TTL 0 caches nothing.
	dp.opts.Verifier = verifierForTest(t)
	snap0 := testSnapshot("http://127.0.0.1:1")
	deploy(e, "zero", snap0, nil)
	req := func() answer {
		r := localRequest("GET", "/restapis/"+dpAPI+"/zero/_user_request_/items", nil)
		r.Header.Set("Authorization", tok)
		rec := httptest.NewRecorder()
		f.h.ServeHTTP(rec, r)
		return answer{rec.Code, canonical(rec.Header()), rec.Body.String()}
	}
	if a := req(); a.status != 200 {
		t.Fatal(a)
	}
	dp.opts.Verifier = nil
	if a := req(); a.status != 401 {
		t.Fatalf("TTL 0 cached a decision: %d", a.status)
	}
}

func TestFlushEmptiesAuthorizerCache(t *testing.T) {
	e := New(Options{DataPlane: DataPlaneOptions{Verifier: verifierForTest(t)}})
	snap := testSnapshot("http://127.0.0.1:1")
	snap.Authorizers[0].ResultTTL = nil // 300 s
	deploy(e, "prod", snap, nil)
	f := &dpFixture{e: e, h: e.Handler()}
	tok := idToken(t)
	expect(t, f.do(t, "GET", "/items", auth(tok), ""), 200, "")
	e.dataPlane.(*dataPlane).opts.Verifier = nil
	expect(t, f.do(t, "GET", "/items", auth(tok), ""), 200, "")
	e.mu.Lock()
	e.flushGen[dpAPI+"/prod"]++
	e.mu.Unlock()
	expect(t, f.do(t, "GET", "/items", auth(tok), ""), 401, unauthorized)
}

func TestConcurrentInvokes(t *testing.T) {
	f := newFixture(t, func(s *Snapshot) { s.Authorizers[0].ResultTTL = ttl(300) })
	toks := []string{idToken(t), badToken(t, tokens.BadForged), ""}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 25 {
				tok := toks[(i+j)%len(toks)]
				a := f.do(t, "GET", "/items", auth(tok), "")
				want := 200
				if tok != toks[0] {
					want = 401
				}
				if a.status != want {
					t.Errorf("status %d, want %d", a.status, want)
					return
				}
			}
		}()
	}
	// Redeploy while requests run: each request sees one whole snapshot.
	for range 5 {
		deploy(f.e, "prod", testSnapshot(f.backend.URL), nil)
	}
	wg.Wait()
}

func TestExactHeaderSpelling(t *testing.T) {
	f := newFixture(t, nil)
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, localRequest("GET", "/restapis/"+dpAPI+"/prod/_user_request_/items", nil))
	for _, k := range []string{"x-amzn-RequestId", "x-amz-apigw-id", "x-amzn-ErrorType"} {
		if len(rec.Header()[k]) != 1 {
			t.Errorf("%s not written with API Gateway's spelling: %v", k, rec.Header())
		}
	}
}

// localRequest is httptest.NewRequest with the Host a loopback client
// sends (httptest's default, example.com, is refused by the gateway).
func localRequest(method, target string, body io.Reader) *http.Request {
	r := httptest.NewRequest(method, target, body)
	r.Host = "127.0.0.1:4567"
	return r
}
