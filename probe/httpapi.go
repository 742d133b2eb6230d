package probe

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"

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
	if o.Client == nil {
		o.Client = &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	var out []HTTPCase
	var ds spec.Diagnostics
	unreached := 0
	send := func(r *spec.HTTPRoute, name, method, path string, hdr map[string]string, want func(status int, verdict string, h http.Header) (bool, string)) {
		c := HTTPCase{Route: r.Key, Case: name, Method: method, Path: path}
		if unreached > 0 && unreached == len(out) && len(out) >= 3 {
			return // nothing there answers as a gateway: stop early
		}
		req, err := http.NewRequestWithContext(ctx, method, o.BaseURL+path, nil)
		if err != nil {
			c.Detail = err.Error()
			out = append(out, c)
			return
		}
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := o.Client.Do(req)
		if err != nil {
			c.Detail = "could not reach the stage: " + err.Error()
			out = append(out, c)
			ds = append(ds, spec.Diagnostic{Severity: spec.SeverityError, Code: "probe-unreachable", Source: "probe", Route: r.Key,
				Summary: "Stage not reachable", Detail: fmt.Sprintf("%s %s: %v", method, path, err)})
			return
		}
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
		c.Status = resp.StatusCode
		if resp.Header.Get("Apigw-Requestid") == "" {
			// Every answer of an HTTP API carries apigw-requestid: this one
			// is from something else (moto has no data plane, a proxy, ...).
			c.Detail = fmt.Sprintf("answered %d without apigw-requestid: not an HTTP API stage", resp.StatusCode)
			out = append(out, c)
			unreached++
			return
		}
		c.OK, c.Want = want(resp.StatusCode, HTTPVerdict(resp.StatusCode, body), resp.Header)
		if !c.OK {
			c.Detail = fmt.Sprintf("answered %d %s", resp.StatusCode, strings.TrimSpace(string(body[:min(len(body), 120)])))
			ds = append(ds, spec.Diagnostic{Severity: spec.SeverityError, Code: "probe-" + name, Source: "probe", Route: r.Key, Range: rangePtr(r.Range),
				Summary: fmt.Sprintf("%s: %s answered %d, want %s", r.Key, name, resp.StatusCode, c.Want), Detail: c.Detail})
		}
		out = append(out, c)
	}
	refused := func(status int, v string, h http.Header) (bool, string) {
		return v == "refused-401" && h.Get("Www-Authenticate") != "", "401 {\"message\":\"Unauthorized\"} with www-authenticate"
	}
	admitted := func(status int, v string, _ http.Header) (bool, string) {
		return v == "admitted", "admitted (not 401/403/404)"
	}
	forbidden := func(status int, v string, _ http.Header) (bool, string) {
		return v == "forbidden-403" || v == "refused-401", "403 {\"message\":\"Forbidden\"} (401 accepted)"
	}
	for _, r := range o.API.Routes {
		method, path := probeRequest(r)
		safe := method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
		if r.AuthType == spec.AuthNone {
			if safe || o.Unsafe {
				send(r, CasePublic, method, path, nil, admitted)
			}
		} else if r.AuthType == spec.AuthJWT {
			az := o.API.AuthorizerByName(r.Authorizer)
			header := "Authorization"
			if az != nil && az.IdentityHeader() != "" {
				header = az.IdentityHeader()
			}
			send(r, CaseNoToken, method, path, nil, refused)
			send(r, CaseGarbage, method, path, map[string]string{header: "this-is-not-a-jwt"}, refused)
			if o.Issuer != nil && az != nil {
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
				send(r, CaseForged, method, path, map[string]string{header: mint(tokens.BadForged, tokens.UseAccess, r.Scopes)}, refused)
				send(r, CaseExpired, method, path, map[string]string{header: mint(tokens.BadExpired, tokens.UseAccess, r.Scopes)}, refused)
				if safe || o.Unsafe {
					good := mint("", tokens.UseAccess, firstScope(r.Scopes))
					send(r, CaseValidRaw, method, path, map[string]string{header: good}, admitted)
					send(r, CaseValidBearer, method, path, map[string]string{header: "Bearer " + good}, admitted)
				}
				if len(r.Scopes) > 0 {
					send(r, CaseIDToken, method, path, map[string]string{header: mint("", tokens.UseID, nil)}, forbidden)
					send(r, CaseNoScope, method, path, map[string]string{header: mint("", tokens.UseAccess, []string{"portcullis-probe/none"})}, forbidden)
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
				"Access-Control-Request-Headers": "authorization"},
				func(status int, v string, h http.Header) (bool, string) {
					return status >= 200 && status < 300 && h.Get("Access-Control-Allow-Origin") != "", "2xx from the gateway with Access-Control-Allow-Origin"
				})
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
