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
	// Params fill path parameters ({id}, greedy {proxy+}) by name, as for
	// REST APIs (Options.Params): they win over the routes' examples, and
	// unsafe methods take them only when Unsafe is set.
	Params map[string]string
	// Origin is sent on every request when the API has a CORS
	// configuration, as v1's Options.Origin; "" picks the first allowed
	// origin (DefaultOrigin). A preflight from an origin the CORS
	// configuration allows must get its Access-Control-Allow-Origin; one
	// from an origin it does not allow must not. Whether the refusals
	// carried CORS headers is reported (CodeRefusalCORS), never judged.
	Origin string
	// Debug, when set, receives one line per request and answer in the
	// form of Options.Debug, with every token redacted.
	Debug io.Writer
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
	// Expect is what the case should get, in v1's words where they mean
	// the same (refuse, admit, preflight) and ExpectForbid, ExpectNoCORS
	// and ExpectBrowser where only an HTTP API's probe asks.
	Expect Expect `json:"expect"`
	Want   string `json:"want"`
	// Class is the answer as v1 classifies its own (ClassUnauthorized,
	// ClassForbidden, ClassNotDeployed, ClassReached, ClassNotGateway,
	// ClassNetwork); "" for the browser's cases.
	Class Class `json:"class"`
	OK    bool  `json:"ok"`
	// Code is the finding a case not as described gives ("" when OK).
	Code string `json:"code,omitempty"`
	// CORS is true when the answer admits the Origin sent (every request
	// carries one when the API has a CORS configuration).
	CORS   bool   `json:"cors"`
	Detail string `json:"detail,omitempty"`
}

// What only an HTTP API's cases expect.
const (
	// ExpectForbid: 403 {"message":"Forbidden"} (401 accepted): a valid
	// token without the route's scopes.
	ExpectForbid Expect = "forbid"
	// ExpectNoCORS: a preflight from an origin the CORS configuration does
	// not allow must not be admitted.
	ExpectNoCORS Expect = "no-cors"
	// ExpectBrowser: what a page sees in Chromium (probe --browser).
	ExpectBrowser Expect = "browser"
)

// The v2 cases.
const (
	CaseNoToken = "no-token"
	CaseGarbage = "garbage"
	CaseForged  = "forged"
	CaseExpired = "expired"
	// The valid access token, raw and with "Bearer ": v1's check names,
	// so one filter finds them in either probe's checks.
	CaseValidRaw    = "access-token"
	CaseValidBearer = "bearer"
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
	defaultLimits(&o.Concurrency, &o.Timeout, &o.Retries)
	if o.Client == nil {
		o.Client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if o.Origin == "" {
		o.Origin = DefaultOrigin(o.API.CORS)
	}
	var jobs []*httpJob
	var ds spec.Diagnostics
	for _, r := range o.API.Routes {
		method, path := o.request(r)
		if method == "" {
			ds = append(ds, spec.Diagnostic{Severity: Severity(CodeDefaultUnreachable), Code: CodeDefaultUnreachable, Source: "probe", Route: r.Key, Range: rangePtr(r.Range),
				Summary: "$default: not probed, no request reaches it",
				Detail:  "Every method the probe sends, on / and on every other path, is taken by another route (an ANY /{proxy+} takes every path but /), so API Gateway never routes a request to $default."})
			continue
		}
		safe := method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
		az := o.API.AuthorizerByName(r.Authorizer)
		header, query := "Authorization", ""
		if az != nil && az.IdentityHeader() != "" {
			header = az.IdentityHeader()
		} else if az != nil {
			// $request.querystring.NAME: the token goes in the query.
			query, _ = strings.CutPrefix(az.IdentitySource(), "$request.querystring.")
		}
		// send queues one request; tok goes in the identity header (with
		// "Bearer " when bearer), named tokenOf in the --debug trace.
		// Every request carries Origin when the API has CORS, so each
		// answer is what a browser's request would get (docs/live.md).
		var origin map[string]string
		if c := o.API.CORS; c != nil && len(c.AllowOrigins) > 0 {
			origin = map[string]string{"Origin": o.Origin}
		}
		send := func(name, tokenOf, tok string, bearer bool, want httpWant) {
			jobs = append(jobs, &httpJob{route: r, c: HTTPCase{Route: r.Key, Case: name, Method: method, Path: path, Expect: want.expect},
				hdr: origin, header: header, query: query, token: tok, tokenOf: tokenOf, bearer: bearer, want: want})
		}
		tokenCase := func(name, tok string, want httpWant) { send(name, name, tok, false, want) }
		if r.AuthType == spec.AuthNone {
			if safe || o.Unsafe {
				send(CasePublic, "", "", false, wantAdmitted)
			}
		} else if r.AuthType == spec.AuthJWT {
			send(CaseNoToken, "", "", false, wantRefused)
			tokenCase(CaseGarbage, "this-is-not-a-jwt", wantRefused)
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
				tokenCase(CaseForged, mint(tokens.BadForged, tokens.UseAccess, r.Scopes), wantRefused)
				tokenCase(CaseExpired, mint(tokens.BadExpired, tokens.UseAccess, r.Scopes), wantRefused)
				if safe || o.Unsafe {
					good := mint("", tokens.UseAccess, firstScope(r.Scopes))
					tokenCase(CaseValidRaw, good, wantAdmitted)
					send(CaseValidBearer, CaseValidRaw, good, true, wantAdmitted)
				}
				if len(r.Scopes) > 0 {
					tokenCase(CaseIDToken, mint("", tokens.UseID, nil), wantForbidden)
					tokenCase(CaseNoScope, mint("", tokens.UseAccess, []string{"portcullis-probe/none"}), wantForbidden)
				}
			case o.Supplied != nil && az != nil:
				sup := o.Supplied
				if f := tamper(sup.Access); f != "" {
					tokenCase(CaseForged, f, wantRefused)
				} else if f := tamper(sup.ID); f != "" {
					tokenCase(CaseForged, f, wantRefused)
				}
				if sup.Expired != "" {
					tokenCase(CaseExpired, sup.Expired, wantRefused)
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
					if want.expect == ExpectAdmit && !(safe || o.Unsafe) {
						continue // it would reach the integration
					}
					tokenCase(t.name, t.tok, want)
					if t.bearer != "" {
						send(t.bearer, t.name, t.tok, true, want)
					}
				}
			}
		}
		if c := o.API.CORS; c != nil && len(c.AllowOrigins) > 0 && r.Method != "" && r.Method != http.MethodOptions {
			want := wantPreflight(o.Origin, method, corsAllows(c, o.Origin))
			jobs = append(jobs, &httpJob{route: r, c: HTTPCase{Route: r.Key, Case: CasePreflight, Method: http.MethodOptions, Path: path, Expect: want.expect},
				hdr:  map[string]string{"Origin": o.Origin, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": strings.ToLower(header)},
				want: want})
		}
	}
	if err := runHTTPJobs(ctx, &o, jobs); err != nil {
		return nil, nil, err
	}
	var out []HTTPCase
	unreached := 0
	for _, j := range jobs {
		if !j.sent {
			continue // nothing there answers as a gateway: stopped early
		}
		out = append(out, j.c)
		switch {
		case j.err != nil:
			ds = append(ds, spec.Diagnostic{Severity: Severity(CodeInconclusive), Code: CodeInconclusive, Source: "probe", Route: j.route.Key, Range: rangePtr(j.route.Range),
				Summary: fmt.Sprintf("%s: the %s case got no answer", j.route.Key, j.c.Case), Detail: fmt.Sprintf("%s %s: %v", j.c.Method, j.c.Path, j.err)})
		case j.unreached:
			unreached++
		case !j.c.OK:
			ds = append(ds, spec.Diagnostic{Severity: Severity(j.c.Code), Code: j.c.Code, Source: "probe", Route: j.route.Key, Range: rangePtr(j.route.Range),
				Summary: fmt.Sprintf("%s: %s answered %d, want %s", j.route.Key, j.c.Case, j.c.Status, j.c.Want), Detail: j.c.Detail})
		}
	}
	if len(out) > 0 && unreached == len(out) {
		return out, nil, fmt.Errorf("could not reach an HTTP API stage at %s: no answer carried apigw-requestid (moto, for one, serves no data plane)", o.BaseURL)
	}
	if d, ok := refusalCORS(&o, jobs); ok {
		ds = append(ds, d)
	}
	if o.Browser != nil {
		cases, bds, err := browserHTTPCases(ctx, &o)
		if err != nil {
			return out, ds, fmt.Errorf("probe --browser: %w", err)
		}
		out, ds = append(out, cases...), append(ds, bds...)
	}
	return out, ds, nil
}

// httpWant is what a case expects and how its answer is judged: whether
// it is as described, and what is wanted.
type httpWant struct {
	expect Expect
	judge  func(status int, verdict string, h http.Header) (bool, string)
}

var (
	wantRefused = httpWant{ExpectRefuse, func(_ int, v string, h http.Header) (bool, string) {
		return v == "refused-401" && h.Get("Www-Authenticate") != "", "401 {\"message\":\"Unauthorized\"} with www-authenticate"
	}}
	wantAdmitted = httpWant{ExpectAdmit, func(_ int, v string, _ http.Header) (bool, string) {
		return v == "admitted", "admitted (not 401/403/404)"
	}}
	wantForbidden = httpWant{ExpectForbid, func(_ int, v string, _ http.Header) (bool, string) {
		return v == "forbidden-403" || v == "refused-401", "403 {\"message\":\"Forbidden\"} (401 accepted)"
	}}
)

// httpClass is an HTTPVerdict in v1's classes, so both probes' rows read
// alike.
var httpClass = map[string]Class{"refused-401": ClassUnauthorized, "forbidden-403": ClassForbidden, "not-found": ClassNotDeployed, "admitted": ClassReached}

// httpCode is the finding of a case not as described: v1's code where the
// finding means the same on both kinds of API, an HTTP API's own
// (PC-P030 on) where only its JWT authorizer or CORS configuration can
// get it wrong.
func httpCode(c *HTTPCase) string {
	switch {
	case c.Class == ClassNetwork || c.Class == ClassNotGateway:
		return CodeInconclusive
	case c.Expect == ExpectPreflight:
		return CodePreflightBroken
	case c.Expect == ExpectNoCORS:
		return CodePreflightOtherOrigin
	case c.Class == ClassNotDeployed:
		return CodeNotDeployed
	}
	switch c.Expect {
	case ExpectRefuse:
		switch c.Class {
		case ClassReached:
			return CodeOpen
		case ClassUnauthorized:
			return CodeNoWWWAuthenticate
		}
		return CodeDenied
	case ExpectAdmit:
		if c.Case == CasePublic {
			return CodePublicRefused
		}
		return CodeValidRefused
	case ExpectForbid:
		if c.Case == CaseIDToken {
			return CodeScopesIgnored
		}
		return CodeScopeMissingAdmitted
	}
	return CodeInconclusive
}

// refusalCORS reports, as information, whether the authorizer's 401s and
// 403s carried CORS headers for the Origin every request sent: AWS does
// not document whether an HTTP API adds them (docs/live.md), so neither
// answer fails the probe. ok is false when the API has no CORS
// configuration or no refusal was seen.
func refusalCORS(o *HTTPOptions, jobs []*httpJob) (spec.Diagnostic, bool) {
	c := o.API.CORS
	if c == nil || len(c.AllowOrigins) == 0 {
		return spec.Diagnostic{}, false
	}
	var with, without []string
	for _, j := range jobs {
		if !j.sent || j.err != nil || j.unreached || j.c.Case == CasePreflight || (j.c.Class != ClassUnauthorized && j.c.Class != ClassForbidden) {
			continue
		}
		at := fmt.Sprintf("%s %s (%d)", j.c.Route, j.c.Case, j.c.Status)
		if j.c.CORS {
			with = append(with, at)
		} else {
			without = append(without, at)
		}
	}
	n := len(with) + len(without)
	if n == 0 {
		return spec.Diagnostic{}, false
	}
	d := spec.Diagnostic{Severity: spec.SeverityInfo, Code: CodeRefusalCORS, Source: "probe"}
	allowed := corsAllows(c, o.Origin)
	switch {
	case len(without) == 0:
		d.Summary = fmt.Sprintf("The JWT authorizer's refusals carry CORS headers for %s (%d of %d)", o.Origin, n, n)
		d.Detail = "Every 401 and 403 admitted the Origin sent, so a page at that origin can read the refusal."
	case len(with) == 0:
		d.Summary = fmt.Sprintf("The JWT authorizer's refusals carry no CORS headers for %s (0 of %d)", o.Origin, n)
		d.Detail = "No 401 or 403 admitted the Origin sent, so a page at that origin sees a CORS error instead of the refusal (probe --browser asks Chromium): " + list(without, 5) + "."
	default:
		d.Summary = fmt.Sprintf("Some of the JWT authorizer's refusals carry CORS headers for %s (%d of %d)", o.Origin, len(with), n)
		d.Detail = "With: " + list(with, 5) + ". Without: " + list(without, 5) + "."
	}
	if !allowed {
		d.Detail += " " + o.Origin + " is not an allowed origin of the CORS configuration, so no CORS headers are due."
	}
	d.Detail += " AWS does not document whether an HTTP API adds its CORS headers to the JWT authorizer's own answers; the probe passes either way (docs/live.md)."
	return d, true
}

// wantPreflight judges the gateway's answer to a preflight from origin
// for method against the API's CORS configuration: an allowed origin gets
// a 2xx with an Access-Control-Allow-Origin that admits it and, when it
// lists methods, method among them (as v1's preflights are judged); an
// origin the configuration does not allow must not be admitted (the
// status is not judged: AWS does not document it; docs/local-gateway.md).
func wantPreflight(origin, method string, allowed bool) httpWant {
	if !allowed {
		return httpWant{ExpectNoCORS, func(_ int, _ string, h http.Header) (bool, string) {
			return !HasCORS(h, origin), "no Access-Control-Allow-Origin for " + origin + " (not an allowed origin)"
		}}
	}
	return httpWant{ExpectPreflight, func(status int, _ string, h http.Header) (bool, string) {
		methods := h.Get("Access-Control-Allow-Methods")
		return status >= 200 && status < 300 && HasCORS(h, origin) && (methods == "" || listHas(methods, method)),
			"2xx from the gateway with Access-Control-Allow-Origin for " + origin + " and " + method + " allowed"
	}}
}

// corsAllows reports whether the CORS configuration allows origin, as
// the gateway matches it: "*" or the origin itself.
func corsAllows(c *spec.CORS, origin string) bool {
	for _, o := range c.AllowOrigins {
		if o == "*" || strings.EqualFold(o, origin) {
			return true
		}
	}
	return false
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
	route *spec.HTTPRoute
	c     HTTPCase
	// hdr are the headers besides the identity header; header carries
	// token (with "Bearer " when bearer), named tokenOf in the trace, or
	// the query parameter query does when the identity source is one.
	hdr       map[string]string
	header    string
	query     string
	token     string
	tokenOf   string
	bearer    bool
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
	tr := &tracer{w: o.Debug}
	head := min(3, len(jobs))
	for _, j := range jobs[:head] {
		doHTTPJob(ctx, o, limiter, tr, j)
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
				doHTTPJob(ctx, o, limiter, tr, j)
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
func doHTTPJob(ctx context.Context, o *HTTPOptions, limiter *rate.Limiter, tr *tracer, j *httpJob) {
	j.sent = true
	_, j.c.Want = j.want.judge(0, "", http.Header{}) // what is wanted, whatever comes
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
		t0 := time.Now()
		resp, body, j.err = sendHTTP(ctx, o, j)
		a := Answer{Err: j.err}
		if resp != nil {
			a.Status, a.Header, a.Body = resp.StatusCode, resp.Header, body
		}
		tr.line(j.c.Method, o.BaseURL+j.c.Path, j.c.Case, j.header, j.tokenOf, j.bearer, a, time.Since(t0))
		if j.err == nil || !transient(ctx, j.err) {
			break
		}
	}
	if j.err != nil {
		j.c.Class, j.c.Code = ClassNetwork, CodeInconclusive
		j.c.Detail = "could not reach the stage: " + redact(j.err.Error())
		return
	}
	j.c.Status = resp.StatusCode
	if resp.Header.Get("Apigw-Requestid") == "" {
		// Every answer of an HTTP API carries apigw-requestid: this one
		// is from something else (moto has no data plane, a proxy, ...).
		j.c.Class, j.c.Code = ClassNotGateway, CodeInconclusive
		j.c.Detail = fmt.Sprintf("answered %d without apigw-requestid: not an HTTP API stage", resp.StatusCode)
		j.unreached = true
		return
	}
	verdict := HTTPVerdict(resp.StatusCode, body)
	j.c.Class = httpClass[verdict]
	if origin := j.hdr["Origin"]; origin != "" {
		j.c.CORS = HasCORS(resp.Header, origin)
	}
	j.c.OK, j.c.Want = j.want.judge(resp.StatusCode, verdict, resp.Header)
	if !j.c.OK {
		j.c.Code = httpCode(&j.c)
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
	if j.token != "" {
		v := j.token
		if j.bearer {
			v = "Bearer " + v
		}
		if j.query != "" {
			q := req.URL.Query()
			q.Set(j.query, v)
			req.URL.RawQuery = q.Encode()
		} else {
			req.Header.Set(j.header, v)
		}
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

// request is the method and path a route is probed with: ANY as GET,
// path parameters filled as for REST APIs (fillPath: --param, then the
// route's examples, else a placeholder), and for $default a method and
// path no other route takes: an ANY /{proxy+} takes every path but "/",
// and beside GET / only another method reaches $default there. The
// methods tried are GET, then OPTIONS when the API has no CORS
// configuration (with one, the gateway may answer OPTIONS itself), then
// POST, PUT, PATCH, DELETE (their valid-token cases only with --unsafe, as
// for any route); never HEAD, whose answer has no body to tell the
// gateway's 401 from the integration's. "" when every one is taken:
// $default cannot be reached, and is not probed (PC-P034).
func (o *HTTPOptions) request(r *spec.HTTPRoute) (string, string) {
	if r.IsDefault() {
		methods := []string{http.MethodGet}
		if o.API == nil || o.API.CORS == nil {
			methods = append(methods, http.MethodOptions)
		}
		methods = append(methods, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete)
		for _, m := range methods {
			for _, p := range []string{"/portcullis-probe-default", "/"} {
				if !o.routeTakes(m, p) {
					return m, p
				}
			}
		}
		return "", ""
	}
	method := r.Method
	if method == "ANY" {
		method = http.MethodGet
	}
	safe := safeMethods[r.Method]
	return method, fillPath(r.Path, o.Params, r.ParamExamples, safe, o.Unsafe)
}

// routeTakes reports whether a route other than $default matches method
// and path as API Gateway matches them: a {param} is one segment, a
// trailing {param+} one or more.
func (o *HTTPOptions) routeTakes(method, path string) bool {
	if o.API == nil {
		return false
	}
	segs := strings.FieldsFunc(path, func(r rune) bool { return r == '/' })
	for _, rt := range o.API.Routes {
		if rt.IsDefault() || (rt.Method != "ANY" && rt.Method != method) {
			continue
		}
		if pathMatches(strings.FieldsFunc(rt.Path, func(r rune) bool { return r == '/' }), segs) {
			return true
		}
	}
	return false
}

func pathMatches(pattern, segs []string) bool {
	for i, p := range pattern {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "+}") {
			return i < len(segs)
		}
		if i >= len(segs) || (!strings.HasPrefix(p, "{") && p != segs[i]) {
			return false
		}
	}
	return len(segs) == len(pattern)
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

// httpVerdicts are the route verdicts (v1's) an HTTP API's findings
// give; preflight and browser findings leave the verdict alone, as on a
// REST API.
var httpVerdicts = map[string]string{
	CodeNotDeployed: VerdictNotDeployed, CodeOpen: VerdictOpen, CodeScopesIgnored: VerdictScopesIgnored,
	CodeScopeMissingAdmitted: VerdictScopesIgnored, CodeValidRefused: VerdictValidRefused, CodePublicRefused: VerdictPublicRefused,
	CodeDenied: VerdictDenied, CodeNoWWWAuthenticate: VerdictInconclusive, CodeInconclusive: VerdictInconclusive,
}

// HTTPRouteVerdict is a route's verdict in v1's words from its cases: the
// worst of its findings, else protected (a JWT route) or public (a route
// without authorization) when a case of its own was sent, else not probed.
func HTTPRouteVerdict(r *spec.HTTPRoute, cases []HTTPCase) string {
	v := VerdictNotProbed
	for _, c := range cases {
		if c.Route != r.Key || c.Expect == ExpectBrowser || c.Case == CasePreflight {
			continue
		}
		next := VerdictProtected
		if r.AuthType == spec.AuthNone {
			next = VerdictPublic
		}
		if w, ok := httpVerdicts[c.Code]; ok {
			next = w
		}
		if verdictRank[next] > verdictRank[v] {
			v = next
		}
	}
	return v
}
