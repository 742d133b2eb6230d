package equivalence

import (
	"fmt"
	"sort"
	"strings"

	"github.com/portcullis-dev/portcullis/spec"
)

// template is a CloudFormation template being read.
type template struct {
	resources map[string]any
	params    map[string]any
	paths     map[string]string // resource logical ID -> path
}

// FromCloudFormation reads the auth surface of a CloudFormation template,
// JSON or YAML: ours, the one `sls package` writes, or the CDK's. Methods
// find their paths through the Resource chain (a parent that is not a
// Resource of the template, such as GetAtt RootResourceId or an existing
// API's root id, is the root), their authorizers through AuthorizerId's
// Ref, and Refs to parameters read the parameter's default.
func FromCloudFormation(b []byte) (Surface, error) {
	v, err := decode(b)
	if err != nil {
		return Surface{}, err
	}
	t := &template{resources: obj(v, "Resources"), params: obj(v, "Parameters"), paths: map[string]string{}}
	if t.resources == nil {
		return Surface{}, fmt.Errorf("no Resources: not a CloudFormation template")
	}
	var s Surface
	for _, id := range sortedKeys(t.resources) {
		r := t.resources[id]
		props := obj(r, "Properties")
		switch str(r, "Type") {
		case "AWS::ApiGateway::Method":
			m := Method{
				Verb:     strings.ToUpper(asString(t.resolve(props["HttpMethod"]))),
				Path:     t.pathOf(props["ResourceId"], 0),
				AuthType: asString(t.resolve(props["AuthorizationType"])),
			}
			for _, sc := range list(t.resolve(props["AuthorizationScopes"])) {
				m.Scopes = append(m.Scopes, asString(t.resolve(sc)))
			}
			if az := props["AuthorizerId"]; az != nil {
				a, err := t.authorizer(az)
				if err != nil {
					return Surface{}, fmt.Errorf("%s: %w", id, err)
				}
				m.Authorizer = a
			}
			s.Methods = append(s.Methods, m)
		case "AWS::ApiGatewayV2::Route":
			m := Method{AuthType: asString(t.resolve(props["AuthorizationType"]))}
			key := asString(t.resolve(props["RouteKey"]))
			if verb, path, ok := strings.Cut(key, " "); ok {
				m.Verb, m.Path = verb, path
			} else {
				m.Verb = key
			}
			for _, sc := range list(t.resolve(props["AuthorizationScopes"])) {
				m.Scopes = append(m.Scopes, asString(t.resolve(sc)))
			}
			if az := props["AuthorizerId"]; az != nil {
				m.Authorizer = t.authorizerV2(az)
			}
			s.Methods = append(s.Methods, m)
		case "AWS::ApiGatewayV2::Api":
			if c := obj(props, "CorsConfiguration"); c != nil {
				s.CORS = t.corsV2(c)
			}
		case "AWS::ApiGateway::GatewayResponse":
			params := map[string]string{}
			rp, _ := props["ResponseParameters"].(map[string]any)
			for k, e := range rp {
				params[k] = asString(t.resolve(e))
			}
			s.GatewayResponses = append(s.GatewayResponses, gatewayResponse(asString(t.resolve(props["ResponseType"])), asString(t.resolve(props["StatusCode"])), params))
		}
	}
	s.normalize()
	return s, nil
}

// resolve reads a Ref to a parameter as the parameter's default, and a list
// parameter's default as a list.
func (t *template) resolve(v any) any {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return v
	}
	ref, ok := m["Ref"].(string)
	if !ok {
		return v
	}
	p, ok := t.params[ref].(map[string]any)
	if !ok {
		return v
	}
	d := p["Default"]
	if strings.HasPrefix(str(p, "Type"), "List<") || str(p, "Type") == "CommaDelimitedList" {
		if s, ok := d.(string); ok {
			var out []any
			for _, x := range strings.Split(s, ",") {
				out = append(out, strings.TrimSpace(x))
			}
			return out
		}
	}
	return d
}

// refTo returns the logical ID v references when it is {"Ref": ID} to a
// resource of type typ.
func (t *template) refTo(v any, typ string) (string, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return "", false
	}
	id, ok := m["Ref"].(string)
	if !ok || str(t.resources[id], "Type") != typ {
		return "", false
	}
	return id, true
}

func (t *template) pathOf(v any, depth int) string {
	id, ok := t.refTo(v, "AWS::ApiGateway::Resource")
	if !ok {
		return "/"
	}
	if p, ok := t.paths[id]; ok {
		return p
	}
	if depth > 100 {
		return "/<cycle>"
	}
	props := obj(t.resources[id], "Properties")
	parent := t.pathOf(props["ParentId"], depth+1)
	p := strings.TrimSuffix(parent, "/") + "/" + asString(t.resolve(props["PathPart"]))
	t.paths[id] = p
	return p
}

func (t *template) authorizer(v any) (*Authorizer, error) {
	id, ok := t.refTo(v, "AWS::ApiGateway::Authorizer")
	if !ok {
		return &Authorizer{Type: "unresolved " + asString(v)}, nil
	}
	props := obj(t.resources[id], "Properties")
	a := &Authorizer{
		Type:                 asString(t.resolve(props["Type"])),
		IdentitySource:       asString(t.resolve(props["IdentitySource"])),
		ValidationExpression: asString(t.resolve(props["IdentityValidationExpression"])),
		TTLSeconds:           spec.DefaultTTLSeconds,
	}
	ttl, set, err := integer(t.resolve(props["AuthorizerResultTtlInSeconds"]))
	if err != nil {
		return nil, fmt.Errorf("authorizer %s: AuthorizerResultTtlInSeconds: %w", id, err)
	}
	if set {
		a.TTLSeconds = ttl
	}
	arns := t.resolve(props["ProviderARNs"])
	for _, p := range list(arns) {
		if l, ok := t.resolve(p).([]any); ok {
			for _, x := range l {
				a.Pools = append(a.Pools, asString(x))
			}
			continue
		}
		a.Pools = append(a.Pools, asString(t.resolve(p)))
	}
	return a, nil
}

// authorizerV2 reads an AWS::ApiGatewayV2::Authorizer an AuthorizerId refers to.
func (t *template) authorizerV2(v any) *Authorizer {
	id, ok := t.refTo(v, "AWS::ApiGatewayV2::Authorizer")
	if !ok {
		return &Authorizer{Type: "unresolved " + asString(v)}
	}
	props := obj(t.resources[id], "Properties")
	a := &Authorizer{Type: asString(t.resolve(props["AuthorizerType"]))}
	var sources []string
	for _, x := range list(t.resolve(props["IdentitySource"])) {
		sources = append(sources, asString(t.resolve(x)))
	}
	a.IdentitySource = strings.Join(sources, ",")
	jwt := obj(props, "JwtConfiguration")
	a.Issuer = asString(t.resolve(jwt["Issuer"]))
	for _, x := range list(t.resolve(jwt["Audience"])) {
		a.Audiences = append(a.Audiences, asString(t.resolve(x)))
	}
	return a
}

// corsV2 reads a CorsConfiguration (CloudFormation's and SAM's keys).
func (t *template) corsV2(c map[string]any) *CORS {
	strs := func(k string) []string {
		var out []string
		for _, x := range list(t.resolve(c[k])) {
			out = append(out, asString(t.resolve(x)))
		}
		return out
	}
	out := &CORS{AllowOrigins: strs("AllowOrigins"), AllowMethods: strs("AllowMethods"), AllowHeaders: strs("AllowHeaders"), ExposeHeaders: strs("ExposeHeaders")}
	out.AllowCredentials, _ = t.resolve(c["AllowCredentials"]).(bool)
	out.MaxAge, _, _ = integer(t.resolve(c["MaxAge"]))
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
