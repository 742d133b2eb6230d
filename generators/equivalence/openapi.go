package equivalence

import (
	"fmt"
	"strings"

	"github.com/portcullis-dev/portcullis/spec"
)

// verbs maps OpenAPI operation keys to API Gateway methods.
var verbs = map[string]string{
	"get": "GET", "put": "PUT", "post": "POST", "delete": "DELETE", "options": "OPTIONS",
	"head": "HEAD", "patch": "PATCH", "x-amazon-apigateway-any-method": "ANY",
}

// FromOpenAPI reads the auth surface of an OpenAPI 3 or Swagger 2 document
// as API Gateway's import does: an operation's own `security` decides (the
// root-level one is ignored), a scheme with x-amazon-apigateway-authtype
// cognito_user_pools is a Cognito authorizer whose identity header is the
// scheme's `name` unless the authorizer object names an identitySource, and
// awsSigv4 means AWS_IAM.
func FromOpenAPI(b []byte) (Surface, error) {
	v, err := decode(b)
	if err != nil {
		return Surface{}, err
	}
	schemes := obj(v, "securityDefinitions")
	if schemes == nil {
		schemes = obj(obj(v, "components"), "securitySchemes")
	}
	if obj(v, "paths") == nil && str(v, "openapi") == "" && str(v, "swagger") == "" {
		return Surface{}, fmt.Errorf("neither an OpenAPI nor a Swagger document")
	}
	r := &oasReader{schemes: schemes}
	s, err := r.read(v)
	if err != nil {
		return Surface{}, err
	}
	return s, nil
}

type oasReader struct {
	schemes map[string]any
	// sam, when set, applies SAM's rules for operations without security
	// and resolves scheme names against its Auth.Authorizers.
	sam *samAuth
}

func (r *oasReader) read(doc any) (Surface, error) {
	var s Surface
	paths := obj(doc, "paths")
	for _, p := range sortedKeys(paths) {
		item, _ := paths[p].(map[string]any)
		for _, k := range sortedKeys(item) {
			verb, ok := verbs[strings.ToLower(k)]
			if !ok {
				continue
			}
			op, _ := item[k].(map[string]any)
			m := Method{Verb: verb, Path: p}
			if p == "/$default" && verb == "ANY" && op["isDefaultRoute"] == true {
				// An HTTP API's $default route, as API Gateway exports it.
				m = Method{Verb: spec.DefaultRouteKey}
			}
			if err := r.auth(&m, op); err != nil {
				return Surface{}, fmt.Errorf("%s: %w", m.Key(), err)
			}
			s.Methods = append(s.Methods, m)
		}
	}
	responses := obj(doc, "x-amazon-apigateway-gateway-responses")
	for _, typ := range sortedKeys(responses) {
		g := responses[typ]
		s.GatewayResponses = append(s.GatewayResponses, gatewayResponse(typ, str(g, "statusCode"), stringMap(obj(g, "responseParameters"))))
	}
	if c := obj(doc, "x-amazon-apigateway-cors"); c != nil {
		s.CORS = corsOf(c)
	}
	s.normalize()
	return s, nil
}

// corsOf reads x-amazon-apigateway-cors (camel-case keys).
func corsOf(c map[string]any) *CORS {
	strs := func(k string) []string {
		var out []string
		for _, x := range list(c[k]) {
			out = append(out, asString(x))
		}
		return out
	}
	out := &CORS{AllowOrigins: strs("allowOrigins"), AllowMethods: strs("allowMethods"), AllowHeaders: strs("allowHeaders"), ExposeHeaders: strs("exposeHeaders")}
	out.AllowCredentials, _ = c["allowCredentials"].(bool)
	out.MaxAge, _, _ = integer(c["maxAge"])
	return out
}

func (r *oasReader) auth(m *Method, op map[string]any) error {
	sec, present := op["security"]
	reqs := list(sec)
	if !present && r.sam != nil {
		return r.sam.applyDefault(m)
	}
	if len(reqs) == 0 {
		m.AuthType = spec.AuthNone
		return nil
	}
	if len(reqs) > 1 {
		return fmt.Errorf("%d alternative security requirements; API Gateway applies one authorizer per method", len(reqs))
	}
	req, _ := reqs[0].(map[string]any)
	if len(req) != 1 {
		return fmt.Errorf("a security requirement naming %d schemes; API Gateway applies one authorizer per method", len(req))
	}
	for name, scopes := range req {
		for _, sc := range list(scopes) {
			m.Scopes = append(m.Scopes, asString(sc))
		}
		if r.sam != nil {
			if done, err := r.sam.applyNamed(m, name); done || err != nil {
				return err
			}
		}
		scheme, ok := r.schemes[name].(map[string]any)
		if !ok {
			return fmt.Errorf("security names scheme %q, which is not defined", name)
		}
		if az := obj(scheme, "x-amazon-apigateway-authorizer"); strings.EqualFold(str(az, "type"), "jwt") {
			// An HTTP API JWT authorizer, whatever the scheme's type.
			jwt := obj(az, "jwtConfiguration")
			a := &Authorizer{Type: spec.AuthorizerJWT, IdentitySource: str(az, "identitySource"), Issuer: str(jwt, "issuer")}
			if a.IdentitySource == "" {
				a.IdentitySource = spec.DefaultJWTIdentitySource
			}
			for _, x := range list(jwt["audience"]) {
				a.Audiences = append(a.Audiences, asString(x))
			}
			m.AuthType, m.Authorizer = spec.AuthJWT, a
			continue
		}
		switch strings.ToLower(str(scheme, "x-amazon-apigateway-authtype")) {
		case "cognito_user_pools":
			az := obj(scheme, "x-amazon-apigateway-authorizer")
			a := &Authorizer{
				Type:                 strings.ToUpper(str(az, "type")),
				IdentitySource:       str(az, "identitySource"),
				ValidationExpression: str(az, "identityValidationExpression"),
				TTLSeconds:           spec.DefaultTTLSeconds,
			}
			if a.IdentitySource == "" {
				a.IdentitySource = "method.request.header." + str(scheme, "name")
			}
			ttl, set, err := integer(az["authorizerResultTtlInSeconds"])
			if err != nil {
				return fmt.Errorf("scheme %s: authorizerResultTtlInSeconds: %w", name, err)
			}
			if set {
				a.TTLSeconds = ttl
			}
			for _, p := range list(az["providerARNs"]) {
				a.Pools = append(a.Pools, asString(p))
			}
			m.AuthType, m.Authorizer = spec.AuthCognito, a
		case "awssigv4":
			m.AuthType = spec.AuthIAM
		default:
			m.AuthType = "unknown scheme " + name
		}
	}
	return nil
}
