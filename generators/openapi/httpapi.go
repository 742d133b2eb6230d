package openapi

import (
	"strings"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/internal/tree"
	"github.com/portcullis-dev/portcullis/spec"
)

// HTTP APIs are written as API Gateway's HTTP API importer reads OpenAPI
// 3.0 (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-open-api.html):
// JWT authorizers as openIdConnect schemes with x-amazon-apigateway-authorizer
// {type: jwt}, CORS as x-amazon-apigateway-cors, the payload format on each
// integration, and $default as /$default with isDefaultRoute. Swagger 2.0
// cannot describe one: HTTP APIs import OpenAPI 3.0 only.

func (g gen) generateHTTP(a *spec.HTTPAPI, format string, opts generators.Options) (generators.File, error) {
	if g.swagger {
		return generators.File{}, &generators.UnsupportedError{Target: g.Name(), API: a.Name,
			Reason: "an HTTP API (v2) imports OpenAPI 3.0 only; use --target openapi (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-open-api.html)"}
	}
	stage, err := generators.PickHTTPStage(a, opts.Stage)
	if err != nil {
		return generators.File{}, err
	}
	name := generators.FileName(a.Name) + "." + g.Name() + "." + format
	return generators.File{Path: name, Content: tree.Encode(HTTPDocument(a, stage), format, generators.Header(opts.Source, g.Name()))}, nil
}

// HTTPDocument builds the OpenAPI 3.0 document of one HTTP API.
func HTTPDocument(a *spec.HTTPAPI, stage *spec.HTTPStage) *tree.Map {
	doc := tree.NewMap().Set("openapi", "3.0.1")
	doc.Set("info", tree.NewMap().Set("title", a.Name).SetNonZero("description", a.Description).Set("version", "1.0"))
	doc.Set("servers", tree.List{httpServer(a, stage)})
	doc.Set(spec.ExtProtocol, "HTTP")
	doc.SetNonZero(spec.ExtRegion, a.Region)
	doc.SetNonZero(spec.ExtAPIID, a.APIID)
	doc.SetNonZero(spec.ExtDefaultAuthorizer, a.DefaultAuthorizer)
	doc.SetNonZero(spec.ExtIgnore, ignore(a.Suppressions))
	if c := a.CORS; c != nil {
		doc.Set(spec.ExtCORSConfiguration, CORSConfiguration(c))
	}
	// IAM routes name a SigV4 scheme, as for REST APIs; its name must not
	// be an authorizer's.
	sigv4, usesIAM := sigv4Scheme, false
	for a.AuthorizerByName(sigv4) != nil {
		sigv4 += "_iam"
	}
	paths := tree.NewMap()
	for _, r := range a.Routes {
		path, key := r.Path, strings.ToLower(r.Method)
		if r.IsDefault() {
			path = "/" + spec.DefaultRouteKey
		}
		if r.IsDefault() || r.Method == "ANY" {
			key = spec.ExtAnyMethod
		}
		item, _ := paths.Get(path).(*tree.Map)
		if item == nil {
			item = tree.NewMap()
			paths.Set(path, item)
		}
		item.Set(key, httpOperation(a, r, sigv4))
		usesIAM = usesIAM || r.AuthType == spec.AuthIAM
	}
	doc.Set("paths", paths)
	if len(a.Authorizers) > 0 || usesIAM {
		schemes := tree.NewMap()
		for _, az := range a.Authorizers {
			schemes.Set(az.Name, JWTScheme(az))
		}
		if usesIAM {
			schemes.Set(sigv4, tree.NewMap().Set("type", "apiKey").Set("name", "Authorization").Set("in", "header").
				Set(spec.ExtAuthType, "awsSigv4"))
		}
		doc.Set("components", tree.NewMap().Set("securitySchemes", schemes))
	}
	if len(a.Stages) > 0 {
		var stages tree.List
		for _, s := range a.Stages {
			sm := tree.NewMap().Set("name", s.Name).SetNonZero("auto_deploy", s.AutoDeploy).SetNonZero("description", s.Description)
			sm.SetNonZero("variables", tree.SortedMap(s.Variables))
			stages = append(stages, sm)
		}
		doc.Set(spec.ExtStages, stages)
	}
	return doc
}

// CORSConfiguration is the x-amazon-apigateway-cors object (also SAM's
// CorsConfiguration, which takes the same keys).
func CORSConfiguration(c *spec.CORS) *tree.Map {
	m := tree.NewMap().Set("allowOrigins", tree.Strings(c.AllowOrigins))
	m.SetNonZero("allowMethods", tree.Strings(c.AllowMethods))
	m.SetNonZero("allowHeaders", tree.Strings(c.AllowHeaders))
	m.SetNonZero("exposeHeaders", tree.Strings(c.ExposeHeaders))
	m.SetNonZero("allowCredentials", c.AllowCredentials)
	m.SetNonZero("maxAge", c.MaxAgeSeconds)
	return m
}

// httpServer is the stage's invoke URL; the $default stage has no path.
func httpServer(a *spec.HTTPAPI, stage *spec.HTTPStage) *tree.Map {
	id, region := a.APIID, a.Region
	if id == "" {
		id = "apiId"
	}
	if region == "" {
		region = "us-east-1"
	}
	vars := tree.NewMap().Set("apiId", tree.NewMap().Set("default", id)).Set("region", tree.NewMap().Set("default", region))
	url := "https://{apiId}.execute-api.{region}.amazonaws.com"
	if stage != nil && stage.Name != spec.DefaultStageName {
		url += "/{basePath}"
		vars.Set("basePath", tree.NewMap().Set("default", stage.Name))
	}
	s := tree.NewMap().Set("url", url)
	if stage != nil && stage.Description != "" {
		s.Set("description", stage.Description)
	}
	return s.Set("variables", vars)
}

// JWTScheme is an authorizer's security scheme: openIdConnect (whose
// discovery document is where API Gateway finds the issuer's keys), or for
// a Lambda authorizer read live, apiKey.
func JWTScheme(az *spec.JWTAuthorizer) *tree.Map {
	ext := tree.NewMap().Set("type", strings.ToLower(az.Type))
	var s *tree.Map
	if az.Type == spec.AuthorizerJWT {
		s = tree.NewMap().Set("type", "openIdConnect").Set("openIdConnectUrl", strings.TrimSuffix(az.Issuer, "/")+"/.well-known/openid-configuration")
		ext.Set("identitySource", strings.Join(az.IdentitySources, ","))
		ext.Set("jwtConfiguration", tree.NewMap().Set("issuer", az.Issuer).Set("audience", tree.Strings(nonNil(az.Audiences))))
	} else {
		header := az.IdentityHeader()
		if header == "" {
			header = "Authorization"
		}
		s = tree.NewMap().Set("type", "apiKey").Set("name", header).Set("in", "header")
		ext.Set("identitySource", strings.Join(az.IdentitySources, ","))
	}
	s.Set(spec.ExtAuthorizer, ext)
	s.SetNonZero(spec.ExtIgnore, ignore(az.Suppressions))
	return s
}

func httpOperation(a *spec.HTTPAPI, r *spec.HTTPRoute, sigv4 string) *tree.Map {
	op := tree.NewMap()
	if r.IsDefault() {
		op.Set("isDefaultRoute", true)
	}
	op.Set("summary", generators.HTTPRouteSummary(a, r))
	op.SetNonZero("operationId", r.OperationName)
	var params tree.List
	for _, p := range spec.PathParams(r.Path) {
		if strings.Contains(r.Path, "{"+p+"+}") && r.Method != "ANY" {
			continue // see operation: linters reject "proxy" on ordinary operations
		}
		params = append(params, tree.NewMap().Set("name", p).Set("in", "path").Set("required", true).
			Set("schema", tree.NewMap().Set("type", "string")))
	}
	op.SetNonZero("parameters", params)
	switch r.AuthType {
	case spec.AuthJWT, spec.AuthCustom:
		op.Set("security", tree.List{tree.NewMap().Set(r.Authorizer, tree.Strings(nonNil(r.Scopes)))})
	case spec.AuthIAM:
		op.Set("security", tree.List{tree.NewMap().Set(sigv4, tree.List{})})
	default:
		op.Set("security", tree.List{})
	}
	op.Set("responses", tree.NewMap().Set("200", tree.NewMap().Set("description", "Answered by the integration")))
	if in := r.Integration; in != nil {
		m := tree.NewMap().Set("type", strings.ToLower(in.Type))
		if in.Type == spec.IntegrationAWSProxy {
			m.Set("httpMethod", "POST")
		} else {
			m.SetNonZero("httpMethod", in.Method)
		}
		m.Set("uri", in.URI).Set("payloadFormatVersion", in.PayloadFormatVersion)
		m.SetNonZero("timeoutInMillis", in.TimeoutMillis)
		op.Set(spec.ExtIntegration, m)
	}
	op.SetNonZero(spec.ExtPublic, r.Public)
	op.SetNonZero(spec.ExtPublicReason, r.Reason)
	op.SetNonZero(spec.ExtExamples, tree.SortedMap(r.ParamExamples))
	op.SetNonZero(spec.ExtIgnore, ignore(r.Suppressions))
	return op
}
