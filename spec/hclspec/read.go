package hclspec

import (
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	"github.com/zclconf/go-cty/cty/gocty"

	"github.com/portcullis-dev/portcullis/spec"
)

var fileSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "variable", LabelNames: []string{"name"}},
		{Type: "api", LabelNames: []string{"name"}},
		{Type: "http_api", LabelNames: []string{"name"}},
	},
}

var variableSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "type"}, {Name: "default"}, {Name: "description"}, {Name: "sensitive"}},
}

var apiSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "region"}, {Name: "rest_api_id"}, {Name: "description"}, {Name: "default_authorizer"},
		{Name: "ignore"}, {Name: "ignore_reason"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "authorizer", LabelNames: []string{"name"}},
		{Type: "cors"},
		{Type: "route", LabelNames: []string{"key"}},
		{Type: "gateway_response", LabelNames: []string{"type"}},
		{Type: "stage", LabelNames: []string{"name"}},
	},
}

var authorizerSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "user_pool_arns", Required: true}, {Name: "identity_source"}, {Name: "validation_expression"},
		{Name: "ttl_seconds"}, {Name: "ignore"}, {Name: "ignore_reason"},
	},
}

var corsSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "allow_origins", Required: true}, {Name: "allow_methods"}, {Name: "allow_headers"},
		{Name: "expose_headers"}, {Name: "allow_credentials"}, {Name: "max_age_seconds"}, {Name: "gateway_responses"},
	},
}

var routeSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "authorizer"}, {Name: "auth_type"}, {Name: "scopes"}, {Name: "public"}, {Name: "reason"},
		{Name: "examples"}, {Name: "operation_name"}, {Name: "ignore"}, {Name: "ignore_reason"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "integration"}},
}

var integrationSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "type", Required: true}, {Name: "uri"}, {Name: "http_method"}, {Name: "passthrough_behavior"},
		{Name: "request_templates"}, {Name: "request_parameters"}, {Name: "timeout_millis"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "response", LabelNames: []string{"pattern"}}},
}

var integrationResponseSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "status_code", Required: true}, {Name: "response_parameters"}, {Name: "response_templates"},
	},
}

var gatewayResponseSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "status_code"}, {Name: "response_parameters"}, {Name: "response_templates"}},
}

var stageSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "description"}, {Name: "variables"}},
}

// Read decodes HCL files (name -> bytes) that together form one description.
func Read(files map[string][]byte, values []VarValue) (d *spec.Description, diags spec.Diagnostics) {
	d = &spec.Description{Files: files}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)

	var contents []*hcl.BodyContent
	// Files parse independently, so a folder of them parses on every core.
	parsed := make([]*hcl.File, len(names))
	parseDiags := make([]hcl.Diagnostics, len(names))
	limitDiags := make([]spec.Diagnostics, len(names))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, n := range names {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			if ds := checkLimits(files[n], n, hcl.InitialPos); ds.HasErrors() {
				limitDiags[i] = ds
				return
			}
			parsed[i], parseDiags[i] = hclsyntax.ParseConfig(files[n], n, hcl.InitialPos)
		})
	}
	wg.Wait()
	for i := range names {
		f, hd := parsed[i], parseDiags[i]
		diags = append(diags, limitDiags[i]...)
		diags = append(diags, spec.FromHCL("parse-error", hd)...)
		if f == nil || hd.HasErrors() {
			continue
		}
		c, hd := f.Body.Content(fileSchema)
		diags = append(diags, spec.FromHCL("unsupported-block", hd)...)
		contents = append(contents, c)
	}
	if diags.HasErrors() {
		return d, diags
	}

	decls := map[string]*variable{}
	for _, c := range contents {
		for _, b := range c.Blocks.OfType("variable") {
			v, ds := decodeVariable(b)
			diags = append(diags, ds...)
			if v == nil {
				continue
			}
			if prev, ok := decls[v.Name]; ok {
				diags = append(diags, spec.Errorf("duplicate-variable", b.LabelRanges[0], "Duplicate variable",
					"Variable %q was already declared at %s.", v.Name, prev.DefRange))
				continue
			}
			decls[v.Name] = v
		}
	}
	vals, ds := resolveVars(decls, values)
	diags = append(diags, ds...)
	for name, decl := range decls {
		if decl.Sensitive {
			d.Sensitive = append(d.Sensitive, valueTexts(vals[name])...)
			// A value given but refused still has its text.
			for _, v := range values {
				if v.Name == name && v.Raw != "" {
					d.Sensitive = append(d.Sensitive, v.Raw)
				}
			}
			if decl.Default != nil {
				d.Sensitive = append(d.Sensitive, valueTexts(*decl.Default)...)
			}
		}
	}
	// The last line of defence: whatever an error below quotes, a
	// sensitive value does not show.
	defer func() { diags = diags.Redact(d.Sensitive) }()
	if ds.HasErrors() {
		// Without every variable's value each reference to one would be a
		// second, misleading error.
		return d, diags
	}
	ctx := &hcl.EvalContext{
		Variables: map[string]cty.Value{"var": cty.ObjectVal(vals)},
		Functions: functions(),
	}
	if len(vals) == 0 {
		ctx.Variables["var"] = cty.EmptyObjectVal
	}
	r := &reader{ctx: ctx, declared: decls}
	seen := map[string]hcl.Range{}
	for _, c := range contents {
		// In source order, so a duplicate is reported at the later block
		// whichever kind of api each is.
		for _, b := range c.Blocks {
			var name string
			switch b.Type {
			case "api":
				a := r.decodeAPI(b)
				name = a.Name
				if _, dup := seen[name]; !dup {
					d.APIs = append(d.APIs, a)
				}
			case "http_api":
				a := r.decodeHTTPAPI(b)
				name = a.Name
				if _, dup := seen[name]; !dup {
					d.HTTPAPIs = append(d.HTTPAPIs, a)
				}
			default:
				continue
			}
			if prev, ok := seen[name]; ok {
				r.diags = append(r.diags, spec.Errorf("duplicate-api", b.LabelRanges[0], "Duplicate api",
					"An api named %q is already described at %s.", name, prev))
				continue
			}
			seen[name] = b.DefRange
		}
	}
	diags = append(diags, r.diags...)
	if d.Empty() && !diags.HasErrors() {
		diags = append(diags, spec.Diagnostic{Severity: spec.SeverityError, Code: "no-api", Summary: "No api block",
			Detail: "A description needs at least one api \"name\" { ... } or http_api \"name\" { ... } block.", Range: &hcl.Range{Filename: firstOr(names)}, Source: "spec"})
	}
	return d, diags
}

func firstOr(names []string) string {
	if len(names) > 0 {
		return names[0]
	}
	return ""
}

func functions() map[string]function.Function {
	return map[string]function.Function{
		"concat": stdlib.ConcatFunc, "format": boundedFormat, "join": stdlib.JoinFunc,
		"lower": stdlib.LowerFunc, "upper": stdlib.UpperFunc, "split": stdlib.SplitFunc,
		"merge": stdlib.MergeFunc, "distinct": stdlib.DistinctFunc, "trimspace": stdlib.TrimSpaceFunc,
	}
}

func decodeVariable(b *hcl.Block) (*variable, spec.Diagnostics) {
	c, hd := b.Body.Content(variableSchema)
	diags := spec.FromHCL("invalid-variable", hd)
	v := &variable{Name: b.Labels[0], Type: cty.DynamicPseudoType, DefRange: b.DefRange}
	if !hclsyntax.ValidIdentifier(v.Name) {
		diags = append(diags, spec.Errorf("invalid-variable", b.LabelRanges[0], "Invalid variable name",
			"%q is not a valid identifier: use letters, digits, underscores and dashes, starting with a letter.", v.Name))
		return nil, diags
	}
	if a, ok := c.Attributes["type"]; ok {
		t, hd := typeexpr.TypeConstraint(a.Expr)
		diags = append(diags, spec.FromHCL("invalid-variable", hd)...)
		if !hd.HasErrors() {
			v.Type = t
		}
	}
	if a, ok := c.Attributes["sensitive"]; ok {
		val, hd := a.Expr.Value(nil)
		if hd.HasErrors() || val.IsNull() || !val.IsKnown() || val.Type() != cty.Bool {
			diags = append(diags, spec.Errorf("invalid-variable", a.Expr.Range(), "Invalid sensitive flag", "sensitive must be true or false."))
		} else {
			v.Sensitive = val.True()
		}
	}
	if a, ok := c.Attributes["default"]; ok {
		val, hd := a.Expr.Value(nil)
		diags = append(diags, spec.FromHCL("invalid-variable", hd)...)
		if !hd.HasErrors() {
			v.Default = &val
			v.DefaultRange = a.Expr.Range()
		}
	}
	return v, diags
}

// reader carries the evaluation context and collects diagnostics, so that
// every problem in a file is reported, not just the first.
type reader struct {
	ctx      *hcl.EvalContext
	declared map[string]*variable
	diags    spec.Diagnostics
}

func (r *reader) content(b *hcl.Block, schema *hcl.BodySchema) *hcl.BodyContent {
	c, hd := b.Body.Content(schema)
	r.diags = append(r.diags, spec.FromHCL("unsupported-argument", hd)...)
	return c
}

// value evaluates an attribute and converts it to the Go type of out.
func (r *reader) value(a *hcl.Attribute, out any, want string) bool {
	v, hd := a.Expr.Value(r.ctx)
	if hd.HasErrors() {
		r.diags = append(r.diags, spec.FromHCL("invalid-expression", hd)...)
		return false
	}
	if v.IsNull() {
		return false
	}
	if !v.IsWhollyKnown() {
		r.diags = append(r.diags, spec.Errorf("invalid-expression", a.Expr.Range(), "Unknown value", "The value of %s is not known.", a.Name))
		return false
	}
	if t, err := gocty.ImpliedType(out); err == nil {
		if cv, err := convert.Convert(v, t); err == nil {
			v = cv
		}
	}
	if err := gocty.FromCtyValue(v, out); err != nil {
		r.diags = append(r.diags, spec.Errorf("invalid-type", a.Expr.Range(), "Incorrect attribute value type",
			"%s must be %s.", a.Name, want))
		return false
	}
	return true
}

func (r *reader) str(c *hcl.BodyContent, name string, out *string, ranges spec.Ranges) {
	if a, ok := c.Attributes[name]; ok {
		if r.value(a, out, "a string") {
			ranges[name] = a.Expr.Range()
		}
	}
}

func (r *reader) strList(c *hcl.BodyContent, name string, out *[]string, ranges spec.Ranges) {
	if a, ok := c.Attributes[name]; ok {
		if r.value(a, out, "a list of strings") {
			ranges[name] = a.Expr.Range()
			if *out == nil {
				*out = []string{}
			}
		}
	}
}

func (r *reader) strMap(c *hcl.BodyContent, name string, out *map[string]string, ranges spec.Ranges) {
	if a, ok := c.Attributes[name]; ok {
		if r.value(a, out, "a map of strings") && ranges != nil {
			ranges[name] = a.Expr.Range()
		}
	}
}

func (r *reader) boolean(c *hcl.BodyContent, name string, out *bool, ranges spec.Ranges) {
	if a, ok := c.Attributes[name]; ok {
		if r.value(a, out, "a bool") {
			ranges[name] = a.Expr.Range()
		}
	}
}

func (r *reader) integer(c *hcl.BodyContent, name string, out *int, ranges spec.Ranges) bool {
	if a, ok := c.Attributes[name]; ok {
		var f float64
		if !r.value(a, &f, "a number") {
			return false
		}
		if f != float64(int(f)) {
			r.diags = append(r.diags, spec.Errorf("invalid-type", a.Expr.Range(), "Incorrect attribute value type", "%s must be a whole number.", name))
			return false
		}
		*out = int(f)
		ranges[name] = a.Expr.Range()
		return true
	}
	return false
}

// authorizerRef reads `authorizer.NAME` as a traversal: references are not
// values, so an unknown name is reported (by validation) at its position.
func (r *reader) authorizerRef(c *hcl.BodyContent, name string, ranges spec.Ranges) string {
	a, ok := c.Attributes[name]
	if !ok {
		return ""
	}
	tr, hd := hcl.AbsTraversalForExpr(a.Expr)
	if hd.HasErrors() || len(tr) != 2 || tr.RootName() != "authorizer" {
		r.diags = append(r.diags, spec.Errorf("invalid-reference", a.Expr.Range(), "Invalid authorizer reference",
			"%s must be a reference of the form authorizer.NAME.", name))
		return ""
	}
	attr, ok := tr[1].(hcl.TraverseAttr)
	if !ok {
		r.diags = append(r.diags, spec.Errorf("invalid-reference", a.Expr.Range(), "Invalid authorizer reference",
			"%s must be a reference of the form authorizer.NAME.", name))
		return ""
	}
	ranges[name] = a.Expr.Range()
	return attr.Name
}

func (r *reader) suppressions(c *hcl.BodyContent, ranges spec.Ranges) []spec.Suppression {
	var rules []string
	var reason string
	r.strList(c, "ignore", &rules, ranges)
	r.str(c, "ignore_reason", &reason, ranges)
	var out []spec.Suppression
	for _, id := range rules {
		out = append(out, spec.Suppression{Rule: id, Reason: reason, Range: ranges["ignore"]})
	}
	return out
}

func (r *reader) decodeAPI(b *hcl.Block) *spec.API {
	a := &spec.API{Name: b.Labels[0], Range: b.DefRange, Ranges: spec.Ranges{"name": b.LabelRanges[0]}}
	c := r.content(b, apiSchema)
	r.str(c, "region", &a.Region, a.Ranges)
	r.str(c, "rest_api_id", &a.RestAPIID, a.Ranges)
	r.str(c, "description", &a.Description, a.Ranges)
	a.DefaultAuthorizer = r.authorizerRef(c, "default_authorizer", a.Ranges)
	a.Suppressions = r.suppressions(c, a.Ranges)

	for _, ab := range c.Blocks.OfType("authorizer") {
		a.Authorizers = append(a.Authorizers, r.decodeAuthorizer(ab))
	}
	corsBlocks := c.Blocks.OfType("cors")
	for i, cb := range corsBlocks {
		if i > 0 {
			r.diags = append(r.diags, spec.Errorf("duplicate-cors", cb.DefRange, "Duplicate cors block",
				"An api has at most one cors block; the first is at %s.", corsBlocks[0].DefRange))
			continue
		}
		cors, withResponses := r.decodeCORS(cb)
		a.CORS = cors
		if withResponses {
			a.GatewayResponses = append(a.GatewayResponses, spec.CORSGatewayResponses(cors)...)
		}
	}
	a.Routes = append(a.Routes, decodeParallel(r, c.Blocks.OfType("route"), (*reader).decodeRoute)...)
	for _, gb := range c.Blocks.OfType("gateway_response") {
		g := r.decodeGatewayResponse(gb)
		// A written gateway response replaces the one derived from cors.
		replaced := false
		for i, old := range a.GatewayResponses {
			if old.FromCORS && old.Type == g.Type {
				a.GatewayResponses[i] = g
				replaced = true
			}
		}
		if !replaced {
			a.GatewayResponses = append(a.GatewayResponses, g)
		}
	}
	for _, sb := range c.Blocks.OfType("stage") {
		s := &spec.Stage{Name: sb.Labels[0], Range: sb.DefRange, Ranges: spec.Ranges{"name": sb.LabelRanges[0]}}
		sc := r.content(sb, stageSchema)
		r.str(sc, "description", &s.Description, s.Ranges)
		r.strMap(sc, "variables", &s.Variables, s.Ranges)
		a.Stages = append(a.Stages, s)
	}
	resolveAuth(a)
	return a
}

// resolveAuth fills each route's effective authorization: public routes are
// NONE, routes with an authorizer (own or inherited) are Cognito, and
// routes with neither stay NONE without being public, which validation and
// the deny-by-default policy report.
func resolveAuth(a *spec.API) {
	for _, rt := range a.Routes {
		switch {
		case rt.AuthType != "":
			// Set explicitly (AWS_IAM, CUSTOM, or an explicit NONE).
		case rt.Authorizer != "":
			rt.AuthType = spec.AuthCognito
		case rt.Public:
			rt.AuthType = spec.AuthNone
		case a.DefaultAuthorizer != "":
			rt.Authorizer = a.DefaultAuthorizer
			rt.AuthorizerInherited = true
			rt.AuthType = spec.AuthCognito
			rt.Ranges["authorizer"] = a.At("default_authorizer")
		default:
			rt.AuthType = spec.AuthNone
		}
		if az := a.AuthorizerByName(rt.Authorizer); az != nil && rt.AuthType == spec.AuthCognito && az.Type != spec.AuthorizerCognito {
			rt.AuthType = spec.AuthCustom
		}
	}
}

func (r *reader) decodeAuthorizer(b *hcl.Block) *spec.Authorizer {
	az := &spec.Authorizer{
		Name: b.Labels[0], Type: spec.AuthorizerCognito, IdentitySource: spec.DefaultIdentitySource,
		TTLSeconds: spec.DefaultTTLSeconds, Range: b.DefRange, Ranges: spec.Ranges{"name": b.LabelRanges[0]},
	}
	c := r.content(b, authorizerSchema)
	r.strList(c, "user_pool_arns", &az.UserPoolARNs, az.Ranges)
	if a, ok := c.Attributes["user_pool_arns"]; ok {
		if tup, ok := a.Expr.(*hclsyntax.TupleConsExpr); ok {
			for i, e := range tup.Exprs {
				az.Ranges[fmt.Sprintf("user_pool_arns.%d", i)] = e.Range()
			}
		}
	}
	r.str(c, "identity_source", &az.IdentitySource, az.Ranges)
	r.str(c, "validation_expression", &az.ValidationExpression, az.Ranges)
	r.integer(c, "ttl_seconds", &az.TTLSeconds, az.Ranges)
	az.Suppressions = r.suppressions(c, az.Ranges)
	return az
}

func (r *reader) decodeCORS(b *hcl.Block) (*spec.CORS, bool) {
	cors := &spec.CORS{Range: b.DefRange, Ranges: spec.Ranges{}}
	c := r.content(b, corsSchema)
	r.strList(c, "allow_origins", &cors.AllowOrigins, cors.Ranges)
	r.strList(c, "allow_methods", &cors.AllowMethods, cors.Ranges)
	r.strList(c, "allow_headers", &cors.AllowHeaders, cors.Ranges)
	r.strList(c, "expose_headers", &cors.ExposeHeaders, cors.Ranges)
	r.boolean(c, "allow_credentials", &cors.AllowCredentials, cors.Ranges)
	r.integer(c, "max_age_seconds", &cors.MaxAgeSeconds, cors.Ranges)
	for i, m := range cors.AllowMethods {
		cors.AllowMethods[i] = strings.ToUpper(m)
	}
	responses := true
	r.boolean(c, "gateway_responses", &responses, cors.Ranges)
	return cors, responses
}

// decodeParallel decodes route blocks on every core: they are independent,
// and a large API has thousands. Each share gets its own reader so findings
// keep the order a single pass would give them; nil results (blocks that
// could not be decoded) are dropped.
func decodeParallel[T any](r *reader, blocks hcl.Blocks, decode func(*reader, *hcl.Block) *T) []*T {
	out := make([]*T, len(blocks))
	shares := runtime.GOMAXPROCS(0)
	if len(blocks) < 512 {
		shares = 1
	}
	subs := make([]*reader, shares)
	var wg sync.WaitGroup
	for s := range shares {
		subs[s] = &reader{ctx: r.ctx, declared: r.declared}
		lo, hi := len(blocks)*s/shares, len(blocks)*(s+1)/shares
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				out[i] = decode(subs[s], blocks[i])
			}
		})
	}
	wg.Wait()
	for _, sub := range subs {
		r.diags = append(r.diags, sub.diags...)
	}
	kept := out[:0]
	for _, x := range out {
		if x != nil {
			kept = append(kept, x)
		}
	}
	return kept
}

func (r *reader) decodeRoute(b *hcl.Block) *spec.Route {
	key := b.Labels[0]
	rt := &spec.Route{Range: b.DefRange, Ranges: spec.Ranges{"key": b.LabelRanges[0]}}
	method, path, ok := strings.Cut(strings.TrimSpace(key), " ")
	if !ok {
		r.diags = append(r.diags, spec.Errorf("invalid-route-key", b.LabelRanges[0], "Invalid route key",
			"%q must be a method and a path, such as \"GET /items/{id}\".", key))
		return nil
	}
	rt.Method, rt.Path = strings.ToUpper(method), strings.TrimSpace(path)
	c := r.content(b, routeSchema)
	rt.Authorizer = r.authorizerRef(c, "authorizer", rt.Ranges)
	r.str(c, "auth_type", &rt.AuthType, rt.Ranges)
	rt.AuthType = strings.ToUpper(rt.AuthType)
	r.strList(c, "scopes", &rt.Scopes, rt.Ranges)
	r.boolean(c, "public", &rt.Public, rt.Ranges)
	r.str(c, "reason", &rt.Reason, rt.Ranges)
	r.strMap(c, "examples", &rt.ParamExamples, rt.Ranges)
	r.str(c, "operation_name", &rt.OperationName, rt.Ranges)
	rt.Suppressions = r.suppressions(c, rt.Ranges)
	for i, ib := range c.Blocks.OfType("integration") {
		if i > 0 {
			r.diags = append(r.diags, spec.Errorf("duplicate-integration", ib.DefRange, "Duplicate integration block",
				"A route has at most one integration."))
			continue
		}
		rt.Integration = r.decodeIntegration(ib)
	}
	return rt
}

func (r *reader) decodeIntegration(b *hcl.Block) *spec.Integration {
	in := &spec.Integration{Range: b.DefRange}
	ranges := spec.Ranges{}
	c := r.content(b, integrationSchema)
	r.str(c, "type", &in.Type, ranges)
	in.Type = strings.ToUpper(in.Type)
	r.str(c, "uri", &in.URI, ranges)
	r.str(c, "http_method", &in.HTTPMethod, ranges)
	in.HTTPMethod = strings.ToUpper(in.HTTPMethod)
	r.str(c, "passthrough_behavior", &in.PassthroughBehavior, ranges)
	in.PassthroughBehavior = strings.ToUpper(in.PassthroughBehavior)
	r.strMap(c, "request_templates", &in.RequestTemplates, ranges)
	r.strMap(c, "request_parameters", &in.RequestParameters, ranges)
	r.integer(c, "timeout_millis", &in.TimeoutMillis, ranges)
	for _, rb := range c.Blocks.OfType("response") {
		ir := spec.IntegrationResponse{Pattern: rb.Labels[0]}
		rc := r.content(rb, integrationResponseSchema)
		r.str(rc, "status_code", &ir.StatusCode, spec.Ranges{})
		r.strMap(rc, "response_parameters", &ir.ResponseParameters, nil)
		r.strMap(rc, "response_templates", &ir.ResponseTemplates, nil)
		in.Responses = append(in.Responses, ir)
	}
	if in.Type == spec.IntegrationMock {
		defaultMock(in)
	}
	return in
}

// defaultMock gives a bare MOCK integration what API Gateway needs to answer:
// a request template choosing status 200 and a default response.
func defaultMock(in *spec.Integration) {
	if len(in.RequestTemplates) == 0 {
		in.RequestTemplates = map[string]string{"application/json": `{"statusCode": 200}`}
	}
	if len(in.Responses) == 0 {
		in.Responses = []spec.IntegrationResponse{{Pattern: "default", StatusCode: "200"}}
	}
	if in.PassthroughBehavior == "" {
		in.PassthroughBehavior = "WHEN_NO_MATCH"
	}
}

func (r *reader) decodeGatewayResponse(b *hcl.Block) *spec.GatewayResponse {
	g := &spec.GatewayResponse{Type: strings.ToUpper(b.Labels[0]), Range: b.DefRange}
	c := r.content(b, gatewayResponseSchema)
	var code any
	if a, ok := c.Attributes["status_code"]; ok {
		v, hd := a.Expr.Value(r.ctx)
		r.diags = append(r.diags, spec.FromHCL("invalid-expression", hd)...)
		if !hd.HasErrors() && !v.IsNull() {
			switch v.Type() {
			case cty.Number:
				bf := v.AsBigFloat()
				i, _ := bf.Int64()
				code = i
			case cty.String:
				code = v.AsString()
			default:
				r.diags = append(r.diags, spec.Errorf("invalid-type", a.Expr.Range(), "Incorrect attribute value type", "status_code must be a number such as 401."))
			}
		}
	}
	if code != nil {
		g.StatusCode = fmt.Sprint(code)
	}
	r.strMap(c, "response_parameters", &g.ResponseParameters, nil)
	r.strMap(c, "response_templates", &g.ResponseTemplates, nil)
	return g
}

func sortedAttrs(attrs hcl.Attributes) []*hcl.Attribute {
	out := make([]*hcl.Attribute, 0, len(attrs))
	for _, a := range attrs {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Range.Start.Byte < out[j].Range.Start.Byte })
	return out
}

// valueTexts is every string and number inside v, as text: what a
// diagnostic could quote of a sensitive value.
func valueTexts(v cty.Value) []string {
	var out []string
	_ = cty.Walk(v, func(_ cty.Path, x cty.Value) (bool, error) {
		if x.IsNull() || !x.IsKnown() {
			return false, nil
		}
		switch x.Type() {
		case cty.String:
			out = append(out, x.AsString())
		case cty.Number:
			out = append(out, x.AsBigFloat().Text('f', -1))
		}
		return true, nil
	})
	return out
}
