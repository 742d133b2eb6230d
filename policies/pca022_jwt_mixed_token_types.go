package policies

import (
	"strings"

	"github.com/portcullis-dev/portcullis/spec"
)

var ruleJWTMixedTokenTypes = &Rule{
	ID:       "PCA022",
	Name:     "jwt-audience-admits-id-tokens",
	Severity: spec.SeverityWarning,
	Summary:  "A Cognito JWT authorizer meant for access tokens lists app client ids that ID tokens carry too",
	Explanation: `For a Cognito issuer, an HTTP API JWT authorizer's audiences are app client ids, and one
entry admits two kinds of token: access tokens (matched on client_id) and the same client's ID
tokens (matched on aud). When some routes of the authorizer require scopes, the authorizer is
meant for access tokens; its routes without scopes then admit that app client's ID tokens as well,
which the scoped routes would refuse with 403.`,
	Impact:     `A user's ID token, which any front-end library and log may hold, opens the unscoped routes of an API designed around access tokens.`,
	Resolution: `Give every route of the authorizer scopes, or move the routes meant for ID tokens to an authorizer of their own so the difference is visible; suppress on the authorizer with the reason if mixing is deliberate.`,
	Links:      []string{linkJWTAuthorizer, linkVerifyJWT},
	checkHTTP: func(c *Context, a *spec.HTTPAPI) {
		mix := jwtScopeMix(a)
		for _, az := range a.Authorizers {
			m := mix[az.Name]
			if !cognitoJWT(az) || m.scoped == 0 || len(m.open) == 0 {
				continue
			}
			c.JWTAuthorizer(az, az.At("audiences"), "Audience admits ID tokens on an access-token authorizer",
				"%d route(s) of authorizer %q require scopes (access tokens), but its audiences %s are app client ids that ID tokens carry as aud, so %s accept that client's ID tokens.",
				m.scoped, az.Name, strings.Join(az.Audiences, ", "), strings.Join(m.firstOpen(), ", "))
		}
	},
}
