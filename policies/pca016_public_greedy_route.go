package policies

import "github.com/portcullis-dev/portcullis/spec"

var rulePublicGreedyRoute = &Rule{
	ID:       "PCA016",
	Name:     "public-greedy-route",
	Severity: spec.SeverityWarning,
	Summary:  "A public method has a greedy {proxy+} path",
	Explanation: `A greedy path parameter ({proxy+}) matches every path below it, including ones the
backend adds later. Making it public opens all of them at once: the backend, not API Gateway,
then decides what is protected.`,
	Impact:     `Every current and future backend path under the prefix is reachable without a token.`,
	Resolution: `Describe the public paths one by one and keep the greedy route behind the authorizer, or suppress this rule with the reason the backend authorizes on its own.`,
	Links:      []string{"https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-set-up-simple-proxy.html"},
	check: func(c *Context, a *spec.API) {
		for _, r := range a.Routes {
			if r.Public && isGreedy(r.Path) {
				c.Route(r, r.At("key"), "Public catch-all route",
					"%s is public and its greedy path matches every path below it.", r.Key())
			}
		}
	},
	checkHTTP: func(c *Context, a *spec.HTTPAPI) {
		for _, r := range a.Routes {
			if r.Public && isGreedy(r.Path) {
				c.HTTPRoute(r, r.At("key"), "Public catch-all route",
					"%s is public and its greedy path matches every path below it.", r.Key)
			}
		}
	},
}
