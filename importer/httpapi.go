package importer

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/state"
)

// OpenRouteReason marks an imported HTTP API route that had no
// authorization live.
const OpenRouteReason = "imported: this route had no authorization in the live API; review"

// DescribeHTTP builds the description of a live HTTP API. Skipped lists
// what could not be described (Lambda authorizers and the routes using
// them).
func DescribeHTTP(st *state.HTTPAPI, region string) (api *spec.HTTPAPI, skipped []string) {
	m := st.Model
	api = &spec.HTTPAPI{Name: m.Name, Region: region, APIID: st.APIID, Description: m.Description, CORS: m.CORS}
	// A gateway that makes ids of another form (moto: 8 characters) would
	// give a description that fails validation; without the id, plan finds
	// the API by its name.
	if !spec.IsAPIID(api.APIID) {
		api.APIID = ""
	}
	jwt := map[string]bool{}
	for _, az := range m.Authorizers {
		if az.Type != "" && az.Type != spec.AuthorizerJWT {
			skipped = append(skipped, fmt.Sprintf("authorizer %q (%s): only JWT authorizers can be described", az.Name, az.Type))
			continue
		}
		c := *az
		c.ID, c.Type = "", spec.AuthorizerJWT
		api.Authorizers = append(api.Authorizers, &c)
		jwt[az.Name] = true
	}
	for _, r := range m.Routes {
		if r.AuthType == spec.AuthCustom || (r.AuthType == spec.AuthJWT && !jwt[r.Authorizer]) {
			skipped = append(skipped, fmt.Sprintf("route %s: uses authorizer %q, which cannot be described", r.Key, r.Authorizer))
			continue
		}
		c := *r
		c.ID = ""
		if r.AuthType == spec.AuthNone {
			c.Public, c.Reason, c.Authorizer, c.Scopes = true, OpenRouteReason, "", nil
		}
		api.Routes = append(api.Routes, &c)
	}
	for _, s := range m.Stages {
		c := *s
		api.Stages = append(api.Stages, &c)
	}
	api.Sort()
	return api, skipped
}

// HTTPHCL writes an HTTP API as an http_api block.
func HTTPHCL(api *spec.HTTPAPI, header []string) []byte {
	f, root := withHeader(header)
	b := root.AppendNewBlock("http_api", []string{api.Name}).Body()
	str(b, "region", api.Region)
	str(b, "api_id", api.APIID)
	str(b, "description", api.Description)
	for _, az := range api.Authorizers {
		b.AppendNewline()
		ab := b.AppendNewBlock("authorizer", []string{az.Name}).Body()
		if _, pool, ok := spec.ParseCognitoIssuer(az.Issuer); ok && spec.CognitoIssuer(pool) == az.Issuer {
			str(ab, "user_pool_id", pool)
		} else {
			str(ab, "issuer", az.Issuer)
		}
		ab.SetAttributeValue("audiences", list(az.Audiences))
		if src := az.IdentitySource(); src != "" && src != spec.DefaultJWTIdentitySource {
			str(ab, "identity_source", src)
		}
	}
	if c := api.CORS; c != nil {
		b.AppendNewline()
		writeCORS(b.AppendNewBlock("cors", nil).Body(), c)
	}
	for _, r := range api.Routes {
		b.AppendNewline()
		rb := b.AppendNewBlock("route", []string{r.Key}).Body()
		switch r.AuthType {
		case spec.AuthJWT:
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
			ib := rb.AppendNewBlock("integration", nil).Body()
			str(ib, "type", in.Type)
			str(ib, "uri", in.URI)
			if in.Type == spec.IntegrationHTTPProxy && in.Method != "ANY" {
				str(ib, "http_method", in.Method)
			}
			if in.Type == spec.IntegrationAWSProxy && in.PayloadFormatVersion != spec.PayloadFormat20 {
				str(ib, "payload_format_version", in.PayloadFormatVersion)
			}
			if in.TimeoutMillis > 0 {
				ib.SetAttributeValue("timeout_millis", cty.NumberIntVal(int64(in.TimeoutMillis)))
			}
		}
	}
	for _, s := range api.Stages {
		b.AppendNewline()
		sb := b.AppendNewBlock("stage", []string{s.Name}).Body()
		if s.AutoDeploy {
			sb.SetAttributeValue("auto_deploy", cty.True)
		}
		str(sb, "description", s.Description)
		if len(s.Variables) > 0 {
			sb.SetAttributeValue("variables", strMap(s.Variables))
		}
	}
	return f.Bytes()
}

// HTTPHeader is the comment block an HTTP API import starts with.
func HTTPHeader(apiID string, skipped []string) []string {
	h := []string{fmt.Sprintf("Imported from the live HTTP API %s by `portcullis import`.", apiID),
		"Review every route marked public, then run `portcullis plan` (it should show no changes)."}
	for _, s := range skipped {
		h = append(h, "Skipped: "+s)
	}
	return h
}
