package probe

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/tokens"
)

// HTTPOptions configure a probe of an HTTP API (API Gateway v2) stage.
type HTTPOptions struct {
	API *spec.HTTPAPI
	// BaseURL is the stage's invoke URL (no trailing slash).
	BaseURL string
	// Issuer mints the valid, forged and expired tokens; nil probes only
	// what needs no valid token (refusals, public routes, preflights).
	Issuer *tokens.Issuer
	// Unsafe lets the probe send admitted requests with methods other than
	// GET, HEAD and OPTIONS (the local gateway runs no Lambda).
	Unsafe bool
	Client *http.Client
	// Browser, when set, adds the browser's cases (browser-preflight,
	// browser-header, browser-401) from a page at Browser.Origin().
	Browser Browser
	// Supplied are tokens the user brought (used when Issuer is nil):
	// what each route should do with them is decided from their claims
	// (HTTPAdmits); the forged case is the access (else ID) token with its
	// signature replaced. Tokens are never printed.
	Supplied *Supplied
	// The limits of `probe` (see Options): at most Concurrency requests
	// in flight, RPS per second (0 unlimited), Timeout each, Retries of a
	// request that got no answer (negative: none; 0: the default).
	Concurrency int
	RPS         float64
	Timeout     time.Duration
	Retries     int
}

// HTTPCase is one request of the v2 matrix and its verdict.
type HTTPCase struct {
	Route  string `json:"route"`
	Case   string `json:"case"`
	Method string `json:"method"`
	Path   string `json:"path"`
	Status int    `json:"status"`
	Want   string `json:"want"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail,omitempty"`
}

// The v2 cases.
const (
	CaseNoToken     = "no-token"
	CaseGarbage     = "garbage"
	CaseForged      = "forged"
	CaseExpired     = "expired"
	CaseValidRaw    = "valid-raw"
	CaseValidBearer = "valid-bearer"
	CaseIDToken     = "id-token"
	CaseNoScope     = "scope-missing"
	CasePublic      = "public"
	CasePreflight   = "preflight"
)

// HTTPVerdict classifies an HTTP API's answer: "refused-401",
// "forbidden-403", "not-found" (the gateway's own 404, the route is not
// deployed), "admitted" (anything else: the request reached the
// integration, whose own answer does not matter).
func HTTPVerdict(status int, body []byte) string {
	var m struct {
		Message *string `json:"message"`
	}
	gateway := json.Unmarshal(body, &m) == nil && m.Message != nil
	switch {
	case status == 401 && gateway:
		return "refused-401"
	case status == 403 && gateway:
		return "forbidden-403"
	case status == 404 && gateway && *m.Message == "Not Found":
		return "not-found"
	}
	return "admitted"
}

// HTTP runs the matrix: for each JWT route no token, garbage, forged and
// expired tokens (401), a valid access token raw and with "Bearer " (admitted),
// and when the route has scopes an ID token and an access token without
// them (403 Forbidden; 401 is accepted too, since AWS does not document
// which); public routes must admit without a token; with CORS configured,
// a preflight must be answered by the gateway (2xx with
// Access-Control-Allow-Origin), never by an authorizer.
func HTTP(ctx context.Context, o HTTPOptions) ([]HTTPCase, spec.Diagnostics, error) {
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Retries < 0 {
		o.Retries = 0
	} else if o.Retries == 0 {
		o.Retries = DefaultRetries
	}
	if o.Client == nil {
		o.Client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	var jobs []*httpJob
	send := func(r *spec.HTTPRoute, name, method, path string, hdr map[string]string, want httpWant) {
		jobs = append(jobs, &httpJob{route: r, c: HTTPCase{Route: r.Key, Case: name, Method: method, Path: path}, hdr: hdr, want: want})
	}
	for _, r := range o.API.Routes {
		method, path := probeRequest(r)
		safe := method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
		if r.AuthType == spec.AuthNone {
			if safe || o.Unsafe {
				send(r, CasePublic, method, path, nil, wantAdmitted)
			}
		} else if r.AuthType == spec.AuthJWT {
			az := o.API.AuthorizerByName(r.Authorizer)
			header := "Authorization"
			if az != nil && az.IdentityHeader() != "" {
				header = az.IdentityHeader()
			}
			send(r, CaseNoToken, method, path, nil, wantRefused)
			send(r, CaseGarbage, method, path, map[string]string{header: "this-is-not-a-jwt"}, wantRefused)
			switch {
			case o.Issuer != nil && az != nil:
				mint := func(kind tokens.Bad, use string, scopes []string) string {
					mo := mintOptions(az, use, scopes)
					var tok string
					var err error
					if kind == "" {
						tok, err = o.Issuer.Mint(mo)
					} else {
						tok, err = o.Issuer.MintBad(kind, mo)
					}
					if err != nil {
						return "mint-failed"
					}
					return tok
				}
				send(r, CaseForged, method, path, map[string]string{header: mint(tokens.BadForged, tokens.UseAccess, r.Scopes)}, wantRefused)
				send(r, CaseExpired, method, path, map[string]string{header: mint(tokens.BadExpired, tokens.UseAccess, r.Scopes)}, wantRefused)
				if safe || o.Unsafe {
					good := mint("", tokens.UseAccess, firstScope(r.Scopes))
					send(r, CaseValidRaw, method, path, map[string]string{header: good}, wantAdmitted)
					send(r, CaseValidBearer, method, path, map[string]string{header: "Bearer " + good}, wantAdmitted)
				}
				if len(r.Scopes) > 0 {
					send(r, CaseIDToken, method, path, map[string]string{header: mint("", tokens.UseID, nil)}, wantForbidden)
					send(r, CaseNoScope, method, path, map[string]string{header: mint("", tokens.UseAccess, []string{"portcullis-probe/none"})}, wantForbidden)
				}
			case o.Supplied != nil && az != nil:
				sup := o.Supplied
				if f := tamper(sup.Access); f != "" {
					send(r, CaseForged, method, path, map[string]string{header: f}, wantRefused)
				} else if f := tamper(sup.ID); f != "" {
					send(r, CaseForged, method, path, map[string]string{header: f}, wantRefused)
				}
				if sup.Expired != "" {
					send(r, CaseExpired, method, path, map[string]string{header: sup.Expired}, wantRefused)
				}
				for _, t := range []struct {
					tok    string
					name   string
					bearer string
				}{{sup.Access, CaseValidRaw, CaseValidBearer}, {sup.ID, CaseIDToken, ""}} {
					if t.tok == "" {
						continue
					}
					want := suppliedWant(t.tok, az, r)
					if admits, _ := want(0, "admitted", nil); admits && !(safe || o.Unsafe) {
						continue // it would reach the integration
					}
					send(r, t.name, method, path, map[string]string{header: t.tok}, want)
					if t.bearer != "" {
						send(r, t.bearer, method, path, map[string]string{header: "Bearer " + t.tok}, want)
					}
				}
			}
		}
		if c := o.API.CORS; c != nil && len(c.AllowOrigins) > 0 && r.Method != "" && r.Method != http.MethodOptions {
			origin := c.AllowOrigins[0]
			if origin == "*" {
				origin = "https://portcullis-probe.example"
			}
			m := r.Method
			if m == "ANY" {
				m = http.MethodGet
			}
			send(r, CasePreflight, http.MethodOptions, path, map[string]string{"Origin": origin, "Access-Control-Request-Method": m,
				"Access-Control-Request-Headers": "authorization"}, wantPreflight)
		}
	}
	if err := runHTTPJobs(ctx, &o, jobs); err != nil {
		return nil, nil, err
	}
	var out []HTTPCase
	var ds spec.Diagnostics
	unreached := 0
	for _, j := range jobs {
		if !j.sent {
			continue // nothing there answers as a gateway: stopped early
		}
		out = append(out, j.c)
		switch {
		case j.err != nil:
			ds = append(ds, spec.Diagnostic{Severity: spec.SeverityError, Code: "probe-unreachable", Source: "probe", Route: j.route.Key,
				Summary: "Stage not reachable", Detail: fmt.Sprintf("%s %s: %v", j.c.Method, j.c.Path, j.err)})
		case j.unreached:
			unreached++
		case !j.c.OK:
			ds = append(ds, spec.Diagnostic{Severity: spec.SeverityError, Code: "probe-" + j.c.Case, Source: "probe", Route: j.route.Key, Range: rangePtr(j.route.Range),
				Summary: fmt.Sprintf("%s: %s answered %d, want %s", j.route.Key, j.c.Case, j.c.Status, j.c.Want), Detail: j.c.Detail})
		}
	}
	if len(out) > 0 && unreached == len(out) {
		return out, nil, fmt.Errorf("could not reach an HTTP API stage at %s: no answer carried apigw-requestid (moto, for one, serves no data plane)", o.BaseURL)
	}
	if o.Browser != nil {
		cases, bds, err := browserHTTPCases(ctx, o.Browser, o.API, o.BaseURL)
		if err != nil {
			return out, ds, fmt.Errorf("probe --browser: %w", err)
		}
		out, ds = append(out, cases...), append(ds, bds...)
	}
	return out, ds, nil
}

// httpWant judges an answer: whether it is as described, and what is wanted.
type httpWant func(status int, verdict string, h http.Header) (bool, string)

func wantRefused(_ int, v string, h http.Header) (bool, string) {
	return v == "refused-401" && h.Get("Www-Authenticate") != "", "401 {\"message\":\"Unauthorized\"} with www-authenticate"
}

func wantAdmitted(_ int, v string, _ http.Header) (bool, string) {
	return v == "admitted", "admitted (not 401/403/404)"
}

func wantForbidden(_ int, v string, _ http.Header) (bool, string) {
	return v == "forbidden-403" || v == "refused-401", "403 {\"message\":\"Forbidden\"} (401 accepted)"
}

func wantPreflight(status int, _ string, h http.Header) (bool, string) {
	return status >= 200 && status < 300 && h.Get("Access-Control-Allow-Origin") != "", "2xx from the gateway with Access-Control-Allow-Origin"
}

// suppliedWant is what a route should answer to a token the user brought.
func suppliedWant(tok string, az *spec.JWTAuthorizer, r *spec.HTTPRoute) httpWant {
	c, err := peek(tok)
	if err != nil {
		return wantRefused
	}
	admit, scopeOnly := HTTPAdmits(c.Iss, c.Aud, c.ClientID, c.Scopes, c.expired(time.Now()), az, r)
	switch {
	case admit:
		return wantAdmitted
	case scopeOnly:
		return wantForbidden
	}
	return wantRefused
}

// HTTPAdmits is the JWT authorizer's decision on a token's claims
// (docs/live.md; ../shared/reference/http-api-jwt.md): iss is the
// authorizer's issuer, aud (else client_id) one of its audiences, the token
// unexpired, and on a route with scopes at least one of them in the
// token's scope. scopeOnly is true when only the scopes refuse it (403).
func HTTPAdmits(iss, aud, clientID string, scopes []string, expired bool, az *spec.JWTAuthorizer, r *spec.HTTPRoute) (admit, scopeOnly bool) {
	who := aud
	if who == "" {
		who = clientID
	}
	audOK := false
	for _, a := range az.Audiences {
		if a == who {
			audOK = true
		}
	}
	if iss != az.Issuer || !audOK || expired {
		return false, false
	}
	if len(r.Scopes) > 0 && !anyOf(scopes, r.Scopes) {
		return false, true
	}
	return true, false
}

// tamper is tok with its signature replaced by as many other bytes: the
// issuer and key id stay, so the gateway must reject the signature.
func tamper(tok string) string {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 || parts[2] == "" {
		return ""
	}
	sig := []byte(parts[2])
	for i := range sig {
		if sig[i] == 'A' {
			sig[i] = 'B'
		} else {
			sig[i] = 'A'
		}
	}
	return parts[0] + "." + parts[1] + "." + string(sig)
}

type httpJob struct {
	route     *spec.HTTPRoute
	c         HTTPCase
	hdr       map[string]string
	want      httpWant
	sent      bool
	err       error
	unreached bool
}

// runHTTPJobs sends the first three requests one by one (when none of
// them is answered by an HTTP API the rest are not sent), then the rest
// with at most o.Concurrency in flight and o.RPS per second.
func runHTTPJobs(ctx context.Context, o *HTTPOptions, jobs []*httpJob) error {
	var limiter *rate.Limiter
	if o.RPS > 0 {
		limiter = rate.NewLimiter(rate.Limit(o.RPS), 1)
	}
	head := min(3, len(jobs))
	for _, j := range jobs[:head] {
		doHTTPJob(ctx, o, limiter, j)
	}
	if head == 3 && jobs[0].unreached && jobs[1].unreached && jobs[2].unreached {
		return nil
	}
	ch := make(chan *httpJob)
	var wg sync.WaitGroup
	for w := 0; w < o.Concurrency && w < len(jobs)-head; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range ch {
				doHTTPJob(ctx, o, limiter, j)
			}
		}()
	}
feed:
	for _, j := range jobs[head:] {
		select {
		case ch <- j:
		case <-ctx.Done():
			break feed
		}
	}
	close(ch)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("probe interrupted: %w", err)
	}
	return nil
}

// doHTTPJob sends one request, retrying only failures without an answer.
func doHTTPJob(ctx context.Context, o *HTTPOptions, limiter *rate.Limiter, j *httpJob) {
	j.sent = true
	var resp *http.Response
	var body []byte
	for attempt := 0; attempt <= o.Retries; attempt++ {
		if attempt > 0 {
			select {
			case <-time.After(time.Duration(100<<(attempt-1)) * time.Millisecond):
			case <-ctx.Done():
				j.err = ctx.Err()
				return
			}
		}
		if limiter != nil {
			if err := limiter.Wait(ctx); err != nil {
				j.err = err
				return
			}
		}
		resp, body, j.err = sendHTTP(ctx, o, j)
		if j.err == nil || !transient(ctx, j.err) {
			break
		}
	}
	if j.err != nil {
		j.c.Detail = "could not reach the stage: " + redact(j.err.Error())
		return
	}
	j.c.Status = resp.StatusCode
	if resp.Header.Get("Apigw-Requestid") == "" {
		// Every answer of an HTTP API carries apigw-requestid: this one
		// is from something else (moto has no data plane, a proxy, ...).
		j.c.Detail = fmt.Sprintf("answered %d without apigw-requestid: not an HTTP API stage", resp.StatusCode)
		j.unreached = true
		return
	}
	j.c.OK, j.c.Want = j.want(resp.StatusCode, HTTPVerdict(resp.StatusCode, body), resp.Header)
	if !j.c.OK {
		j.c.Detail = redact(fmt.Sprintf("answered %d %s", resp.StatusCode, strings.TrimSpace(string(body[:min(len(body), 120)]))))
	}
}

func sendHTTP(ctx context.Context, o *HTTPOptions, j *httpJob) (*http.Response, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, j.c.Method, o.BaseURL+j.c.Path, nil)
	if err != nil {
		return nil, nil, err
	}
	for k, v := range j.hdr {
		req.Header.Set(k, v)
	}
	resp, err := o.Client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	return resp, body, nil
}

func rangePtr(r spec.Range) *spec.Range {
	if r.Filename == "" {
		return nil
	}
	return &r
}

func firstScope(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s[:1]
}

// mintOptions shapes a token the authorizer should admit: the pool's
// issuer (or the authorizer's issuer for another IdP) and the first
// audience as aud (ID tokens) or client_id (access tokens).
func mintOptions(az *spec.JWTAuthorizer, use string, scopes []string) tokens.MintOptions {
	mo := tokens.MintOptions{Username: "portcullis-probe", TokenUse: use, Scopes: scopes, Expires: 10 * time.Minute}
	if len(az.Audiences) > 0 {
		mo.ClientID = az.Audiences[0]
	}
	if _, pool, ok := spec.ParseCognitoIssuer(az.Issuer); ok {
		mo.Pool = pool
	} else {
		mo.Pool, mo.Issuer = "us-east-1_PortcullisProbe", az.Issuer
	}
	return mo
}

// probeRequest is the method and path a route is probed with: ANY as
// GET, path variables from the route's examples (else "probe"), and for
// $default a path no other route takes.
func probeRequest(r *spec.HTTPRoute) (string, string) {
	if r.IsDefault() {
		return http.MethodGet, "/portcullis-probe-default"
	}
	method := r.Method
	if method == "ANY" {
		method = http.MethodGet
	}
	segs := strings.Split(r.Path, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			name := strings.TrimSuffix(strings.Trim(s, "{}"), "+")
			v := r.ParamExamples[name]
			if v == "" {
				v = "probe"
			}
			segs[i] = v
		}
	}
	return method, strings.Join(segs, "/")
}

// WriteHTTPTable prints the matrix, one line per request.
func WriteHTTPTable(w io.Writer, cases []HTTPCase) error {
	sorted := append([]HTTPCase(nil), cases...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Route < sorted[j].Route })
	var b strings.Builder
	fmt.Fprintf(&b, "%-28s %-17s %-7s %-6s %s\n", "ROUTE", "CASE", "METHOD", "STATUS", "RESULT")
	bad := 0
	for _, c := range sorted {
		res := "ok"
		if !c.OK {
			res, bad = "FAIL: want "+c.Want, bad+1
			if c.Status != 0 && c.Detail != "" && strings.Contains(c.Detail, "apigw-requestid") {
				res = "unreached: " + c.Detail
			}
		}
		fmt.Fprintf(&b, "%-28s %-17s %-7s %-6d %s\n", c.Route, c.Case, c.Method, c.Status, res)
	}
	fmt.Fprintf(&b, "\n%d request(s), %d as described, %d not.\n", len(cases), len(cases)-bad, bad)
	_, err := io.WriteString(w, b.String())
	return err
}
