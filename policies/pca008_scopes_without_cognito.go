package policies

import "github.com/portcullis-dev/portcullis/spec"

var ruleScopesWithoutCognito = &Rule{
	ID:       "PCA008",
	Name:     "scopes-without-cognito",
	Severity: spec.SeverityError,
	Summary:  "A method lists scopes but its authorizer is not a Cognito user pool authorizer",
	Explanation: `API Gateway checks authorizationScopes only on COGNITO_USER_POOLS methods. On a
public method, an IAM method or one behind a Lambda (TOKEN/REQUEST) authorizer, the scopes are
silently ignored (or the deployment is refused), so the method is less protected than the
description suggests. Frameworks have lost scopes this way (aws-cdk#30444, serverless#6125).`,
	Impact:     `The scope restriction the description promises is not enforced.`,
	Resolution: `Guard the method with a Cognito authorizer, or remove the scopes and enforce the permission in the Lambda authorizer or the backend.`,
	Links:      []string{linkCognitoAuthorizer, "https://docs.aws.amazon.com/apigateway/latest/api/API_Method.html"},
	check: func(c *Context, a *spec.API) {
		for _, r := range a.Routes {
			if len(r.Scopes) == 0 {
				continue
			}
			az := a.AuthorizerByName(r.Authorizer)
			switch {
			case r.AuthType != spec.AuthCognito:
				c.Route(r, r.At("scopes"), "Scopes that nothing checks",
					"%s lists scopes, but its authorization is %s; only COGNITO_USER_POOLS methods check scopes.", r.Key(), r.AuthType)
			case az != nil && az.Type != spec.AuthorizerCognito:
				c.Route(r, r.At("scopes"), "Scopes that nothing checks",
					"%s lists scopes, but authorizer %q is a %s authorizer; only Cognito user pool authorizers check scopes.", r.Key(), az.Name, az.Type)
			}
		}
	},
	checkHTTP: func(c *Context, a *spec.HTTPAPI) {
		for _, r := range a.Routes {
			if len(r.Scopes) > 0 && r.AuthType != spec.AuthJWT {
				c.HTTPRoute(r, r.At("scopes"), "Scopes that nothing checks",
					"%s lists scopes, but its authorization is %s; only JWT routes check scopes.", r.Key, r.AuthType)
			}
		}
	},
}
