package gentest

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/portcullis-dev/portcullis/spec"
)

// RandomHTTP is Random for HTTP APIs (v2): JWT authorizers named by a
// Cognito pool or by an issuer, route keys with $default and greedy ANY
// routes, explicit, inherited and public routes with scopes, Lambda and HTTP
// proxy integrations in both payload formats, IAM routes, CORS, existing
// APIs (api_id), stages with and without auto-deploy, and suppressions; valid and in the canonical form the
// loaders return.
func RandomHTTP(r *rand.Rand) *spec.Description {
	d := &spec.Description{Files: map[string][]byte{}}
	for i := range 1 + r.IntN(2) {
		d.HTTPAPIs = append(d.HTTPAPIs, randomHTTPAPI(r, fmt.Sprintf("http%d-%s", i, word(r))))
	}
	return d
}

func randomHTTPAPI(r *rand.Rand, name string) *spec.HTTPAPI {
	a := &spec.HTTPAPI{Name: name, Description: text(r)}
	region := regions[r.IntN(len(regions))]
	if r.IntN(3) > 0 {
		a.Region = region
	}
	if r.IntN(3) == 0 {
		a.Suppressions = []spec.Suppression{{Rule: "rule-" + word(r), Reason: text(r)}}
	}
	for i := range r.IntN(4) {
		az := &spec.JWTAuthorizer{
			Name: fmt.Sprintf("jwt%d_%s", i, strings.NewReplacer(".", "", "-", "").Replace(word(r))), Type: spec.AuthorizerJWT,
			IdentitySources: []string{spec.DefaultJWTIdentitySource},
		}
		switch r.IntN(3) {
		case 0:
			az.Issuer = "https://login.example.com/" + word(r)
		default:
			az.UserPoolID = fmt.Sprintf("%s_Pool%d", region, r.IntN(1000))
			az.Issuer = spec.CognitoIssuer(az.UserPoolID)
		}
		for j := range 1 + r.IntN(3) {
			az.Audiences = append(az.Audiences, fmt.Sprintf("client%d%d", i, j))
		}
		if r.IntN(3) == 0 {
			az.IdentitySources = []string{"$request.header.X-Token"}
		}
		if r.IntN(4) == 0 {
			az.Suppressions = []spec.Suppression{{Rule: "PCA021", Reason: text(r)}}
		}
		a.Authorizers = append(a.Authorizers, az)
	}
	if len(a.Authorizers) > 0 && r.IntN(2) == 0 {
		a.DefaultAuthorizer = a.Authorizers[r.IntN(len(a.Authorizers))].Name
	}
	if r.IntN(2) == 0 {
		a.CORS = &spec.CORS{AllowOrigins: []string{"https://app.example.com"}, Ranges: spec.Ranges{}}
		if r.IntN(2) == 0 {
			a.CORS.AllowOrigins = append(a.CORS.AllowOrigins, "*")
		}
		if r.IntN(2) == 0 {
			a.CORS.AllowMethods = []string{"GET", "POST"}
			a.CORS.AllowHeaders = []string{"authorization"}
			a.CORS.ExposeHeaders = []string{"x-request-id"}
			a.CORS.MaxAgeSeconds = 1 + r.IntN(86400)
			a.CORS.AllowCredentials = r.IntN(2) == 0
		}
	}
	// An existing API only without CORS: its CORS configuration is the
	// API's own, which the generators that add to it cannot set.
	if a.CORS == nil && r.IntN(3) == 0 {
		a.APIID = fmt.Sprintf("%010d", r.IntN(1e9))
	}
	seen := map[string]bool{}
	for range 1 + r.IntN(8) {
		rt := &spec.HTTPRoute{Ranges: spec.Ranges{}}
		switch r.IntN(6) {
		case 0:
			rt.Key = spec.DefaultRouteKey
		case 1:
			rt.Method, rt.Path = "ANY", "/"+word(r)+"/{proxy+}"
		default:
			rt.Method = verbs[r.IntN(len(verbs))]
			rt.Path = "/" + word(r)
			if r.IntN(2) == 0 {
				rt.Path += "/{id}"
				if r.IntN(2) == 0 {
					rt.ParamExamples = map[string]string{"id": fmt.Sprint(r.IntN(100))}
				}
			}
		}
		if rt.Key == "" {
			rt.Key = rt.Method + " " + rt.Path
		}
		if seen[rt.Key] {
			continue
		}
		seen[rt.Key] = true
		switch n := r.IntN(5); {
		case n == 0:
			rt.Public, rt.Reason, rt.AuthType = true, text(r), spec.AuthNone
		case n == 4:
			rt.AuthType = spec.AuthIAM
		case n == 1 && a.DefaultAuthorizer != "":
			rt.Authorizer, rt.AuthorizerInherited, rt.AuthType = a.DefaultAuthorizer, true, spec.AuthJWT
		case len(a.Authorizers) > 0:
			rt.Authorizer, rt.AuthType = a.Authorizers[r.IntN(len(a.Authorizers))].Name, spec.AuthJWT
		default:
			rt.AuthType = spec.AuthNone
		}
		if rt.AuthType == spec.AuthJWT && r.IntN(2) == 0 {
			rt.Scopes = []string{word(r) + "/read"}
		}
		switch r.IntN(3) {
		case 0:
			rt.Integration = &spec.HTTPIntegration{Type: spec.IntegrationAWSProxy, URI: "arn:aws:lambda:us-east-1:123456789012:function:" + strings.ReplaceAll(word(r), ".", "-"),
				PayloadFormatVersion: []string{spec.PayloadFormat10, spec.PayloadFormat20}[r.IntN(2)], Ranges: spec.Ranges{}}
		case 1:
			rt.Integration = &spec.HTTPIntegration{Type: spec.IntegrationHTTPProxy, URI: "https://backend.example.com/" + word(r),
				Method: []string{"ANY", "GET"}[r.IntN(2)], PayloadFormatVersion: spec.PayloadFormat10, Ranges: spec.Ranges{}}
			if r.IntN(2) == 0 {
				rt.Integration.TimeoutMillis = 50 + r.IntN(29950)
			}
		}
		if r.IntN(5) == 0 {
			rt.Suppressions = []spec.Suppression{{Rule: "PCA021", Reason: text(r)}}
		}
		a.Routes = append(a.Routes, rt)
	}
	for i := range r.IntN(3) {
		s := &spec.HTTPStage{Name: []string{spec.DefaultStageName, "prod", "dev"}[i], AutoDeploy: r.IntN(2) == 0, Description: text(r), Ranges: spec.Ranges{}}
		if r.IntN(2) == 0 {
			s.Variables = map[string]string{"backend": word(r)}
		}
		a.Stages = append(a.Stages, s)
	}
	a.Sort()
	return a
}
