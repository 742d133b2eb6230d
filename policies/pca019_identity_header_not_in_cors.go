package policies

import (
	"strings"

	"github.com/portcullis-dev/portcullis/spec"
)

var ruleIdentityHeaderNotInCORS = &Rule{
	ID:       "PCA019",
	Name:     "identity-header-not-in-cors",
	Severity: spec.SeverityWarning,
	Summary:  "CORS does not allow the header that carries the token",
	Explanation: `A browser sends a request header across origins only when the preflight answer lists it
in Access-Control-Allow-Headers. If the header an authorizer reads the token from (identity_source:
Authorization by default, or a custom one) is missing from cors allow_headers, the browser refuses
to send the call at all, and the user sees a CORS error rather than the API. This happens when
allow_headers is written out by hand and leaves out Authorization, when the authorizer moves to a
custom header and CORS is not updated, or when allow_headers is "*": the wildcard never covers
Authorization, and covers nothing when credentials are allowed. An HTTP API's CORS configuration
has no default list: empty allow_headers allows no header at all.`,
	Impact:     `Browser clients cannot call the authenticated methods at all.`,
	Resolution: `Add the authorizer's header to cors allow_headers (or drop allow_headers to use the default list, which includes Authorization).`,
	Links:      []string{linkCORS, "https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Access-Control-Allow-Headers"},
	check: func(c *Context, a *spec.API) {
		if a.CORS == nil {
			return
		}
		allowed := map[string]bool{}
		for _, h := range a.CORS.AllowHeadersOrDefault() {
			allowed[strings.ToLower(strings.TrimSpace(h))] = true
		}
		// The Fetch standard's wildcard: every header but Authorization, and
		// only for requests without credentials.
		wildcard := allowed["*"] && !a.CORS.AllowCredentials
		for _, az := range a.Authorizers {
			h := strings.ToLower(az.IdentityHeader())
			if h == "" || allowed[h] || (wildcard && h != "authorization") || len(c.RoutesOf(az.Name)) == 0 {
				continue
			}
			c.report(a.CORS.Ranges.Of("allow_headers", a.CORS.Range), nil, az, "Token header not allowed by CORS",
				"Authorizer "+quote(az.Name)+" reads the token from "+az.IdentityHeader()+", but cors allow_headers does not list it, so browsers will not send it cross-origin.")
		}
	},
	checkHTTP: checkHTTPIdentityHeaderInCORS,
}

// checkHTTPIdentityHeaderInCORS is PCA019 for HTTP APIs, whose CORS
// configuration allows exactly the headers it lists.
func checkHTTPIdentityHeaderInCORS(c *Context, a *spec.HTTPAPI) {
	if a.CORS == nil {
		return
	}
	allowed := map[string]bool{}
	for _, h := range a.CORS.AllowHeaders {
		allowed[strings.ToLower(strings.TrimSpace(h))] = true
	}
	wildcard := allowed["*"] && !a.CORS.AllowCredentials
	used := map[string]bool{}
	for _, r := range a.Routes {
		if r.AuthType != spec.AuthNone {
			used[r.Authorizer] = true
		}
	}
	for _, az := range a.Authorizers {
		h := strings.ToLower(az.IdentityHeader())
		if h == "" || allowed[h] || (wildcard && h != "authorization") || !used[az.Name] {
			continue
		}
		c.JWTAuthorizer(az, a.CORS.Ranges.Of("allow_headers", a.CORS.Range), "Token header not allowed by CORS",
			"Authorizer %s reads the token from %s, but cors allow_headers does not list it, so browsers will not send it cross-origin.", quote(az.Name), az.IdentityHeader())
	}
}

func quote(s string) string { return `"` + s + `"` }
