package importer

import (
	"fmt"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/portcullis-dev/portcullis/spec"
)

// HCL writes api as a Portcullis HCL description. header lines become
// comments at the top (say where the description came from, and what was
// skipped).
func HCL(api *spec.API, header []string) []byte {
	f, root := withHeader(header)
	b := root.AppendNewBlock("api", []string{api.Name}).Body()
	str(b, "region", api.Region)
	str(b, "rest_api_id", api.RestAPIID)
	str(b, "description", api.Description)
	for _, az := range api.Authorizers {
		b.AppendNewline()
		ab := b.AppendNewBlock("authorizer", []string{az.Name}).Body()
		ab.SetAttributeValue("user_pool_arns", list(az.UserPoolARNs))
		if az.IdentitySource != "" && az.IdentitySource != spec.DefaultIdentitySource {
			str(ab, "identity_source", az.IdentitySource)
		}
		str(ab, "validation_expression", az.ValidationExpression)
		ab.SetAttributeValue("ttl_seconds", cty.NumberIntVal(int64(az.TTLSeconds)))
	}
	if c := api.CORS; c != nil {
		b.AppendNewline()
		writeCORS(b.AppendNewBlock("cors", nil).Body(), c)
	}
	for _, r := range api.Routes {
		b.AppendNewline()
		rb := b.AppendNewBlock("route", []string{r.Key()}).Body()
		switch r.AuthType {
		case spec.AuthCognito:
			rb.SetAttributeTraversal("authorizer", hcl.Traversal{hcl.TraverseRoot{Name: "authorizer"}, hcl.TraverseAttr{Name: r.Authorizer}})
			if len(r.Scopes) > 0 {
				rb.SetAttributeValue("scopes", list(r.Scopes))
			}
		case spec.AuthIAM:
			str(rb, "auth_type", r.AuthType)
		case spec.AuthNone:
			rb.SetAttributeValue("public", cty.True)
			str(rb, "reason", r.Reason)
		}
		str(rb, "operation_name", r.OperationName)
		if in := r.Integration; in != nil {
			writeIntegration(rb.AppendNewBlock("integration", nil).Body(), in)
		}
	}
	for _, g := range api.GatewayResponses {
		b.AppendNewline()
		gb := b.AppendNewBlock("gateway_response", []string{g.Type}).Body()
		str(gb, "status_code", g.StatusCode)
		if len(g.ResponseParameters) > 0 {
			gb.SetAttributeValue("response_parameters", strMap(g.ResponseParameters))
		}
		if len(g.ResponseTemplates) > 0 {
			gb.SetAttributeValue("response_templates", strMap(g.ResponseTemplates))
		}
	}
	for _, s := range api.Stages {
		b.AppendNewline()
		sb := b.AppendNewBlock("stage", []string{s.Name}).Body()
		str(sb, "description", s.Description)
		if len(s.Variables) > 0 {
			sb.SetAttributeValue("variables", strMap(s.Variables))
		}
	}
	return f.Bytes()
}

// writeCORS writes a cors block's attributes (the api and http_api
// blocks share its shape).
func writeCORS(cb *hclwrite.Body, c *spec.CORS) {
	cb.SetAttributeValue("allow_origins", list(c.AllowOrigins))
	if len(c.AllowMethods) > 0 {
		cb.SetAttributeValue("allow_methods", list(c.AllowMethods))
	}
	if len(c.AllowHeaders) > 0 {
		cb.SetAttributeValue("allow_headers", list(c.AllowHeaders))
	}
	if len(c.ExposeHeaders) > 0 {
		cb.SetAttributeValue("expose_headers", list(c.ExposeHeaders))
	}
	if c.AllowCredentials {
		cb.SetAttributeValue("allow_credentials", cty.True)
	}
	if c.MaxAgeSeconds > 0 {
		cb.SetAttributeValue("max_age_seconds", cty.NumberIntVal(int64(c.MaxAgeSeconds)))
	}
}

const mockTemplate = `{"statusCode": 200}`

func writeIntegration(b *hclwrite.Body, in *spec.Integration) {
	str(b, "type", in.Type)
	str(b, "uri", in.URI)
	str(b, "http_method", in.HTTPMethod)
	mock := in.Type == spec.IntegrationMock
	// API Gateway's defaults, and what the HCL reader fills in for a bare
	// MOCK, are left out, so an import reads as tidily as a hand-written
	// description.
	if in.PassthroughBehavior != "WHEN_NO_MATCH" {
		str(b, "passthrough_behavior", in.PassthroughBehavior)
	}
	if len(in.RequestTemplates) > 0 && !(mock && len(in.RequestTemplates) == 1 && in.RequestTemplates["application/json"] == mockTemplate) {
		b.SetAttributeValue("request_templates", strMap(in.RequestTemplates))
	}
	if len(in.RequestParameters) > 0 {
		b.SetAttributeValue("request_parameters", strMap(in.RequestParameters))
	}
	if in.TimeoutMillis > 0 {
		b.SetAttributeValue("timeout_millis", cty.NumberIntVal(int64(in.TimeoutMillis)))
	}
	rs := in.Responses
	if mock && len(rs) == 1 && rs[0].StatusCode == "200" && len(rs[0].ResponseParameters) == 0 && emptyTemplates(rs[0].ResponseTemplates) && (rs[0].Pattern == "" || rs[0].Pattern == "default") {
		rs = nil
	}
	for _, r := range rs {
		p := r.Pattern
		if p == "" {
			p = "default"
		}
		rb := b.AppendNewBlock("response", []string{p}).Body()
		str(rb, "status_code", r.StatusCode)
		if len(r.ResponseParameters) > 0 {
			rb.SetAttributeValue("response_parameters", strMap(r.ResponseParameters))
		}
		if !emptyTemplates(r.ResponseTemplates) {
			rb.SetAttributeValue("response_templates", strMap(r.ResponseTemplates))
		}
	}
}

func emptyTemplates(m map[string]string) bool {
	for _, v := range m {
		if v != "" {
			return false
		}
	}
	return true
}

func str(b *hclwrite.Body, name, v string) {
	if v != "" {
		b.SetAttributeValue(name, cty.StringVal(v))
	}
}

func list(s []string) cty.Value {
	if len(s) == 0 {
		return cty.ListValEmpty(cty.String)
	}
	vs := make([]cty.Value, len(s))
	for i, x := range s {
		vs[i] = cty.StringVal(x)
	}
	return cty.ListVal(vs)
}

// strMap writes an object (not a map) so that keys keep their sorted
// order and any key, "application/json" included, is quoted.
func strMap(m map[string]string) cty.Value {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	vals := map[string]cty.Value{}
	for _, k := range keys {
		vals[k] = cty.StringVal(m[k])
	}
	return cty.ObjectVal(vals)
}

// Header is the comment block an import starts with.
func Header(restAPIID string, skipped []string) []string {
	h := []string{fmt.Sprintf("Imported from the live REST API %s by `portcullis import`.", restAPIID),
		"Review every route marked public, then run `portcullis plan` (it should show no changes)."}
	for _, s := range skipped {
		h = append(h, "Skipped: "+s)
	}
	return h
}

// withHeader starts an HCL file with header lines as comments and a blank
// line after them.
func withHeader(header []string) (*hclwrite.File, *hclwrite.Body) {
	f := hclwrite.NewEmptyFile()
	root := f.Body()
	for _, h := range header {
		root.AppendUnstructuredTokens(hclwrite.Tokens{{Type: hclsyntax.TokenComment, Bytes: []byte("# " + h + "\n")}})
	}
	if len(header) > 0 {
		root.AppendNewline()
	}
	return f, root
}
