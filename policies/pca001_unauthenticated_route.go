package policies

import "github.com/portcullis-dev/portcullis/spec"

var ruleUnauthenticatedRoute = &Rule{
	ID:       "PCA001",
	Name:     "unauthenticated-route",
	Severity: spec.SeverityError,
	Summary:  "A method has no authorization and is not declared public",
	Explanation: `Portcullis denies by default: every method must either be guarded by an authorizer
(or another authorization type) or be declared public on purpose, with a reason. A method whose
authorization ends up NONE without that declaration is almost always an accident: a route added
without the authorizer, an OpenAPI operation that lost its per-operation security (API Gateway
ignores root-level security), or a default authorizer that was removed. CORS preflight OPTIONS
methods are exempt when CORS is configured, since browsers send them without credentials. On an
HTTP API the same holds for every route but $default, which PCA025 judges.`,
	Impact:     `Anyone on the internet can call the method without a token.`,
	Resolution: `Attach an authorizer (or rely on default_authorizer), or, if the method really is meant to be open, declare it: public = true with reason = "..." in HCL, or x-portcullis-public: true with x-portcullis-public-reason in OpenAPI.`,
	Links:      []string{linkCognitoAuthorizer, "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html"},
	check: func(c *Context, a *spec.API) {
		for _, r := range a.Routes {
			if r.AuthType != spec.AuthNone || r.Public {
				continue
			}
			if r.Method == "OPTIONS" && a.CORS != nil {
				continue
			}
			c.Route(r, r.Ranges.Of("auth_type", r.At("key")), "Method without authorization",
				"%s has authorization NONE but is not declared public, so anyone can call it. Attach an authorizer, or declare the route public with a reason.", r.Key())
		}
	},
	checkHTTP: func(c *Context, a *spec.HTTPAPI) {
		for _, r := range a.Routes {
			if r.AuthType != spec.AuthNone || r.Public || r.IsDefault() {
				continue
			}
			c.HTTPRoute(r, r.Ranges.Of("auth_type", r.At("key")), "Route without authorization",
				"%s has authorization NONE but is not declared public, so anyone can call it. Attach an authorizer, or declare the route public with a reason.", r.Key)
		}
	},
}
