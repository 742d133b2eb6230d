package policies

import "github.com/portcullis-dev/portcullis/spec"

var ruleAuthorizedPreflight = &Rule{
	ID:       "PCA004",
	Name:     "authorized-cors-preflight",
	Severity: spec.SeverityError,
	Summary:  "An OPTIONS method has an authorizer while CORS is configured",
	Explanation: `Browsers send the CORS preflight (OPTIONS) without the Authorization header, by
design. When the OPTIONS method has an authorizer (often inherited from a default authorizer),
API Gateway answers the preflight with 401 and the browser blocks the real request, reporting a
CORS error. This is the most common Cognito-plus-CORS failure in SAM, CDK and Chalice projects.`,
	Impact:     `Every cross-origin call from a browser fails on the preflight, whatever token it carries.`,
	Resolution: `Leave OPTIONS out of the description (Portcullis generates an unauthenticated preflight for every path when cors is set), or declare it public = true with a reason.`,
	HTTPAPIs: `REST APIs only; PCA023 is the HTTP API counterpart. With a CORS configuration an
HTTP API answers every preflight (OPTIONS with Origin and Access-Control-Request-Method) itself,
before routes and authorizers, so an authorized OPTIONS route is never reached by a preflight: it
guards only OPTIONS calls that are not preflights, which is harmless, and is not reported.
Without a CORS configuration preflights are routed like any request, to an OPTIONS, ANY or
$default route, and PCA023 reports those that require a token.`,
	Links: []string{linkCORS, "https://developer.mozilla.org/en-US/docs/Glossary/Preflight_request", linkHTTPCORS},
	check: func(c *Context, a *spec.API) {
		if a.CORS == nil {
			return
		}
		for _, r := range a.Routes {
			if r.Method != "OPTIONS" || r.AuthType == spec.AuthNone {
				continue
			}
			how := "has authorization " + r.AuthType
			if r.Authorizer != "" {
				how = "uses authorizer " + r.Authorizer
				if r.AuthorizerInherited {
					how += " (inherited from default_authorizer)"
				}
			}
			c.Route(r, authorizerRange(r), "CORS preflight requires a token",
				"%s %s, but browsers send preflights without credentials: the preflight gets 401 and the browser blocks the call.", r.Key(), how)
		}
	},
}
