package policies

import (
	"slices"

	"github.com/portcullis-dev/portcullis/spec"
)

var ruleWildcardOriginWithAuth = &Rule{
	ID:       "PCA014",
	Name:     "wildcard-origin-with-auth",
	Severity: spec.SeverityWarning,
	Summary:  `CORS allows every origin ("*") on an API with authenticated methods`,
	Explanation: `allow_origins = ["*"] lets scripts on any web site call the API from a user's browser.
With bearer tokens that is only safe if no site but yours can obtain the token; with
allow_credentials browsers refuse "*" outright. APIs that authenticate users should name their
front-end origins.`,
	Impact:     `Any web page can call the API from a signed-in user's browser if it gets hold of a token, and error responses leak to every origin.`,
	Resolution: `List the front-end origins in allow_origins, or suppress this rule on the API with the reason (for example "public API for third-party browser apps").`,
	HTTPAPIs: `Judged on the CORS configuration (cors block, x-amazon-apigateway-cors) of an HTTP
API with authorized routes: allowOrigins holding "*" makes API Gateway answer every origin's
preflight and add Access-Control-Allow-Origin: * to the responses. When allowCredentials is true as
well, the combination is PCA024's error and this rule stays quiet, so the wildcard is reported
once.`,
	Links: []string{linkCORS, "https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS", linkHTTPCORS},
	check: func(c *Context, a *spec.API) {
		if a.CORS == nil || !a.HasAuthenticatedRoutes() {
			return
		}
		for _, o := range a.CORS.AllowOrigins {
			if o != "*" {
				continue
			}
			extra := ""
			if a.CORS.AllowCredentials {
				extra = " With allow_credentials, browsers also reject the wildcard."
			}
			c.API(a.CORS.Ranges.Of("allow_origins", a.CORS.Range), "Any origin may call authenticated methods",
				"CORS allows every origin while the API has authenticated methods.%s", extra)
			return
		}
	},
	checkHTTP: func(c *Context, a *spec.HTTPAPI) {
		// Credentials with the wildcard are PCA024's.
		if a.CORS == nil || a.CORS.AllowCredentials || !a.HasAuthenticatedRoutes() || !slices.Contains(a.CORS.AllowOrigins, "*") {
			return
		}
		c.API(a.CORS.Ranges.Of("allow_origins", a.CORS.Range), "Any origin may call authenticated routes",
			"CORS allows every origin while the API has routes that require a token.")
	},
}
