package policies

import (
	"fmt"
	"strings"

	"github.com/portcullis-dev/portcullis/spec"
)

// Links shared by several rules.
const (
	linkCognitoAuthorizer = "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-enable-cognito-user-pool.html"
	linkAuthorizerAPI     = "https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.html"
	linkCORS              = "https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors.html"
	linkGatewayResponses  = "https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html"
	linkKC401             = "https://repost.aws/knowledge-center/api-gateway-cognito-401-unauthorized"
	linkAccessToken       = "https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html"
	linkResourceServers   = "https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-define-resource-servers.html"
	linkVerifyJWT         = "https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html"
	linkJWTAuthorizer     = "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html"
	linkHTTPCORS          = "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html"
	linkHTTPRoutes        = "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html"
)

// httpAuthorizerRange is authorizerRange for HTTP API routes.
func httpAuthorizerRange(r *spec.HTTPRoute) spec.Range {
	if r.AuthorizerInherited {
		return r.At("key")
	}
	return r.At("authorizer")
}

// cognitoJWT reports whether az checks Cognito user pool tokens, whose aud
// (ID tokens) and client_id (access tokens) are both app client ids.
func cognitoJWT(az *spec.JWTAuthorizer) bool {
	if az == nil || az.Type != spec.AuthorizerJWT {
		return false
	}
	_, _, ok := az.CognitoPool()
	return ok
}

// routesByAuthorizer groups the routes that an authorizer guards.
func routesByAuthorizer(a *spec.API) map[string][]*spec.Route {
	out := map[string][]*spec.Route{}
	for _, r := range a.Routes {
		if r.Authorizer != "" && r.AuthType != spec.AuthNone {
			out[r.Authorizer] = append(out[r.Authorizer], r)
		}
	}
	return out
}

// authorizerRange points at where a route gets its authorizer: its own
// attribute, or its key when it inherits the API default (the default's
// attribute would put every inheriting route's finding on one line).
func authorizerRange(r *spec.Route) spec.Range {
	if r.AuthorizerInherited {
		return r.At("key")
	}
	return r.At("authorizer")
}

// keyList names up to three routes and counts the rest.
func keyList(rs []*spec.Route) string {
	var keys []string
	for i, r := range rs {
		if i == 3 {
			keys = append(keys, fmt.Sprintf("and %d more", len(rs)-3))
			break
		}
		keys = append(keys, r.Key())
	}
	return strings.Join(keys, ", ")
}

func isGreedy(path string) bool { return strings.Contains(path, "+}") }
