package policies

import "github.com/portcullis-dev/portcullis/spec"

var rulePublicWriteRoute = &Rule{
	ID:       "PCA003",
	Name:     "public-write-route",
	Severity: spec.SeverityWarning,
	Summary:  "A public method is not GET, HEAD or OPTIONS",
	Explanation: `Public endpoints are usually read-only: health checks, public content, preflights.
A public POST, PUT, PATCH, DELETE or ANY method lets anonymous callers change state. Some are
legitimate (sign-up forms, webhooks that check their own signature), but each deserves a second
look and an explicit suppression with its reason.`,
	Impact:     `Anonymous callers can create, change or delete data, or run costly backend work.`,
	Resolution: `Put the method behind an authorizer, or keep it public and suppress this rule on the route with the reason (for example "webhook verifies the provider's HMAC signature").`,
	Links:      []string{linkCognitoAuthorizer},
	check: func(c *Context, a *spec.API) {
		for _, r := range a.Routes {
			if !r.Public {
				continue
			}
			switch r.Method {
			case "GET", "HEAD", "OPTIONS":
				continue
			}
			c.Route(r, r.At("key"), "Public method that can change state",
				"%s is public, so anonymous callers can use a %s method. Guard it, or suppress PCA003 here with the reason it is safe.", r.Key(), r.Method)
		}
	},
	checkHTTP: func(c *Context, a *spec.HTTPAPI) {
		for _, r := range a.Routes {
			// An open $default is PCA025's finding.
			if !r.Public || r.IsDefault() {
				continue
			}
			switch r.Method {
			case "GET", "HEAD", "OPTIONS":
				continue
			}
			c.HTTPRoute(r, r.At("key"), "Public route that can change state",
				"%s is public, so anonymous callers can use a %s method. Guard it, or suppress PCA003 here with the reason it is safe.", r.Key, r.Method)
		}
	},
}
