package emulator

import (
	"encoding/json"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// opExportApi is ExportApi for OAS30 (http-api-export.html): the working
// configuration, or a stage's deployment with stageName, as OpenAPI 3.0
// with the x-amazon-apigateway extensions unless includeExtensions=false.
func opExportApi(e *Emulator, q *req) (*reply, *apiError) {
	a, aerr := e.httpAPI(q, q.params[0])
	if aerr != nil {
		return nil, aerr
	}
	if q.params[1] != "OAS30" {
		return nil, badRequest("Invalid specification %q: want OAS30", q.params[1])
	}
	out := q.query.Get("outputType")
	if out != "JSON" && out != "YAML" {
		return nil, badRequest("outputType is required: JSON or YAML")
	}
	snap := a.snapshot()
	if name := q.query.Get("stageName"); name != "" {
		s, aerr := findV2Stage(a, name)
		if aerr != nil {
			return nil, aerr
		}
		d := a.Deployments[s.DeploymentID]
		if d == nil || d.Snapshot == nil {
			return nil, badRequest("Stage %s has no deployment", name)
		}
		snap = d.Snapshot
	}
	doc := exportOAS30(a, snap, q.query.Get("includeExtensions") != "false")
	if out == "YAML" {
		b, err := yaml.Marshal(doc)
		if err != nil {
			return nil, errf(500, "InternalFailure", "%v", err)
		}
		return &reply{status: 200, raw: b, contentType: "application/yaml"}, nil
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, errf(500, "InternalFailure", "%v", err)
	}
	return &reply{status: 200, raw: b, contentType: "application/json"}, nil
}

func exportOAS30(a *httpAPIState, s *HTTPSnapshot, ext bool) map[string]any {
	doc := map[string]any{
		"openapi": "3.0.1",
		"info":    map[string]any{"title": a.API.Name, "version": firstNonEmpty(a.API.Version, a.API.CreatedDate)},
		"servers": []any{map[string]any{
			"url":       a.API.APIEndpoint + "/{basePath}",
			"variables": map[string]any{"basePath": map[string]any{"default": ""}},
		}},
	}
	if a.API.Description != "" {
		doc["info"].(map[string]any)["description"] = a.API.Description
	}
	paths := map[string]any{}
	for _, r := range s.Routes {
		verb, path := "x-amazon-apigateway-any-method", "/"+DefaultRoute
		if r.RouteKey != DefaultRoute {
			m, p, _ := strings.Cut(r.RouteKey, " ")
			path = p
			if m != "ANY" {
				verb = strings.ToLower(m)
			}
		}
		op := map[string]any{"responses": map[string]any{"default": map[string]any{"description": "Default response for " + r.RouteKey}}}
		if r.OperationName != "" {
			op["operationId"] = r.OperationName
		}
		var params []any
		for _, seg := range strings.Split(path, "/") {
			if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
				name := strings.TrimSuffix(strings.Trim(seg, "{}"), "+")
				params = append(params, map[string]any{"name": name, "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
			}
		}
		if params != nil {
			op["parameters"] = params
		}
		if r.AuthorizationType == v2AuthJWT {
			if az := s.Authorizer(r.AuthorizerID); az != nil {
				scopes := r.AuthorizationScopes
				if scopes == nil {
					scopes = []string{}
				}
				op["security"] = []any{map[string]any{az.Name: scopes}}
			}
		}
		if ext {
			if in := s.Integration(r.Target); in != nil {
				x := map[string]any{"type": strings.ToLower(in.IntegrationType), "uri": in.IntegrationURI,
					"payloadFormatVersion": in.PayloadFormatVersion, "connectionType": in.ConnectionType,
					"timeoutInMillis": in.TimeoutInMillis}
				if in.IntegrationMethod != "" {
					x["httpMethod"] = in.IntegrationMethod
				}
				op["x-amazon-apigateway-integration"] = x
			}
		}
		item, _ := paths[path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[path] = item
		}
		item[verb] = op
	}
	doc["paths"] = paths
	schemes := map[string]any{}
	for _, az := range s.Authorizers {
		if az.AuthorizerType != v2AuthorizerJWT || az.JWTConfiguration == nil {
			continue
		}
		sc := map[string]any{"type": "oauth2", "flows": map[string]any{}}
		if ext {
			aud := az.JWTConfiguration.Audience
			if aud == nil {
				aud = []string{}
			}
			sc["x-amazon-apigateway-authorizer"] = map[string]any{
				"type":             "jwt",
				"identitySource":   strings.Join(az.IdentitySource, ","),
				"jwtConfiguration": map[string]any{"issuer": az.JWTConfiguration.Issuer, "audience": aud},
			}
		}
		schemes[az.Name] = sc
	}
	if len(schemes) > 0 {
		doc["components"] = map[string]any{"securitySchemes": schemes}
	}
	if ext {
		doc["x-amazon-apigateway-importexport-version"] = "1.0"
		if c := s.Cors; c != nil {
			doc["x-amazon-apigateway-cors"] = corsExtension(c)
		}
	}
	return doc
}

func corsExtension(c *Cors) map[string]any {
	out := map[string]any{}
	put := func(k string, v []string) {
		if len(v) > 0 {
			s := cloneSlice(v)
			sort.Strings(s)
			out[k] = s
		}
	}
	put("allowOrigins", c.AllowOrigins)
	put("allowMethods", c.AllowMethods)
	put("allowHeaders", c.AllowHeaders)
	put("exposeHeaders", c.ExposeHeaders)
	if c.AllowCredentials != nil {
		out["allowCredentials"] = *c.AllowCredentials
	}
	if c.MaxAge != nil {
		out["maxAge"] = *c.MaxAge
	}
	return out
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
