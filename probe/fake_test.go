package probe

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/spec/load"
	"github.com/portcullis-dev/portcullis/tokens"
)

const testPool = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Probe"

var (
	issuerOnce sync.Once
	testIss    *tokens.Issuer
)

// issuer is one key for the whole package: RSA key generation is slow.
func issuer(t testing.TB) *tokens.Issuer {
	issuerOnce.Do(func() {
		var err error
		if testIss, err = tokens.GenerateIssuer(); err != nil {
			panic(err)
		}
	})
	return testIss
}

// shop loads testdata/shop.hcl.
func shop(t testing.TB) *spec.API {
	d, ds := load.Load("testdata/shop.hcl", load.Options{})
	if ds.HasErrors() {
		t.Fatalf("testdata/shop.hcl: %v", ds)
	}
	return d.APIs[0]
}

// fakeRoute is how the fake gateway serves one method.
type fakeRoute struct {
	// mode: "cognito" (default), "open", "deny", "throttle".
	mode   string
	scopes []string
}

// fakeGateway answers like API Gateway's data plane for a stage at /prod:
// Cognito methods verified for real with the test issuer's key, 401 and
// 403 bodies as docs/api-gateway-facts.md records them.
type fakeGateway struct {
	t        testing.TB
	verifier *tokens.Verifier
	routes   map[string]*fakeRoute // "GET /items/{id}"
	// options: path -> "ok" (MOCK preflight), "cognito" (needs a token);
	// absent = not deployed.
	options map[string]string
	cors401 bool
	delay   time.Duration

	mu       sync.Mutex
	requests []recorded
	inflight atomic.Int32
	peak     atomic.Int32
	srv      *httptest.Server
}

type recorded struct {
	Method, Path, Auth, ACRM string
	Body                     int
	At                       time.Time
}

func newFake(t testing.TB, rawOnly bool) *fakeGateway {
	r, err := tokens.NewResolver(tokens.ResolverConfig{Local: issuer(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	f := &fakeGateway{
		t:        t,
		verifier: &tokens.Verifier{Resolver: r, RawOnly: rawOnly},
		routes: map[string]*fakeRoute{
			"GET /items":         {scopes: []string{"shop/read"}},
			"POST /items":        {scopes: []string{"shop/write"}},
			"GET /items/{id}":    {},
			"DELETE /items/{id}": {},
			"GET /files/{path+}": {},
			"GET /health":        {mode: "open"},
		},
		options: map[string]string{"/items": "ok", "/items/{id}": "ok", "/files/{path+}": "ok", "/health": "ok"},
		cors401: true,
	}
	f.srv = httptest.NewServer(f)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeGateway) base() string { return f.srv.URL + "/prod" }

// match finds the resource pattern a request path falls under.
func (f *fakeGateway) match(path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	patterns := map[string]bool{}
	for k := range f.routes {
		_, p, _ := strings.Cut(k, " ")
		patterns[p] = true
	}
	for p := range f.options {
		patterns[p] = true
	}
	for p := range patterns {
		ps := strings.Split(strings.Trim(p, "/"), "/")
		ok := true
		for i, s := range ps {
			if strings.HasSuffix(s, "+}") {
				ok = i < len(segs)
				break
			}
			if i >= len(segs) || (!strings.HasPrefix(s, "{") && s != segs[i]) {
				ok = false
				break
			}
			if i == len(ps)-1 && len(segs) != len(ps) {
				ok = false
			}
		}
		if ok {
			return p
		}
	}
	return ""
}

func (f *fakeGateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := f.inflight.Add(1)
	defer f.inflight.Add(-1)
	for {
		p := f.peak.Load()
		if n <= p || f.peak.CompareAndSwap(p, n) {
			break
		}
	}
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.requests = append(f.requests, recorded{r.Method, r.URL.Path, r.Header.Get("Authorization"), r.Header.Get("Access-Control-Request-Method"), len(body), time.Now()})
	f.mu.Unlock()
	if f.delay > 0 {
		time.Sleep(f.delay)
	}
	w.Header().Set("Content-Type", "application/json")
	gatewayErr := func(status int, typ, msg string) {
		if f.cors401 && r.Header.Get("Origin") != "" {
			w.Header().Set("Access-Control-Allow-Origin", "https://app.example.com")
		}
		w.Header().Set("X-Amzn-ErrorType", typ)
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]string{"message": msg})
	}
	path, ok := strings.CutPrefix(r.URL.Path, "/prod")
	pattern := f.match(path)
	if !ok || pattern == "" {
		gatewayErr(403, "MissingAuthenticationTokenException", "Missing Authentication Token")
		return
	}
	if r.Method == "OPTIONS" {
		switch f.options[pattern] {
		case "ok":
			w.Header().Set("Access-Control-Allow-Origin", "https://app.example.com")
			w.Header().Set("Access-Control-Allow-Methods", "GET,POST,DELETE,OPTIONS")
			w.WriteHeader(200)
		case "cognito":
			gatewayErr(401, "UnauthorizedException", "Unauthorized")
		default:
			gatewayErr(403, "MissingAuthenticationTokenException", "Missing Authentication Token")
		}
		return
	}
	rt := f.routes[r.Method+" "+pattern]
	if rt == nil {
		gatewayErr(403, "MissingAuthenticationTokenException", "Missing Authentication Token")
		return
	}
	switch rt.mode {
	case "deny":
		w.Header().Set("X-Amzn-ErrorType", "AccessDeniedException")
		w.WriteHeader(403)
		io.WriteString(w, `{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********9012:abc/prod/GET/files with an explicit deny"}`)
		return
	case "throttle":
		gatewayErr(429, "TooManyRequestsException", "Too Many Requests")
		return
	case "open":
	default:
		_, err := f.verifier.Verify(r.Context(), r.Header.Get("Authorization"), tokens.Rules{PoolARNs: []string{testPool}, Scopes: rt.scopes})
		if err != nil {
			gatewayErr(401, "UnauthorizedException", tokens.Message(err))
			return
		}
	}
	w.WriteHeader(200)
	// A backend that echoes what it got: the probe must not print it.
	json.NewEncoder(w).Encode(map[string]string{"route": r.Method + " " + pattern, "echo": r.Header.Get("Authorization")})
}

func (f *fakeGateway) recorded() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.requests...)
}

// probeFake runs a probe with minted tokens unless opts says otherwise.
func probeFake(t testing.TB, f *fakeGateway, opts Options) (spec.Diagnostics, *Result) {
	t.Helper()
	if opts.API == nil {
		opts.API = shop(t)
	}
	opts.BaseURL = f.base()
	ds, res, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return ds, res
}

func minted(t testing.TB) TokenSource { return &Minted{Issuer: issuer(t), Username: "alice"} }

// codes maps route key -> the codes found on it ("" for run-level).
func codes(ds spec.Diagnostics) map[string][]string {
	out := map[string][]string{}
	for _, d := range ds {
		out[d.Route] = append(out[d.Route], d.Code)
	}
	return out
}

func has(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
