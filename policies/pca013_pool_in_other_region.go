package policies

import "github.com/portcullis-dev/portcullis/spec"

var rulePoolInOtherRegion = &Rule{
	ID:       "PCA013",
	Name:     "pool-in-another-region",
	Severity: spec.SeverityWarning,
	Summary:  "A user pool is in a different region from the API",
	Explanation: `API Gateway accepts a user pool from any region (and account), so this is legal. It is
also the usual symptom of a copy-pasted ARN or a variable pointing at another environment's
pool, and it ties the API's availability to a second region.`,
	Impact:     `Tokens from the intended pool are refused (wrong pool), or the API depends on another region.`,
	Resolution: `Point user_pool_arns (HTTP APIs: user_pool_id or issuer) at the pool in the API's region, or suppress this rule on the authorizer with the reason for the cross-region pool.`,
	HTTPAPIs: `Judged on JWT authorizers whose issuer is a Cognito user pool's,
https://cognito-idp.REGION.amazonaws.com/POOL_ID (written as issuer, or derived from
user_pool_id): the issuer's region against the API's region. A JWT authorizer fetches the
pool's keys from the issuer wherever it is, so a pool elsewhere works, with the same two risks.
Issuers of other providers have no region and are not judged. That the pool id and the
issuer name the same region is a validation error, not this rule.`,
	Links: []string{linkCognitoAuthorizer, linkJWTAuthorizer},
	check: func(c *Context, a *spec.API) {
		if a.Region == "" {
			return
		}
		for _, az := range a.Authorizers {
			for _, arn := range az.UserPoolARNs {
				p, err := spec.ParsePoolARN(arn)
				if err != nil || p.Region == a.Region {
					continue
				}
				c.Authorizer(az, az.At("user_pool_arns"), "User pool in another region",
					"Authorizer %q trusts pool %s in %s, but the API is in %s.", az.Name, p.PoolID, p.Region, a.Region)
			}
		}
	},
	checkHTTP: func(c *Context, a *spec.HTTPAPI) {
		if a.Region == "" {
			return
		}
		for _, az := range a.Authorizers {
			if az.Type != spec.AuthorizerJWT {
				continue
			}
			region, pool, ok := az.CognitoPool()
			if !ok || region == a.Region {
				continue
			}
			c.JWTAuthorizer(az, az.Ranges.Of("user_pool_id", az.At("issuer")), "User pool in another region",
				"Authorizer %q trusts tokens of pool %s in %s, but the API is in %s.", az.Name, pool, region, a.Region)
		}
	},
}
