package policies

import "github.com/portcullis-dev/portcullis/spec"

var ruleHTTPAuthorizedPreflight = &Rule{
	ID:       "PCA023",
	Name:     "http-preflight-reaches-authorizer",
	Severity: spec.SeverityWarning,
	Summary:  "An authorized OPTIONS, ANY or $default route on an HTTP API without CORS configuration",
	Explanation: `An HTTP API answers CORS preflights itself, before any route or authorizer, only when the API
has a CORS configuration. Without one, a browser's preflight (an OPTIONS request, sent without the
Authorization header by design) is routed like any request: to an OPTIONS route, an ANY route or
the $default route, and when that route has an authorizer the preflight gets 401.`,
	Impact:     `Every cross-origin call from a browser to those paths fails on the preflight, whatever token the app holds; it shows up as a CORS error.`,
	Resolution: `Add a cors block (x-amazon-apigateway-cors) so API Gateway answers preflights, or suppress on the route when no browser calls the API.`,
	Links:      []string{linkHTTPCORS, "https://developer.mozilla.org/en-US/docs/Glossary/Preflight_request"},
	checkHTTP: func(c *Context, a *spec.HTTPAPI) {
		if a.CORS != nil {
			return
		}
		for _, r := range a.Routes {
			if r.AuthType == spec.AuthNone || (r.Method != "OPTIONS" && r.Method != "ANY" && !r.IsDefault()) {
				continue
			}
			c.HTTPRoute(r, r.At("key"), "Preflights reach an authorized route",
				"The API has no CORS configuration, so browser preflights to %s are routed to it and its %s authorization answers 401.", r.Key, r.AuthType)
		}
	},
}
