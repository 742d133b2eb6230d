package policies

import "github.com/portcullis-dev/portcullis/spec"

var ruleCORSCredentialsWildcard = &Rule{
	ID:       "PCA024",
	Name:     "cors-credentials-with-wildcard-origin",
	Severity: spec.SeverityError,
	Summary:  "An HTTP API's CORS configuration allows credentials from every origin",
	Explanation: `allowCredentials = true with "*" among allowOrigins asks browsers to send cookies and HTTP
authentication to the API from any web site. The CORS standard forbids the combination: browsers
refuse a credentialed response whose Access-Control-Allow-Origin is "*", so the configuration
either breaks the app or, where a gateway echoes the caller's origin instead, trusts every site.`,
	Impact:     `Credentialed browser calls fail, or every web site a signed-in user visits may call the API with the user's cookies.`,
	Resolution: `List the front-end origins in allow_origins, or turn allow_credentials off (bearer tokens in the Authorization header do not need it).`,
	Links:      []string{linkHTTPCORS, "https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS/Errors/CORSNotSupportingCredentials"},
	checkHTTP: func(c *Context, a *spec.HTTPAPI) {
		if a.CORS == nil || !a.CORS.AllowCredentials {
			return
		}
		for _, o := range a.CORS.AllowOrigins {
			if o == "*" {
				c.API(a.CORS.Ranges.Of("allow_credentials", a.CORS.Range), "Credentials allowed from every origin",
					"allow_credentials is true while allow_origins holds \"*\".")
				return
			}
		}
	},
}
