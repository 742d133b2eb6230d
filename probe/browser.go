package probe

import (
	"context"
	"fmt"
	"strings"

	"github.com/portcullis-dev/portcullis/browser"
	"github.com/portcullis-dev/portcullis/spec"
)

// Browser makes requests from a page at an origin in a real browser
// (package browser's *Browser): only a browser enforces CORS, so only it
// can say whether an app at that origin can call the route and read a 401.
type Browser interface {
	Origin() string
	Fetch(ctx context.Context, r browser.Request) (browser.Answer, error)
}

// browserToken goes in the identity header of the preflighted request: not
// a JWT, so the authorizer refuses it before any integration runs.
const browserToken = "portcullis-probe-not-a-token"

// BrowserResult is what a page at Origin saw of one route.
type BrowserResult struct {
	Origin string `json:"origin"`
	// Preflight: a call carrying the identity header (which makes the
	// browser send a preflight) got past the preflight.
	Preflight BrowserCheck `json:"preflight"`
	// IdentityHeader: the preflight allowed the identity header.
	IdentityHeader BrowserCheck `json:"identity_header"`
	// Readable401: the page could read the refusal of a call without a
	// token (for a public route: its answer).
	Readable401 BrowserCheck `json:"readable_401"`
}

// BrowserCheck is one browser question's answer.
type BrowserCheck struct {
	// Pass is meaningful only when Skipped is "".
	Pass    bool   `json:"pass"`
	Skipped string `json:"skipped,omitempty"`
	// Status is what the page read (0 = nothing).
	Status int `json:"status"`
	// CORSError is Chromium's reason when CORS blocked the call.
	CORSError string `json:"cors_error,omitempty"`
	// Error is a network failure (the browser got no answer).
	Error string `json:"error,omitempty"`
}

// DefaultOrigin is the Origin a probe sends when none is given: the first
// origin the API's CORS configuration allows by name, else a name that
// cannot exist.
func DefaultOrigin(c *spec.CORS) string {
	if c != nil {
		for _, o := range c.AllowOrigins {
			if o != "*" {
				return o
			}
		}
	}
	return "https://portcullis-probe.invalid"
}

// browserChecks asks opts.Browser about every route and returns the
// findings; the answers go into each row.
func browserChecks(ctx context.Context, opts *Options, res *Result) (spec.Diagnostics, error) {
	var ds spec.Diagnostics
	for i := range res.Routes {
		row := &res.Routes[i]
		r := row.route
		method := r.Method
		if method == "ANY" {
			method = "GET"
		}
		header := ""
		if r.AuthType == spec.AuthCognito {
			header = "Authorization"
			if row.az != nil && row.az.IdentityHeader() != "" {
				header = row.az.IdentityHeader()
			}
		}
		br, found, n, err := askBrowser(ctx, opts.Browser, method, row.URL, header)
		if err != nil {
			return nil, err
		}
		res.Requests += n
		row.Browser = br
		for _, f := range found {
			rng := r.Range
			ds = append(ds, spec.Diagnostic{Severity: f.sev, Code: f.code, Summary: f.summary, Detail: f.detail, Range: &rng, Route: row.Key, Source: "probe"})
		}
	}
	return ds, nil
}

type finding struct {
	sev                   spec.Severity
	code, summary, detail string
}

// askBrowser asks the browser's questions of one route: a call without a
// token (its refusal, or for a public route its answer, must be readable)
// and, when the route reads a token from header, a call carrying a
// non-token there (which makes the browser send a preflight). It returns
// the answers, the findings and the number of requests.
func askBrowser(ctx context.Context, b Browser, method, url, header string) (*BrowserResult, []finding, int, error) {
	origin := b.Origin()
	br := &BrowserResult{Origin: origin}
	var found []finding
	add := func(sev spec.Severity, code, summary, detail string) {
		found = append(found, finding{sev, code, summary, detail})
	}
	bare, err := b.Fetch(ctx, browser.Request{Method: method, URL: url})
	if err != nil {
		return nil, nil, 0, err
	}
	br.Readable401 = checkOf(bare)
	if header == "" {
		br.Preflight.Skipped = "no identity header on a route without a token"
		br.IdentityHeader.Skipped = br.Preflight.Skipped
		br.Readable401.Pass = bare.Readable()
		if bare.CORSError != "" {
			add(spec.SeverityWarning, CodeBrowserUnreadable, "The browser cannot read the answer",
				fmt.Sprintf("From %s, Chromium blocked the answer to %s %s: %s. A page there cannot use this route.", origin, method, url, corsWhy(bare)))
		}
		return br, found, 1, nil
	}
	br.Readable401.Pass = bare.Status == 401

	with, err := b.Fetch(ctx, browser.Request{Method: method, URL: url, Headers: map[string]string{header: browserToken}})
	if err != nil {
		return nil, nil, 1, err
	}
	br.Preflight = checkOf(with)
	br.IdentityHeader = checkOf(with)
	switch {
	case with.NetError != "":
		br.Preflight.Skipped, br.IdentityHeader.Skipped = "no answer", "no answer"
	case with.CORSError == "HeaderDisallowedByPreflightResponse":
		br.Preflight.Pass = true // it answered; it only left the header out
		add(spec.SeverityError, CodeBrowserHeader, "The preflight does not allow the identity header",
			fmt.Sprintf("From %s, Chromium refused to send %s: the preflight's Access-Control-Allow-Headers does not list %s, so no page there can send a token. Add it to the CORS allowed headers.", origin, header, header))
	case with.PreflightFailed():
		br.IdentityHeader.Skipped = "the preflight failed"
		add(spec.SeverityError, CodeBrowserPreflight, "The browser's preflight fails",
			fmt.Sprintf("From %s, Chromium refused the preflight for %s %s with %s: %s. Every call carrying a token fails before it is sent. The preflight must answer 2xx without a token, with Access-Control-Allow-Origin for this origin and the method and header allowed.", origin, method, url, header, corsWhy(with)))
	default:
		// Past the preflight, header allowed: whether the refusal after
		// it was readable is Readable401's question.
		br.Preflight.Pass, br.IdentityHeader.Pass = true, true
	}
	switch {
	case bare.NetError != "":
		br.Readable401.Skipped = "no answer"
	case bare.CORSError != "":
		add(spec.SeverityWarning, CodeBrowserUnreadable, "The browser cannot read the 401",
			fmt.Sprintf("From %s, a call without a token failed with %s instead of a status the app could read: the refusal has no Access-Control-Allow-Origin for this origin (on a REST API, the UNAUTHORIZED or DEFAULT_4XX gateway response), so the app cannot tell that the user must sign in.", origin, corsWhy(bare)))
	case !br.Readable401.Pass:
		br.Readable401.Skipped = fmt.Sprintf("answered %d, not a refusal", bare.Status)
	}
	if br.Preflight.Pass && br.IdentityHeader.Pass && br.Readable401.Pass {
		add(spec.SeverityInfo, CodeBrowserOK, "The browser can call the route and read its 401",
			fmt.Sprintf("From %s in Chromium: the preflight passed, %s is allowed, and the 401 is readable.", origin, header))
	}
	return br, found, 2, nil
}

// The HTTP API matrix's browser cases (probe --browser on an HTTP API).
const (
	CaseBrowserPreflight = "browser-preflight"
	CaseBrowserHeader    = "browser-header"
	CaseBrowser401       = "browser-401"
)

// browserHTTPCases asks the browser's questions of every JWT route of an
// HTTP API: three more rows per route in its matrix.
func browserHTTPCases(ctx context.Context, o *HTTPOptions) ([]HTTPCase, spec.Diagnostics, error) {
	b, api, base := o.Browser, o.API, o.BaseURL
	var out []HTTPCase
	var ds spec.Diagnostics
	for _, r := range api.Routes {
		if r.AuthType != spec.AuthJWT {
			continue
		}
		method, path := o.request(r)
		header := "Authorization"
		if az := api.AuthorizerByName(r.Authorizer); az != nil && az.IdentityHeader() != "" {
			header = az.IdentityHeader()
		}
		br, found, _, err := askBrowser(ctx, b, method, base+path, header)
		if err != nil {
			return nil, nil, err
		}
		for _, c := range []struct {
			name string
			c    BrowserCheck
			want string
			code string
		}{
			{CaseBrowserPreflight, br.Preflight, "a preflight Chromium lets through from " + br.Origin, CodeBrowserPreflight},
			{CaseBrowserHeader, br.IdentityHeader, header + " allowed by the preflight", CodeBrowserHeader},
			{CaseBrowser401, br.Readable401, "a 401 the page can read", CodeBrowserUnreadable},
		} {
			if c.c.Skipped != "" {
				continue
			}
			hc := HTTPCase{Route: r.Key, Case: c.name, Method: method, Path: path, Status: c.c.Status, Expect: ExpectBrowser, Want: c.want, OK: c.c.Pass}
			if !c.c.Pass {
				hc.Code, hc.Detail = c.code, strings.TrimSpace(c.c.CORSError+" "+c.c.Error)
			}
			out = append(out, hc)
		}
		for _, f := range found {
			if f.sev == spec.SeverityInfo {
				continue // the ok rows say it; every finding of this matrix fails the probe
			}
			ds = append(ds, spec.Diagnostic{Severity: f.sev, Code: f.code, Summary: f.summary, Detail: f.detail, Range: rangePtr(r.Range), Route: r.Key, Source: "probe"})
		}
	}
	return out, ds, nil
}

func checkOf(a browser.Answer) BrowserCheck {
	return BrowserCheck{Status: a.Status, CORSError: a.CORSError, Error: a.NetError}
}

func corsWhy(a browser.Answer) string {
	s := a.CORSError
	if a.CORSParameter != "" {
		s += " (" + a.CORSParameter + ")"
	}
	return s
}
