package policies

import "github.com/portcullis-dev/portcullis/spec"

var ruleUnusedAuthorizer = &Rule{
	ID:       "PCA020",
	Name:     "unused-authorizer",
	Severity: spec.SeverityWarning,
	Summary:  "An authorizer guards no method",
	Explanation: `An authorizer that no method uses protects nothing. Most often a route was meant to use
it and names another (or none, falling back to the default or to NONE); sometimes it is left over
from a migration. Unused authorizers also count against API Gateway's quota of 10 per API.`,
	Impact:     `A method may be guarded by the wrong pool, or by none; the API carries dead configuration.`,
	Resolution: `Point the intended routes at the authorizer, or delete it.`,
	Links:      []string{linkCognitoAuthorizer, "https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html"},
	check: func(c *Context, a *spec.API) {
		for _, az := range a.Authorizers {
			if len(c.RoutesOf(az.Name)) == 0 {
				c.Authorizer(az, az.At("name"), "Authorizer that guards nothing",
					"No method uses authorizer %q.", az.Name)
			}
		}
	},
	checkHTTP: func(c *Context, a *spec.HTTPAPI) {
		used := map[string]bool{}
		for _, r := range a.Routes {
			if r.AuthType != spec.AuthNone {
				used[r.Authorizer] = true
			}
		}
		for _, az := range a.Authorizers {
			if !used[az.Name] {
				c.JWTAuthorizer(az, az.At("name"), "Authorizer that guards nothing",
					"No route uses authorizer %q.", az.Name)
			}
		}
	},
}
