package policies

import (
	"time"

	"github.com/portcullis-dev/portcullis/spec"
)

var ruleCacheOutlivesToken = &Rule{
	ID:       "PCA012",
	Name:     "cache-outlives-token",
	Severity: spec.SeverityWarning,
	Summary:  "The authorizer caches results longer than the tokens are valid",
	Explanation: `API Gateway caches an authorizer's decision per token for ttl_seconds. When that is
longer than the token's lifetime, a token keeps working after it has expired, and a user who
signed out keeps access until the cached decision lapses. Cognito ID and access tokens are valid
for one hour by default (5 minutes to 1 day); tell Portcullis your pool's setting with
--rule-option PCA012.token_validity=15m.`,
	Impact:     `Expired or signed-out tokens are honoured for up to ttl_seconds.`,
	Resolution: `Lower ttl_seconds below the token validity, or lengthen the validity if that is acceptable.`,
	HTTPAPIs: `REST APIs only: HTTP API JWT authorizers have no result cache, so a decision
cannot outlive the token; exp is checked on every request.`,
	Links: []string{linkAuthorizerAPI, "https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-refresh-token.html", linkJWTAuthorizer},
	Options: []Option{{
		Name: "token_validity", Kind: OptionDuration, Default: "1h",
		Help: "the ID and access token validity configured on the user pool's app clients",
	}},
	check: func(c *Context, a *spec.API) {
		validity := c.Duration("token_validity")
		for _, az := range a.Authorizers {
			ttl := time.Duration(az.TTLSeconds) * time.Second
			if ttl <= validity {
				continue
			}
			c.Authorizer(az, az.At("ttl_seconds"), "Authorizer cache outlives the tokens",
				"Authorizer %q caches decisions for %s but tokens are valid for %s, so expired or signed-out tokens keep working for up to %s.",
				az.Name, ttl, validity, ttl-validity)
		}
	},
}
