package policies

import "github.com/portcullis-dev/portcullis/spec"

var ruleJWTRouteWithoutScopes = &Rule{
	ID:       "PCA021",
	Name:     "jwt-route-without-scopes",
	Severity: spec.SeverityWarning,
	Summary:  "An HTTP API route with a JWT authorizer requires no scope, so ID tokens pass",
	Explanation: `An HTTP API JWT authorizer admits a token when its signature, iss, exp/nbf/iat hold and its
aud, or when it has no aud its client_id, is one of the audiences. Scopes are the only check on
what kind of token it is: without authorization scopes on the route, every token of the app
client passes, Cognito ID tokens included (an ID token's aud is the client id). AWS says there is
no standard way to tell ID from access tokens, and to use scopes.`,
	Impact:     `ID tokens, which carry the user's profile and are handed to browser code and third-party libraries freely, work as API credentials; a token issued for one purpose authorizes every route of the authorizer.`,
	Resolution: `Give the route the scopes it needs (scopes = ["todo/read"]) so only access tokens granted that scope pass, or suppress the rule on the route with the reason (for example "any signed-in user; ID tokens accepted on purpose").`,
	Links:      []string{linkJWTAuthorizer, linkAccessToken},
	checkHTTP: func(c *Context, a *spec.HTTPAPI) {
		for _, r := range a.Routes {
			if r.AuthType != spec.AuthJWT || len(r.Scopes) > 0 || a.AuthorizerByName(r.Authorizer) == nil {
				continue
			}
			c.HTTPRoute(r, httpAuthorizerRange(r), "JWT route without scopes",
				"%s requires a token from authorizer %q but no scope: any token whose aud or client_id matches an audience passes, ID tokens included.", r.Key, r.Authorizer)
		}
	},
}
