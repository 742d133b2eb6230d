package policies

import "github.com/portcullis-dev/portcullis/spec"

// alternatives counts the branches of a regular expression's alternations
// (unescaped '|' plus one): a rough count of the client IDs it admits.
func alternatives(expr string) int {
	n := 1
	for i := 0; i < len(expr); i++ {
		switch expr[i] {
		case '\\':
			i++
		case '|':
			n++
		}
	}
	return n
}

var ruleAudienceCheckSeveralPools = &Rule{
	ID:       "PCA007",
	Name:     "audience-check-with-several-pools",
	Severity: spec.SeverityWarning,
	Summary:  "validation_expression is set on an authorizer with several user pools",
	Explanation: `The validation expression is one regular expression matched against the ID token's aud
claim, which is the app client ID. App client IDs differ between user pools, so an expression
written for one pool's client refuses every ID token from the other pools, unless it lists every
client (a|b|c). The rule stays quiet when the expression has at least as many
alternatives as the authorizer has pools.`,
	Impact:     `Users of all but one pool get 401 Unauthorized.`,
	Resolution: `Make the expression match every pool's app client IDs, or split the pools into separate authorizers, or drop validation_expression and rely on the pool list.`,
	HTTPAPIs: `REST APIs only: HTTP API JWT authorizers have no validation expression, and each
trusts exactly one issuer (one user pool) with its own audiences list, so there is no expression
to fall out of step with the pools.`,
	Links: []string{linkAuthorizerAPI, linkVerifyJWT},
	check: func(c *Context, a *spec.API) {
		for _, az := range a.Authorizers {
			if az.ValidationExpression == "" || len(az.UserPoolARNs) < 2 || alternatives(az.ValidationExpression) >= len(az.UserPoolARNs) {
				continue
			}
			c.Authorizer(az, az.At("validation_expression"), "Audience check across several user pools",
				"Authorizer %q trusts %d user pools but matches every ID token's aud (app client ID) against the single expression %q; make sure it lists a client of every pool.",
				az.Name, len(az.UserPoolARNs), az.ValidationExpression)
		}
	},
}
