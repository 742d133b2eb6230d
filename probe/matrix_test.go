package probe

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/tokens"
)

func TestWellConfiguredStageIsProtected(t *testing.T) {
	f := newFake(t, false)
	ds, res := probeFake(t, f, Options{Tokens: minted(t)})
	if ds.HasErrors() || ds.Count(spec.SeverityWarning) > 0 {
		t.Fatalf("findings on a well-configured stage: %v", ds)
	}
	want := map[string]string{
		"GET /items": VerdictProtected, "POST /items": VerdictProtected, "GET /items/{id}": VerdictProtected,
		"DELETE /items/{id}": VerdictProtected, "GET /files/{path+}": VerdictProtected, "GET /health": VerdictPublic,
	}
	for _, row := range res.Routes {
		if row.Verdict != want[row.Key] {
			t.Errorf("%s: verdict %q, want %q", row.Key, row.Verdict, want[row.Key])
		}
		for _, c := range row.Checks {
			if c.Sent() && !c.Pass() {
				t.Errorf("%s %s: got %d %s, expected %s", row.Key, c.Name, c.Status, c.Class, c.Expect)
			}
		}
	}
	got := codes(ds)
	if !has(got["GET /items"], CodeProtected) || !has(got["GET /health"], CodePublicReachable) {
		t.Errorf("codes: %v", got)
	}
	// Unsafe routes never get a valid token in safe mode, so their
	// admission is unproven, and the probe says so once.
	if !has(got[""], CodeAdmissionUnknown) {
		t.Errorf("want a run-level %s for POST and DELETE, got %v", CodeAdmissionUnknown, got[""])
	}
	// Scoped GET: ID token refused, access token admitted, both proven.
	items := findRow(t, res, "GET /items")
	if c := items.Check(CheckIDToken); c.Expect != ExpectRefuse || c.Status != 401 {
		t.Errorf("ID token on a scoped route: expect %s, got %d", c.Expect, c.Status)
	}
	if c := items.Check(CheckAccessToken); c.Expect != ExpectAdmit || c.Status != 200 {
		t.Errorf("access token on a scoped route: expect %s, got %d", c.Expect, c.Status)
	}
	if c := items.Check(CheckExpired); c.Status != 401 || !Expired(c.answer) {
		t.Errorf("expired token: %d %q", c.Status, c.Message)
	}
	for _, d := range ds {
		if d.Route == "GET /items" && d.Code == CodeProtected && !strings.Contains(d.Detail, `expired ("The incoming token has expired")`) {
			t.Errorf("the protected finding does not say how the expired token was refused: %s", d.Detail)
		}
	}
	if c := items.Check(CheckNoToken); !c.CORS {
		t.Error("the 401 carried CORS headers but the check says not")
	}
}

func findRow(t testing.TB, res *Result, key string) *RouteResult {
	for i := range res.Routes {
		if res.Routes[i].Key == key {
			return &res.Routes[i]
		}
	}
	t.Fatalf("no row %s", key)
	return nil
}

func TestSafeModeSendsNoBodiesAndNoValidTokensToUnsafeMethods(t *testing.T) {
	f := newFake(t, false)
	_, res := probeFake(t, f, Options{Tokens: minted(t)})
	forged := map[string]bool{}
	for _, row := range res.Routes {
		if c := row.Check(CheckForged); c != nil && c.Sent() {
			forged[c.token] = true
		}
	}
	var posts, deletes int
	for _, r := range f.recorded() {
		if r.Body != 0 {
			t.Errorf("%s %s sent a %d-byte body", r.Method, r.Path, r.Body)
		}
		if r.Method == "POST" || r.Method == "DELETE" {
			if r.Auth != "" && !forged[r.Auth] {
				t.Errorf("%s %s carried a token that is not the forged one", r.Method, r.Path)
			}
			if r.Method == "POST" {
				posts++
			}
			if r.Method == "DELETE" {
				deletes++
				if r.Path != "/prod/items/portcullis-probe" {
					t.Errorf("DELETE in safe mode must use the placeholder, not the example: %s", r.Path)
				}
			}
		}
	}
	if posts != 2 || deletes != 2 {
		t.Errorf("unsafe methods: want no-token and forged only (2 each), got %d POST, %d DELETE", posts, deletes)
	}

	// --unsafe widens the matrix: the valid token goes to POST as well.
	f2 := newFake(t, false)
	ds, res2 := probeFake(t, f2, Options{Tokens: minted(t), Unsafe: true})
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	if c := findRow(t, res2, "POST /items").Check(CheckAccessToken); !c.Sent() || c.Status != 200 {
		t.Errorf("--unsafe: POST access-token check %+v", c)
	}
	if r := findRow(t, res2, "DELETE /items/{id}"); !strings.HasSuffix(r.URL, "/items/portcullis-probe") {
		t.Errorf("--unsafe still never uses the example on DELETE: %s", r.URL)
	}
	if c := findRow(t, res2, "DELETE /items/{id}").Check(CheckIDToken); !c.Sent() || c.Status != 200 {
		t.Errorf("--unsafe: DELETE id-token check %+v", c)
	}
}

func TestEachClassIsFound(t *testing.T) {
	cases := []struct {
		name   string
		setup  func(f *fakeGateway)
		opts   Options
		route  string
		code   string
		sev    spec.Severity
		detail string
	}{
		{"open route", func(f *fakeGateway) { f.routes["GET /items/{id}"].mode = "open" },
			Options{}, "GET /items/{id}", CodeOpen, spec.SeverityError, "no-token answered 200"},
		{"open unsafe route", func(f *fakeGateway) { f.routes["DELETE /items/{id}"].mode = "open" },
			Options{}, "DELETE /items/{id}", CodeOpen, spec.SeverityError, "no-token answered 200"},
		{"not deployed", func(f *fakeGateway) { delete(f.routes, "GET /files/{path+}") },
			Options{}, "GET /files/{path+}", CodeNotDeployed, spec.SeverityError, "Missing Authentication Token"},
		{"resource policy", func(f *fakeGateway) { f.routes["GET /files/{path+}"].mode = "deny" },
			Options{}, "GET /files/{path+}", CodeDenied, spec.SeverityWarning, "explicit deny"},
		{"live scopes differ", func(f *fakeGateway) { f.routes["GET /items"].scopes = []string{"other/scope"} },
			Options{}, "GET /items", CodeValidRefused, spec.SeverityError, "access-token answered 401"},
		{"scopes not set live", func(f *fakeGateway) { f.routes["GET /items"].scopes = nil },
			Options{}, "GET /items", CodeScopesIgnored, spec.SeverityError, "id-token answered 200"},
		{"preflight needs a token", func(f *fakeGateway) { f.options["/items"] = "cognito" },
			Options{}, "GET /items", CodePreflightBroken, spec.SeverityError, "asks for a token"},
		{"no preflight", func(f *fakeGateway) { delete(f.options, "/items/{id}") },
			Options{}, "GET /items/{id}", CodePreflightBroken, spec.SeverityError, "no OPTIONS method"},
		{"401 without CORS", func(f *fakeGateway) { f.cors401 = false },
			Options{}, "GET /items", CodeNoCORSOnRefusal, spec.SeverityWarning, "CORS error"},
		{"public route locked", func(f *fakeGateway) { f.routes["GET /health"].mode = "" },
			Options{}, "GET /health", CodePublicRefused, spec.SeverityWarning, "answered 401"},
		{"throttled", func(f *fakeGateway) { f.routes["GET /items/{id}"].mode = "throttle" },
			Options{}, "GET /items/{id}", CodeInconclusive, spec.SeverityWarning, "throttled"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFake(t, false)
			c.setup(f)
			if c.opts.Tokens == nil {
				c.opts.Tokens = minted(t)
			}
			ds, _ := probeFake(t, f, c.opts)
			var found *spec.Diagnostic
			for i := range ds {
				if ds[i].Route == c.route && ds[i].Code == c.code {
					found = &ds[i]
				}
			}
			if found == nil {
				t.Fatalf("no %s on %s; got %v", c.code, c.route, codes(ds))
			}
			if found.Severity != c.sev {
				t.Errorf("severity %s, want %s", found.Severity, c.sev)
			}
			if !strings.Contains(found.Detail, c.detail) {
				t.Errorf("detail %q lacks %q", found.Detail, c.detail)
			}
			if found.Range == nil || found.Range.Filename != "testdata/shop.hcl" || found.Range.Start.Line == 0 {
				t.Errorf("finding not located in the description: %v", found.Range)
			}
			if found.Source != "probe" {
				t.Errorf("source %q", found.Source)
			}
			for route, cs := range codes(ds) {
				seen := map[string]bool{}
				for _, code := range cs {
					if seen[code] {
						t.Errorf("%s: %s reported twice", route, code)
					}
					seen[code] = true
				}
			}
		})
	}
}

func TestBearerRefusalIsInfo(t *testing.T) {
	f := newFake(t, true)
	ds, res := probeFake(t, f, Options{Tokens: minted(t)})
	if ds.HasErrors() {
		t.Fatalf("a refused Bearer prefix must not be an error: %v", ds)
	}
	if !has(codes(ds)["GET /items"], CodeBearerRefused) {
		t.Errorf("want %s, got %v", CodeBearerRefused, codes(ds))
	}
	if c := findRow(t, res, "GET /items").Check(CheckBearer); c.Status != 401 || !c.Pass() {
		t.Errorf("bearer check %+v", c)
	}
}

func TestWithoutTokensAdmissionIsUnproven(t *testing.T) {
	f := newFake(t, false)
	ds, res := probeFake(t, f, Options{})
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	if !has(codes(ds)[""], CodeAdmissionUnknown) {
		t.Errorf("want %s, got %v", CodeAdmissionUnknown, codes(ds))
	}
	row := findRow(t, res, "GET /items")
	if row.Verdict != VerdictProtected || row.Check(CheckForged).Status != 401 || row.Check(CheckGarbage).Status != 401 {
		t.Errorf("without tokens the refusals are still proven: %+v", row)
	}
}

func TestSuppliedTokensFromAnotherPoolMustBeRefused(t *testing.T) {
	other := "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Other"
	id, err := issuer(t).Mint(tokens.MintOptions{Pool: other, Username: "mallory"})
	if err != nil {
		t.Fatal(err)
	}
	f := newFake(t, false)
	ds, res := probeFake(t, f, Options{Tokens: Supplied{ID: id}})
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	c := findRow(t, res, "GET /items/{id}").Check(CheckIDToken)
	if c.Expect != ExpectRefuse || c.Status != 401 || !strings.Contains(c.Why, "us-east-1_Other") {
		t.Errorf("foreign-pool ID token: %+v", c)
	}
}

func TestSuppliedExpiredTokenGetsTheExpiredMessage(t *testing.T) {
	exp, err := issuer(t).MintBad(tokens.BadExpired, tokens.MintOptions{Pool: testPool, Username: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	f := newFake(t, false)
	_, res := probeFake(t, f, Options{Tokens: Supplied{Expired: exp}})
	c := findRow(t, res, "GET /items/{id}").Check(CheckExpired)
	if !c.Sent() || !Expired(c.answer) || c.Message != "The incoming token has expired" {
		t.Errorf("expired check: %+v", c)
	}
}

// recordingSource hands out its inner source's tokens and keeps every one,
// so a test can look for exactly the tokens the probe held.
type recordingSource struct {
	inner TokenSource
	mu    sync.Mutex
	given []string
}

func (s *recordingSource) Token(ctx context.Context, r *spec.Route, az *spec.Authorizer, k TokenKind) (string, error) {
	tok, err := s.inner.Token(ctx, r, az, k)
	if err == nil {
		s.mu.Lock()
		s.given = append(s.given, tok)
		s.mu.Unlock()
	}
	return tok, err
}

func TestNoTokenEverAppearsInOutput(t *testing.T) {
	// Minted tokens differ by jti on every call, so the secrets to look for
	// are the ones this probe run was handed, recorded as they are handed.
	src := &recordingSource{inner: minted(t)}
	f := newFake(t, false) // echoes the Authorization header in its bodies
	var debug bytes.Buffer
	ds, res := probeFake(t, f, Options{Tokens: src, Debug: &debug})
	var out bytes.Buffer
	out.Write(debug.Bytes())
	j, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	out.Write(j)
	for _, d := range ds {
		out.WriteString(d.Summary + d.Detail)
	}
	sent := map[string]bool{}
	for _, r := range f.recorded() {
		if r.Auth != "" {
			sent[strings.TrimPrefix(r.Auth, "Bearer ")] = true
		}
	}
	if len(src.given) < 5 {
		t.Fatalf("the probe asked for %d tokens; expected several", len(src.given))
	}
	text := out.String()
	// The fake echoes what it receives, the likeliest way for a token to
	// reach the output; the check means something only if many handed
	// tokens went on the wire (those of skipped checks do not).
	echoed := 0
	for _, tok := range src.given {
		if sent[tok] {
			echoed++
		}
		parts := strings.Split(tok, ".")
		if len(parts) != 3 {
			t.Fatalf("minted token is not a JWT: %d segments", len(parts))
		}
		if strings.Contains(text, tok) || strings.Contains(text, parts[1]) || strings.Contains(text, parts[2]) {
			t.Errorf("a token (its payload or signature) appears in the output")
		}
	}
	if echoed < 5 {
		t.Errorf("only %d of the %d tokens handed to the probe went on the wire", echoed, len(src.given))
	}
	for tok := range sent {
		if tok == garbage {
			continue
		}
		if strings.Contains(text, tok) || strings.Contains(text, strings.Split(tok, ".")[1]) {
			t.Errorf("a token (or its payload) appears in the output")
		}
	}
	if strings.Contains(text, "eyJ") {
		t.Errorf("something JWT-shaped appears in the output")
	}
	for _, want := range []string{"Authorization: Bearer <access-token redacted>", "Authorization: <id-token redacted>", "Authorization: <forged redacted>"} {
		if !strings.Contains(debug.String(), want) {
			t.Errorf("debug output does not say %q:\n%s", want, debug.String())
		}
	}
}

func TestConcurrencyAndRateLimitHold(t *testing.T) {
	f := newFake(t, false)
	f.delay = 20 * time.Millisecond
	_, res := probeFake(t, f, Options{Tokens: minted(t), Concurrency: 3})
	if p := f.peak.Load(); p > 3 || p < 2 {
		t.Errorf("peak in flight %d, want 2..3", p)
	}
	if n := len(f.recorded()); n != res.Requests || n < 6 {
		t.Errorf("server saw %d requests, result says %d", n, res.Requests)
	}

	f2 := newFake(t, false)
	const rps = 40
	_, res = probeFake(t, f2, Options{Tokens: minted(t), RPS: rps, Concurrency: 8})
	reqs := f2.recorded()
	if len(reqs) != res.Requests {
		t.Fatalf("server saw %d requests, result says %d", len(reqs), res.Requests)
	}
	first, last := reqs[0].At, reqs[len(reqs)-1].At
	min := time.Duration(float64(len(reqs)-1)/rps*float64(time.Second)) - 100*time.Millisecond
	if span := last.Sub(first); span < min {
		t.Errorf("%d requests in %s at --rps %d: want at least %s", len(reqs), span, rps, min)
	}
	// No one-second window holds more than rps+1 requests (burst 1), give
	// or take two for scheduling jitter between grant and arrival.
	for i := range reqs {
		n := 0
		for j := i; j < len(reqs) && reqs[j].At.Sub(reqs[i].At) < time.Second; j++ {
			n++
		}
		if n > rps+3 {
			t.Fatalf("%d requests within one second at --rps %d", n, rps)
		}
	}
}

func TestNetworkErrorsAreRetriedAnswersAreNot(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		if r.URL.Path == "/prod/health" && n == 1 {
			// Drop the connection without an answer, once.
			c, _, _ := w.(http.Hijacker).Hijack()
			c.Close()
			return
		}
		w.WriteHeader(502)
		w.Write([]byte(`{"message": "Internal server error"}`))
	}))
	defer srv.Close()
	api := &spec.API{Routes: []*spec.Route{
		{Method: "GET", Path: "/health", AuthType: spec.AuthNone, Public: true},
	}}
	ds, res, err := Run(context.Background(), Options{API: api, BaseURL: srv.URL + "/prod"})
	if err != nil {
		t.Fatal(err)
	}
	c := res.Routes[0].Check(CheckNoToken)
	if c.Attempts != 2 || c.Status != 502 {
		t.Errorf("want one retry then the 502, got %d attempts, status %d (%s)", c.Attempts, c.Status, c.Error)
	}
	if !has(codes(ds)["GET /health"], CodePublicReachable) {
		t.Errorf("a 502 from the integration means the route was reached: %v", ds)
	}

	// Nothing listening: every attempt fails, the finding says so.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	ln.Close()
	_, res, err = Run(context.Background(), Options{API: api, BaseURL: dead, Retries: 1, Timeout: time.Second})
	if err == nil || !strings.Contains(err.Error(), "could not reach the stage") {
		t.Errorf("a dead target must stop the probe: %v", err)
	}
	if c := res.Routes[0].Check(CheckNoToken); c.Attempts != 2 || c.Class != ClassNetwork {
		t.Errorf("dead target: %+v", c)
	}

	// Some answers, some silence: the silent checks are inconclusive.
	api.Routes = append(api.Routes, &spec.Route{Method: "GET", Path: "/slow", AuthType: spec.AuthNone, Public: true})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			time.Sleep(300 * time.Millisecond)
		}
		w.WriteHeader(200)
	}))
	defer slow.Close()
	ds, _, err = Run(context.Background(), Options{API: api, BaseURL: slow.URL, Retries: -1, Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if got := codes(ds); !has(got["GET /slow"], CodeInconclusive) || !has(got["GET /health"], CodePublicReachable) {
		t.Errorf("a timed-out check: %v", got)
	}
}

func TestRunRefusesBadOptions(t *testing.T) {
	for _, o := range []Options{{}, {API: &spec.API{}, BaseURL: "ftp://x"}, {API: &spec.API{}, BaseURL: "not a url"}} {
		if _, _, err := Run(context.Background(), o); err == nil {
			t.Errorf("Run(%+v) did not fail", o)
		}
	}
}

func TestRouteURL(t *testing.T) {
	r := func(method, path string, ex map[string]string) *spec.Route {
		return &spec.Route{Method: method, Path: path, ParamExamples: ex}
	}
	ex := map[string]string{"id": "42"}
	p7 := map[string]string{"id": "7"}
	cases := []struct {
		route  *spec.Route
		params map[string]string
		unsafe bool
		want   string
	}{
		{r("GET", "/", nil), nil, false, "B/"},
		{r("GET", "/items", nil), nil, false, "B/items"},
		{r("GET", "/items/{id}", ex), nil, false, "B/items/42"},
		{r("GET", "/items/{id}", ex), p7, false, "B/items/7"},
		{r("GET", "/items/{id}", nil), nil, false, "B/items/portcullis-probe"},
		{r("DELETE", "/items/{id}", ex), p7, false, "B/items/portcullis-probe"},
		{r("DELETE", "/items/{id}", ex), nil, true, "B/items/portcullis-probe"},
		{r("DELETE", "/items/{id}", ex), p7, true, "B/items/7"},
		{r("GET", "/files/{path+}", nil), nil, false, "B/files/portcullis-probe/sample"},
		{r("GET", "/files/{path+}", nil), map[string]string{"path": "a b/c"}, false, "B/files/a%20b/c"},
		{r("GET", "/u/{name}/x", nil), map[string]string{"name": "a/b"}, false, "B/u/a%2Fb/x"},
	}
	for _, c := range cases {
		if got := routeURL("B/", c.route, c.params, safeMethods[c.route.Method], c.unsafe); got != c.want {
			t.Errorf("%s %v unsafe=%v: %s, want %s", c.route.Key(), c.params, c.unsafe, got, c.want)
		}
	}
}

// matrixJSON is the matrix for a failure message (the table is views/').
func matrixJSON(res *Result) string {
	j, _ := json.MarshalIndent(res, "", "  ")
	return string(j)
}
