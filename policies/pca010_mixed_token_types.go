package policies

import (
	"strings"

	"github.com/portcullis-dev/portcullis/spec"
)

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
	HTTPAPIs: `An HTTP API JWT authorizer has no token types: a route without scopes admits every token
the authorizer admits, access tokens included, and a route with scopes admits the tokens that carry
one of them (others get 403). Mixing the two on one authorizer therefore means its unscoped routes
take tokens, such as ID tokens, that its scoped routes refuse. For a Cognito issuer that fact is
PCA022's finding, which names the audiences that let the app client's ID tokens in; this rule
reports it for every other issuer (an OpenID Connect provider whose ID tokens carry the API's
client id too), on the authorizer, so each authorizer gets one finding. Each unscoped route is
also PCA021's.`,
	Links: []string{linkCognitoAuthorizer, linkKC401, linkJWTAuthorizer},
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
	checkHTTP: func(c *Context, a *spec.HTTPAPI) {
		mix := jwtScopeMix(a)
		for _, az := range a.Authorizers {
			m := mix[az.Name]
			// Cognito issuers are PCA022's.
			if az.Type != spec.AuthorizerJWT || cognitoJWT(az) || m.scoped == 0 || len(m.open) == 0 {
				continue
			}
			c.JWTAuthorizer(az, az.At("name"), "Routes admit different tokens",
				"%d route(s) of authorizer %q require scopes and %d do not (%s): a token of the audiences without those scopes, an ID token for one, passes these and gets 403 on the others.",
				m.scoped, az.Name, len(m.open), strings.Join(m.firstOpen(), ", "))
		}
	},
}

// scopeMix counts an HTTP API authorizer's JWT routes with scopes and
// names those without.
type scopeMix struct {
	scoped int
	open   []string
}

// firstOpen names up to three unscoped routes.
func (m scopeMix) firstOpen() []string {
	if len(m.open) > 3 {
		return append(m.open[:3:3], "...")
	}
	return m.open
}

// jwtScopeMix is scopeMix for every authorizer of a, by name.
func jwtScopeMix(a *spec.HTTPAPI) map[string]scopeMix {
	out := map[string]scopeMix{}
	for _, r := range a.Routes {
		if r.AuthType != spec.AuthJWT {
			continue
		}
		m := out[r.Authorizer]
		if len(r.Scopes) > 0 {
			m.scoped++
		} else {
			m.open = append(m.open, r.Key)
		}
		out[r.Authorizer] = m
	}
	return out
}
