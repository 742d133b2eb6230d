package equivalence

import (
	"fmt"
	"strings"

	"github.com/portcullis-dev/portcullis/spec"
)

// FromServerless reads the auth surface of a Serverless Framework v3
// serverless.yml as written, with the framework's rules for http events
// (its validate.js): an authorizer given as an ARN, or an object with arn,
// is a Cognito authorizer with identity source Authorization and TTL 300
// unless set; {type, authorizerId: {Ref: X}} uses resources.Resources' X;
// aws_iam is IAM; an event without authorizer is NONE. For an HTTP API,
// httpApi events and the AWS::ApiGatewayV2::Route resources of
// resources.Resources (routes without a function) are read, the CORS from
// provider.httpApi.cors or an AWS::ApiGatewayV2::Api resource. Preflights
// (from cors) are not listed: Serverless adds them unauthenticated. `sls
// package` gives the definitive CloudFormation when the framework is
// installed.
func FromServerless(b []byte) (Surface, error) {
	v, err := decode(b)
	if err != nil {
		return Surface{}, err
	}
	t := &template{resources: obj(obj(v, "resources"), "Resources"), params: map[string]any{}, paths: map[string]string{}}
	var s Surface
	httpAPI := obj(obj(v, "provider"), "httpApi")
	funcs := obj(v, "functions")
	for _, fn := range sortedKeys(funcs) {
		for i, e := range list(obj(funcs, fn)["events"]) {
			if ev, ok := e.(map[string]any)["httpApi"]; ok {
				m, err := t.slsHTTPAPIEvent(httpAPI, ev)
				if err != nil {
					return Surface{}, fmt.Errorf("functions.%s.events[%d].httpApi: %w", fn, i, err)
				}
				s.Methods = append(s.Methods, m)
				continue
			}
			h, ok := obj(e, "http"), true
			if h == nil {
				_, ok = e.(map[string]any)["http"]
				if ok {
					return Surface{}, fmt.Errorf("functions.%s.events[%d].http: the short form \"VERB path\" is not read", fn, i)
				}
				continue
			}
			p := str(h, "path")
			if !strings.HasPrefix(p, "/") {
				p = "/" + p
			}
			m := Method{Verb: strings.ToUpper(str(h, "method")), Path: p, AuthType: spec.AuthNone}
			if err := t.slsAuthorizer(&m, h["authorizer"]); err != nil {
				return Surface{}, fmt.Errorf("functions.%s.events[%d]: %w", fn, i, err)
			}
			s.Methods = append(s.Methods, m)
		}
	}
	for _, id := range sortedKeys(t.resources) {
		r := t.resources[id]
		props := obj(r, "Properties")
		switch str(r, "Type") {
		case "AWS::ApiGateway::GatewayResponse":
			s.GatewayResponses = append(s.GatewayResponses, gatewayResponse(str(props, "ResponseType"), str(props, "StatusCode"), stringMap(props["ResponseParameters"])))
		case "AWS::ApiGatewayV2::Route":
			m, err := t.slsRouteResource(httpAPI, props)
			if err != nil {
				return Surface{}, fmt.Errorf("resources.Resources.%s: %w", id, err)
			}
			s.Methods = append(s.Methods, m)
		case "AWS::ApiGatewayV2::Api":
			if c := obj(props, "CorsConfiguration"); c != nil {
				s.CORS = t.corsV2(c)
			}
		}
	}
	if c := obj(httpAPI, "cors"); c != nil {
		strs := func(k string) []string {
			var out []string
			for _, x := range list(c[k]) {
				out = append(out, asString(x))
			}
			return out
		}
		s.CORS = &CORS{AllowOrigins: strs("allowedOrigins"), AllowMethods: strs("allowedMethods"), AllowHeaders: strs("allowedHeaders"),
			ExposeHeaders: strs("exposedResponseHeaders")}
		s.CORS.AllowCredentials, _ = c["allowCredentials"].(bool)
		s.CORS.MaxAge, _, _ = integer(c["maxAge"])
	}
	s.normalize()
	return s, nil
}

// slsRouteResource reads an AWS::ApiGatewayV2::Route of resources.Resources
// (the routes without a function): its AuthorizerId is a Ref to an
// authorizer among the resources, or to the one Serverless compiles from
// provider.httpApi.authorizers.NAME, whose logical ID is HttpApiAuthorizer
// and NAME with "-" as Dash, "_" as Underscore and its first letter upper
// case (the framework's naming.js).
func (t *template) slsRouteResource(httpAPI map[string]any, props map[string]any) (Method, error) {
	m := Method{AuthType: str(props, "AuthorizationType")}
	if m.AuthType == "" {
		m.AuthType = spec.AuthNone
	}
	key := str(props, "RouteKey")
	if verb, path, ok := strings.Cut(key, " "); ok {
		m.Verb, m.Path = verb, path
	} else {
		m.Verb = key
	}
	for _, sc := range list(props["AuthorizationScopes"]) {
		m.Scopes = append(m.Scopes, asString(sc))
	}
	az := props["AuthorizerId"]
	if az == nil {
		return m, nil
	}
	if _, ok := t.refTo(az, "AWS::ApiGatewayV2::Authorizer"); ok {
		m.Authorizer = t.authorizerV2(az)
		return m, nil
	}
	ref := str(az, "Ref")
	for name, def := range obj(httpAPI, "authorizers") {
		n := strings.NewReplacer("-", "Dash", "_", "Underscore").Replace(name)
		if n != "" && ref == "HttpApiAuthorizer"+strings.ToUpper(n[:1])+n[1:] {
			a, err := slsJWTAuthorizer(name, def)
			m.Authorizer = a
			return m, err
		}
	}
	return Method{}, fmt.Errorf("AuthorizerId %s names no authorizer of the service", asString(az))
}

// slsJWTAuthorizer reads provider.httpApi.authorizers.NAME.
func slsJWTAuthorizer(name string, v any) (*Authorizer, error) {
	def, _ := v.(map[string]any)
	if def == nil {
		return nil, fmt.Errorf("authorizer %q is not in provider.httpApi.authorizers", name)
	}
	if t := str(def, "type"); t != "" && !strings.EqualFold(t, "jwt") {
		return nil, fmt.Errorf("authorizer %q has type %q; only jwt is read", name, t)
	}
	a := &Authorizer{Type: spec.AuthorizerJWT, Issuer: str(def, "issuerUrl"), IdentitySource: str(def, "identitySource")}
	for _, x := range list(def["audience"]) {
		a.Audiences = append(a.Audiences, asString(x))
	}
	return a, nil
}

// slsHTTPAPIEvent reads an httpApi event: "*" as the method is ANY, and as
// method and path the $default route; authorizer.name names one of
// provider.httpApi.authorizers (type jwt), authorizer.id (an existing API's
// authorizer) a Ref to one among the resources, type aws_iam is IAM.
func (t *template) slsHTTPAPIEvent(httpAPI map[string]any, ev any) (Method, error) {
	e, ok := ev.(map[string]any)
	if !ok {
		return Method{}, fmt.Errorf("the short form \"VERB path\" is not read")
	}
	m := Method{Verb: strings.ToUpper(str(e, "method")), Path: str(e, "path"), AuthType: spec.AuthNone}
	switch {
	case m.Verb == "*" && m.Path == "*":
		m = Method{Verb: spec.DefaultRouteKey, AuthType: spec.AuthNone}
	case m.Verb == "*":
		m.Verb = "ANY"
	}
	az := obj(e, "authorizer")
	if az == nil {
		return m, nil
	}
	if strings.EqualFold(str(az, "type"), "aws_iam") {
		m.AuthType = spec.AuthIAM
		return m, nil
	}
	if id := az["id"]; id != nil {
		m.AuthType, m.Authorizer = spec.AuthJWT, t.authorizerV2(id)
	} else {
		name := str(az, "name")
		a, err := slsJWTAuthorizer(name, obj(httpAPI, "authorizers")[name])
		if err != nil {
			return Method{}, err
		}
		m.AuthType, m.Authorizer = spec.AuthJWT, a
	}
	for _, sc := range list(az["scopes"]) {
		m.Scopes = append(m.Scopes, asString(sc))
	}
	return m, nil
}

func (t *template) slsAuthorizer(m *Method, az any) error {
	switch x := az.(type) {
	case nil:
		return nil
	case string:
		switch {
		case strings.EqualFold(x, "aws_iam"):
			m.AuthType = spec.AuthIAM
		case strings.HasPrefix(x, "arn:") && strings.Contains(x, ":cognito-idp:"):
			m.AuthType = spec.AuthCognito
			m.Authorizer = &Authorizer{Type: spec.AuthorizerCognito, Pools: []string{x}, IdentitySource: spec.DefaultIdentitySource, TTLSeconds: spec.DefaultTTLSeconds}
		default:
			m.AuthType = spec.AuthCustom
			m.Authorizer = &Authorizer{Type: "Lambda authorizer " + x}
		}
		return nil
	case map[string]any:
		typ := strings.ToUpper(str(x, "type"))
		for _, sc := range list(x["scopes"]) {
			m.Scopes = append(m.Scopes, asString(sc))
		}
		switch {
		case typ != "" && x["authorizerId"] != nil:
			m.AuthType = typ
			if typ == "TOKEN" || typ == "REQUEST" {
				m.AuthType = spec.AuthCustom
			}
			a, err := t.authorizer(x["authorizerId"])
			if err != nil {
				return err
			}
			m.Authorizer = a
			if typ != spec.AuthCognito {
				m.Scopes = nil // Serverless writes scopes for Cognito only
			}
		case typ == "AWS_IAM":
			m.AuthType, m.Scopes = spec.AuthIAM, nil
		case x["arn"] != nil:
			arn := str(x, "arn")
			if typ != spec.AuthCognito && !strings.Contains(arn, ":cognito-idp:") {
				m.AuthType, m.Authorizer = spec.AuthCustom, &Authorizer{Type: "Lambda authorizer " + arn}
				return nil
			}
			a := &Authorizer{
				Type: spec.AuthorizerCognito, Pools: []string{arn}, IdentitySource: str(x, "identitySource"),
				ValidationExpression: str(x, "identityValidationExpression"), TTLSeconds: spec.DefaultTTLSeconds,
			}
			if a.IdentitySource == "" {
				a.IdentitySource = spec.DefaultIdentitySource
			}
			ttl, set, err := integer(x["resultTtlInSeconds"])
			if err != nil {
				return fmt.Errorf("resultTtlInSeconds: %w", err)
			}
			if set {
				a.TTLSeconds = ttl
			}
			m.AuthType, m.Authorizer = spec.AuthCognito, a
		default:
			m.AuthType, m.Authorizer = spec.AuthCustom, &Authorizer{Type: "Lambda authorizer " + str(x, "name")}
		}
		return nil
	}
	return fmt.Errorf("authorizer of an unexpected shape: %s", asString(az))
}
