package policies

import (
	"strings"

	"github.com/portcullis-dev/portcullis/spec"
)

var rulePublicWithoutReason = &Rule{
	ID:       "PCA002",
	Name:     "public-route-without-reason",
	Severity: spec.SeverityError,
	Summary:  "A public method does not say why it is public",
	Explanation: `Declaring a method public is how a description tells an intended opening (a health
check, a public catalogue, a sign-up endpoint) from a forgotten authorizer. The declaration must
carry a reason, so that reviewers and later readers can judge it without asking around.`,
	Impact:     `Reviewers cannot tell a deliberate public endpoint from a mistake, and the deny-by-default check loses its meaning.`,
	Resolution: `Add reason = "..." next to public = true (HCL), or x-portcullis-public-reason (OpenAPI).`,
	Links:      []string{linkCognitoAuthorizer},
	check: func(c *Context, a *spec.API) {
		for _, r := range a.Routes {
			if r.Public && strings.TrimSpace(r.Reason) == "" {
				c.Route(r, r.At("public"), "Public method without a reason",
					"%s is declared public without a reason. Say why it must be open.", r.Key())
			}
		}
	},
	checkHTTP: func(c *Context, a *spec.HTTPAPI) {
		for _, r := range a.Routes {
			if r.Public && strings.TrimSpace(r.Reason) == "" {
				c.HTTPRoute(r, r.At("public"), "Public route without a reason",
					"%s is declared public without a reason. Say why it must be open.", r.Key)
			}
		}
	},
}
