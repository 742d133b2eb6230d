package policies

import (
	"regexp"
	"strings"

	"github.com/portcullis-dev/portcullis/spec"
)

// A custom scope is RESOURCE_SERVER_IDENTIFIER/SCOPE_NAME. The identifier
// may itself hold slashes (it is often a URL); the name may not. Character
// sets are Cognito's CreateResourceServer patterns.
var (
	scopeNameRe       = regexp.MustCompile(`^[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]+$`)
	scopeIdentifierRe = regexp.MustCompile(`^[\x21\x23-\x5B\x5D-\x7E]+$`)
	// Scopes Cognito grants without a resource server.
	builtinScopes = map[string]bool{"openid": true, "email": true, "phone": true, "profile": true, "aws.cognito.signin.user.admin": true}
)

var ruleMalformedScope = &Rule{
	ID:       "PCA009",
	Name:     "malformed-scope",
	Severity: spec.SeverityWarning,
	Summary:  "A scope is not shaped resource-server/scope",
	Explanation: `Cognito puts custom scopes into access tokens as RESOURCE_SERVER_IDENTIFIER/SCOPE_NAME
(for example todo/read or https://api.example.com/items.write); the only scopes without a slash
are Cognito's own (openid, email, phone, profile, aws.cognito.signin.user.admin). A method scope of
another shape (read, todo:read, todo/) can never appear in a token: it admits nobody, and when it is
the method's only scope the method refuses every caller.`,
	Impact:     `No access token carries the scope, so callers who need it are refused: 401 Unauthorized on a REST API, 403 Forbidden on an HTTP API (not documented by AWS; see docs/local-gateway.md).`,
	Resolution: `Write the scope exactly as the user pool's resource server defines it: identifier/scope-name.`,
	HTTPAPIs: `Judged on the routes of JWT authorizers whose issuer is a Cognito user pool
(https://cognito-idp.REGION.amazonaws.com/POOL_ID, or user_pool_id): a route passes a token that
carries at least one of its scopes in scope (or scp), so a malformed entry admits nobody and a
route whose scopes are all malformed refuses every token. Other issuers (Auth0, Okta, Entra ID)
name scopes their own way (read:orders), so their routes are not judged. Scopes on a route
without a JWT authorizer check nothing at all: that is PCA008.`,
	Links: []string{linkResourceServers, linkAccessToken, linkJWTAuthorizer},
	check: func(c *Context, a *spec.API) {
		for _, r := range a.Routes {
			if bad := malformedScopes(r.Scopes); len(bad) > 0 {
				c.Route(r, r.At("scopes"), "Scope Cognito never issues",
					"%s lists %s; custom scopes look like resource-server/scope-name (for example todo/read).", r.Key(), quoteList(bad))
			}
		}
	},
	checkHTTP: func(c *Context, a *spec.HTTPAPI) {
		// Once per authorizer: the issuer check is a regular expression.
		cognito := map[string]bool{}
		for _, az := range a.Authorizers {
			cognito[az.Name] = cognitoJWT(az)
		}
		for _, r := range a.Routes {
			if r.AuthType != spec.AuthJWT || !cognito[r.Authorizer] {
				continue
			}
			if bad := malformedScopes(r.Scopes); len(bad) > 0 {
				c.HTTPRoute(r, r.At("scopes"), "Scope Cognito never issues",
					"%s lists %s; Cognito's custom scopes look like resource-server/scope-name (for example todo/read), so no token of authorizer %q carries it.", r.Key, quoteList(bad), r.Authorizer)
			}
		}
	},
}

func malformedScopes(scopes []string) []string {
	var bad []string
	for _, s := range scopes {
		if !wellFormedScope(s) {
			bad = append(bad, s)
		}
	}
	return bad
}

func wellFormedScope(s string) bool {
	if builtinScopes[s] {
		return true
	}
	i := strings.LastIndexByte(s, '/')
	if i <= 0 || i == len(s)-1 {
		return false
	}
	return scopeIdentifierRe.MatchString(s[:i]) && scopeNameRe.MatchString(s[i+1:])
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = `"` + s + `"`
	}
	return strings.Join(q, ", ")
}
