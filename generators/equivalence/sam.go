package equivalence

import (
	"fmt"
	"strings"

	"github.com/portcullis-dev/portcullis/spec"
)

// samAuth is an AWS::Serverless::Api's Auth property, with SAM's defaults.
type samAuth struct {
	authorizers map[string]samAuthorizer
	defaultAuth string
	// preflight is AddDefaultAuthorizerToCorsPreflight (SAM's default:
	// true, which locks browsers out of every preflight).
	preflight bool
}

type samAuthorizer struct {
	a      *Authorizer
	scopes []string // the authorizer's AuthorizationScopes, used when a route gives none
}

// FromSAM reads the auth surface of a SAM template as written, applying the
// transform's rules rather than running it: operations of the API's
// DefinitionBody and Api events of functions without their own
// authorization get the DefaultAuthorizer (with its default scopes), except
// preflights when AddDefaultAuthorizerToCorsPreflight is false; NONE and
// AWS_IAM are SAM's names for no authorizer and IAM.
func FromSAM(b []byte) (Surface, error) {
	v, err := decode(b)
	if err != nil {
		return Surface{}, err
	}
	t := &template{resources: obj(v, "Resources"), params: obj(v, "Parameters"), paths: map[string]string{}}
	var apiID string
	for _, id := range sortedKeys(t.resources) {
		if str(t.resources[id], "Type") == "AWS::Serverless::HttpApi" {
			return t.samHTTPAPI(id)
		}
		if str(t.resources[id], "Type") == "AWS::Serverless::Api" {
			if apiID != "" {
				return Surface{}, fmt.Errorf("two AWS::Serverless::Api resources (%s, %s): one template per API", apiID, id)
			}
			apiID = id
		}
	}
	if apiID == "" {
		return Surface{}, fmt.Errorf("no AWS::Serverless::Api resource")
	}
	props := obj(t.resources[apiID], "Properties")
	auth := obj(props, "Auth")
	sa := &samAuth{authorizers: map[string]samAuthorizer{}, defaultAuth: asString(t.resolve(auth["DefaultAuthorizer"])), preflight: true}
	if p, ok := auth["AddDefaultAuthorizerToCorsPreflight"].(bool); ok {
		sa.preflight = p
	}
	azs := obj(auth, "Authorizers")
	for _, name := range sortedKeys(azs) {
		az, _ := azs[name].(map[string]any)
		if az["UserPoolArn"] == nil {
			sa.authorizers[name] = samAuthorizer{a: &Authorizer{Type: "not a Cognito authorizer (" + name + ")"}}
			continue
		}
		id := obj(az, "Identity")
		a := &Authorizer{
			Type:                 spec.AuthorizerCognito,
			IdentitySource:       "method.request.header.Authorization",
			ValidationExpression: asString(t.resolve(id["ValidationExpression"])),
			TTLSeconds:           spec.DefaultTTLSeconds,
		}
		if h := asString(t.resolve(id["Header"])); h != "" {
			a.IdentitySource = "method.request.header." + h
		}
		ttl, set, err := integer(t.resolve(id["ReauthorizeEvery"]))
		if err != nil {
			return Surface{}, fmt.Errorf("authorizer %s: ReauthorizeEvery: %w", name, err)
		}
		if set {
			a.TTLSeconds = ttl
		}
		arns := t.resolve(az["UserPoolArn"])
		if l, ok := arns.([]any); ok {
			for _, x := range l {
				a.Pools = append(a.Pools, asString(t.resolve(x)))
			}
		} else {
			a.Pools = append(a.Pools, asString(arns))
		}
		var scopes []string
		for _, sc := range list(az["AuthorizationScopes"]) {
			scopes = append(scopes, asString(sc))
		}
		sa.authorizers[name] = samAuthorizer{a: a, scopes: scopes}
	}

	var s Surface
	if body := props["DefinitionBody"]; body != nil {
		schemes := obj(body, "securityDefinitions")
		if schemes == nil {
			schemes = obj(obj(body, "components"), "securitySchemes")
		}
		r := &oasReader{schemes: schemes, sam: sa}
		bs, err := r.read(body)
		if err != nil {
			return Surface{}, err
		}
		s = bs
	}
	for _, id := range sortedKeys(t.resources) {
		if str(t.resources[id], "Type") != "AWS::Serverless::Function" {
			continue
		}
		events := obj(obj(t.resources[id], "Properties"), "Events")
		for _, en := range sortedKeys(events) {
			e := events[en]
			if str(e, "Type") != "Api" {
				continue
			}
			ep := obj(e, "Properties")
			if ref, ok := ep["RestApiId"].(map[string]any); ok && asString(ref["Ref"]) != apiID {
				continue
			}
			m := Method{Verb: strings.ToUpper(str(ep, "Method")), Path: str(ep, "Path")}
			ea := obj(ep, "Auth")
			for _, sc := range list(ea["AuthorizationScopes"]) {
				m.Scopes = append(m.Scopes, asString(sc))
			}
			name, named := ea["Authorizer"]
			var err error
			if named {
				err = sa.apply(&m, asString(name), len(m.Scopes) > 0)
			} else {
				err = sa.apply(&m, sa.defaultAuth, len(m.Scopes) > 0)
			}
			if err != nil {
				return Surface{}, fmt.Errorf("%s event %s: %w", id, en, err)
			}
			s.Methods = append(s.Methods, m)
		}
	}
	gr := obj(props, "GatewayResponses")
	for _, typ := range sortedKeys(gr) {
		g := gr[typ]
		params := map[string]string{}
		rp := obj(g, "ResponseParameters")
		for kind, prefix := range map[string]string{"Headers": "gatewayresponse.header.", "Paths": "gatewayresponse.path.", "QueryStrings": "gatewayresponse.querystring."} {
			for k, val := range stringMap(rp[kind]) {
				params[prefix+k] = val
			}
		}
		s.GatewayResponses = append(s.GatewayResponses, gatewayResponse(typ, asString(t.resolve(obj(gr, typ)["StatusCode"])), params))
	}
	s.normalize()
	return s, nil
}

// applyDefault is SAM's rule for an operation without security.
func (sa *samAuth) applyDefault(m *Method) error {
	if m.Verb == "OPTIONS" && !sa.preflight {
		m.AuthType = spec.AuthNone
		return nil
	}
	return sa.apply(m, sa.defaultAuth, false)
}

// applyNamed handles an operation's security naming NONE, AWS_IAM or one of
// Auth.Authorizers; done is false for other schemes.
func (sa *samAuth) applyNamed(m *Method, name string) (bool, error) {
	if _, ok := sa.authorizers[name]; !ok && name != "NONE" && name != "AWS_IAM" {
		return false, nil
	}
	return true, sa.apply(m, name, true)
}

// apply gives m the authorizer called name; keepScopes keeps the scopes the
// route set instead of the authorizer's defaults.
func (sa *samAuth) apply(m *Method, name string, keepScopes bool) error {
	switch name {
	case "", "NONE":
		m.AuthType, m.Scopes = spec.AuthNone, nil
		return nil
	case "AWS_IAM":
		m.AuthType, m.Scopes = spec.AuthIAM, nil
		return nil
	}
	az, ok := sa.authorizers[name]
	if !ok {
		return fmt.Errorf("authorizer %q is not in Auth.Authorizers", name)
	}
	m.AuthType, m.Authorizer = spec.AuthCognito, az.a
	if !keepScopes {
		m.Scopes = append([]string(nil), az.scopes...)
	}
	return nil
}

// samHTTPAPI reads an AWS::Serverless::HttpApi: the JWT authorizers of its
// Auth, which its DefinitionBody's operations name in their security, and
// its CorsConfiguration. Routes without security have no authorization
// (the template sets no DefaultAuthorizer; one is refused rather than
// guessed at).
func (t *template) samHTTPAPI(id string) (Surface, error) {
	props := obj(t.resources[id], "Properties")
	auth := obj(props, "Auth")
	if auth["DefaultAuthorizer"] != nil {
		return Surface{}, fmt.Errorf("%s: a DefaultAuthorizer on an HttpApi is not read by this check", id)
	}
	body := obj(props, "DefinitionBody")
	if body == nil {
		return Surface{}, fmt.Errorf("%s: no DefinitionBody", id)
	}
	// The body's own schemes (SigV4), then the ones SAM writes from Auth.
	schemes := map[string]any{}
	for k, v := range obj(obj(body, "components"), "securitySchemes") {
		schemes[k] = v
	}
	azs := obj(auth, "Authorizers")
	for _, name := range sortedKeys(azs) {
		az, _ := azs[name].(map[string]any)
		jwt := obj(az, "JwtConfiguration")
		schemes[name] = map[string]any{"x-amazon-apigateway-authorizer": map[string]any{
			"type": "jwt", "identitySource": t.resolve(az["IdentitySource"]),
			"jwtConfiguration": map[string]any{"issuer": t.resolve(jwt["issuer"]), "audience": t.resolve(jwt["audience"])},
		}}
	}
	s, err := (&oasReader{schemes: schemes}).read(body)
	if err != nil {
		return Surface{}, err
	}
	if c := obj(props, "CorsConfiguration"); c != nil {
		s.CORS = t.corsV2(c)
		s.normalize()
	}
	return s, nil
}
