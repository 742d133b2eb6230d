package emulator

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	v2types "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/portcullis-dev/portcullis/tokens"
)

func v2Bad(t testing.TB, kind tokens.Bad) string {
	t.Helper()
	tok, err := issuerForTest(t).MintBad(kind, tokens.MintOptions{Pool: dpPool, Username: "alice", ClientID: "client-a", Scopes: []string{"todo/read"}})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func v2Token(t testing.TB, use string, scopes ...string) string {
	t.Helper()
	tok, err := issuerForTest(t).Mint(tokens.MintOptions{Pool: dpPool, Username: "alice", ClientID: "client-a", TokenUse: use, Scopes: scopes})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// v2Gateway is an emulator with the v2 fixture API deployed to an
// auto-deploying $default stage, in front of an echo backend.
func v2Gateway(t testing.TB, cors *v2types.Cors) (base string, f v2Fixture, e *Emulator) {
	t.Helper()
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Backend", "yes")
		io.WriteString(w, "backend "+r.Method+" "+r.URL.Path)
	}))
	t.Cleanup(backend.Close)
	e = New(Options{DataPlane: DataPlaneOptions{Verifier: verifierForTest(t)}})
	c, srv := newV2CP(t, e)
	f = makeV2API(t, c, backend.URL+"/{proxy}", cors)
	check(c.CreateStage(context.Background(), &apigatewayv2.CreateStageInput{ApiId: aws.String(f.api), StageName: aws.String("$default"), AutoDeploy: aws.Bool(true)}))(t)
	return srv.URL, f, e
}

func call(t testing.TB, method, url string, hdr map[string]string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestV2DataPlaneJWT(t *testing.T) {
	base, f, _ := v2Gateway(t, nil)
	u := base + "/restapis/" + f.api + "/$default/_user_request_"
	access := v2Token(t, tokens.UseAccess, "todo/read")
	id := v2Token(t, tokens.UseID)
	for _, c := range []struct {
		name, method, path, auth string
		status                   int
		body                     string
		wwwAuth                  string
	}{
		{"open route", "GET", "/health", "", 200, "backend GET /health", ""},
		{"no token", "GET", "/items/1", "", 401, `{"message":"Unauthorized"}`, "Bearer"},
		{"garbage", "GET", "/items/1", "garbage", 401, `{"message":"Unauthorized"}`, `error="invalid_token"`},
		{"forged", "GET", "/items/1", v2Bad(t, tokens.BadForged), 401, `{"message":"Unauthorized"}`, "signature"},
		{"expired", "GET", "/items/1", v2Bad(t, tokens.BadExpired), 401, `{"message":"Unauthorized"}`, "expired"},
		{"access token with the scope, raw", "GET", "/items/1/x", access, 200, "backend GET /1/x", ""},
		{"access token with the scope, Bearer", "DELETE", "/items/1", "Bearer " + access, 200, "backend DELETE /1", ""},
		{"ID token on a scoped route", "GET", "/items/1", id, 403, `{"message":"Forbidden"}`, `error="insufficient_scope"`},
		{"access token without the scope", "GET", "/items/1", v2Token(t, tokens.UseAccess, "other"), 403, `{"message":"Forbidden"}`, "scope"},
		{"no route", "GET", "/nope", "", 404, `{"message":"Not Found"}`, ""},
		{"greedy needs a segment", "GET", "/items", access, 404, `{"message":"Not Found"}`, ""},
		{"preflight without CORS goes to the route", "OPTIONS", "/items/1", "", 401, `{"message":"Unauthorized"}`, "Bearer"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := map[string]string{}
			if c.auth != "" {
				h["Authorization"] = c.auth
			}
			if c.method == "OPTIONS" {
				h["Origin"], h["Access-Control-Request-Method"] = "https://app.example", "GET"
			}
			resp, body := call(t, c.method, u+c.path, h)
			if resp.StatusCode != c.status || body != c.body {
				t.Fatalf("got %d %s, want %d %s", resp.StatusCode, body, c.status, c.body)
			}
			if got := resp.Header.Get("www-authenticate"); !strings.Contains(got, c.wwwAuth) || (c.wwwAuth == "") != (got == "") {
				t.Fatalf("www-authenticate %q, want it to hold %q", got, c.wwwAuth)
			}
			if resp.Header.Get("apigw-requestid") == "" {
				t.Fatal("no apigw-requestid")
			}
		})
	}
	// A token sent twice is one value joined with a comma, which is no
	// token (docs/local-gateway.md).
	req2, _ := http.NewRequest("GET", u+"/items/1/x", nil)
	req2.Header.Add("Authorization", access)
	req2.Header.Add("Authorization", access)
	if resp, err := http.DefaultClient.Do(req2); err != nil || resp.StatusCode != 401 {
		t.Fatalf("two Authorization headers: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	// The Host form: no stage segment for $default.
	req, _ := http.NewRequest("GET", base+"/health", nil)
	req.Host = f.api + ".execute-api.localhost"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(b) != "backend GET /health" {
		t.Fatalf("Host form: %d %s", resp.StatusCode, b)
	}
}

func TestV2DataPlaneCORS(t *testing.T) {
	base, f, _ := v2Gateway(t, &v2types.Cors{AllowOrigins: []string{"https://app.example"}, AllowMethods: []string{"GET", "DELETE"},
		AllowHeaders: []string{"authorization"}, MaxAge: aws.Int32(600), ExposeHeaders: []string{"x-backend"}})
	u := base + "/restapis/" + f.api + "/$default/_user_request_"
	pre := map[string]string{"Origin": "https://app.example", "Access-Control-Request-Method": "DELETE", "Access-Control-Request-Headers": "authorization"}
	resp, body := call(t, "OPTIONS", u+"/items/1", pre)
	if resp.StatusCode != 204 || body != "" || resp.Header.Get("Access-Control-Allow-Origin") != "https://app.example" ||
		resp.Header.Get("Access-Control-Allow-Methods") != "GET,DELETE" || resp.Header.Get("Access-Control-Max-Age") != "600" {
		t.Fatalf("preflight on an authorized route: %d %q %v", resp.StatusCode, body, resp.Header)
	}
	pre["Origin"] = "https://evil.example"
	resp, _ = call(t, "OPTIONS", u+"/items/1", pre)
	if resp.StatusCode != 204 || resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("preflight from a foreign origin: %d %v", resp.StatusCode, resp.Header)
	}
	// The actual request carries the CORS headers, refusals included.
	resp, _ = call(t, "GET", u+"/items/1", map[string]string{"Origin": "https://app.example", "Authorization": v2Token(t, tokens.UseAccess, "todo/read")})
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "https://app.example" || resp.Header.Get("Access-Control-Expose-Headers") != "x-backend" {
		t.Fatalf("actual request: %d %v", resp.StatusCode, resp.Header)
	}
	resp, _ = call(t, "GET", u+"/items/1", map[string]string{"Origin": "https://app.example"})
	if resp.StatusCode != 401 || resp.Header.Get("Access-Control-Allow-Origin") != "https://app.example" {
		t.Fatalf("refusal: %d %v", resp.StatusCode, resp.Header)
	}
}

func TestV2RoutePriority(t *testing.T) {
	snap := &HTTPSnapshot{}
	for _, k := range []string{"$default", "ANY /{proxy+}", "GET /pets/{id}", "GET /pets/dog", "ANY /pets/dog", "GET /pets/{id}/toys/{proxy+}"} {
		snap.Routes = append(snap.Routes, &HTTPRoute{RouteKey: k})
	}
	rt := compileV2Routes(snap)
	for _, c := range []struct{ method, path, want string }{
		{"GET", "/pets/dog", "GET /pets/dog"},
		{"POST", "/pets/dog", "ANY /pets/dog"},
		{"GET", "/pets/cat", "GET /pets/{id}"},
		{"GET", "/pets/cat/toys/a/b", "GET /pets/{id}/toys/{proxy+}"},
		{"DELETE", "/pets/cat", "ANY /{proxy+}"},
		{"GET", "/", "$default"},
		// HEAD is a method of its own: a GET route does not serve it
		// (docs/local-gateway.md, where AWS's docs are silent).
		{"HEAD", "/pets/dog", "ANY /pets/dog"},
		{"HEAD", "/pets/cat", "ANY /{proxy+}"},
	} {
		r, _ := rt.match(c.method, splitSegments(c.path))
		if r == nil || r.RouteKey != c.want {
			t.Errorf("%s %s: got %v, want %s", c.method, c.path, r, c.want)
		}
	}
}

// TestV2HeadIsNotGet: a HEAD request to a path only a GET route covers
// matches no route, so the API's 404 answers it, before any authorizer,
// as API Gateway treats HEAD and GET as two methods (docs/local-gateway.md).
func TestV2HeadIsNotGet(t *testing.T) {
	e := New(Options{DataPlane: DataPlaneOptions{Verifier: verifierForTest(t)}})
	id := deployV2Bench(e)
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()
	u := srv.URL + "/restapis/" + id + "/$default/_user_request_/items"
	if resp, _ := call(t, "GET", u, nil); resp.StatusCode != 401 {
		t.Fatalf("GET without a token: %d, want 401 (the route exists)", resp.StatusCode)
	}
	if resp, _ := call(t, "HEAD", u, nil); resp.StatusCode != 404 {
		t.Errorf("HEAD to a GET route: %d, want 404", resp.StatusCode)
	}
}

// TestV2LambdaEvent: an AWS_PROXY route answers with the payload 2.0 event
// its function would get, JWT claims and scopes included.
func TestV2LambdaEvent(t *testing.T) {
	e := New(Options{DataPlane: DataPlaneOptions{Verifier: verifierForTest(t)}})
	id := deployV2Bench(e)
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()
	tok, err := issuerForTest(t).Mint(tokens.MintOptions{Pool: dpPool, Username: "alice", ClientID: "client-a", TokenUse: tokens.UseAccess,
		Scopes: []string{"todo/read"}, Groups: []string{"admins", "users"}})
	if err != nil {
		t.Fatal(err)
	}
	resp, body := call(t, "GET", srv.URL+"/restapis/"+id+"/$default/_user_request_/items?x=1", map[string]string{"Authorization": tok})
	var got struct {
		Event struct {
			Version, RouteKey, RawQueryString string
			RequestContext                    struct {
				Authorizer struct {
					JWT struct {
						Claims map[string]string
						Scopes []string
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil || resp.StatusCode != 200 {
		t.Fatalf("%d %s: %v", resp.StatusCode, body, err)
	}
	ev := got.Event
	if ev.Version != "2.0" || ev.RouteKey != "GET /items" || ev.RawQueryString != "x=1" ||
		ev.RequestContext.Authorizer.JWT.Claims["client_id"] != "client-a" || ev.RequestContext.Authorizer.JWT.Scopes[0] != "todo/read" {
		t.Fatalf("event %+v", ev)
	}
	// An HTTP API writes a list claim in brackets with spaces, not as a
	// REST API's Cognito authorizer does.
	if g := ev.RequestContext.Authorizer.JWT.Claims["cognito:groups"]; g != "[admins users]" {
		t.Errorf("cognito:groups claim %q, want %q", g, "[admins users]")
	}
	// exp and iat are the token's numbers as strings ("1612061676"), as a
	// real HTTP API event shows them
	// (https://github.com/awsdocs/amazon-api-gateway-developer-guide/issues/113),
	// not the REST Cognito authorizer's date form.
	for _, k := range []string{"exp", "iat"} {
		v := ev.RequestContext.Authorizer.JWT.Claims[k]
		if n, err := strconv.ParseInt(v, 10, 64); err != nil || n < 1e9 {
			t.Errorf("%s claim %q, want the number of seconds as a string", k, v)
		}
	}
}
