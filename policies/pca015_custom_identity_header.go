package policies

import (
	"strings"

	"github.com/portcullis-dev/portcullis/spec"
)

var ruleCustomIdentityHeader = &Rule{
	ID:       "PCA015",
	Name:     "custom-identity-header",
	Severity: spec.SeverityInfo,
	Summary:  "The authorizer reads the token from a header other than Authorization",
	Explanation: `Clients, SDKs (Amplify), proxies and every framework default send the token in
Authorization. A different header works, but each client must be told, CORS allow_headers must
list it, and caches and logs may treat it differently from Authorization.`,
	Impact:     `Clients that send the token in Authorization get 401.`,
	Resolution: `Use method.request.header.Authorization unless a proxy in front forces another header; then list the header in cors allow_headers.`,
	Links:      []string{linkAuthorizerAPI},
	check: func(c *Context, a *spec.API) {
		for _, az := range a.Authorizers {
			if az.Type != spec.AuthorizerCognito {
				continue
			}
			h := az.IdentityHeader()
			if h == "" || strings.EqualFold(h, "Authorization") {
				continue
			}
			c.Authorizer(az, az.At("identity_source"), "Token read from a custom header",
				"Authorizer %q reads the token from %s rather than Authorization.", az.Name, h)
		}
	},
}
