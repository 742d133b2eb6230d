package emulator

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	v2types "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
)

// TestHostileWebPageIsRefused replays what a page in the developer's
// browser can send to the gateway's well-known port: simple cross-origin
// requests (no preflight), preflights, and DNS rebinding (its own name in
// Host). None of them may change anything.
func TestHostileWebPageIsRefused(t *testing.T) {
	e := New(Options{})
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()
	send := func(method, path, host, body string, header ...string) (int, http.Header, string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		if host != "" {
			req.Host = host
		}
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		_, _ = io_Copy(&b, resp)
		return resp.StatusCode, resp.Header, b.String()
	}
	simple := []string{"Content-Type", "text/plain", "Origin", "https://evil.example"}
	for _, c := range []struct {
		name, method, path, host string
		header                   []string
	}{
		{"simple POST creates no API", "POST", "/restapis", "", simple},
		{"simple POST sets no faults", "POST", "/_portcullis/faults", "", simple},
		{"simple DELETE of the state", "DELETE", "/_portcullis/state", "", []string{"Origin", "https://evil.example"}},
		{"preflight to the control plane", "OPTIONS", "/restapis", "", []string{"Origin", "https://evil.example", "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization"}},
		{"preflight to the admin endpoint", "OPTIONS", "/_portcullis/faults", "", []string{"Origin", "https://evil.example", "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", AdminHeader}},
		{"rebound Host with a signed-looking call", "POST", "/restapis", "evil.example:4567", []string{"Authorization", testSigV4}},
		{"rebound Host on the admin endpoint", "PUT", "/_portcullis/faults", "evil.example", []string{AdminHeader, "1"}},
		{"rebound Host on the data plane", "GET", "/restapis/abc/prod/_user_request_/x", "rebind.evil.example", nil},
		{"execute-api name under another domain", "GET", "/prod/x", "abc.execute-api.localhost.evil.example", nil},
	} {
		body := `{"name":"pwned"}`
		if strings.Contains(c.path, "faults") {
			body = `{"throttle":1}`
		}
		status, h, out := send(c.method, c.path, c.host, body, c.header...)
		if status != http.StatusForbidden {
			t.Errorf("%s: %d %s, want 403", c.name, status, out)
		}
		if h.Get("Access-Control-Allow-Origin") != "" || h.Get("Access-Control-Allow-Headers") != "" {
			t.Errorf("%s: CORS headers %v", c.name, h)
		}
	}
	if n := len(e.apis); n != 0 {
		t.Errorf("%d APIs created by a web page", n)
	}
	if f := e.Faults(); f.Throttle != 0 || len(f.Inject) != 0 {
		t.Errorf("faults set by a web page: %+v", f)
	}

	// What real callers send still works.
	if status, _, out := send("POST", "/restapis", "", `{"name":"ok"}`, "Authorization", testSigV4); status != 201 {
		t.Errorf("signed create: %d %s", status, out)
	}
	if status, _, out := send("GET", "/_portcullis/health", "localhost:4567", "", AdminHeader, "1"); status != 200 {
		t.Errorf("admin health: %d %s", status, out)
	}
	for _, host := range []string{"127.0.0.1:1", "[::1]:1", "localhost", "LocalHost."} {
		if status, _, out := send("GET", "/restapis", host, "", "Authorization", testSigV4); status != 200 {
			t.Errorf("Host %s: %d %s", host, status, out)
		}
	}
}

func io_Copy(b *strings.Builder, resp *http.Response) (int64, error) {
	buf := make([]byte, 4096)
	var n int64
	for {
		k, err := resp.Body.Read(buf)
		b.Write(buf[:k])
		n += int64(k)
		if err != nil {
			return n, nil
		}
	}
}

// TestRequestHeadOverTheQuota: request line plus headers over 10,240
// bytes get API Gateway's REQUEST_TOO_LARGE answer, JSON, not Go's
// plain-text 431.
func TestRequestHeadOverTheQuota(t *testing.T) {
	f := newFixture(t, nil)
	ok := f.do(t, "GET", "/items/special", map[string]string{"X-Pad": strings.Repeat("a", 9000)}, "")
	expect(t, ok, 200, `{"literal":true}`)
	big := f.do(t, "GET", "/items/special", map[string]string{"X-Pad": strings.Repeat("a", 10300)}, "")
	expect(t, big, 413, `{"message":"Request Too Long"}`)
	if got := big.header.Get("Content-Type"); got != "application/json" {
		t.Errorf("content type %q", got)
	}

	// Over a real socket too: Go's server would have taken up to 1 MB.
	srv := httptest.NewServer(f.h)
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/restapis/"+dpAPI+"/prod/_user_request_/items/special", nil)
	for i := 0; i < 40; i++ {
		req.Header.Set("X-Pad-"+strings.Repeat("b", i%5)+string(rune('a'+i%26))+string(rune('a'+i/26)), strings.Repeat("c", 1000))
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 413 || resp.Header.Get("x-amzn-ErrorType") != "RequestTooLargeException" {
		t.Errorf("40 KB of headers: %d %v", resp.StatusCode, resp.Header)
	}
}

// TestLogLinesCannotBeForged: a decoded %0A or an ANSI escape in the path
// stays on its line, escaped.
func TestLogLinesCannotBeForged(t *testing.T) {
	f := newFixture(t, nil)
	a := f.do(t, "GET", "/x%0Agateway:%20GET%20abc/prod/admin:%20allowed%1b[2J%1b[31m", nil, "")
	lines := f.logs.lines
	if a.status != 403 || len(lines) != 1 {
		t.Fatalf("%d, %d lines: %q", a.status, len(lines), lines)
	}
	if strings.ContainsAny(lines[0], "\n\r\x1b") {
		t.Errorf("raw control characters in %q", lines[0])
	}
	if !strings.Contains(lines[0], `x\ngateway:`) || !strings.Contains(lines[0], `\x1b[2J`) {
		t.Errorf("not escaped visibly: %q", lines[0])
	}
}

// TestLowercaseVerbSkipsNoProtectedMethod: "get" on a resource with a
// protected GET and a public ANY is refused as an undeployed verb; it is
// never served by ANY.
func TestLowercaseVerbSkipsNoProtectedMethod(t *testing.T) {
	f := newFixture(t, func(s *Snapshot) {
		s.Resources = append(s.Resources, &Resource{ID: "mix", ParentID: "root", PathPart: "mix", Path: "/mix", Methods: map[string]*Method{
			"GET": {HTTPMethod: "GET", AuthorizationType: "COGNITO_USER_POOLS", AuthorizerID: "auth1", Integration: mockOK(`{"protected":true}`)},
			"ANY": {HTTPMethod: "ANY", AuthorizationType: "NONE", Integration: mockOK(`{"public":true}`)},
		}})
	})
	expect(t, f.do(t, "GET", "/mix", nil, ""), 401, `{"message":"Unauthorized"}`)
	expect(t, f.do(t, "POST", "/mix", nil, ""), 200, `{"public":true}`)
	for _, verb := range []string{"get", "Get", "gEt", "post"} {
		expect(t, f.do(t, verb, "/mix", nil, ""), 403, `{"message":"Missing Authentication Token"}`)
	}
}

// TestV2SameGuards: the HTTP API data plane keeps the same rules: a
// lowercase verb never reaches a public ANY beside a protected GET, the
// request-head quota answers 413, and log lines are escaped.
func TestV2SameGuards(t *testing.T) {
	var lines []string
	e := New(Options{DataPlane: DataPlaneOptions{Verifier: verifierForTest(t), Logf: func(format string, args ...any) {
		lines = append(lines, fmt.Sprintf(format, args...))
	}}})
	c, srv := newV2CP(t, e)
	f := makeV2API(t, c, "http://127.0.0.1:1/{proxy}", nil)
	ctx := context.Background()
	mock := check(c.CreateIntegration(ctx, &apigatewayv2.CreateIntegrationInput{ApiId: &f.api, IntegrationType: v2types.IntegrationTypeHttpProxy,
		IntegrationMethod: aws.String("GET"), IntegrationUri: aws.String("http://127.0.0.1:1/x"), PayloadFormatVersion: aws.String("1.0")}))(t)
	check(c.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{ApiId: &f.api, RouteKey: aws.String("GET /mix"), Target: aws.String("integrations/" + *mock.IntegrationId),
		AuthorizationType: v2types.AuthorizationTypeJwt, AuthorizerId: &f.auth}))(t)
	check(c.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{ApiId: &f.api, RouteKey: aws.String("ANY /mix"), Target: aws.String("integrations/" + *mock.IntegrationId)}))(t)
	check(c.CreateStage(ctx, &apigatewayv2.CreateStageInput{ApiId: &f.api, StageName: aws.String("$default"), AutoDeploy: aws.Bool(true)}))(t)
	u := srv.URL + "/restapis/" + f.api + "/$default/_user_request_"

	if resp, body := call(t, "GET", u+"/mix", nil); resp.StatusCode != 401 {
		t.Fatalf("GET /mix without a token: %d %s", resp.StatusCode, body)
	}
	for _, verb := range []string{"get", "Get"} {
		if resp, body := call(t, verb, u+"/mix", nil); resp.StatusCode != 404 || body != `{"message":"Not Found"}` {
			t.Errorf("%s /mix: %d %s, want 404", verb, resp.StatusCode, body)
		}
	}
	if resp, body := call(t, "GET", u+"/health", map[string]string{"X-Pad": strings.Repeat("a", 10300)}); resp.StatusCode != 413 || !strings.HasPrefix(body, `{"message":`) {
		t.Errorf("10 KB of headers: %d %s", resp.StatusCode, body)
	}
	lines = nil
	call(t, "GET", u+"/nope%0Agateway:%20fake%1b[2J", nil)
	if len(lines) != 1 || strings.ContainsAny(lines[0], "\n\x1b") {
		t.Errorf("log lines %q", lines)
	}
}
