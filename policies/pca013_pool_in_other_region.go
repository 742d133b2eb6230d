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
	Resolution: `Point user_pool_arns at the pool in the API's region, or suppress this rule on the authorizer with the reason for the cross-region pool.`,
	Links:      []string{linkCognitoAuthorizer},
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
}
