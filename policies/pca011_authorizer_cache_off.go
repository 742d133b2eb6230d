package policies

import "github.com/portcullis-dev/portcullis/spec"

var ruleAuthorizerCacheOff = &Rule{
	ID:       "PCA011",
	Name:     "authorizer-cache-disabled",
	Severity: spec.SeverityInfo,
	Summary:  "A busy authorizer has result caching turned off (ttl_seconds = 0)",
	Explanation: `With ttl_seconds = 0 API Gateway validates the token on every request instead of
reusing the result for the same token for up to ttl_seconds (default 300). On an authorizer that
guards many methods this adds latency to every call. "Busy" is measured by the number of methods
the authorizer guards (option busy_routes).`,
	Impact:     `Higher latency on every call; no effect on security.`,
	Resolution: `Set ttl_seconds to a few minutes (300 is API Gateway's default), below the token lifetime, unless immediate revocation matters more than latency.`,
	HTTPAPIs: `REST APIs only: HTTP API JWT authorizers have no result cache to turn off
(authorizerResultTtlInSeconds belongs to Lambda authorizers). API Gateway checks the JWT on every
request, caching only the issuer's public keys (up to two hours).`,
	Links: []string{linkAuthorizerAPI, linkJWTAuthorizer},
	Options: []Option{{
		Name: "busy_routes", Kind: OptionInt, Default: "5",
		Help: "an authorizer is busy when it guards at least this many methods",
	}},
	check: func(c *Context, a *spec.API) {
		busy := c.Int("busy_routes")
		for _, az := range a.Authorizers {
			if az.TTLSeconds != 0 || len(c.RoutesOf(az.Name)) < busy {
				continue
			}
			c.Authorizer(az, az.At("ttl_seconds"), "Authorizer cache turned off",
				"Authorizer %q guards %d methods with ttl_seconds = 0, so every request is authorized anew.", az.Name, len(c.RoutesOf(az.Name)))
		}
	},
}
