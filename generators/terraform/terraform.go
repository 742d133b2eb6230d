package terraform

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/internal/fastpath"
	"github.com/portcullis-dev/portcullis/restapi"
	"github.com/portcullis-dev/portcullis/spec"
)

type gen struct{}

// New returns the Terraform generator.
func New() generators.Generator { return gen{} }

func (gen) Name() string { return "terraform" }
func (gen) Summary() string {
	return "Terraform (AWS provider) aws_api_gateway_* (REST) or aws_apigatewayv2_* (HTTP API) resources, written with hclwrite"
}

// Generate writes NAME.tf per API.
func (g gen) Generate(d *spec.Description, opts generators.Options) ([]generators.File, error) {
	if _, err := generators.PickFormat(opts.Format, "hcl"); err != nil {
		return nil, err
	}
	var out []generators.File
	for _, a := range d.APIs {
		var stages []*spec.Stage
		if opts.Stage == "" {
			stages = a.Stages
		} else {
			s, err := restapi.PickStage(a, opts.Stage)
			if err != nil {
				return nil, err
			}
			stages = []*spec.Stage{s}
		}
		out = append(out, generators.File{Path: generators.FileName(a.Name) + ".tf", Content: File(a, stages, opts.Source)})
	}
	for _, a := range d.HTTPAPIs {
		stages := a.Stages
		if opts.Stage != "" {
			s, err := generators.PickHTTPStage(a, opts.Stage)
			if err != nil {
				return nil, err
			}
			stages = []*spec.HTTPStage{s}
		}
		out = append(out, generators.File{Path: generators.FileName(a.Name) + ".tf", Content: HTTPFile(a, stages, opts.Source),
			Warnings: generators.ExistingAPICORS(a, opts.Source, g.Name())})
	}
	return out, nil
}

// ref is a traversal such as aws_api_gateway_rest_api.todo.id.
func ref(parts ...string) hcl.Traversal {
	t := hcl.Traversal{hcl.TraverseRoot{Name: parts[0]}}
	for _, p := range parts[1:] {
		t = append(t, hcl.TraverseAttr{Name: p})
	}
	return t
}

// ident makes a Terraform block name from words: lower-case letters,
// digits and underscores, starting with a letter.
func ident(words ...string) string {
	s := part(words...)
	if s == "" || !(s[0] >= 'a' && s[0] <= 'z') {
		s = "api_" + s
	}
	return s
}

// part is a name suffix: lower-case words joined with underscores.
func part(words ...string) string {
	var parts []string
	for _, w := range words {
		for _, x := range restapi.Words(w) {
			parts = append(parts, strings.ToLower(x))
		}
	}
	return strings.Join(parts, "_")
}

func strMap(m map[string]string) cty.Value {
	if len(m) == 0 {
		return cty.MapValEmpty(cty.String)
	}
	vals := map[string]cty.Value{}
	for k, v := range m {
		vals[k] = cty.StringVal(v)
	}
	return cty.MapVal(vals)
}

func strList(s []string) cty.Value {
	if len(s) == 0 {
		return cty.ListValEmpty(cty.String)
	}
	vals := make([]cty.Value, len(s))
	for i, x := range s {
		vals[i] = cty.StringVal(x)
	}
	return cty.ListVal(vals)
}

// tuple is a list with one element per line: the deployment's lists are
// long, and one line each keeps diffs of the generated file readable.
func tuple(elems []hclwrite.Tokens) hclwrite.Tokens {
	n := 3
	for _, e := range elems {
		n += len(e) + 2
	}
	toks := make(hclwrite.Tokens, 0, n)
	toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenOBrack, Bytes: []byte("[")}, &hclwrite.Token{Type: hclsyntax.TokenNewline, Bytes: []byte("\n")})
	for _, e := range elems {
		toks = append(toks, e...)
		toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenComma, Bytes: []byte(",")}, &hclwrite.Token{Type: hclsyntax.TokenNewline, Bytes: []byte("\n")})
	}
	return append(toks, &hclwrite.Token{Type: hclsyntax.TokenCBrack, Bytes: []byte("]")})
}

// commentTokens are the comment lines of text.
func commentTokens(text string) hclwrite.Tokens {
	var toks hclwrite.Tokens
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenComment, Bytes: []byte(strings.TrimRight("# "+line, " ") + "\n")})
	}
	return toks
}

type writer struct {
	a   *spec.API
	api string // the name prefix
	// doc writes the file in chunks of a few blocks; body is the current
	// chunk's. Formatting a 10,000 route file as one token list costs far
	// more time and memory, and alignment never crosses top-level blocks
	// anyway.
	doc  doc
	body body
	// restAPIID and rootID are the expressions naming the API and its root.
	restAPIID, rootID hcl.Traversal
	resources         map[string]string // path -> block name
	resourceIDs       map[string]hcl.Traversal
	authorizers       map[string]string // authorizer name -> block name
}

// chunk starts a new group of blocks.
func (w *writer) chunk() { w.body = w.doc.chunk() }

// File builds the Terraform file of one API: with the token writer, or
// with hclwrite's File where that declines (see tokens.go).
func File(a *spec.API, stages []*spec.Stage, source string) []byte {
	if fastpath.On(fastpath.HCLWriter) {
		if out, ok := write(&tokenDoc{}, a, stages, source); ok {
			return out
		}
	}
	out, _ := write(&hclDoc{}, a, stages, source)
	return out
}

func write(d doc, a *spec.API, stages []*spec.Stage, source string) ([]byte, bool) {
	w := &writer{a: a, api: ident(a.Name), doc: d}
	w.chunk()
	w.body.comment(generators.Header(source, "terraform"))
	w.body.newline()

	w.variables()
	w.restAPI()
	w.authorizersBlocks()
	w.resourceBlocks()
	dependsOn := w.methods()
	w.gatewayResponses()
	w.deployment(dependsOn, stages)
	return d.bytes()
}

func (w *writer) variables() {
	w.authorizers = map[string]string{}
	var names []string
	for _, az := range w.a.Authorizers {
		names = append(names, az.Name)
	}
	unique := restapi.Unique(names, func(s string) string { return ident(s) }, "_")
	for _, az := range w.a.Authorizers {
		w.chunk()
		w.authorizers[az.Name] = w.api + "_" + unique[az.Name]
		if az.Type != spec.AuthorizerCognito {
			b := w.body.block("variable", w.authorizers[az.Name]+"_uri")
			b.raw("type", hclwrite.TokensForIdentifier("string"))
			b.str("description", fmt.Sprintf("Lambda invocation URI of the %s authorizer %q (not part of the description).", az.Type, az.Name))
			w.body.newline()
			continue
		}
		b := w.body.block("variable", w.authorizers[az.Name]+"_user_pool_arns")
		b.raw("type", hclwrite.TokensForFunctionCall("list", hclwrite.TokensForIdentifier("string")))
		b.str("description", fmt.Sprintf("Cognito user pools whose tokens authorizer %q accepts.", az.Name))
		b.value("default", strList(az.UserPoolARNs))
		w.body.newline()
	}
	if w.a.RestAPIID != "" {
		w.chunk()
		b := w.body.block("variable", w.api+"_rest_api_id")
		b.raw("type", hclwrite.TokensForIdentifier("string"))
		b.str("description", "The existing REST API these resources are added to.")
		b.str("default", w.a.RestAPIID)
		w.body.newline()
	}
}

func (w *writer) restAPI() {
	w.chunk()
	if w.a.RestAPIID != "" {
		w.restAPIID = ref("var", w.api+"_rest_api_id")
		b := w.body.block("data", "aws_api_gateway_resource", w.api+"_root")
		b.traversal("rest_api_id", w.restAPIID)
		b.str("path", "/")
		w.rootID = ref("data", "aws_api_gateway_resource", w.api+"_root", "id")
		w.body.newline()
		return
	}
	b := w.body.block("resource", "aws_api_gateway_rest_api", w.api)
	b.str("name", w.a.Name)
	if w.a.Description != "" {
		b.str("description", w.a.Description)
	}
	w.restAPIID = ref("aws_api_gateway_rest_api", w.api, "id")
	w.rootID = ref("aws_api_gateway_rest_api", w.api, "root_resource_id")
	w.body.newline()
}

func (w *writer) authorizersBlocks() {
	for _, az := range w.a.Authorizers {
		w.chunk()
		b := w.body.block("resource", "aws_api_gateway_authorizer", w.authorizers[az.Name])
		b.str("name", az.Name)
		b.traversal("rest_api_id", w.restAPIID)
		// type defaults to TOKEN in the provider: always say it.
		b.str("type", az.Type)
		if az.Type == spec.AuthorizerCognito {
			b.traversal("provider_arns", ref("var", w.authorizers[az.Name]+"_user_pool_arns"))
		} else {
			b.traversal("authorizer_uri", ref("var", w.authorizers[az.Name]+"_uri"))
		}
		b.str("identity_source", az.IdentitySource)
		if az.ValidationExpression != "" {
			b.str("identity_validation_expression", az.ValidationExpression)
		}
		b.value("authorizer_result_ttl_in_seconds", cty.NumberIntVal(int64(az.TTLSeconds)))
		w.body.newline()
	}
}

func (w *writer) resourceBlocks() {
	paths := []string{"/"}
	for _, r := range restapi.Resources(w.a) {
		paths = append(paths, r.Path)
	}
	unique := restapi.Unique(paths, restapi.PathSnake, "_")
	w.resources = map[string]string{}
	w.resourceIDs = map[string]hcl.Traversal{}
	for p, n := range unique {
		w.resources[p] = w.api + "_" + n
	}
	for _, r := range restapi.Resources(w.a) {
		w.chunk()
		b := w.body.block("resource", "aws_api_gateway_resource", w.resources[r.Path])
		b.traversal("rest_api_id", w.restAPIID)
		b.traversal("parent_id", w.resourceID(r.Parent))
		b.str("path_part", r.Segment)
		w.body.newline()
	}
}

// resourceID is the reference to a path's resource id, made once per path
// (the same traversal every time lets the token writer reuse its tokens).
func (w *writer) resourceID(path string) hcl.Traversal {
	if path == "/" {
		return w.rootID
	}
	t, ok := w.resourceIDs[path]
	if !ok {
		t = ref("aws_api_gateway_resource", w.resources[path], "id")
		w.resourceIDs[path] = t
	}
	return t
}

// methods writes every method with its integration and responses, and
// returns the blocks the deployment depends on.
func (w *writer) methods() (dependsOn []hcl.Traversal) {
	for _, m := range restapi.Methods(w.a) {
		w.chunk()
		name := w.resources[m.Path] + "_" + strings.ToLower(m.Verb)
		switch {
		case m.Preflight:
			w.body.comment("CORS preflight for " + m.Path + ": unauthenticated, because browsers send no token with it.")
		case m.DefaultIntegration:
			w.body.comment(restapi.DefaultIntegrationNote)
		}
		b := w.body.block("resource", "aws_api_gateway_method", name)
		b.traversal("rest_api_id", w.restAPIID)
		b.traversal("resource_id", w.resourceID(m.Path))
		b.str("http_method", m.Verb)
		b.str("authorization", m.AuthType)
		if m.Authorizer != nil {
			b.traversal("authorizer_id", ref("aws_api_gateway_authorizer", w.authorizers[m.Authorizer.Name], "id"))
		}
		if len(m.Scopes) > 0 {
			b.value("authorization_scopes", strList(m.Scopes))
		}
		if m.Route != nil && m.Route.OperationName != "" {
			b.str("operation_name", m.Route.OperationName)
		}
		if len(m.RequestParameters) > 0 {
			vals := map[string]cty.Value{}
			for k, v := range m.RequestParameters {
				vals[k] = cty.BoolVal(v)
			}
			b.value("request_parameters", cty.MapVal(vals))
		}
		w.body.newline()
		httpMethod := ref("aws_api_gateway_method", name, "http_method")
		dependsOn = append(dependsOn, ref("aws_api_gateway_method", name))

		in := m.Integration
		ib := w.body.block("resource", "aws_api_gateway_integration", name)
		ib.traversal("rest_api_id", w.restAPIID)
		ib.traversal("resource_id", w.resourceID(m.Path))
		ib.traversal("http_method", httpMethod)
		ib.str("type", in.Type)
		if in.HTTPMethod != "" {
			ib.str("integration_http_method", in.HTTPMethod)
		}
		if in.URI != "" {
			ib.str("uri", in.URI)
		}
		if in.PassthroughBehavior != "" {
			ib.str("passthrough_behavior", in.PassthroughBehavior)
		}
		if len(in.RequestParameters) > 0 {
			ib.value("request_parameters", strMap(in.RequestParameters))
		}
		if len(in.RequestTemplates) > 0 {
			ib.value("request_templates", strMap(in.RequestTemplates))
		}
		if in.TimeoutMillis != 0 {
			ib.value("timeout_milliseconds", cty.NumberIntVal(int64(in.TimeoutMillis)))
		}
		w.body.newline()
		dependsOn = append(dependsOn, ref("aws_api_gateway_integration", name))

		for _, mr := range restapi.MethodResponses(in) {
			rb := w.body.block("resource", "aws_api_gateway_method_response", name+"_"+part(mr.StatusCode))
			rb.traversal("rest_api_id", w.restAPIID)
			rb.traversal("resource_id", w.resourceID(m.Path))
			rb.traversal("http_method", httpMethod)
			rb.str("status_code", mr.StatusCode)
			if len(mr.Headers) > 0 {
				vals := map[string]cty.Value{}
				for _, h := range mr.Headers {
					vals["method.response.header."+h] = cty.False
				}
				rb.value("response_parameters", cty.MapVal(vals))
			}
			w.body.newline()
		}
		seen := map[string]int{}
		for _, r := range restapi.SortedResponses(in.Responses) {
			rname := name + "_" + part(r.StatusCode)
			seen[rname]++
			if seen[rname] > 1 {
				rname += fmt.Sprintf("_%d", seen[rname])
			}
			rb := w.body.block("resource", "aws_api_gateway_integration_response", rname)
			rb.traversal("rest_api_id", w.restAPIID)
			rb.traversal("resource_id", w.resourceID(m.Path))
			rb.traversal("http_method", httpMethod)
			rb.traversal("status_code", ref("aws_api_gateway_method_response", name+"_"+part(r.StatusCode), "status_code"))
			if r.Pattern != "" && r.Pattern != "default" {
				rb.str("selection_pattern", r.Pattern)
			}
			if len(r.ResponseParameters) > 0 {
				rb.value("response_parameters", strMap(r.ResponseParameters))
			}
			if r.ResponseTemplates != nil {
				rb.value("response_templates", strMap(r.ResponseTemplates))
			}
			// The integration must exist before its responses.
			rb.raw("depends_on", w.doc.refs(ref("aws_api_gateway_integration", name)))
			w.body.newline()
			dependsOn = append(dependsOn, ref("aws_api_gateway_integration_response", rname))
		}
	}
	return dependsOn
}

func (w *writer) gatewayResponses() {
	for _, g := range w.a.GatewayResponses {
		w.chunk()
		name := w.api + "_" + part(g.Type)
		b := w.body.block("resource", "aws_api_gateway_gateway_response", name)
		b.traversal("rest_api_id", w.restAPIID)
		b.str("response_type", g.Type)
		if g.StatusCode != "" {
			b.str("status_code", g.StatusCode)
		}
		if len(g.ResponseParameters) > 0 {
			b.value("response_parameters", strMap(g.ResponseParameters))
		}
		if len(g.ResponseTemplates) > 0 {
			b.value("response_templates", strMap(g.ResponseTemplates))
		}
		w.body.newline()
	}
}

func (w *writer) deployment(dependsOn []hcl.Traversal, stages []*spec.Stage) {
	w.chunk()
	w.body.comment("A new deployment whenever what the stage must serve changes: the digest of the described\nauthorizers, methods (authorization, scopes, parameters), integrations and gateway responses,\nplus the user pools (and Lambda URIs) given as variables. It hashes the configuration, not\nwhole resources: the provider reads unset attributes back as [] or {}, which would ask for\na new deployment after every first apply.")
	b := w.body.block("resource", "aws_api_gateway_deployment", w.api)
	b.traversal("rest_api_id", w.restAPIID)
	elems := []hclwrite.Tokens{hclwrite.TokensForValue(cty.StringVal(restapi.AuthHash(w.a)))}
	for _, az := range w.a.Authorizers {
		if az.Type == spec.AuthorizerCognito {
			// A set in the provider: sorted, so the order given does not count.
			elems = append(elems, hclwrite.TokensForFunctionCall("sort", w.doc.ref(ref("var", w.authorizers[az.Name]+"_user_pool_arns"))))
		} else {
			elems = append(elems, w.doc.ref(ref("var", w.authorizers[az.Name]+"_uri")))
		}
	}
	hash := hclwrite.TokensForFunctionCall("sha1", hclwrite.TokensForFunctionCall("jsonencode", tuple(elems)))
	b.raw("triggers", hclwrite.TokensForObject([]hclwrite.ObjectAttrTokens{{Name: hclwrite.TokensForIdentifier("redeployment"), Value: hash}}))
	lc := b.block("lifecycle")
	lc.value("create_before_destroy", cty.True)
	var deps []hclwrite.Tokens
	for _, t := range dependsOn {
		deps = append(deps, w.doc.ref(t))
	}
	if len(deps) > 0 {
		b.raw("depends_on", tuple(deps))
	}
	w.body.newline()

	for i, s := range stages {
		sb := w.body.block("resource", "aws_api_gateway_stage", w.api+"_"+part(s.Name))
		sb.traversal("rest_api_id", w.restAPIID)
		sb.traversal("deployment_id", ref("aws_api_gateway_deployment", w.api, "id"))
		sb.str("stage_name", s.Name)
		if s.Description != "" {
			sb.str("description", s.Description)
		}
		if len(s.Variables) > 0 {
			sb.value("variables", strMap(s.Variables))
		}
		if i < len(stages)-1 {
			w.body.newline()
		}
	}
}
