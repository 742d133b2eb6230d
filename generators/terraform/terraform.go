package terraform

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/restapi"
	"github.com/portcullis-dev/portcullis/spec"
)

type gen struct{}

// New returns the Terraform generator.
func New() generators.Generator { return gen{} }

func (gen) Name() string { return "terraform" }
func (gen) Summary() string {
	return "Terraform (AWS provider) aws_api_gateway_* resources, written with hclwrite"
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
	toks := hclwrite.Tokens{{Type: hclsyntax.TokenOBrack, Bytes: []byte("[")}, {Type: hclsyntax.TokenNewline, Bytes: []byte("\n")}}
	for _, e := range elems {
		toks = append(toks, e...)
		toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenComma, Bytes: []byte(",")}, &hclwrite.Token{Type: hclsyntax.TokenNewline, Bytes: []byte("\n")})
	}
	return append(toks, &hclwrite.Token{Type: hclsyntax.TokenCBrack, Bytes: []byte("]")})
}

func comment(body *hclwrite.Body, text string) {
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		body.AppendUnstructuredTokens(hclwrite.Tokens{{Type: hclsyntax.TokenComment, Bytes: []byte(strings.TrimRight("# "+line, " ") + "\n")}})
	}
}

type writer struct {
	a   *spec.API
	api string // the name prefix
	// body is the hclwrite body of the current chunk: a few blocks that
	// are formatted together and appended to out. Formatting a 10,000
	// route file as one token list costs far more time and memory, and
	// alignment never crosses top-level blocks anyway.
	body *hclwrite.Body
	cur  *hclwrite.File
	out  bytes.Buffer
	// restAPIID and rootID are the expressions naming the API and its root.
	restAPIID, rootID hcl.Traversal
	resources         map[string]string // path -> block name
	authorizers       map[string]string // authorizer name -> block name
}

// chunk starts a new group of blocks.
func (w *writer) chunk() {
	w.flush()
	w.cur = hclwrite.NewEmptyFile()
	w.body = w.cur.Body()
}

func (w *writer) flush() {
	if w.cur != nil {
		w.out.Write(w.cur.Bytes())
		w.cur, w.body = nil, nil
	}
}

// File builds the Terraform file of one API.
func File(a *spec.API, stages []*spec.Stage, source string) []byte {
	w := &writer{a: a, api: ident(a.Name)}
	w.chunk()
	comment(w.body, generators.Header(source, "terraform"))
	w.body.AppendNewline()

	w.variables()
	w.restAPI()
	w.authorizersBlocks()
	w.resourceBlocks()
	triggers, dependsOn := w.methods()
	triggers = append(triggers, w.gatewayResponses()...)
	w.deployment(triggers, dependsOn, stages)
	w.flush()
	return w.out.Bytes()
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
			b := w.body.AppendNewBlock("variable", []string{w.authorizers[az.Name] + "_uri"}).Body()
			b.SetAttributeRaw("type", hclwrite.TokensForIdentifier("string"))
			b.SetAttributeValue("description", cty.StringVal(fmt.Sprintf("Lambda invocation URI of the %s authorizer %q (not part of the description).", az.Type, az.Name)))
			w.body.AppendNewline()
			continue
		}
		b := w.body.AppendNewBlock("variable", []string{w.authorizers[az.Name] + "_user_pool_arns"}).Body()
		b.SetAttributeRaw("type", hclwrite.TokensForFunctionCall("list", hclwrite.TokensForIdentifier("string")))
		b.SetAttributeValue("description", cty.StringVal(fmt.Sprintf("Cognito user pools whose tokens authorizer %q accepts.", az.Name)))
		b.SetAttributeValue("default", strList(az.UserPoolARNs))
		w.body.AppendNewline()
	}
	if w.a.RestAPIID != "" {
		w.chunk()
		b := w.body.AppendNewBlock("variable", []string{w.api + "_rest_api_id"}).Body()
		b.SetAttributeRaw("type", hclwrite.TokensForIdentifier("string"))
		b.SetAttributeValue("description", cty.StringVal("The existing REST API these resources are added to."))
		b.SetAttributeValue("default", cty.StringVal(w.a.RestAPIID))
		w.body.AppendNewline()
	}
}

func (w *writer) restAPI() {
	w.chunk()
	if w.a.RestAPIID != "" {
		w.restAPIID = ref("var", w.api+"_rest_api_id")
		b := w.body.AppendNewBlock("data", []string{"aws_api_gateway_resource", w.api + "_root"}).Body()
		b.SetAttributeTraversal("rest_api_id", w.restAPIID)
		b.SetAttributeValue("path", cty.StringVal("/"))
		w.rootID = ref("data", "aws_api_gateway_resource", w.api+"_root", "id")
		w.body.AppendNewline()
		return
	}
	b := w.body.AppendNewBlock("resource", []string{"aws_api_gateway_rest_api", w.api}).Body()
	b.SetAttributeValue("name", cty.StringVal(w.a.Name))
	if w.a.Description != "" {
		b.SetAttributeValue("description", cty.StringVal(w.a.Description))
	}
	w.restAPIID = ref("aws_api_gateway_rest_api", w.api, "id")
	w.rootID = ref("aws_api_gateway_rest_api", w.api, "root_resource_id")
	w.body.AppendNewline()
}

func (w *writer) authorizersBlocks() {
	for _, az := range w.a.Authorizers {
		w.chunk()
		b := w.body.AppendNewBlock("resource", []string{"aws_api_gateway_authorizer", w.authorizers[az.Name]}).Body()
		b.SetAttributeValue("name", cty.StringVal(az.Name))
		b.SetAttributeTraversal("rest_api_id", w.restAPIID)
		// type defaults to TOKEN in the provider: always say it.
		b.SetAttributeValue("type", cty.StringVal(az.Type))
		if az.Type == spec.AuthorizerCognito {
			b.SetAttributeTraversal("provider_arns", ref("var", w.authorizers[az.Name]+"_user_pool_arns"))
		} else {
			b.SetAttributeTraversal("authorizer_uri", ref("var", w.authorizers[az.Name]+"_uri"))
		}
		b.SetAttributeValue("identity_source", cty.StringVal(az.IdentitySource))
		if az.ValidationExpression != "" {
			b.SetAttributeValue("identity_validation_expression", cty.StringVal(az.ValidationExpression))
		}
		b.SetAttributeValue("authorizer_result_ttl_in_seconds", cty.NumberIntVal(int64(az.TTLSeconds)))
		w.body.AppendNewline()
	}
}

func (w *writer) resourceBlocks() {
	paths := []string{"/"}
	for _, r := range restapi.Resources(w.a) {
		paths = append(paths, r.Path)
	}
	unique := restapi.Unique(paths, restapi.PathSnake, "_")
	w.resources = map[string]string{}
	for p, n := range unique {
		w.resources[p] = w.api + "_" + n
	}
	for _, r := range restapi.Resources(w.a) {
		w.chunk()
		b := w.body.AppendNewBlock("resource", []string{"aws_api_gateway_resource", w.resources[r.Path]}).Body()
		b.SetAttributeTraversal("rest_api_id", w.restAPIID)
		b.SetAttributeTraversal("parent_id", w.resourceID(r.Parent))
		b.SetAttributeValue("path_part", cty.StringVal(r.Segment))
		w.body.AppendNewline()
	}
}

func (w *writer) resourceID(path string) hcl.Traversal {
	if path == "/" {
		return w.rootID
	}
	return ref("aws_api_gateway_resource", w.resources[path], "id")
}

// methods writes every method with its integration and responses, and
// returns the references the deployment's trigger hashes and the blocks it
// depends on.
func (w *writer) methods() (triggers, dependsOn []hcl.Traversal) {
	for _, az := range w.a.Authorizers {
		triggers = append(triggers, ref("aws_api_gateway_authorizer", w.authorizers[az.Name]))
	}
	for _, m := range restapi.Methods(w.a) {
		w.chunk()
		name := w.resources[m.Path] + "_" + strings.ToLower(m.Verb)
		switch {
		case m.Preflight:
			comment(w.body, "CORS preflight for "+m.Path+": unauthenticated, because browsers send no token with it.")
		case m.DefaultIntegration:
			comment(w.body, restapi.DefaultIntegrationNote)
		}
		b := w.body.AppendNewBlock("resource", []string{"aws_api_gateway_method", name}).Body()
		b.SetAttributeTraversal("rest_api_id", w.restAPIID)
		b.SetAttributeTraversal("resource_id", w.resourceID(m.Path))
		b.SetAttributeValue("http_method", cty.StringVal(m.Verb))
		b.SetAttributeValue("authorization", cty.StringVal(m.AuthType))
		if m.Authorizer != nil {
			b.SetAttributeTraversal("authorizer_id", ref("aws_api_gateway_authorizer", w.authorizers[m.Authorizer.Name], "id"))
		}
		if len(m.Scopes) > 0 {
			b.SetAttributeValue("authorization_scopes", strList(m.Scopes))
		}
		if m.Route != nil && m.Route.OperationName != "" {
			b.SetAttributeValue("operation_name", cty.StringVal(m.Route.OperationName))
		}
		if len(m.RequestParameters) > 0 {
			vals := map[string]cty.Value{}
			for k, v := range m.RequestParameters {
				vals[k] = cty.BoolVal(v)
			}
			b.SetAttributeValue("request_parameters", cty.MapVal(vals))
		}
		w.body.AppendNewline()
		methodRef := func(attr string) hcl.Traversal { return ref("aws_api_gateway_method", name, attr) }
		triggers = append(triggers, ref("aws_api_gateway_method", name))
		dependsOn = append(dependsOn, ref("aws_api_gateway_method", name))

		in := m.Integration
		ib := w.body.AppendNewBlock("resource", []string{"aws_api_gateway_integration", name}).Body()
		ib.SetAttributeTraversal("rest_api_id", w.restAPIID)
		ib.SetAttributeTraversal("resource_id", w.resourceID(m.Path))
		ib.SetAttributeTraversal("http_method", methodRef("http_method"))
		ib.SetAttributeValue("type", cty.StringVal(in.Type))
		if in.HTTPMethod != "" {
			ib.SetAttributeValue("integration_http_method", cty.StringVal(in.HTTPMethod))
		}
		if in.URI != "" {
			ib.SetAttributeValue("uri", cty.StringVal(in.URI))
		}
		if in.PassthroughBehavior != "" {
			ib.SetAttributeValue("passthrough_behavior", cty.StringVal(in.PassthroughBehavior))
		}
		if len(in.RequestParameters) > 0 {
			ib.SetAttributeValue("request_parameters", strMap(in.RequestParameters))
		}
		if len(in.RequestTemplates) > 0 {
			ib.SetAttributeValue("request_templates", strMap(in.RequestTemplates))
		}
		if in.TimeoutMillis != 0 {
			ib.SetAttributeValue("timeout_milliseconds", cty.NumberIntVal(int64(in.TimeoutMillis)))
		}
		w.body.AppendNewline()
		triggers = append(triggers, ref("aws_api_gateway_integration", name))
		dependsOn = append(dependsOn, ref("aws_api_gateway_integration", name))

		for _, mr := range restapi.MethodResponses(in) {
			rb := w.body.AppendNewBlock("resource", []string{"aws_api_gateway_method_response", name + "_" + part(mr.StatusCode)}).Body()
			rb.SetAttributeTraversal("rest_api_id", w.restAPIID)
			rb.SetAttributeTraversal("resource_id", w.resourceID(m.Path))
			rb.SetAttributeTraversal("http_method", methodRef("http_method"))
			rb.SetAttributeValue("status_code", cty.StringVal(mr.StatusCode))
			if len(mr.Headers) > 0 {
				vals := map[string]cty.Value{}
				for _, h := range mr.Headers {
					vals["method.response.header."+h] = cty.False
				}
				rb.SetAttributeValue("response_parameters", cty.MapVal(vals))
			}
			w.body.AppendNewline()
		}
		seen := map[string]int{}
		for _, r := range restapi.SortedResponses(in.Responses) {
			rname := name + "_" + part(r.StatusCode)
			seen[rname]++
			if seen[rname] > 1 {
				rname += fmt.Sprintf("_%d", seen[rname])
			}
			rb := w.body.AppendNewBlock("resource", []string{"aws_api_gateway_integration_response", rname}).Body()
			rb.SetAttributeTraversal("rest_api_id", w.restAPIID)
			rb.SetAttributeTraversal("resource_id", w.resourceID(m.Path))
			rb.SetAttributeTraversal("http_method", methodRef("http_method"))
			rb.SetAttributeTraversal("status_code", ref("aws_api_gateway_method_response", name+"_"+part(r.StatusCode), "status_code"))
			if r.Pattern != "" && r.Pattern != "default" {
				rb.SetAttributeValue("selection_pattern", cty.StringVal(r.Pattern))
			}
			if len(r.ResponseParameters) > 0 {
				rb.SetAttributeValue("response_parameters", strMap(r.ResponseParameters))
			}
			if r.ResponseTemplates != nil {
				rb.SetAttributeValue("response_templates", strMap(r.ResponseTemplates))
			}
			// The integration must exist before its responses.
			rb.SetAttributeRaw("depends_on", hclwrite.TokensForTuple([]hclwrite.Tokens{hclwrite.TokensForTraversal(ref("aws_api_gateway_integration", name))}))
			w.body.AppendNewline()
			triggers = append(triggers, ref("aws_api_gateway_integration_response", rname))
			dependsOn = append(dependsOn, ref("aws_api_gateway_integration_response", rname))
		}
	}
	return triggers, dependsOn
}

func (w *writer) gatewayResponses() []hcl.Traversal {
	var triggers []hcl.Traversal
	for _, g := range w.a.GatewayResponses {
		w.chunk()
		name := w.api + "_" + part(g.Type)
		b := w.body.AppendNewBlock("resource", []string{"aws_api_gateway_gateway_response", name}).Body()
		b.SetAttributeTraversal("rest_api_id", w.restAPIID)
		b.SetAttributeValue("response_type", cty.StringVal(g.Type))
		if g.StatusCode != "" {
			b.SetAttributeValue("status_code", cty.StringVal(g.StatusCode))
		}
		if len(g.ResponseParameters) > 0 {
			b.SetAttributeValue("response_parameters", strMap(g.ResponseParameters))
		}
		if len(g.ResponseTemplates) > 0 {
			b.SetAttributeValue("response_templates", strMap(g.ResponseTemplates))
		}
		w.body.AppendNewline()
		triggers = append(triggers, ref("aws_api_gateway_gateway_response", name))
	}
	return triggers
}

func (w *writer) deployment(triggers, dependsOn []hcl.Traversal, stages []*spec.Stage) {
	w.chunk()
	comment(w.body, "A new deployment whenever an authorizer, method, integration (or its responses)\nor gateway response changes: the hash covers whole resources, not just their ids, so changing a\nscope or an authorizer's pools redeploys the stage.")
	b := w.body.AppendNewBlock("resource", []string{"aws_api_gateway_deployment", w.api}).Body()
	b.SetAttributeTraversal("rest_api_id", w.restAPIID)
	var elems []hclwrite.Tokens
	for _, t := range triggers {
		elems = append(elems, hclwrite.TokensForTraversal(t))
	}
	hash := hclwrite.TokensForFunctionCall("sha1", hclwrite.TokensForFunctionCall("jsonencode", tuple(elems)))
	b.SetAttributeRaw("triggers", hclwrite.TokensForObject([]hclwrite.ObjectAttrTokens{{Name: hclwrite.TokensForIdentifier("redeployment"), Value: hash}}))
	lc := b.AppendNewBlock("lifecycle", nil).Body()
	lc.SetAttributeValue("create_before_destroy", cty.True)
	var deps []hclwrite.Tokens
	for _, t := range dependsOn {
		deps = append(deps, hclwrite.TokensForTraversal(t))
	}
	if len(deps) > 0 {
		b.SetAttributeRaw("depends_on", tuple(deps))
	}
	w.body.AppendNewline()

	for i, s := range stages {
		sb := w.body.AppendNewBlock("resource", []string{"aws_api_gateway_stage", w.api + "_" + part(s.Name)}).Body()
		sb.SetAttributeTraversal("rest_api_id", w.restAPIID)
		sb.SetAttributeTraversal("deployment_id", ref("aws_api_gateway_deployment", w.api, "id"))
		sb.SetAttributeValue("stage_name", cty.StringVal(s.Name))
		if s.Description != "" {
			sb.SetAttributeValue("description", cty.StringVal(s.Description))
		}
		if len(s.Variables) > 0 {
			sb.SetAttributeValue("variables", strMap(s.Variables))
		}
		if i < len(stages)-1 {
			w.body.AppendNewline()
		}
	}
}
