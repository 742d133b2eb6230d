package policies

import (
	"regexp"

	"github.com/portcullis-dev/portcullis/spec"
)

// cognitoClientIDRe is the shape of a Cognito app client id (ClientIdType:
// [\w+]+, https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserPoolClientType.html).
var cognitoClientIDRe = regexp.MustCompile(`^[\w+]{1,128}$`)

var ruleAudienceNeverMatches = &Rule{
	ID:       "PCA026",
	Name:     "audience-never-matches-cognito",
	Severity: spec.SeverityError,
	Summary:  "A Cognito JWT authorizer lists an audience that no Cognito token can carry",
	Explanation: `Cognito tokens carry the app client id as aud (ID tokens) or client_id (access tokens); they
never carry a resource server identifier, an API URL or a scope. An audience with characters an
app client id cannot have (such as "https://api.example.com" or "todo/read") never matches a
Cognito token: it is usually a resource server's identifier written where the client id belongs,
copied from an OAuth provider that puts the API in aud.`,
	Impact:     `Tokens are refused with 401 unless another audience matches; when it is the only audience, every call fails.`,
	Resolution: `List the app client ids (the aud of ID tokens, the client_id of access tokens) in audiences, and express what the API is with scopes on the routes.`,
	Links:      []string{linkJWTAuthorizer, linkResourceServers},
	checkHTTP: func(c *Context, a *spec.HTTPAPI) {
		for _, az := range a.Authorizers {
			if !cognitoJWT(az) {
				continue
			}
			for _, aud := range az.Audiences {
				if !cognitoClientIDRe.MatchString(aud) {
					c.JWTAuthorizer(az, az.At("audiences"), "Audience no Cognito token carries",
						"%q is not an app client id (letters, digits, _ and +), so no token of %s matches it.", aud, az.Issuer)
				}
			}
		}
	},
}
