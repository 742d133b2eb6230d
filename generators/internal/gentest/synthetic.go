package gentest

import (
	"fmt"

	"github.com/portcullis-dev/portcullis/spec"
)

// Synthetic builds a large, regular description for benchmarks: resources
// resources (half collections /cN, half items /cN/{id}), each with the five
// verbs GET, POST, PUT, PATCH and DELETE, so methods = 5 x resources; two
// authorizers (one the default), scopes on every other route, CORS, and a
// stage. Synthetic(300) is API Gateway's default resource quota with 1,500
// methods.
func Synthetic(resources int) *spec.Description {
	a := &spec.API{Name: "bench", Region: "us-east-1", Description: "synthetic benchmark API"}
	for i, n := range []string{"users", "staff"} {
		a.Authorizers = append(a.Authorizers, &spec.Authorizer{
			Name: n, Type: spec.AuthorizerCognito, IdentitySource: spec.DefaultIdentitySource, TTLSeconds: spec.DefaultTTLSeconds,
			UserPoolARNs: []string{fmt.Sprintf("arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Pool%d", i)},
		})
	}
	a.DefaultAuthorizer = "users"
	a.CORS = &spec.CORS{AllowOrigins: []string{"https://app.example.com"}}
	a.GatewayResponses = spec.CORSGatewayResponses(a.CORS)
	a.Stages = []*spec.Stage{{Name: "prod", Variables: map[string]string{"backend": "prod"}}}
	n := 0
	for c := 0; n < resources; c++ {
		for _, p := range []string{fmt.Sprintf("/c%d", c), fmt.Sprintf("/c%d/{id}", c)} {
			if n == resources {
				break
			}
			n++
			for j, verb := range []string{"DELETE", "GET", "PATCH", "POST", "PUT"} {
				rt := &spec.Route{Method: verb, Path: p, AuthType: spec.AuthCognito, Authorizer: "users", AuthorizerInherited: true,
					Integration: &spec.Integration{Type: spec.IntegrationHTTPProxy, URI: "https://backend.example.com" + p, HTTPMethod: verb}}
				if (c+j)%2 == 0 {
					rt.Scopes = []string{"bench/" + verb}
				}
				if c%7 == 0 {
					rt.Authorizer, rt.AuthorizerInherited = "staff", false
				}
				a.Routes = append(a.Routes, rt)
			}
		}
	}
	a.Sort()
	return &spec.Description{APIs: []*spec.API{a}, Files: map[string][]byte{}}
}

// SyntheticHTTP is Synthetic for an HTTP API (v2): the same paths, verbs,
// scope mix and authorizer split, with JWT authorizers on Cognito pools,
// Lambda proxy integrations and an auto-deploying $default stage.
func SyntheticHTTP(resources int) *spec.Description {
	a := &spec.HTTPAPI{Name: "bench", Region: "us-east-1", Description: "synthetic benchmark HTTP API"}
	for i, n := range []string{"users", "staff"} {
		pool := fmt.Sprintf("us-east-1_Pool%d", i)
		a.Authorizers = append(a.Authorizers, &spec.JWTAuthorizer{
			Name: n, Type: spec.AuthorizerJWT, UserPoolID: pool, Issuer: spec.CognitoIssuer(pool),
			Audiences: []string{fmt.Sprintf("client%d", i)}, IdentitySources: []string{spec.DefaultJWTIdentitySource},
		})
	}
	a.DefaultAuthorizer = "users"
	a.CORS = &spec.CORS{AllowOrigins: []string{"https://app.example.com"}, AllowHeaders: []string{"authorization"}}
	a.Stages = []*spec.HTTPStage{{Name: spec.DefaultStageName, AutoDeploy: true, Variables: map[string]string{"backend": "prod"}}}
	n := 0
	for c := 0; n < resources; c++ {
		for _, p := range []string{fmt.Sprintf("/c%d", c), fmt.Sprintf("/c%d/{id}", c)} {
			if n == resources {
				break
			}
			n++
			for j, verb := range []string{"DELETE", "GET", "PATCH", "POST", "PUT"} {
				rt := &spec.HTTPRoute{Key: verb + " " + p, Method: verb, Path: p, AuthType: spec.AuthJWT, Authorizer: "users", AuthorizerInherited: true,
					Integration: &spec.HTTPIntegration{Type: spec.IntegrationAWSProxy, URI: "arn:aws:lambda:us-east-1:123456789012:function:bench", PayloadFormatVersion: spec.PayloadFormat20}}
				if (c+j)%2 == 0 {
					rt.Scopes = []string{"bench/" + verb}
				}
				if c%7 == 0 {
					rt.Authorizer, rt.AuthorizerInherited = "staff", false
				}
				a.Routes = append(a.Routes, rt)
			}
		}
	}
	a.Sort()
	return &spec.Description{HTTPAPIs: []*spec.HTTPAPI{a}, Files: map[string][]byte{}}
}
