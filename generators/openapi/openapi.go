package openapi

import (
	"strconv"
	"strings"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/internal/tree"
	"github.com/portcullis-dev/portcullis/restapi"
	"github.com/portcullis-dev/portcullis/spec"
)

type gen struct{ swagger bool }

// New returns the OpenAPI 3.0 generator.
func New() generators.Generator { return gen{} }

// NewSwagger returns the Swagger 2.0 generator.
func NewSwagger() generators.Generator { return gen{swagger: true} }

func (g gen) Name() string {
	if g.swagger {
		return "swagger"
	}
	return "openapi"
}

func (g gen) Summary() string {
	if g.swagger {
		return "Swagger 2.0 with API Gateway extensions, for ImportRestApi/PutRestApi (YAML or JSON; REST APIs only)"
	}
	return "OpenAPI 3.0 with API Gateway extensions, for ImportRestApi/PutRestApi and, for HTTP APIs, ImportApi (YAML or JSON)"
}

// Formats are the encodings offered; the first is the default.
func (gen) Formats() []string { return []string{"yaml", "json"} }

// Generate writes NAME.openapi.yaml (or .json, or .swagger.*) per API.
func (g gen) Generate(d *spec.Description, opts generators.Options) ([]generators.File, error) {
	format, err := generators.PickFormat(opts.Format, g.Formats()...)
	if err != nil {
		return nil, err
	}
	var out []generators.File
	for _, a := range d.APIs {
		stage, err := restapi.PickStage(a, opts.Stage)
		if err != nil {
			return nil, err
		}
		doc := Document(a, stage, DocOptions{Swagger: g.swagger})
		name := generators.FileName(a.Name) + "." + g.Name() + "." + format
		content := tree.Encode(doc, format, generators.Header(opts.Source, g.Name()))
		out = append(out, generators.File{Path: name, Content: content})
	}
	for _, a := range d.HTTPAPIs {
		f, err := g.generateHTTP(a, format, opts)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

const sigv4Scheme = "sigv4"

// DocOptions choose the document's dialect.
type DocOptions struct {
	// Swagger writes Swagger 2.0 instead of OpenAPI 3.0.
	Swagger bool
	// SAM writes the DefinitionBody of an AWS::Serverless::Api whose Auth
	// property declares the Cognito authorizers: their security schemes
	// and the gateway responses are left to SAM, unauthenticated
	// operations say security NONE (so SAM's DefaultAuthorizer skips them),
	// and IAM operations use SAM's AWS_IAM scheme name.
	SAM bool
}

// Document builds the OpenAPI (or Swagger) document of one API.
func Document(a *spec.API, stage *spec.Stage, o DocOptions) *tree.Map {
	g := builder(o)
	return g.document(a, stage)
}

type builder DocOptions

func (g builder) document(a *spec.API, stage *spec.Stage) *tree.Map {
	doc := tree.NewMap()
	if g.Swagger {
		doc.Set("swagger", "2.0")
	} else {
		doc.Set("openapi", "3.0.1")
	}
	info := tree.NewMap().Set("title", a.Name).SetNonZero("description", a.Description).Set("version", "1.0")
	doc.Set("info", info)
	if g.Swagger {
		if a.RestAPIID != "" && a.Region != "" {
			doc.Set("host", a.RestAPIID+".execute-api."+a.Region+".amazonaws.com")
		}
		if stage != nil {
			doc.Set("basePath", "/"+stage.Name)
		}
		doc.Set("schemes", tree.List{"https"})
	} else {
		doc.Set("servers", tree.List{server(a, stage)})
	}
	doc.SetNonZero(spec.ExtRegion, a.Region)
	doc.SetNonZero(spec.ExtRestAPIID, a.RestAPIID)
	doc.SetNonZero(spec.ExtDefaultAuthorizer, a.DefaultAuthorizer)
	doc.SetNonZero(spec.ExtIgnore, ignore(a.Suppressions))

	methods := restapi.Methods(a)
	sigv4 := sigv4Scheme
	if g.SAM {
		sigv4 = "AWS_IAM"
	}
	for a.AuthorizerByName(sigv4) != nil {
		sigv4 += "_iam"
	}
	usesIAM := false
	paths := tree.NewMap()
	for _, m := range methods {
		item, _ := paths.Get(m.Path).(*tree.Map)
		if item == nil {
			item = tree.NewMap()
			paths.Set(m.Path, item)
		}
		key := strings.ToLower(m.Verb)
		if m.Verb == "ANY" {
			key = spec.ExtAnyMethod
		}
		if m.AuthType == spec.AuthIAM {
			usesIAM = true
		}
		item.Set(key, g.operation(a, &m, sigv4))
	}
	doc.Set("paths", paths)

	schemes := tree.NewMap()
	for _, az := range a.Authorizers {
		if g.SAM && az.Type == spec.AuthorizerCognito {
			continue
		}
		schemes.Set(az.Name, securityScheme(az))
	}
	if usesIAM {
		schemes.Set(sigv4, tree.NewMap().Set("type", "apiKey").Set("name", "Authorization").Set("in", "header").
			Set(spec.ExtAuthType, "awsSigv4"))
	}
	if g.Swagger {
		doc.SetNonZero("securityDefinitions", schemes)
	} else if schemes.Len() > 0 {
		doc.Set("components", tree.NewMap().Set("securitySchemes", schemes))
	}
	if len(a.GatewayResponses) > 0 && !g.SAM {
		grs := tree.NewMap()
		for _, gr := range a.GatewayResponses {
			m := tree.NewMap()
			if gr.StatusCode != "" {
				if n, err := strconv.Atoi(gr.StatusCode); err == nil {
					m.Set("statusCode", n)
				} else {
					m.Set("statusCode", gr.StatusCode)
				}
			}
			m.SetNonZero("responseParameters", tree.SortedMap(gr.ResponseParameters))
			m.SetNonZero("responseTemplates", tree.SortedMap(gr.ResponseTemplates))
			grs.Set(gr.Type, m)
		}
		doc.Set(spec.ExtGatewayResponses, grs)
	}
	if c := a.CORS; c != nil {
		cm := tree.NewMap().Set("allow_origins", tree.Strings(c.AllowOrigins))
		cm.SetNonZero("allow_methods", tree.Strings(c.AllowMethods))
		cm.SetNonZero("allow_headers", tree.Strings(c.AllowHeaders))
		cm.SetNonZero("expose_headers", tree.Strings(c.ExposeHeaders))
		cm.SetNonZero("allow_credentials", c.AllowCredentials)
		cm.SetNonZero("max_age_seconds", c.MaxAgeSeconds)
		doc.Set(spec.ExtCORS, cm)
	}
	if len(a.Stages) > 0 {
		var stages tree.List
		for _, s := range a.Stages {
			sm := tree.NewMap().Set("name", s.Name).SetNonZero("description", s.Description)
			sm.SetNonZero("variables", tree.SortedMap(s.Variables))
			stages = append(stages, sm)
		}
		doc.Set(spec.ExtStages, stages)
	}
	return doc
}

// server is the stage's invoke URL in the shape API Gateway's export uses.
func server(a *spec.API, stage *spec.Stage) *tree.Map {
	id := a.RestAPIID
	if id == "" {
		id = "restApiId"
	}
	region := a.Region
	if region == "" {
		region = "us-east-1"
	}
	vars := tree.NewMap().
		Set("restApiId", tree.NewMap().Set("default", id)).
		Set("region", tree.NewMap().Set("default", region))
	url := "https://{restApiId}.execute-api.{region}.amazonaws.com"
	s := tree.NewMap()
	if stage != nil {
		// Without a stage there is no base path (and OpenAPI wants a
		// non-empty default for every variable).
		url += "/{basePath}"
		vars.Set("basePath", tree.NewMap().Set("default", stage.Name))
	}
	s.Set("url", url)
	if stage != nil && stage.Description != "" {
		s.Set("description", stage.Description)
	}
	s.Set("variables", vars)
	return s
}

func securityScheme(az *spec.Authorizer) *tree.Map {
	header := az.IdentityHeader()
	if header == "" {
		header = "Authorization"
	}
	s := tree.NewMap().Set("type", "apiKey").Set("name", header).Set("in", "header")
	ext := tree.NewMap()
	if az.Type == spec.AuthorizerCognito {
		s.Set(spec.ExtAuthType, "cognito_user_pools")
		ext.Set("type", "cognito_user_pools").Set("providerARNs", tree.Strings(az.UserPoolARNs))
	} else {
		s.Set(spec.ExtAuthType, "custom")
		ext.Set("type", strings.ToLower(az.Type))
	}
	if az.IdentitySource != spec.DefaultIdentitySource || az.Type != spec.AuthorizerCognito {
		ext.Set("identitySource", az.IdentitySource)
	}
	ext.SetNonZero("identityValidationExpression", az.ValidationExpression)
	ext.Set("authorizerResultTtlInSeconds", az.TTLSeconds)
	s.Set(spec.ExtAuthorizer, ext)
	s.SetNonZero(spec.ExtIgnore, ignore(az.Suppressions))
	return s
}

func (g builder) operation(a *spec.API, m *restapi.Method, sigv4 string) *tree.Map {
	op := tree.NewMap()
	r := m.Route
	op.Set("summary", summary(m))
	if m.DefaultIntegration {
		op.Set("description", restapi.DefaultIntegrationNote)
	}
	if r != nil && r.OperationName != "" {
		op.Set("operationId", r.OperationName)
	}
	var params tree.List
	for _, p := range spec.PathParams(m.Path) {
		if strings.Contains(m.Path, "{"+p+"+}") && m.Verb != "ANY" && !maps(m.Integration, "method.request.path."+p) {
			// API Gateway names a greedy {proxy+} parameter "proxy",
			// which OpenAPI linters reject on ordinary operations (they
			// expect "proxy+", which API Gateway does not use). Declare it
			// only where a mapping needs it, and on ANY (as API Gateway's
			// own exports do), which linters do not inspect.
			continue
		}
		params = append(params, g.param(p, "path"))
	}
	if m.Authorizer != nil {
		if h := m.Authorizer.IdentityHeader(); h != "" {
			params = append(params, g.param(h, "header"))
		}
	}
	op.SetNonZero("parameters", params)
	switch m.AuthType {
	case spec.AuthCognito, spec.AuthCustom:
		if m.Authorizer != nil {
			op.Set("security", tree.List{tree.NewMap().Set(m.Authorizer.Name, tree.Strings(nonNil(m.Scopes)))})
		}
	case spec.AuthIAM:
		op.Set("security", tree.List{tree.NewMap().Set(sigv4, tree.List{})})
	default:
		switch {
		case g.SAM && m.Verb != "OPTIONS" && a.DefaultAuthorizer != "":
			// SAM's marker for "not the default authorizer"; SAM
			// removes it. It skips OPTIONS methods altogether (with
			// AddDefaultAuthorizerToCorsPreflight false), where the
			// marker would survive and break the import.
			op.Set("security", tree.List{tree.NewMap().Set("NONE", tree.List{})})
		case !g.SAM:
			// An explicit empty list says "no authorization" to
			// linters; API Gateway reads it as NONE, like no security.
			op.Set("security", tree.List{})
		}
	}
	op.Set("responses", g.responses(m.Integration))
	op.Set(spec.ExtIntegration, integration(m.Integration))
	if m.DefaultIntegration {
		op.Set(spec.ExtGeneratedIntegration, true)
	}
	if r != nil {
		if r.AuthType == spec.AuthCustom && m.Authorizer == nil {
			op.Set(spec.ExtAuthTypeOverride, r.AuthType)
		}
		op.SetNonZero(spec.ExtPublic, r.Public)
		op.SetNonZero(spec.ExtPublicReason, r.Reason)
		op.SetNonZero(spec.ExtExamples, tree.SortedMap(r.ParamExamples))
		op.SetNonZero(spec.ExtIgnore, ignore(r.Suppressions))
	}
	return op
}

// maps reports whether an integration maps the method request parameter.
func maps(in *spec.Integration, param string) bool {
	for _, v := range in.RequestParameters {
		if v == param {
			return true
		}
	}
	return false
}

// summary says who may call the operation, for people reading the
// document (and linters that want a summary on every operation).
func summary(m *restapi.Method) string {
	switch {
	case m.Preflight:
		return "CORS preflight (generated by Portcullis; unauthenticated, as browsers send no token)"
	case m.Route != nil && m.Route.Public:
		return "Public: " + m.Route.Reason
	case m.AuthType == spec.AuthIAM:
		return "Requires AWS SigV4 (IAM) credentials"
	case m.Authorizer != nil && m.AuthType == spec.AuthCognito && len(m.Scopes) > 0:
		return "Requires a Cognito access token (authorizer " + m.Authorizer.Name + ") with scope " + strings.Join(m.Scopes, " or ")
	case m.Authorizer != nil && m.AuthType == spec.AuthCognito:
		return "Requires a Cognito ID token (authorizer " + m.Authorizer.Name + ")"
	case m.Authorizer != nil:
		return "Requires authorizer " + m.Authorizer.Name
	}
	return "No authorization"
}

func (g builder) param(name, in string) *tree.Map {
	p := tree.NewMap().Set("name", name).Set("in", in).Set("required", true)
	if g.Swagger {
		return p.Set("type", "string")
	}
	return p.Set("schema", tree.NewMap().Set("type", "string"))
}

// responses declares the method responses the integration maps to (with
// the headers it sets), or a plain 200 for proxy integrations, which pass
// the backend's answer through.
func (g builder) responses(in *spec.Integration) *tree.Map {
	out := tree.NewMap()
	for _, mr := range restapi.MethodResponses(in) {
		resp := tree.NewMap().Set("description", mr.StatusCode+" response")
		if len(mr.Headers) > 0 {
			hs := tree.NewMap()
			for _, h := range mr.Headers {
				if g.Swagger {
					hs.Set(h, tree.NewMap().Set("type", "string"))
				} else {
					hs.Set(h, tree.NewMap().Set("schema", tree.NewMap().Set("type", "string")))
				}
			}
			resp.Set("headers", hs)
		}
		out.Set(mr.StatusCode, resp)
	}
	if out.Len() == 0 {
		out.Set("200", tree.NewMap().Set("description", "Answered by the integration"))
	}
	return out
}

func integration(in *spec.Integration) *tree.Map {
	m := tree.NewMap().Set("type", strings.ToLower(in.Type))
	m.SetNonZero("httpMethod", in.HTTPMethod)
	m.SetNonZero("uri", in.URI)
	m.SetNonZero("passthroughBehavior", strings.ToLower(in.PassthroughBehavior))
	m.SetNonZero("requestParameters", tree.SortedMap(in.RequestParameters))
	m.SetNonZero("requestTemplates", tree.SortedMap(in.RequestTemplates))
	m.SetNonZero("timeoutInMillis", in.TimeoutMillis)
	if len(in.Responses) > 0 {
		rs := tree.NewMap()
		for _, r := range restapi.SortedResponses(in.Responses) {
			pat := r.Pattern
			if pat == "" {
				pat = "default"
			}
			rm := tree.NewMap().Set("statusCode", r.StatusCode)
			rm.SetNonZero("responseParameters", tree.SortedMap(r.ResponseParameters))
			if r.ResponseTemplates != nil {
				// An empty template ("") is meaningful: it answers with
				// an empty body rather than passing the request through.
				rm.Set("responseTemplates", tree.SortedMap(r.ResponseTemplates))
			}
			rs.Set(pat, rm)
		}
		m.Set("responses", rs)
	}
	return m
}

func ignore(sups []spec.Suppression) tree.List {
	var out tree.List
	for _, s := range sups {
		out = append(out, tree.NewMap().Set("rule", s.Rule).SetNonZero("reason", s.Reason))
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
