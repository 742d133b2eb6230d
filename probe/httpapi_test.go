package probe

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/portcullis-dev/portcullis/spec"
)

func httpRoute(key string, examples map[string]string) *spec.HTTPRoute {
	m, p, _ := strings.Cut(key, " ")
	return &spec.HTTPRoute{Key: key, Method: m, Path: p, AuthType: spec.AuthNone, ParamExamples: examples}
}

// TestHTTPRequestFillsParams: an HTTP API's path parameters are filled as
// a REST API's: --param, then the examples, for safe methods; unsafe ones
// take --param only with --unsafe and never the examples; a greedy value
// keeps its slashes, each segment escaped.
func TestHTTPRequestFillsParams(t *testing.T) {
	params := map[string]string{"id": "7", "proxy": "a/b c/d"}
	for _, c := range []struct {
		key      string
		examples map[string]string
		params   map[string]string
		unsafe   bool
		method   string
		path     string
	}{
		{"GET /items/{id}", map[string]string{"id": "42"}, params, false, "GET", "/items/7"},
		{"GET /items/{id}", map[string]string{"id": "42"}, nil, false, "GET", "/items/42"},
		{"GET /items/{id}", nil, nil, false, "GET", "/items/" + placeholder},
		{"DELETE /items/{id}", map[string]string{"id": "42"}, params, false, "DELETE", "/items/" + placeholder},
		{"DELETE /items/{id}", map[string]string{"id": "42"}, nil, true, "DELETE", "/items/" + placeholder},
		{"DELETE /items/{id}", map[string]string{"id": "42"}, params, true, "DELETE", "/items/7"},
		{"ANY /{proxy+}", nil, params, false, "GET", "/a/b%20c/d"},
		{"ANY /{proxy+}", nil, nil, false, "GET", "/" + greedyPlaceholder},
		{"GET /", nil, params, false, "GET", "/"},
		{"$default", nil, params, false, "GET", "/portcullis-probe-default"},
	} {
		r := httpRoute(c.key, c.examples)
		if c.key == "$default" {
			r.Method, r.Path = "", ""
		}
		o := &HTTPOptions{Params: c.params, Unsafe: c.unsafe}
		if m, p := o.request(r); m != c.method || p != c.path {
			t.Errorf("%s (params %v, unsafe %v): %s %s, want %s %s", c.key, c.params, c.unsafe, m, p, c.method, c.path)
		}
	}
}

// TestHTTPDefaultRouteProbedWhereNoRouteTakes: $default is probed on a
// path no other route matches; behind ANY /{proxy+} (which takes every
// path but the root, as on API Gateway) that is "/", else the $default
// probe judges /{proxy+}'s answer.
func TestHTTPDefaultRouteProbedWhereNoRouteTakes(t *testing.T) {
	def := httpRoute("$default", nil)
	def.Method, def.Path = "", ""
	for _, c := range []struct {
		keys []string
		path string
	}{
		{nil, "/portcullis-probe-default"},
		{[]string{"GET /pets"}, "/portcullis-probe-default"},
		{[]string{"ANY /{proxy+}"}, "/"},
		{[]string{"GET /{id}"}, "/"},
		{[]string{"POST /{proxy+}"}, "/portcullis-probe-default"},
	} {
		api := &spec.HTTPAPI{Routes: []*spec.HTTPRoute{def}}
		for _, k := range c.keys {
			api.Routes = append(api.Routes, httpRoute(k, nil))
		}
		o := &HTTPOptions{API: api}
		if m, p := o.request(def); m != "GET" || p != c.path {
			t.Errorf("$default beside %v: %s %s, want GET %s", c.keys, m, p, c.path)
		}
	}
	// Beside ANY /{proxy+} and GET /, only another method on / reaches
	// $default: OPTIONS without CORS (the gateway may answer it with
	// CORS), else POST; beside ANY / too, nothing does.
	for _, c := range []struct {
		keys   []string
		cors   bool
		method string
	}{
		{[]string{"ANY /{proxy+}", "GET /"}, false, "OPTIONS"},
		{[]string{"ANY /{proxy+}", "GET /"}, true, "POST"},
		{[]string{"ANY /{proxy+}", "GET /", "OPTIONS /", "POST /"}, true, "PUT"},
		{[]string{"ANY /{proxy+}", "ANY /"}, false, ""},
	} {
		api := &spec.HTTPAPI{Routes: []*spec.HTTPRoute{def}}
		for _, k := range c.keys {
			api.Routes = append(api.Routes, httpRoute(k, nil))
		}
		if c.cors {
			api.CORS = &spec.CORS{AllowOrigins: []string{"https://app.example.com"}}
		}
		want := "/"
		if c.method == "" {
			want = ""
		}
		o := &HTTPOptions{API: api}
		if m, p := o.request(def); m != c.method || p != want {
			t.Errorf("$default beside %v (CORS %v): %q %q, want %q %q", c.keys, c.cors, m, p, c.method, want)
		}
	}
}

// TestHTTPPreflightJudgedAgainstCORS: the preflight carries --origin, and
// the gateway's CORS answer is judged against the API's allowOrigins: an
// allowed origin must get an Access-Control-Allow-Origin admitting it, an
// origin not allowed must not; the methods it allows, when it lists
// them, must hold the route's. The --debug trace has v1's form.
func TestHTTPPreflightJudgedAgainstCORS(t *testing.T) {
	api := &spec.HTTPAPI{Name: "cors", CORS: &spec.CORS{AllowOrigins: []string{"https://app.example.com"}},
		Routes: []*spec.HTTPRoute{httpRoute("GET /items/{id}", nil)}}
	// allow is what each fake gateway puts in Access-Control-Allow-Origin
	// for a request's origin.
	gateway := func(allow func(origin string) string, methods string) (*httptest.Server, func() []string) {
		var mu sync.Mutex
		var origins []string
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Apigw-Requestid", "test")
			if r.Method == http.MethodOptions {
				mu.Lock()
				origins = append(origins, r.Header.Get("Origin"))
				mu.Unlock()
				if a := allow(r.Header.Get("Origin")); a != "" {
					w.Header().Set("Access-Control-Allow-Origin", a)
					if methods != "" {
						w.Header().Set("Access-Control-Allow-Methods", methods)
					}
				}
				w.WriteHeader(http.StatusNoContent)
				return
			}
			io.WriteString(w, `{"ok":true}`)
		}))
		t.Cleanup(srv.Close)
		return srv, func() []string {
			mu.Lock()
			defer mu.Unlock()
			return append([]string(nil), origins...)
		}
	}
	asConfigured := func(o string) string {
		if o == "https://app.example.com" {
			return o
		}
		return ""
	}
	for _, c := range []struct {
		name    string
		allow   func(string) string
		methods string
		origin  string
		ok      bool
	}{
		{"allowed origin admitted", asConfigured, "", "https://app.example.com", true},
		{"default origin is the first allowed", asConfigured, "", "", true},
		{"allowed origin, method allowed", asConfigured, "POST, get", "https://app.example.com", true},
		{"allowed origin, every method allowed", asConfigured, "*", "https://app.example.com", true},
		{"allowed origin, method not allowed", asConfigured, "POST,DELETE", "https://app.example.com", false},
		{"other origin not admitted", asConfigured, "", "https://evil.example", true},
		{"other origin admitted by a wildcard", func(string) string { return "*" }, "", "https://evil.example", false},
		{"other origin reflected", func(o string) string { return o }, "", "https://evil.example", false},
		{"allowed origin not admitted", func(string) string { return "" }, "", "https://app.example.com", false},
		{"allowed origin answered for another", func(string) string { return "https://other.example" }, "", "https://app.example.com", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv, origins := gateway(c.allow, c.methods)
			var debug bytes.Buffer
			cases, ds, err := HTTP(context.Background(), HTTPOptions{API: api, BaseURL: srv.URL + "/prod", Origin: c.origin, Params: map[string]string{"id": "7"}, Debug: &debug})
			if err != nil {
				t.Fatal(err)
			}
			var pre *HTTPCase
			for i := range cases {
				if cases[i].Case == CasePreflight {
					pre = &cases[i]
				}
			}
			if pre == nil {
				t.Fatalf("no preflight case: %+v", cases)
			}
			if pre.OK != c.ok || ds.HasErrors() == c.ok {
				t.Errorf("preflight ok %v (want %v), findings %v: %+v", pre.OK, c.ok, ds, pre)
			}
			want := c.origin
			if want == "" {
				want = "https://app.example.com"
			}
			if got := origins(); len(got) != 1 || got[0] != want {
				t.Errorf("preflight origins %v, want [%s]", got, want)
			}
			if !strings.Contains(debug.String(), "probe: OPTIONS "+srv.URL+"/prod/items/7 [preflight] -> 204 ") {
				t.Errorf("trace:\n%s", debug.String())
			}
		})
	}
}

// TestHTTPCodes: each way a v2 case can fail gives a registered code, v1's
// where the finding means the same.
func TestHTTPCodes(t *testing.T) {
	registered := map[string]bool{}
	for _, r := range Rules() {
		registered[r.ID] = r.Name != "" && r.Help != "" && r.Summary != ""
	}
	for _, tc := range []struct {
		c    HTTPCase
		want string
	}{
		{HTTPCase{Case: CaseNoToken, Expect: ExpectRefuse, Class: ClassReached}, CodeOpen},
		{HTTPCase{Case: CaseForged, Expect: ExpectRefuse, Class: ClassNotDeployed}, CodeNotDeployed},
		{HTTPCase{Case: CaseGarbage, Expect: ExpectRefuse, Class: ClassUnauthorized}, CodeNoWWWAuthenticate},
		{HTTPCase{Case: CaseExpired, Expect: ExpectRefuse, Class: ClassForbidden}, CodeDenied},
		{HTTPCase{Case: CaseValidRaw, Expect: ExpectAdmit, Class: ClassUnauthorized}, CodeValidRefused},
		{HTTPCase{Case: CaseValidBearer, Expect: ExpectAdmit, Class: ClassForbidden}, CodeValidRefused},
		{HTTPCase{Case: CasePublic, Expect: ExpectAdmit, Class: ClassUnauthorized}, CodePublicRefused},
		{HTTPCase{Case: CaseIDToken, Expect: ExpectForbid, Class: ClassReached}, CodeScopesIgnored},
		{HTTPCase{Case: CaseNoScope, Expect: ExpectForbid, Class: ClassReached}, CodeScopeMissingAdmitted},
		{HTTPCase{Case: CaseValidRaw, Expect: ExpectForbid, Class: ClassReached}, CodeScopeMissingAdmitted},
		{HTTPCase{Case: CasePreflight, Expect: ExpectPreflight, Class: ClassNotDeployed}, CodePreflightBroken},
		{HTTPCase{Case: CasePreflight, Expect: ExpectNoCORS, Class: ClassReached}, CodePreflightOtherOrigin},
		{HTTPCase{Case: CaseNoToken, Expect: ExpectRefuse, Class: ClassNotGateway}, CodeInconclusive},
	} {
		got := httpCode(&tc.c)
		if got != tc.want {
			t.Errorf("%s expecting %s got %s: code %s, want %s", tc.c.Case, tc.c.Expect, tc.c.Class, got, tc.want)
		}
		if !registered[got] {
			t.Errorf("%s is not a registered rule with name, summary and help", got)
		}
	}
}

// TestRulesDocumented: docs/live.md's table of the probe's findings has
// every code with its name and severity, and nothing else.
func TestRulesDocumented(t *testing.T) {
	b, err := os.ReadFile("../docs/live.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := regexp.MustCompile("(?m)^\\| (PC-P\\d{3}) \\| `([^`]+)` \\| (\\w+) \\| (REST|HTTP|both) \\| .+ \\|$").FindAllStringSubmatch(string(b), -1)
	documented := map[string]string{}
	for _, r := range rows {
		documented[r[1]] = r[2] + " " + r[3]
	}
	for _, r := range Rules() {
		if want := r.Name + " " + r.Severity.String(); documented[r.ID] != want {
			t.Errorf("docs/live.md: %s is %q, want %q", r.ID, documented[r.ID], want)
		}
		delete(documented, r.ID)
	}
	for code := range documented {
		t.Errorf("docs/live.md documents %s, which is no rule", code)
	}
}

// TestHTTPQueryStringIdentitySource: with an identity source of
// $request.querystring.NAME the token goes in that query parameter (raw,
// and with "Bearer "), never in a header.
func TestHTTPQueryStringIdentitySource(t *testing.T) {
	var got []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.URL.Path+" q="+r.URL.Query().Get("access_token")+" h="+r.Header.Get("Authorization"))
		mu.Unlock()
	}))
	defer srv.Close()
	o := &HTTPOptions{Timeout: time.Second, Client: srv.Client(), BaseURL: srv.URL}
	for _, bearer := range []bool{false, true} {
		j := &httpJob{c: HTTPCase{Method: "GET", Path: "/items"}, header: "Authorization", query: "access_token", token: "a.b.c", bearer: bearer}
		resp, _, err := sendHTTP(context.Background(), o, j)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if want := []string{"/items q=a.b.c h=", "/items q=Bearer a.b.c h="}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("requests %q, want %q", got, want)
	}
}
