package hclspec

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/portcullis-dev/portcullis/spec"
)

// The http_api block describes an HTTP API (API Gateway v2). Its shape
// follows the api block wherever the meaning is the same (authorizer,
// default_authorizer, cors, route, stage, integration, ignore), so one
// language covers both; docs/spec.md lists the differences.

var httpAPISchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "region"}, {Name: "api_id"}, {Name: "description"}, {Name: "default_authorizer"},
		{Name: "ignore"}, {Name: "ignore_reason"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "authorizer", LabelNames: []string{"name"}},
		{Type: "cors"},
		{Type: "route", LabelNames: []string{"key"}},
		{Type: "stage", LabelNames: []string{"name"}},
	},
}

var jwtAuthorizerSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "issuer"}, {Name: "user_pool_id"}, {Name: "audiences"}, {Name: "identity_source"},
		{Name: "ignore"}, {Name: "ignore_reason"},
	},
}

var httpCORSSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "allow_origins", Required: true}, {Name: "allow_methods"}, {Name: "allow_headers"},
		{Name: "expose_headers"}, {Name: "allow_credentials"}, {Name: "max_age_seconds"},
	},
}

var httpIntegrationSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "type", Required: true}, {Name: "uri"}, {Name: "http_method"},
		{Name: "payload_format_version"}, {Name: "timeout_millis"},
	},
}

var httpStageSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "auto_deploy"}, {Name: "description"}, {Name: "variables"}},
}

func (r *reader) decodeHTTPAPI(b *hcl.Block) *spec.HTTPAPI {
	a := &spec.HTTPAPI{Name: b.Labels[0], Range: b.DefRange, Ranges: spec.Ranges{"name": b.LabelRanges[0]}}
	c := r.content(b, httpAPISchema)
	r.str(c, "region", &a.Region, a.Ranges)
	r.str(c, "api_id", &a.APIID, a.Ranges)
	r.str(c, "description", &a.Description, a.Ranges)
	a.DefaultAuthorizer = r.authorizerRef(c, "default_authorizer", a.Ranges)
	a.Suppressions = r.suppressions(c, a.Ranges)
	for _, ab := range c.Blocks.OfType("authorizer") {
		a.Authorizers = append(a.Authorizers, r.decodeJWTAuthorizer(ab))
	}
	corsBlocks := c.Blocks.OfType("cors")
	for i, cb := range corsBlocks {
		if i > 0 {
			r.diags = append(r.diags, spec.Errorf("duplicate-cors", cb.DefRange, "Duplicate cors block",
				"An http_api has at most one cors block; the first is at %s.", corsBlocks[0].DefRange))
			continue
		}
		a.CORS = r.decodeHTTPCORS(cb)
	}
	a.Routes = decodeParallel(r, c.Blocks.OfType("route"), (*reader).decodeHTTPRoute)
	for _, sb := range c.Blocks.OfType("stage") {
		s := &spec.HTTPStage{Name: sb.Labels[0], Range: sb.DefRange, Ranges: spec.Ranges{"name": sb.LabelRanges[0]}}
		sc := r.content(sb, httpStageSchema)
		r.boolean(sc, "auto_deploy", &s.AutoDeploy, s.Ranges)
		r.str(sc, "description", &s.Description, s.Ranges)
		r.strMap(sc, "variables", &s.Variables, s.Ranges)
		a.Stages = append(a.Stages, s)
	}
	resolveHTTPAuth(a)
	return a
}

// resolveHTTPAuth is resolveAuth for HTTP APIs: JWT instead of Cognito.
func resolveHTTPAuth(a *spec.HTTPAPI) {
	for _, rt := range a.Routes {
		switch {
		case rt.AuthType != "":
		case rt.Authorizer != "":
			rt.AuthType = spec.AuthJWT
		case rt.Public:
			rt.AuthType = spec.AuthNone
		case a.DefaultAuthorizer != "":
			rt.Authorizer = a.DefaultAuthorizer
			rt.AuthorizerInherited = true
			rt.AuthType = spec.AuthJWT
			rt.Ranges["authorizer"] = a.At("default_authorizer")
		default:
			rt.AuthType = spec.AuthNone
		}
	}
}

func (r *reader) decodeJWTAuthorizer(b *hcl.Block) *spec.JWTAuthorizer {
	az := &spec.JWTAuthorizer{
		Name: b.Labels[0], Type: spec.AuthorizerJWT, IdentitySources: []string{spec.DefaultJWTIdentitySource},
		Range: b.DefRange, Ranges: spec.Ranges{"name": b.LabelRanges[0]},
	}
	c := r.content(b, jwtAuthorizerSchema)
	r.str(c, "issuer", &az.Issuer, az.Ranges)
	r.str(c, "user_pool_id", &az.UserPoolID, az.Ranges)
	if az.UserPoolID != "" && az.Issuer == "" {
		// Validation reports a malformed id; the issuer stays "" then.
		az.Issuer = spec.CognitoIssuer(az.UserPoolID)
	}
	r.strList(c, "audiences", &az.Audiences, az.Ranges)
	if a, ok := c.Attributes["identity_source"]; ok {
		// One source, written as a string, is the usual form; a list is
		// accepted so that "only one" is a validation finding with a
		// position rather than a type error.
		v, hd := a.Expr.Value(r.ctx)
		switch {
		case hd.HasErrors():
			r.diags = append(r.diags, spec.FromHCL("invalid-expression", hd)...)
		case !v.IsNull() && v.Type() == cty.String:
			var s string
			if r.value(a, &s, "a string") {
				az.IdentitySources = []string{s}
				az.Ranges["identity_source"] = a.Expr.Range()
			}
		default:
			var l []string
			if r.value(a, &l, "a string or a list of strings") {
				az.IdentitySources = l
				az.Ranges["identity_source"] = a.Expr.Range()
			}
		}
	}
	az.Suppressions = r.suppressions(c, az.Ranges)
	return az
}

func (r *reader) decodeHTTPCORS(b *hcl.Block) *spec.CORS {
	cors := &spec.CORS{Range: b.DefRange, Ranges: spec.Ranges{}}
	c := r.content(b, httpCORSSchema)
	r.strList(c, "allow_origins", &cors.AllowOrigins, cors.Ranges)
	r.strList(c, "allow_methods", &cors.AllowMethods, cors.Ranges)
	r.strList(c, "allow_headers", &cors.AllowHeaders, cors.Ranges)
	r.strList(c, "expose_headers", &cors.ExposeHeaders, cors.Ranges)
	r.boolean(c, "allow_credentials", &cors.AllowCredentials, cors.Ranges)
	r.integer(c, "max_age_seconds", &cors.MaxAgeSeconds, cors.Ranges)
	for i, m := range cors.AllowMethods {
		cors.AllowMethods[i] = strings.ToUpper(m)
	}
	return cors
}

func (r *reader) decodeHTTPRoute(b *hcl.Block) *spec.HTTPRoute {
	key := b.Labels[0]
	rt := &spec.HTTPRoute{Range: b.DefRange, Ranges: spec.Ranges{"key": b.LabelRanges[0]}}
	method, path, ok := spec.ParseRouteKey(key)
	if !ok {
		r.diags = append(r.diags, spec.Errorf("invalid-route-key", b.LabelRanges[0], "Invalid route key",
			"%q must be $default or a method and a path, such as \"GET /items/{id}\" or \"ANY /{proxy+}\".", key))
		return nil
	}
	rt.Method, rt.Path, rt.Key = method, path, spec.DefaultRouteKey
	if method != "" {
		rt.Key = method + " " + path
	}
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
		rt.Integration = r.decodeHTTPIntegration(ib)
	}
	return rt
}

func (r *reader) decodeHTTPIntegration(b *hcl.Block) *spec.HTTPIntegration {
	in := &spec.HTTPIntegration{Range: b.DefRange, Ranges: spec.Ranges{}}
	c := r.content(b, httpIntegrationSchema)
	r.str(c, "type", &in.Type, in.Ranges)
	in.Type = strings.ToUpper(in.Type)
	r.str(c, "uri", &in.URI, in.Ranges)
	r.str(c, "http_method", &in.Method, in.Ranges)
	in.Method = strings.ToUpper(in.Method)
	r.str(c, "payload_format_version", &in.PayloadFormatVersion, in.Ranges)
	r.integer(c, "timeout_millis", &in.TimeoutMillis, in.Ranges)
	spec.DefaultHTTPIntegration(in)
	return in
}
