package gentest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/portcullis-dev/portcullis/spec"
)

// Random builds a random description that passes structural validation, in
// the canonical form the loaders return (sorted, defaults filled), for
// property tests: several APIs, authorizers with every optional field,
// explicit, inherited, public, IAM and unauthenticated routes, greedy and
// nested parameters, CORS with its derived gateway responses, stages and
// suppressions.
func Random(r *rand.Rand) *spec.Description {
	d := &spec.Description{Files: map[string][]byte{}}
	for i := range 1 + r.IntN(2) {
		d.APIs = append(d.APIs, randomAPI(r, fmt.Sprintf("api%d-%s", i, word(r))))
	}
	return d
}

var (
	words   = []string{"items", "orders", "users", "v1", "admin", "report.daily", "a-b", "x_y", "Files", "s3"}
	verbs   = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "ANY", "OPTIONS"}
	regions = []string{"us-east-1", "eu-west-1", "ap-southeast-2"}
	texts   = []string{"", "plain", "with: colon", "quotes \"double\" and 'single'", "# not a comment", "multi\nline", "yes", "123", "ünïcode ✓"}
)

func word(r *rand.Rand) string { return words[r.IntN(len(words))] }
func text(r *rand.Rand) string { return texts[r.IntN(len(texts))] }

func poolARN(r *rand.Rand, region string) string {
	return fmt.Sprintf("arn:aws:cognito-idp:%s:%012d:userpool/%s_Pool%d", region, r.IntN(1e12), region, r.IntN(1000))
}

func randomAPI(r *rand.Rand, name string) *spec.API {
	a := &spec.API{Name: name, Description: text(r)}
	region := regions[r.IntN(len(regions))]
	if r.IntN(3) > 0 {
		a.Region = region
	}
	if r.IntN(3) == 0 {
		a.RestAPIID = fmt.Sprintf("%010d", r.IntN(1e9))
	}
	if r.IntN(3) == 0 {
		a.Suppressions = []spec.Suppression{{Rule: "rule-" + word(r), Reason: text(r)}}
	}
	for i := range r.IntN(4) {
		az := &spec.Authorizer{
			Name: fmt.Sprintf("auth%d_%s", i, strings.NewReplacer(".", "", "-", "").Replace(word(r))), Type: spec.AuthorizerCognito,
			IdentitySource: spec.DefaultIdentitySource, TTLSeconds: spec.DefaultTTLSeconds,
		}
		for range 1 + r.IntN(3) {
			az.UserPoolARNs = append(az.UserPoolARNs, poolARN(r, region))
		}
		if r.IntN(2) == 0 {
			az.IdentitySource = "method.request.header.X-Token-" + fmt.Sprint(r.IntN(9))
		}
		if r.IntN(2) == 0 {
			az.ValidationExpression = "^(client" + fmt.Sprint(r.IntN(99)) + "|other)$"
		}
		if r.IntN(2) == 0 {
			az.TTLSeconds = r.IntN(spec.MaxTTLSeconds + 1)
		}
		if r.IntN(3) == 0 {
			az.Suppressions = []spec.Suppression{{Rule: "rule-" + word(r), Reason: text(r)}}
		}
		a.Authorizers = append(a.Authorizers, az)
	}
	if len(a.Authorizers) > 0 && r.IntN(2) == 0 {
		a.DefaultAuthorizer = a.Authorizers[r.IntN(len(a.Authorizers))].Name
	}

	// Paths come from a small tree in which every level has one parameter
	// name (API Gateway's rule) and greedy parameters end a path.
	seen := map[string]bool{}
	for range 1 + r.IntN(12) {
		path := ""
		depth := 1 + r.IntN(4)
		for lvl := range depth {
			switch x := r.IntN(10); {
			case x < 6:
				path += "/" + word(r)
			case x < 9 || lvl < depth-1:
				path += fmt.Sprintf("/{p%d}", lvl)
			default:
				path += fmt.Sprintf("/{rest%d+}", lvl)
			}
		}
		if r.IntN(10) == 0 {
			path = "/"
		}
		verb := verbs[r.IntN(len(verbs))]
		if seen[verb+" "+path] || greedyClash(path, seen) {
			continue
		}
		seen[verb+" "+path] = true
		a.Routes = append(a.Routes, randomRoute(r, a, verb, path))
	}
	if r.IntN(2) == 0 {
		c := &spec.CORS{AllowOrigins: []string{"https://app.example.com"}}
		if r.IntN(2) == 0 {
			c.AllowOrigins = append(c.AllowOrigins, "https://admin.example.com")
		}
		if r.IntN(2) == 0 {
			c.AllowMethods = []string{"GET", "POST"}
		}
		if r.IntN(2) == 0 {
			c.AllowHeaders = []string{"Content-Type", "X-Token-1"}
		}
		if r.IntN(2) == 0 {
			c.ExposeHeaders = []string{"X-Request-Id"}
		}
		c.AllowCredentials = r.IntN(2) == 0
		if r.IntN(2) == 0 {
			c.MaxAgeSeconds = 1 + r.IntN(7200)
		}
		a.CORS = c
		a.GatewayResponses = spec.CORSGatewayResponses(c)
	}
	if r.IntN(2) == 0 {
		a.GatewayResponses = append(a.GatewayResponses, &spec.GatewayResponse{
			Type: "UNAUTHORIZED", StatusCode: "401",
			ResponseParameters: map[string]string{"gatewayresponse.header.WWW-Authenticate": "'Bearer'"},
			ResponseTemplates:  map[string]string{"application/json": `{"message": $context.error.messageString}`},
		})
	}
	for i := range r.IntN(3) {
		s := &spec.Stage{Name: fmt.Sprintf("stage%d", i), Description: text(r)}
		if r.IntN(2) == 0 {
			s.Variables = map[string]string{"backend": word(r), "n": fmt.Sprint(r.IntN(10))}
		}
		a.Stages = append(a.Stages, s)
	}
	a.Sort()
	return a
}

// greedyClash reports whether path would give a greedy resource children
// or a sibling parameter of another name.
func greedyClash(path string, seen map[string]bool) bool {
	for k := range seen {
		_, other, _ := strings.Cut(k, " ")
		if other == path {
			continue
		}
		if clash(path, other) || clash(other, path) {
			return true
		}
	}
	return false
}

func clash(a, b string) bool {
	as, bs := strings.Split(a, "/"), strings.Split(b, "/")
	for i := 1; i < len(as) && i < len(bs); i++ {
		ga := strings.HasSuffix(as[i], "+}")
		pa, pb := strings.HasPrefix(as[i], "{"), strings.HasPrefix(bs[i], "{")
		if pa && pb && as[i] != bs[i] {
			return true // two parameter names at one level
		}
		if ga && len(bs) > i+1 && as[i] == bs[i] {
			return true // a child under a greedy resource
		}
		if as[i] != bs[i] {
			return false
		}
	}
	return false
}

func randomRoute(r *rand.Rand, a *spec.API, verb, path string) *spec.Route {
	rt := &spec.Route{Method: verb, Path: path}
	switch x := r.IntN(10); {
	case x < 5 && len(a.Authorizers) > 0:
		if a.DefaultAuthorizer != "" && r.IntN(2) == 0 {
			rt.Authorizer, rt.AuthorizerInherited = a.DefaultAuthorizer, true
		} else {
			rt.Authorizer = a.Authorizers[r.IntN(len(a.Authorizers))].Name
		}
		rt.AuthType = spec.AuthCognito
		for range r.IntN(3) {
			rt.Scopes = append(rt.Scopes, word(r)+"/"+word(r))
		}
	case x < 7:
		rt.AuthType, rt.Public, rt.Reason = spec.AuthNone, true, "public: "+word(r)
	case x < 8:
		rt.AuthType = spec.AuthIAM
	default:
		rt.AuthType = spec.AuthNone
	}
	if params := spec.PathParams(path); len(params) > 0 && r.IntN(2) == 0 {
		rt.ParamExamples = map[string]string{params[0]: fmt.Sprint(r.IntN(100))}
	}
	if r.IntN(3) == 0 {
		rt.OperationName = "op" + fmt.Sprint(r.IntN(1000))
	}
	if r.IntN(4) == 0 {
		rt.Suppressions = []spec.Suppression{{Rule: "rule-" + word(r), Reason: text(r)}}
	}
	switch r.IntN(4) {
	case 0:
		rt.Integration = &spec.Integration{Type: spec.IntegrationMock, PassthroughBehavior: "WHEN_NO_MATCH",
			RequestTemplates: map[string]string{"application/json": `{"statusCode": 200}`},
			Responses:        []spec.IntegrationResponse{{Pattern: "default", StatusCode: "200"}}}
	case 1:
		rt.Integration = &spec.Integration{Type: spec.IntegrationHTTPProxy, URI: "https://backend.example.com" + path, HTTPMethod: "GET", TimeoutMillis: 50 + r.IntN(29000-50)}
	case 2:
		rt.Integration = &spec.Integration{Type: spec.IntegrationAWSProxy, HTTPMethod: "POST",
			URI: "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f/invocations"}
	}
	return rt
}

// Seeds is how many random descriptions a test should try: full normally,
// a quarter (at least 5) under -short, so the quick suite still covers
// every shape Random makes without the long tail.
func Seeds(full uint64) uint64 {
	if testing.Short() {
		return max(full/4, 5)
	}
	return full
}
