package policies

import "github.com/portcullis-dev/portcullis/spec"

var ruleMixedTokenTypes = &Rule{
	ID:       "PCA010",
	Name:     "mixed-token-types",
	Severity: spec.SeverityInfo,
	Summary:  "One authorizer guards both scoped and unscoped methods",
	Explanation: `A Cognito method without scopes accepts only ID tokens; a method with scopes accepts
only access tokens. When one authorizer guards both kinds, clients must keep both tokens and send
the right one to each method, and sending the wrong one gives a bare 401. That can be intended,
but it is a frequent source of "works for one route, 401 on the next".`,
	Impact:     `Clients that send one token type everywhere get 401 on part of the API.`,
	Resolution: `Give every method scopes (access tokens everywhere: the usual choice for APIs), or none (ID tokens everywhere), or suppress this rule on the authorizer and document which token goes where.`,
	Links:      []string{linkCognitoAuthorizer, linkKC401},
	check: func(c *Context, a *spec.API) {
		for _, az := range a.Authorizers {
			if az.Type != spec.AuthorizerCognito {
				continue
			}
			var scoped, unscoped []*spec.Route
			for _, r := range c.RoutesOf(az.Name) {
				if r.AuthType != spec.AuthCognito || r.Method == "OPTIONS" {
					continue
				}
				if len(r.Scopes) > 0 {
					scoped = append(scoped, r)
				} else {
					unscoped = append(unscoped, r)
				}
			}
			if len(scoped) > 0 && len(unscoped) > 0 {
				c.Authorizer(az, az.At("name"), "Methods need different token types",
					"Authorizer %q guards %d method(s) with scopes, which need access tokens (%s), and %d without, which need ID tokens (%s).",
					az.Name, len(scoped), keyList(scoped), len(unscoped), keyList(unscoped))
			}
		}
	},
}
