package policies

import (
	"strings"

	"github.com/portcullis-dev/portcullis/spec"
)

var ruleCustomIdentityHeader = &Rule{
	ID:       "PCA015",
	Name:     "custom-identity-header",
	Severity: spec.SeverityInfo,
	Summary:  "The authorizer reads the token from a header other than Authorization",
	Explanation: `Clients, SDKs (Amplify), proxies and every framework default send the token in
Authorization. A different header works, but each client must be told, CORS allow_headers must
list it, and caches and logs may treat it differently from Authorization.`,
	Impact:     `Clients that send the token in Authorization get 401.`,
	Resolution: `Read the token from Authorization (method.request.header.Authorization on a REST API, $request.header.Authorization on an HTTP API) unless a proxy in front forces another header; then list the header in cors allow_headers. Never put the token in the query string.`,
	HTTPAPIs: `Judged on JWT authorizers: an identity source other than
$request.header.Authorization, the default. A header source ($request.header.X-Token) has the
costs above. A query-string source ($request.querystring.token) puts the token into the URL, where
access logs, proxies, browser history and Referer headers keep it: anyone who reads those can
replay it until it expires. A JWT authorizer takes exactly one source (a validation error
otherwise). Bearer is optional in either place.`,
	Links: []string{linkAuthorizerAPI, linkJWTAuthorizer},
	check: func(c *Context, a *spec.API) {
		for _, az := range a.Authorizers {
			if az.Type != spec.AuthorizerCognito {
				continue
			}
			h := az.IdentityHeader()
			if h == "" || strings.EqualFold(h, "Authorization") {
				continue
			}
			c.Authorizer(az, az.At("identity_source"), "Token read from a custom header",
				"Authorizer %q reads the token from %s rather than Authorization.", az.Name, h)
		}
	},
	checkHTTP: func(c *Context, a *spec.HTTPAPI) {
		for _, az := range a.Authorizers {
			src := az.IdentitySource()
			if az.Type != spec.AuthorizerJWT || src == "" || strings.EqualFold(src, spec.DefaultJWTIdentitySource) {
				continue
			}
			if h := az.IdentityHeader(); h != "" {
				c.JWTAuthorizer(az, az.At("identity_source"), "Token read from a custom header",
					"Authorizer %q reads the token from %s rather than Authorization.", az.Name, h)
				continue
			}
			c.JWTAuthorizer(az, az.At("identity_source"), "Token read from the URL",
				"Authorizer %q reads the token from %s, so the token travels in the URL, where access logs, proxies and browser history keep it.", az.Name, src)
		}
	},
}
