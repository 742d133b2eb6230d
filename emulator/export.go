package emulator

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v4"
)

// opGetExport writes the OpenAPI 3.0 or Swagger 2.0 definition of what a
// stage serves (its deployment's snapshot, not the working configuration).
// extensions=integrations|authorizers|apigateway adds the
// x-amazon-apigateway-* extensions; apigateway means all of them.
func opGetExport(e *Emulator, q *req) (*reply, *apiError) {
	a, st, err := e.stage(q)
	if err != nil {
		return nil, err
	}
	kind := q.params[2]
	if kind != "oas30" && kind != "swagger" {
		return nil, badRequest("Invalid export type specified: %s. Valid options are oas30,swagger", kind)
	}
	d := a.Deployments[st.DeploymentID]
	if d == nil || d.Snapshot == nil {
		return nil, notFound("Invalid Deployment identifier specified")
	}
	var ext exportExtensions
	for _, v := range q.query["extensions"] {
		for _, p := range strings.Split(v, ",") {
			switch strings.TrimSpace(p) {
			case "apigateway":
				ext = exportExtensions{integrations: true, authorizers: true, apigateway: true}
			case "integrations":
				ext.integrations = true
			case "authorizers":
				ext.authorizers = true
			case "postman", "":
			default:
				return nil, badRequest("Invalid extensions parameter: %s", p)
			}
		}
	}
	doc := exportDoc(d, a.RestApi, st, a.Region, kind == "oas30", ext)
	yamlOut := strings.Contains(q.r.Header.Get("Accept"), "yaml")
	var body []byte
	var mErr error
	if yamlOut {
		body, mErr = yaml.Marshal(doc)
	} else {
		body, mErr = json.MarshalIndent(doc, "", "  ")
	}
	if mErr != nil {
		return nil, errf(500, "InternalFailure", "%v", mErr)
	}
	ct, suffix := "application/json", "json"
	if yamlOut {
		ct, suffix = "application/yaml", "yaml"
	}
	rep := &reply{status: 200, raw: body, contentType: ct, header: map[string][]string{
		"Content-Disposition": {fmt.Sprintf(`attachment; filename="%s_%s.%s"`, kind, time.Unix(d.CreatedDate, 0).UTC().Format(time.RFC3339), suffix)},
	}}
	return rep, nil
}

type exportExtensions struct{ integrations, authorizers, apigateway bool }

// obj is an ordered-enough JSON object: encoding/json and yaml sort map
// keys, which keeps exports deterministic.
type obj = map[string]any

func exportDoc(d *Deployment, api RestApi, st *Stage, region string, oas3 bool, ext exportExtensions) obj {
	snap := d.Snapshot
	info := obj{"title": snap.Name, "version": time.Unix(d.CreatedDate, 0).UTC().Format(time.RFC3339)}
	if api.Description != "" {
		info["description"] = api.Description
	}
	host := fmt.Sprintf("%s.execute-api.%s.amazonaws.com", api.ID, region)
	doc := obj{"info": info}
	if oas3 {
		doc["openapi"] = "3.0.1"
		doc["servers"] = []any{obj{
			"url":       "https://" + host + "/{basePath}",
			"variables": obj{"basePath": obj{"default": st.StageName}},
		}}
	} else {
		doc["swagger"] = "2.0"
		doc["host"] = host
		doc["basePath"] = "/" + st.StageName
		doc["schemes"] = []any{"https"}
	}

	schemes := obj{}
	paths := obj{}
	for _, r := range snap.Resources {
		if len(r.Methods) == 0 {
			continue
		}
		item := obj{}
		for _, verb := range sortedVerbs(r) {
			m := r.Methods[verb]
			key := strings.ToLower(verb)
			if verb == "ANY" {
				key = "x-amazon-apigateway-any-method"
			}
			item[key] = exportOperation(snap, m, oas3, ext, schemes)
		}
		paths[r.Path] = item
	}
	doc["paths"] = paths
	if len(schemes) > 0 {
		if oas3 {
			doc["components"] = obj{"securitySchemes": schemes}
		} else {
			doc["securityDefinitions"] = schemes
		}
	}
	if ext.apigateway && len(snap.GatewayResponses) > 0 {
		grs := obj{}
		for t, g := range snap.GatewayResponses {
			o := obj{}
			if g.StatusCode != "" {
				o["statusCode"] = g.StatusCode
			}
			if len(g.ResponseParameters) > 0 {
				o["responseParameters"] = g.ResponseParameters
			}
			if len(g.ResponseTemplates) > 0 {
				o["responseTemplates"] = g.ResponseTemplates
			}
			grs[t] = o
		}
		doc["x-amazon-apigateway-gateway-responses"] = grs
	}
	if ext.apigateway && api.APIKeySource != "" {
		doc["x-amazon-apigateway-api-key-source"] = api.APIKeySource
	}
	return doc
}

func exportOperation(snap *Snapshot, m *Method, oas3 bool, ext exportExtensions, schemes obj) obj {
	op := obj{}
	if m.OperationName != "" {
		op["operationId"] = m.OperationName
	}
	var params []any
	for _, k := range orderedKeys(m.RequestParameters) {
		parts := strings.SplitN(strings.TrimPrefix(k, "method.request."), ".", 2)
		if len(parts) != 2 {
			continue
		}
		in := map[string]string{"path": "path", "querystring": "query", "header": "header"}[parts[0]]
		if in == "" {
			continue
		}
		p := obj{"name": parts[1], "in": in, "required": m.RequestParameters[k] || in == "path"}
		if oas3 {
			p["schema"] = obj{"type": "string"}
		} else {
			p["type"] = "string"
		}
		params = append(params, p)
	}
	if len(params) > 0 {
		op["parameters"] = params
	}
	responses := obj{}
	for code, mr := range m.MethodResponses {
		resp := obj{"description": code + " response"}
		if len(mr.ResponseParameters) > 0 {
			headers := obj{}
			for k := range mr.ResponseParameters {
				name, found := strings.CutPrefix(k, "method.response.header.")
				if !found {
					continue
				}
				if oas3 {
					headers[name] = obj{"schema": obj{"type": "string"}}
				} else {
					headers[name] = obj{"type": "string"}
				}
			}
			resp["headers"] = headers
		}
		responses[code] = resp
	}
	op["responses"] = responses

	req := obj{}
	switch m.AuthorizationType {
	case "COGNITO_USER_POOLS", "CUSTOM":
		if az := snap.Authorizer(m.AuthorizerID); az != nil {
			scopes := []string{}
			if m.AuthorizationType == "COGNITO_USER_POOLS" {
				scopes = append(scopes, m.AuthorizationScopes...)
			}
			req[az.Name] = scopes
			schemes[az.Name] = exportScheme(az, ext)
		}
	case "AWS_IAM":
		req["sigv4"] = []string{}
		schemes["sigv4"] = obj{"type": "apiKey", "name": "Authorization", "in": "header", "x-amazon-apigateway-authtype": "awsSigv4"}
	}
	if m.APIKeyRequired {
		req["api_key"] = []string{}
		schemes["api_key"] = obj{"type": "apiKey", "name": "x-api-key", "in": "header"}
	}
	if len(req) > 0 {
		op["security"] = []any{req}
	}
	if ext.integrations && m.Integration != nil {
		op["x-amazon-apigateway-integration"] = exportIntegration(m.Integration)
	}
	return op
}

func exportScheme(az *Authorizer, ext exportExtensions) obj {
	header := "Authorization"
	if h, ok := strings.CutPrefix(az.IdentitySource, "method.request.header."); ok && !strings.Contains(h, ",") {
		header = h
	}
	s := obj{"type": "apiKey", "name": header, "in": "header"}
	if !ext.authorizers {
		return s
	}
	if az.AuthType != "" {
		s["x-amazon-apigateway-authtype"] = az.AuthType
	}
	x := obj{"type": strings.ToLower(az.Type)}
	if len(az.ProviderARNs) > 0 {
		x["providerARNs"] = az.ProviderARNs
	}
	if az.AuthorizerURI != "" {
		x["authorizerUri"] = az.AuthorizerURI
	}
	if az.AuthorizerCredentials != "" {
		x["authorizerCredentials"] = az.AuthorizerCredentials
	}
	if az.IdentitySource != "" && az.Type != "COGNITO_USER_POOLS" {
		x["identitySource"] = az.IdentitySource
	}
	if az.IdentityValidationExpression != "" {
		x["identityValidationExpression"] = az.IdentityValidationExpression
	}
	if az.ResultTTL != nil {
		x["authorizerResultTtlInSeconds"] = *az.ResultTTL
	}
	s["x-amazon-apigateway-authorizer"] = x
	return s
}

func exportIntegration(in *Integration) obj {
	o := obj{"type": strings.ToLower(in.Type)}
	set := func(k, v string) {
		if v != "" {
			o[k] = v
		}
	}
	set("httpMethod", in.HTTPMethod)
	set("uri", in.URI)
	set("connectionType", in.ConnectionType)
	set("connectionId", in.ConnectionID)
	set("credentials", in.Credentials)
	set("passthroughBehavior", strings.ToLower(in.PassthroughBehavior))
	set("contentHandling", in.ContentHandling)
	set("cacheNamespace", in.CacheNamespace)
	if len(in.RequestParameters) > 0 {
		o["requestParameters"] = in.RequestParameters
	}
	if len(in.RequestTemplates) > 0 {
		o["requestTemplates"] = in.RequestTemplates
	}
	if len(in.CacheKeyParameters) > 0 {
		o["cacheKeyParameters"] = in.CacheKeyParameters
	}
	if in.TLSConfig != nil {
		o["tlsConfig"] = obj{"insecureSkipVerification": in.TLSConfig.InsecureSkipVerification}
	}
	if in.TimeoutInMillis != 0 {
		o["timeoutInMillis"] = in.TimeoutInMillis
	}
	if len(in.IntegrationResponses) > 0 {
		resps := obj{}
		codes := make([]string, 0, len(in.IntegrationResponses))
		for c := range in.IntegrationResponses {
			codes = append(codes, c)
		}
		sort.Strings(codes)
		for _, c := range codes {
			ir := in.IntegrationResponses[c]
			r := obj{"statusCode": ir.StatusCode}
			if len(ir.ResponseParameters) > 0 {
				r["responseParameters"] = ir.ResponseParameters
			}
			if len(ir.ResponseTemplates) > 0 {
				r["responseTemplates"] = ir.ResponseTemplates
			}
			if ir.ContentHandling != "" {
				r["contentHandling"] = ir.ContentHandling
			}
			pattern := ir.SelectionPattern
			if pattern == "" {
				pattern = "default"
			}
			resps[pattern] = r
		}
		o["responses"] = resps
	}
	return o
}
