package oasspec

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/portcullis-dev/portcullis/spec"
)

// HTTP APIs (v2) import OpenAPI 3.0 with their own extensions
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-open-api.html):
// a jwt authorizer on an oauth2 or openIdConnect scheme, CORS as
// x-amazon-apigateway-cors, the payload format on the integration, and the
// $default route as the path /$default with
// x-amazon-apigateway-any-method {isDefaultRoute: true}. Operations are read
// by the same code as for REST APIs (security, scopes, public, examples,
// suppressions) and then turned into route keys.

// defaultRoutePath is where the $default route sits in an exported document.
const defaultRoutePath = "/" + spec.DefaultRouteKey

// isHTTPAPI decides which kind of API a document describes: as it says, or
// else by what only HTTP APIs have.
func isHTTPAPI(doc *openapi3.T) bool {
	if p, ok := stringExt(doc.Extensions, spec.ExtProtocol); ok {
		return strings.EqualFold(p, "HTTP")
	}
	if _, ok := doc.Extensions[spec.ExtCORSConfiguration]; ok {
		return true
	}
	if doc.Components != nil {
		for _, ref := range doc.Components.SecuritySchemes {
			if ref != nil && ref.Value != nil && authorizerType(ref.Value.Extensions[spec.ExtAuthorizer]) == "jwt" {
				return true
			}
		}
	}
	if doc.Paths == nil {
		return false
	}
	if doc.Paths.Value(defaultRoutePath) != nil {
		return true
	}
	for _, item := range doc.Paths.Map() {
		for _, v := range append(verbs, spec.ExtAnyMethod) {
			if _, ok := rawIntegration(item, methodOf(v))["payloadFormatVersion"]; ok {
				return true
			}
		}
	}
	return false
}

// isDefaultRoute reports the path's ANY operation marked isDefaultRoute,
// which API Gateway reads as the $default route whatever the path says.
func isDefaultRoute(item *openapi3.PathItem) bool {
	if item == nil {
		return false
	}
	anyOp, _ := item.Extensions[spec.ExtAnyMethod].(map[string]any)
	b, _ := anyOp["isDefaultRoute"].(bool)
	return b
}

// rawIntegration is the integration extension of one of a path's
// operations (method "ANY" for x-amazon-apigateway-any-method), or nil.
func rawIntegration(item *openapi3.PathItem, method string) map[string]any {
	if item == nil {
		return nil
	}
	var ext map[string]any
	if method == "ANY" {
		ext, _ = item.Extensions[spec.ExtAnyMethod].(map[string]any)
	} else if op := item.GetOperation(method); op != nil {
		ext = op.Extensions
	}
	m, _ := ext[spec.ExtIntegration].(map[string]any)
	return m
}

func (r *reader) decodeHTTP(doc *openapi3.T) *spec.HTTPAPI {
	// The API-level fields are read as for a REST API, then moved over.
	v1 := &spec.API{Range: r.loc.rng(), Ranges: spec.Ranges{}}
	if doc.Info != nil {
		v1.Name, v1.Description = doc.Info.Title, doc.Info.Description
		v1.Ranges["name"] = r.loc.rng("info", "title")
	}
	r.readServers(doc, v1)
	a := &spec.HTTPAPI{Name: v1.Name, Description: v1.Description, Region: v1.Region, APIID: v1.RestAPIID,
		Range: v1.Range, Ranges: v1.Ranges}
	if rg, ok := a.Ranges["rest_api_id"]; ok {
		a.Ranges["api_id"] = rg
	}
	if v, ok := stringExt(doc.Extensions, spec.ExtRegion); ok {
		a.Region, a.Ranges["region"] = v, r.loc.rng(spec.ExtRegion)
	}
	if v, ok := stringExt(doc.Extensions, spec.ExtAPIID); ok {
		a.APIID, a.Ranges["api_id"] = v, r.loc.rng(spec.ExtAPIID)
	}
	a.Suppressions = r.readIgnore(doc.Extensions, nil)
	schemes := r.readSchemes(doc)
	for _, name := range slices.Sorted(maps.Keys(schemes)) {
		switch s := schemes[name]; {
		case s.jwt != nil:
			a.Authorizers = append(a.Authorizers, s.jwt)
		case s.authorizer != nil && s.kind == "lambda":
			a.Authorizers = append(a.Authorizers, &spec.JWTAuthorizer{Name: name, Type: spec.AuthorizerRequest,
				IdentitySources: []string{s.authorizer.IdentitySource}, Range: s.authorizer.Range, Ranges: s.authorizer.Ranges,
				Suppressions: s.authorizer.Suppressions})
		case s.authorizer != nil:
			r.errorf("invalid-security-scheme", s.authorizer.Range, "Cognito user pool authorizer on an HTTP API",
				"HTTP APIs have no cognito_user_pools authorizer; use %s {type: jwt, jwtConfiguration: {issuer: https://cognito-idp.REGION.amazonaws.com/POOL_ID, audience: [APP_CLIENT_ID]}}.", spec.ExtAuthorizer)
		}
	}
	if v, ok := stringExt(doc.Extensions, spec.ExtDefaultAuthorizer); ok {
		a.DefaultAuthorizer, a.Ranges["default_authorizer"] = v, r.loc.rng(spec.ExtDefaultAuthorizer)
	}
	if len(doc.Security) > 0 {
		// AWS documents nothing on root-level security for HTTP APIs
		// (docs/spec.md, "HTTP APIs"): read as ignored, the routes it
		// would cover are open until each operation names its security,
		// which is right whichever way the importer reads it.
		r.warnf("root-security-ignored", r.loc.keyRng("security"), "Root-level security is not applied to the routes",
			"Whether API Gateway's HTTP API importer applies root-level security is not documented (its REST importer ignores it), so Portcullis reads the routes without it. Repeat security on every operation that needs it (security: [] on the public ones).")
	}
	if doc.Paths != nil {
		paths := doc.Paths.Map()
		routes, _ := r.readPathsOf(paths, schemes, false)
		for _, rt := range routes {
			a.Routes = append(a.Routes, r.httpRoute(rt, paths[rt.Path]))
		}
	}
	r.readCORSConfiguration(doc, a)
	r.readHTTPStages(doc, a, v1.Stages)
	return a
}

// httpRoute turns a route read the REST way into an HTTP API route.
func (r *reader) httpRoute(rt *spec.Route, item *openapi3.PathItem) *spec.HTTPRoute {
	h := &spec.HTTPRoute{Key: rt.Method + " " + rt.Path, Method: rt.Method, Path: rt.Path, AuthType: rt.AuthType,
		Authorizer: rt.Authorizer, Scopes: rt.Scopes, Public: rt.Public, Reason: rt.Reason, ParamExamples: rt.ParamExamples,
		OperationName: rt.OperationName, Suppressions: rt.Suppressions, Range: rt.Range, Ranges: rt.Ranges}
	verb := strings.ToLower(rt.Method)
	if rt.Method == "ANY" {
		verb = spec.ExtAnyMethod
	}
	at := append(r.opPath(rt.Path, verb), spec.ExtIntegration)
	if rt.Method == "ANY" && (rt.Path == defaultRoutePath || isDefaultRoute(item)) {
		h.Key, h.Method, h.Path = spec.DefaultRouteKey, "", ""
	} else if rt.Path == defaultRoutePath {
		r.errorf("invalid-route-key", rt.Range, "Invalid $default route",
			"The $default route is written as %s on %s (with isDefaultRoute: true); a %s operation there would be the route %q.", spec.ExtAnyMethod, defaultRoutePath, rt.Method, h.Key)
	}
	if rt.Integration != nil {
		raw := rawIntegration(item, rt.Method)
		in := &spec.HTTPIntegration{Type: rt.Integration.Type, URI: rt.Integration.URI, TimeoutMillis: rt.Integration.TimeoutMillis,
			Range: rt.Integration.Range, Ranges: spec.Ranges{}}
		if in.Type == spec.IntegrationHTTPProxy {
			in.Method = rt.Integration.HTTPMethod
		}
		if v, ok := raw["payloadFormatVersion"]; ok {
			in.PayloadFormatVersion = str(v)
			// Unquoted in YAML, 1.0 and 2.0 are numbers; they mean the
			// versions, not "1" and "2".
			if f, ok := v.(float64); ok {
				in.PayloadFormatVersion = strconv.FormatFloat(f, 'f', 1, 64)
			}
			in.Ranges["payload_format_version"] = r.loc.rng(append(at, "payloadFormatVersion")...)
		}
		// The attributes validation can find wrong; the others point at
		// the integration itself.
		if _, ok := raw["uri"]; ok {
			in.Ranges["uri"] = r.loc.rng(append(at, "uri")...)
		}
		// The model has no VPC link: such an integration would be applied
		// as one over the internet to its listener ARN.
		if v, ok := raw["connectionType"]; ok && !strings.EqualFold(str(v), "INTERNET") {
			r.errorf("invalid-integration", r.loc.rng(append(at, "connectionType")...), "Unsupported connectionType",
				"Portcullis describes integrations over the internet only (connectionType INTERNET); %q (a private integration through a VPC link) cannot be applied.", str(v))
		}
		// Parameter mapping is not in the model: say so where it is
		// written. apply's UpdateIntegration leaves a live mapping alone,
		// and the import strategy refuses to remove one (docs/spec.md).
		for _, k := range []string{"requestParameters", "responseParameters"} {
			if _, ok := raw[k]; ok {
				r.warnf("unsupported-parameter-mapping", r.loc.keyRng(slices.Concat(at, []string{k})...), "Parameter mapping not carried",
					"Portcullis does not carry an HTTP API integration's %s: generate leaves it out of every output, plan and drift do not compare it, apply leaves a live mapping as it is (never sets or removes it), and apply --strategy import refuses while the live integration has one.", k)
			}
		}
		spec.DefaultHTTPIntegration(in)
		h.Integration = in
	}
	return h
}

// oidcDiscoverySuffix ends the openIdConnectUrl of an openIdConnect scheme;
// API Gateway takes the issuer as what comes before it when
// jwtConfiguration names none
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html).
const oidcDiscoverySuffix = "/.well-known/openid-configuration"

func (r *reader) readJWT(name string, ss *openapi3.SecurityScheme, raw any, at []string) *spec.JWTAuthorizer {
	az := &spec.JWTAuthorizer{Name: name, Type: spec.AuthorizerJWT, IdentitySources: []string{spec.DefaultJWTIdentitySource},
		Range: r.loc.keyRng(at...), Ranges: spec.Ranges{"name": r.loc.keyRng(at...)}}
	ext := append(append([]string{}, at...), spec.ExtAuthorizer)
	m, _ := raw.(map[string]any)
	if v, ok := m["identitySource"]; ok {
		az.Ranges["identity_source"] = r.loc.rng(append(ext, "identitySource")...)
		switch s := v.(type) {
		case string:
			// A comma-separated list is how Lambda authorizers name several.
			az.IdentitySources = nil
			for _, x := range strings.Split(s, ",") {
				az.IdentitySources = append(az.IdentitySources, strings.TrimSpace(x))
			}
		case []any:
			az.IdentitySources = strList(s)
		default:
			r.errorf("invalid-security-scheme", az.Ranges["identity_source"], "Invalid identitySource", "identitySource must be a string such as %s.", spec.DefaultJWTIdentitySource)
		}
	}
	cfg, ok := m["jwtConfiguration"].(map[string]any)
	if !ok {
		r.errorf("invalid-security-scheme", r.loc.rng(ext...), "JWT authorizer without jwtConfiguration",
			"%q needs jwtConfiguration: {issuer, audience: [...]}.", name)
		return az
	}
	cfgAt := append(ext, "jwtConfiguration")
	if v, ok := cfg["issuer"]; ok {
		az.Issuer = str(v)
		az.Ranges["issuer"] = r.loc.rng(append(cfgAt, "issuer")...)
	} else if ss != nil && strings.EqualFold(ss.Type, "openIdConnect") && ss.OpenIdConnectUrl != "" {
		urlAt := append(append([]string{}, at...), "openIdConnectUrl")
		az.Ranges["issuer"] = r.loc.rng(urlAt...)
		if iss, ok := strings.CutSuffix(ss.OpenIdConnectUrl, oidcDiscoverySuffix); ok {
			az.Issuer = iss
		} else {
			r.errorf("invalid-security-scheme", az.Ranges["issuer"], "openIdConnectUrl is not a discovery URL",
				"API Gateway derives the issuer of %q from openIdConnectUrl, which must be fully formed: ISSUER%s. Or name the issuer in jwtConfiguration.", name, oidcDiscoverySuffix)
		}
	}
	if v, ok := cfg["audience"]; ok {
		az.Ranges["audiences"] = r.loc.rng(append(cfgAt, "audience")...)
		list, ok := v.([]any)
		if !ok {
			r.errorf("invalid-security-scheme", az.Ranges["audiences"], "Invalid audience", "audience must be a list of strings, such as app client ids.")
		}
		az.Audiences = strList(list)
	}
	// The pool a Cognito issuer names is the model's user pool, so the
	// HCL form's user_pool_id and the OpenAPI form's issuer agree.
	if _, pool, ok := spec.ParseCognitoIssuer(az.Issuer); ok && spec.CognitoIssuer(pool) == az.Issuer {
		az.UserPoolID = pool
	}
	return az
}

func (r *reader) readCORSConfiguration(doc *openapi3.T, a *spec.HTTPAPI) {
	raw, ok := doc.Extensions[spec.ExtCORSConfiguration]
	if !ok {
		return
	}
	rng := r.loc.keyRng(spec.ExtCORSConfiguration)
	m, ok := raw.(map[string]any)
	if !ok {
		r.errorf("invalid-extension", rng, "Invalid "+spec.ExtCORSConfiguration, "%s must be an object.", spec.ExtCORSConfiguration)
		return
	}
	c := &spec.CORS{Range: rng, Ranges: spec.Ranges{}}
	c.AllowOrigins = strList(m["allowOrigins"])
	c.AllowMethods = strList(m["allowMethods"])
	for i, x := range c.AllowMethods {
		c.AllowMethods[i] = strings.ToUpper(x)
	}
	c.AllowHeaders = strList(m["allowHeaders"])
	c.ExposeHeaders = strList(m["exposeHeaders"])
	c.AllowCredentials, _ = m["allowCredentials"].(bool)
	c.MaxAgeSeconds, _ = intValue(m["maxAge"])
	for attr, key := range map[string]string{"allow_origins": "allowOrigins", "allow_methods": "allowMethods", "allow_headers": "allowHeaders",
		"expose_headers": "exposeHeaders", "allow_credentials": "allowCredentials", "max_age_seconds": "maxAge"} {
		if _, ok := m[key]; ok {
			c.Ranges[attr] = r.loc.rng(spec.ExtCORSConfiguration, key)
		}
	}
	a.CORS = c
}

// readHTTPStages reads x-portcullis-stages (with auto_deploy), else takes
// the stage the server URL names.
func (r *reader) readHTTPStages(doc *openapi3.T, a *spec.HTTPAPI, fromServers []*spec.Stage) {
	raw, ok := doc.Extensions[spec.ExtStages]
	if !ok {
		for _, s := range fromServers {
			a.Stages = append(a.Stages, &spec.HTTPStage{Name: s.Name, Range: s.Range, Ranges: s.Ranges})
		}
		return
	}
	list, ok := raw.([]any)
	if !ok {
		r.errorf("invalid-extension", r.loc.keyRng(spec.ExtStages), "Invalid "+spec.ExtStages, "%s must be a list of {name, auto_deploy, description, variables}.", spec.ExtStages)
		return
	}
	for i, x := range list {
		m, _ := x.(map[string]any)
		at := []string{spec.ExtStages, strconv.Itoa(i)}
		s := &spec.HTTPStage{Name: str(m["name"]), Description: str(m["description"]), Variables: strMap(m["variables"]),
			Range: r.loc.rng(at...), Ranges: spec.Ranges{"name": r.loc.rng(append(at, "name")...)}}
		if v, ok := m["auto_deploy"]; ok {
			s.AutoDeploy, ok = v.(bool)
			s.Ranges["auto_deploy"] = r.loc.rng(append(at, "auto_deploy")...)
			if !ok {
				r.errorf("invalid-extension", s.Ranges["auto_deploy"], "Invalid auto_deploy", "auto_deploy must be true or false.")
			}
		}
		a.Stages = append(a.Stages, s)
	}
}
