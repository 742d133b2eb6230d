package policies

import (
	"github.com/portcullis-dev/portcullis/spec"
)

var ruleAudienceCheckOnScopes = &Rule{
	ID:       "PCA006",
	Name:     "audience-check-on-access-tokens",
	Severity: spec.SeverityError,
	Summary:  "validation_expression is set on an authorizer that guards scoped methods",
	Explanation: `A Cognito authorizer's validation expression (identityValidationExpression) is a
regular expression matched against the token's aud claim. Methods with scopes require access
tokens, and Cognito access tokens have no aud claim (they carry client_id instead), so the match
always fails and every call to those methods is refused with 401.`,
	Impact:     `Every call to the scoped methods fails with 401 Unauthorized, whatever token is sent.`,
	Resolution: `Remove validation_expression from the authorizer, or give the scoped methods their own authorizer without it. To restrict which app clients may call, use scopes that only those clients are granted.`,
	HTTPAPIs: `REST APIs only: HTTP API JWT authorizers have no validation expression. They
check aud, or client_id when a token has no aud, against the audiences list, so access tokens
pass on client_id. An audience no Cognito token can carry is PCA026; audiences that let ID
tokens onto access-token routes are PCA022.`,
	Links: []string{linkAuthorizerAPI, linkAccessToken, linkCognitoAuthorizer},
	check: func(c *Context, a *spec.API) {
		for _, az := range a.Authorizers {
			if az.ValidationExpression == "" || az.Type != spec.AuthorizerCognito {
				continue
			}
			var scoped []*spec.Route
			for _, r := range c.RoutesOf(az.Name) {
				if len(r.Scopes) > 0 {
					scoped = append(scoped, r)
				}
			}
			if len(scoped) == 0 {
				continue
			}
			c.Authorizer(az, az.At("validation_expression"), "Audience check on access tokens",
				"Authorizer %q matches validation_expression against aud, but %d method(s) using it have scopes and so need access tokens, which have no aud: %s. Every call to them gets 401.",
				az.Name, len(scoped), keyList(scoped))
		}
	},
}
