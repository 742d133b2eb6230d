package policies

import "github.com/portcullis-dev/portcullis/spec"

var ruleOpenDefaultRoute = &Rule{
	ID:       "PCA025",
	Name:     "open-default-route",
	Severity: spec.SeverityError,
	Summary:  "The $default route of an HTTP API has no authorization",
	Explanation: `The $default route catches every request that no other route matches: every method, every
path, including paths nobody described and typos of protected ones. Left without authorization,
it makes the whole URL space of the API public except the routes written out, the opposite of
deny by default. Marking it public does not narrow what it catches.`,
	Impact:     `Anyone can reach the $default integration with any method and path, without a token.`,
	Resolution: `Give the $default route an authorizer (or rely on default_authorizer), describe the public routes one by one instead, or suppress on the route with the reason (for example "static site proxy, nothing private behind it").`,
	Links:      []string{linkHTTPRoutes},
	checkHTTP: func(c *Context, a *spec.HTTPAPI) {
		for _, r := range a.Routes {
			if r.IsDefault() && r.AuthType == spec.AuthNone {
				c.HTTPRoute(r, r.At("key"), "$default route left open",
					"$default answers every request no other route matches, and it requires no authorization.")
			}
		}
	},
}
