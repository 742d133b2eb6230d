package equivalence

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"

	"github.com/portcullis-dev/portcullis/spec"
)

// addressAttrs are the attributes a reference to a resource may read; each
// evaluates to its own address ("aws_api_gateway_resource.items.id"), which
// is how the reader follows references between resources.
var addressAttrs = []string{"id", "root_resource_id", "http_method", "status_code", "name", "arn", "execution_arn", "invoke_url", "stage_name", "path", "rest_api_id", "parent_id", "path_part", "resource_id"}

// FromTerraform reads the auth surface of Terraform HCL written for the AWS
// provider: aws_api_gateway_method's authorization, authorizer_id and
// authorization_scopes, its resource's path from the parent_id chain (the
// rest API's root_resource_id, or a data aws_api_gateway_resource's path,
// is where the chain ends), aws_api_gateway_authorizer with the provider's
// defaults (type TOKEN, identity source Authorization, TTL 300), variables
// read at their defaults, and aws_api_gateway_gateway_response.
func FromTerraform(filename string, b []byte) (Surface, error) {
	f, diags := hclsyntax.ParseConfig(b, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return Surface{}, diags
	}
	body := f.Body.(*hclsyntax.Body)

	vars := map[string]cty.Value{}
	resources := map[string]map[string]cty.Value{} // type -> name -> object
	data := map[string]map[string]cty.Value{}
	type block struct {
		typ, name string
		body      *hclsyntax.Body
	}
	var blocks []block
	var datas []block
	for _, bl := range body.Blocks {
		switch bl.Type {
		case "variable":
			if len(bl.Labels) != 1 {
				continue
			}
			v := cty.DynamicVal
			if a, ok := bl.Body.Attributes["default"]; ok {
				if dv, d := a.Expr.Value(nil); !d.HasErrors() {
					v = dv
				}
			}
			vars[bl.Labels[0]] = v
		case "resource", "data":
			if len(bl.Labels) != 2 {
				continue
			}
			typ, name := bl.Labels[0], bl.Labels[1]
			prefix := typ + "." + name
			into := resources
			if bl.Type == "data" {
				prefix, into = "data."+prefix, data
				datas = append(datas, block{typ, name, bl.Body})
			} else {
				blocks = append(blocks, block{typ, name, bl.Body})
			}
			attrs := map[string]cty.Value{}
			for _, a := range addressAttrs {
				attrs[a] = cty.StringVal(prefix + "." + a)
			}
			if into[typ] == nil {
				into[typ] = map[string]cty.Value{}
			}
			into[typ][name] = cty.ObjectVal(attrs)
			if strings.HasPrefix(typ, "aws_api_gateway_") || strings.HasPrefix(typ, "aws_apigatewayv2_") {
				for _, meta := range []string{"count", "for_each"} {
					if _, ok := bl.Body.Attributes[meta]; ok {
						return Surface{}, fmt.Errorf("%s: %s uses %s; the check reads one block per resource", bl.DefRange(), prefix, meta)
					}
				}
			}
		}
	}
	ctx := &hcl.EvalContext{Variables: map[string]cty.Value{"var": cty.ObjectVal(vars)}, Functions: tfFunctions}
	for typ, byName := range resources {
		ctx.Variables[typ] = cty.ObjectVal(byName)
	}
	dataObj := map[string]cty.Value{}
	for typ, byName := range data {
		dataObj[typ] = cty.ObjectVal(byName)
	}
	ctx.Variables["data"] = cty.ObjectVal(dataObj)

	eval := func(bl block, attr string) (cty.Value, error) {
		a, ok := bl.body.Attributes[attr]
		if !ok {
			return cty.NullVal(cty.DynamicPseudoType), nil
		}
		v, d := a.Expr.Value(ctx)
		if d.HasErrors() {
			return cty.NilVal, d
		}
		return v, nil
	}
	evalStr := func(bl block, attr, def string) (string, error) {
		v, err := eval(bl, attr)
		if err != nil || v.IsNull() {
			return def, err
		}
		return ctyString(v), nil
	}

	parents := map[string][2]string{} // address -> parent reference, path_part
	dataPaths := map[string]string{}
	authorizers := map[string]block{}
	for _, bl := range datas {
		if bl.typ == "aws_api_gateway_resource" {
			p, err := evalStr(bl, "path", "/")
			if err != nil {
				return Surface{}, err
			}
			dataPaths["data."+bl.typ+"."+bl.name+".id"] = p
		}
	}
	for _, bl := range blocks {
		switch bl.typ {
		case "aws_api_gateway_resource":
			parent, err := evalStr(bl, "parent_id", "")
			if err != nil {
				return Surface{}, err
			}
			part, err := evalStr(bl, "path_part", "")
			if err != nil {
				return Surface{}, err
			}
			parents[bl.typ+"."+bl.name+".id"] = [2]string{parent, part}
		case "aws_api_gateway_authorizer", "aws_apigatewayv2_authorizer":
			authorizers[bl.typ+"."+bl.name+".id"] = bl
		}
	}
	// nested finds a nested block such as jwt_configuration.
	nested := func(bl block, typ string) (block, bool) {
		for _, nb := range bl.body.Blocks {
			if nb.Type == typ {
				return block{bl.typ, bl.name, nb.Body}, true
			}
		}
		return block{}, false
	}
	authorizerV2 := func(ref string) (*Authorizer, error) {
		bl, ok := authorizers[ref]
		if !ok || bl.typ != "aws_apigatewayv2_authorizer" {
			return &Authorizer{Type: "unresolved " + ref}, nil
		}
		a := &Authorizer{}
		var err error
		if a.Type, err = evalStr(bl, "authorizer_type", ""); err != nil {
			return nil, err
		}
		sources, err := eval(bl, "identity_sources")
		if err != nil {
			return nil, err
		}
		a.IdentitySource = strings.Join(ctyStrings(sources), ",")
		if jb, ok := nested(bl, "jwt_configuration"); ok {
			if a.Issuer, err = evalStr(jb, "issuer", ""); err != nil {
				return nil, err
			}
			aud, err := eval(jb, "audience")
			if err != nil {
				return nil, err
			}
			a.Audiences = ctyStrings(aud)
		}
		return a, nil
	}
	var pathOf func(ref string, depth int) string
	pathOf = func(ref string, depth int) string {
		if p, ok := dataPaths[ref]; ok {
			return p
		}
		pp, ok := parents[ref]
		if !ok {
			return "/" // the rest API's root_resource_id, or a literal root id
		}
		if depth > 100 {
			return "/<cycle>"
		}
		return strings.TrimSuffix(pathOf(pp[0], depth+1), "/") + "/" + pp[1]
	}
	authorizer := func(ref string) (*Authorizer, error) {
		bl, ok := authorizers[ref]
		if !ok {
			return &Authorizer{Type: "unresolved " + ref}, nil
		}
		a := &Authorizer{}
		var err error
		if a.Type, err = evalStr(bl, "type", spec.AuthorizerToken); err != nil {
			return nil, err
		}
		if a.IdentitySource, err = evalStr(bl, "identity_source", spec.DefaultIdentitySource); err != nil {
			return nil, err
		}
		if a.ValidationExpression, err = evalStr(bl, "identity_validation_expression", ""); err != nil {
			return nil, err
		}
		ttl, err := evalStr(bl, "authorizer_result_ttl_in_seconds", "300")
		if err != nil {
			return nil, err
		}
		if _, err := fmt.Sscan(ttl, &a.TTLSeconds); err != nil {
			return nil, fmt.Errorf("%s: authorizer_result_ttl_in_seconds %q is not a number", ref, ttl)
		}
		pools, err := eval(bl, "provider_arns")
		if err != nil {
			return nil, err
		}
		a.Pools = ctyStrings(pools)
		return a, nil
	}

	var s Surface
	for _, bl := range blocks {
		switch bl.typ {
		case "aws_api_gateway_method":
			m := Method{}
			verb, err := evalStr(bl, "http_method", "")
			if err != nil {
				return Surface{}, err
			}
			res, err := evalStr(bl, "resource_id", "")
			if err != nil {
				return Surface{}, err
			}
			if m.AuthType, err = evalStr(bl, "authorization", ""); err != nil {
				return Surface{}, err
			}
			m.Verb, m.Path = strings.ToUpper(verb), pathOf(res, 0)
			azRef, err := evalStr(bl, "authorizer_id", "")
			if err != nil {
				return Surface{}, err
			}
			if azRef != "" {
				if m.Authorizer, err = authorizer(azRef); err != nil {
					return Surface{}, err
				}
			}
			scopes, err := eval(bl, "authorization_scopes")
			if err != nil {
				return Surface{}, err
			}
			m.Scopes = ctyStrings(scopes)
			s.Methods = append(s.Methods, m)
		case "aws_apigatewayv2_route":
			m := Method{}
			key, err := evalStr(bl, "route_key", "")
			if err != nil {
				return Surface{}, err
			}
			if verb, path, ok := strings.Cut(key, " "); ok {
				m.Verb, m.Path = verb, path
			} else {
				m.Verb = key
			}
			// The provider's default authorization_type is NONE.
			if m.AuthType, err = evalStr(bl, "authorization_type", spec.AuthNone); err != nil {
				return Surface{}, err
			}
			azRef, err := evalStr(bl, "authorizer_id", "")
			if err != nil {
				return Surface{}, err
			}
			if azRef != "" {
				if m.Authorizer, err = authorizerV2(azRef); err != nil {
					return Surface{}, err
				}
			}
			scopes, err := eval(bl, "authorization_scopes")
			if err != nil {
				return Surface{}, err
			}
			m.Scopes = ctyStrings(scopes)
			s.Methods = append(s.Methods, m)
		case "aws_apigatewayv2_api":
			cb, ok := nested(bl, "cors_configuration")
			if !ok {
				continue
			}
			c := &CORS{}
			for attr, into := range map[string]*[]string{"allow_origins": &c.AllowOrigins, "allow_methods": &c.AllowMethods,
				"allow_headers": &c.AllowHeaders, "expose_headers": &c.ExposeHeaders} {
				v, err := eval(cb, attr)
				if err != nil {
					return Surface{}, err
				}
				*into = ctyStrings(v)
			}
			creds, err := evalStr(cb, "allow_credentials", "false")
			if err != nil {
				return Surface{}, err
			}
			c.AllowCredentials = creds == "true"
			age, err := evalStr(cb, "max_age", "0")
			if err != nil {
				return Surface{}, err
			}
			fmt.Sscan(age, &c.MaxAge)
			s.CORS = c
		case "aws_api_gateway_gateway_response":
			typ, err := evalStr(bl, "response_type", "")
			if err != nil {
				return Surface{}, err
			}
			status, err := evalStr(bl, "status_code", "")
			if err != nil {
				return Surface{}, err
			}
			params, err := eval(bl, "response_parameters")
			if err != nil {
				return Surface{}, err
			}
			s.GatewayResponses = append(s.GatewayResponses, gatewayResponse(typ, status, ctyMap(params)))
		}
	}
	s.normalize()
	return s, nil
}

var tfFunctions = map[string]function.Function{
	"concat": stdlib.ConcatFunc, "distinct": stdlib.DistinctFunc, "flatten": stdlib.FlattenFunc,
	"jsonencode": stdlib.JSONEncodeFunc, "lower": stdlib.LowerFunc, "upper": stdlib.UpperFunc, "sort": stdlib.SortFunc,
	"tolist": toCollection(cty.List), "toset": toCollection(cty.Set),
}

// toCollection is Terraform's tolist/toset for lists of strings.
func toCollection(kind func(cty.Type) cty.Type) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "v", Type: cty.DynamicPseudoType}},
		Type:   function.StaticReturnType(kind(cty.String)),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			var vals []cty.Value
			for _, s := range ctyStrings(args[0]) {
				vals = append(vals, cty.StringVal(s))
			}
			if len(vals) == 0 {
				if kind(cty.String).IsSetType() {
					return cty.SetValEmpty(cty.String), nil
				}
				return cty.ListValEmpty(cty.String), nil
			}
			if kind(cty.String).IsSetType() {
				return cty.SetVal(vals), nil
			}
			return cty.ListVal(vals), nil
		},
	})
}

func ctyString(v cty.Value) string {
	if !v.IsKnown() {
		return "(unknown)"
	}
	if v.IsNull() {
		return ""
	}
	switch v.Type() {
	case cty.String:
		return v.AsString()
	case cty.Number:
		bf := v.AsBigFloat()
		if i, acc := bf.Int64(); acc == big.Exact {
			return fmt.Sprint(i)
		}
		return bf.Text('f', -1)
	case cty.Bool:
		return fmt.Sprint(v.True())
	}
	return v.GoString()
}

func ctyStrings(v cty.Value) []string {
	if v.IsNull() || !v.IsKnown() {
		if !v.IsKnown() {
			return []string{"(unknown)"}
		}
		return nil
	}
	if !v.CanIterateElements() {
		return []string{ctyString(v)}
	}
	var out []string
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		out = append(out, ctyString(e))
	}
	return out
}

func ctyMap(v cty.Value) map[string]string {
	if v.IsNull() || !v.IsKnown() || !v.CanIterateElements() {
		return nil
	}
	out := map[string]string{}
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		out[ctyString(k)] = ctyString(e)
	}
	return out
}
