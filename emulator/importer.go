package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v4"
)

// Extensions the importer understands. Others named x-amazon-apigateway-*
// produce a warning, as unsupported input does on AWS.
var knownRootExtensions = map[string]bool{
	"x-amazon-apigateway-gateway-responses":        true,
	"x-amazon-apigateway-api-key-source":           true,
	"x-amazon-apigateway-binary-media-types":       true,
	"x-amazon-apigateway-request-validators":       true,
	"x-amazon-apigateway-minimum-compression-size": true,
	"x-amazon-apigateway-endpoint-configuration":   true,
	"x-amazon-apigateway-policy":                   true,
	"x-amazon-apigateway-documentation":            true,
	"x-amazon-apigateway-importexport-version":     true,
	"x-amazon-apigateway-tag-value":                true,
}

var knownOperationExtensions = map[string]bool{
	"x-amazon-apigateway-integration":       true,
	"x-amazon-apigateway-request-validator": true,
	"x-amazon-apigateway-auth":              true,
}

// parseDefinition reads an OpenAPI 3.0 or Swagger 2.0 document, JSON or
// YAML. External references are refused (kin-openapi's default).
func parseDefinition(body []byte) (*openapi3.T, error) {
	body = quoteVersions(body)
	var head struct {
		Swagger string `yaml:"swagger"`
		OpenAPI string `yaml:"openapi"`
	}
	if err := yaml.Unmarshal(body, &head); err != nil {
		return nil, fmt.Errorf("the body is neither JSON nor YAML: %v", err)
	}
	switch {
	case strings.HasPrefix(head.Swagger, "2."):
		var doc2 openapi2.T
		if err := openapi2.UnmarshalFromData(body, &doc2); err != nil {
			return nil, err
		}
		return openapi2conv.ToV3(&doc2)
	case strings.HasPrefix(head.OpenAPI, "3."):
		loader := openapi3.NewLoader()
		return loader.LoadFromData(body)
	default:
		return nil, fmt.Errorf("the document declares neither 'swagger: 2.0' nor 'openapi: 3.x'")
	}
}

// quoteVersions makes the YAML scalars swagger, openapi and info.version
// strings: `swagger: 2.0` and `version: 1` are common, AWS takes them, and
// kin-openapi refuses them as numbers. JSON bodies are left as they are.
func quoteVersions(body []byte) []byte {
	if t := bytes.TrimSpace(body); len(t) == 0 || t[0] == '{' {
		return body
	}
	var doc yaml.Node
	if yaml.Unmarshal(body, &doc) != nil || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return body
	}
	changed := false
	quote := func(m *yaml.Node, key string) *yaml.Node {
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value != key {
				continue
			}
			v := m.Content[i+1]
			if v.Kind == yaml.ScalarNode && v.Tag != "!!str" {
				v.Tag, v.Style, changed = "!!str", yaml.DoubleQuotedStyle, true
			}
			return v
		}
		return nil
	}
	root := doc.Content[0]
	quote(root, "swagger")
	quote(root, "openapi")
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "info" && root.Content[i+1].Kind == yaml.MappingNode {
			quote(root.Content[i+1], "version")
		}
	}
	if !changed {
		return body
	}
	out, err := yaml.Marshal(&doc)
	if err != nil {
		return body
	}
	return out
}

// decodeExt turns an extension value (generic JSON) into out.
func decodeExt(v any, out any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}

type extAuthorizer struct {
	Type                         string   `json:"type"`
	ProviderARNs                 []string `json:"providerARNs"`
	AuthorizerURI                string   `json:"authorizerUri"`
	AuthorizerCredentials        string   `json:"authorizerCredentials"`
	IdentitySource               string   `json:"identitySource"`
	IdentityValidationExpression string   `json:"identityValidationExpression"`
	ResultTTL                    *int32   `json:"authorizerResultTtlInSeconds"`
}

type extIntegration struct {
	Type                string                          `json:"type"`
	HTTPMethod          string                          `json:"httpMethod"`
	URI                 string                          `json:"uri"`
	ConnectionType      string                          `json:"connectionType"`
	ConnectionID        string                          `json:"connectionId"`
	Credentials         string                          `json:"credentials"`
	RequestParameters   map[string]string               `json:"requestParameters"`
	RequestTemplates    map[string]string               `json:"requestTemplates"`
	PassthroughBehavior string                          `json:"passthroughBehavior"`
	ContentHandling     string                          `json:"contentHandling"`
	TimeoutInMillis     int32                           `json:"timeoutInMillis"`
	CacheNamespace      string                          `json:"cacheNamespace"`
	CacheKeyParameters  []string                        `json:"cacheKeyParameters"`
	TLSConfig           *TLSConfig                      `json:"tlsConfig"`
	Responses           map[string]*IntegrationResponse `json:"responses"`
}

type extGatewayResponse struct {
	StatusCode         json.RawMessage   `json:"statusCode"`
	ResponseParameters map[string]string `json:"responseParameters"`
	ResponseTemplates  map[string]string `json:"responseTemplates"`
}

// importer carries one import's working copy and its findings.
type importer struct {
	e        *Emulator
	a        *apiState
	mode     string
	basepath string // ignore (default), prepend or split
	// reuse maps paths to the ids they had before an overwrite.
	reuse    map[string]string
	warnings []string
	// schemes maps a security scheme name to how methods use it.
	schemes map[string]importedScheme
}

type importedScheme struct {
	authorizerID string // COGNITO_USER_POOLS, TOKEN or REQUEST authorizer
	authType     string // the method's authorizationType
	apiKey       bool   // the API key scheme
	ignored      bool   // unsupported, warned about
}

func (im *importer) warn(format string, args ...any) {
	im.warnings = append(im.warnings, fmt.Sprintf(format, args...))
}

func importError(format string, args ...any) *apiError {
	return badRequest("Errors found during import:\n\t"+format, args...)
}

// importDefinition applies an OpenAPI body to a copy of a (mode "merge" or
// "overwrite") and returns the copy. On any error, or on warnings when
// failOnWarnings is set, a is untouched and nothing is returned.
func (e *Emulator) importDefinition(a *apiState, body []byte, mode string, q *req) (*apiState, []string, *apiError) {
	failOnWarnings := failOnWarnings(q)
	bp := q.query.Get("basepath")
	if bp != "" && bp != "ignore" && bp != "prepend" && bp != "split" {
		return nil, nil, badRequest("Invalid basepath parameter %q: must be ignore, prepend or split", bp)
	}
	doc, err := parseDefinition(body)
	if err != nil {
		return nil, nil, importError("Invalid OpenAPI input: %v", err)
	}
	im := &importer{e: e, a: cloneAPI(a), mode: mode, basepath: bp, schemes: map[string]importedScheme{}}
	if aerr := im.run(doc); aerr != nil {
		return nil, nil, aerr
	}
	if failOnWarnings && len(im.warnings) > 0 {
		return nil, nil, badRequest("Warnings found during import:\n\t%s", strings.Join(im.warnings, "\n\t"))
	}
	return im.a, im.warnings, nil
}

func (im *importer) run(doc *openapi3.T) *apiError {
	a := im.a
	if doc.Info != nil && (im.mode == "overwrite" || a.RestApi.Name == "") {
		if doc.Info.Title != "" {
			a.RestApi.Name = doc.Info.Title
		}
		a.RestApi.Description = doc.Info.Description
		a.RestApi.Version = doc.Info.Version
	}
	if im.mode == "overwrite" {
		// Overwrite keeps only what the document describes.
		a.GatewayResponses = map[string]*GatewayResponse{}
	}
	if err := im.rootExtensions(doc.Extensions); err != nil {
		return err
	}
	if err := im.authorizers(doc); err != nil {
		return err
	}
	return im.paths(doc)
}

func (im *importer) rootExtensions(ext map[string]any) *apiError {
	a := im.a
	for _, k := range orderedKeys(ext) {
		v := ext[k]
		switch {
		case k == "x-amazon-apigateway-api-key-source":
			s, _ := v.(string)
			s = strings.ToUpper(s)
			if s != "HEADER" && s != "AUTHORIZER" {
				return importError("Invalid x-amazon-apigateway-api-key-source: %v", v)
			}
			a.RestApi.APIKeySource = s
		case k == "x-amazon-apigateway-binary-media-types":
			var types []string
			if err := decodeExt(v, &types); err != nil {
				return importError("Invalid x-amazon-apigateway-binary-media-types: %v", err)
			}
			a.RestApi.BinaryMediaTypes = types
		case k == "x-amazon-apigateway-gateway-responses":
			if err := im.gatewayResponses(v); err != nil {
				return err
			}
		case k == "x-amazon-apigateway-cors":
			im.warn("x-amazon-apigateway-cors applies to HTTP APIs only and was ignored; REST APIs need OPTIONS methods and gateway responses")
		case strings.HasPrefix(k, "x-amazon-apigateway-") && !knownRootExtensions[k]:
			im.warn("Unsupported extension %s was ignored", k)
		}
	}
	return nil
}

func (im *importer) gatewayResponses(v any) *apiError {
	var grs map[string]extGatewayResponse
	if err := decodeExt(v, &grs); err != nil {
		return importError("Invalid x-amazon-apigateway-gateway-responses: %v", err)
	}
	for _, t := range orderedKeys(grs) {
		g := grs[t]
		if _, ok := DefaultGatewayResponseStatus[t]; !ok {
			im.warn("Unknown gateway response type %s was ignored", t)
			continue
		}
		gr := &GatewayResponse{ResponseType: t, ResponseParameters: g.ResponseParameters, ResponseTemplates: g.ResponseTemplates}
		if len(g.StatusCode) > 0 {
			var s string
			if err := json.Unmarshal(g.StatusCode, &s); err != nil {
				var n int
				if err := json.Unmarshal(g.StatusCode, &n); err != nil {
					return importError("Invalid statusCode for gateway response %s", t)
				}
				s = fmt.Sprint(n)
			}
			gr.StatusCode = s
		}
		if err := checkGatewayResponse(gr); err != nil {
			return importError("Gateway response %s: %s", t, err.msg)
		}
		im.a.GatewayResponses[t] = gr
	}
	return nil
}

func (im *importer) authorizers(doc *openapi3.T) *apiError {
	a := im.a
	var schemes openapi3.SecuritySchemes
	if doc.Components != nil {
		schemes = doc.Components.SecuritySchemes
	}
	var imported []*Authorizer
	for _, name := range orderedKeys(schemes) {
		ref := schemes[name]
		if ref == nil || ref.Value == nil {
			return importError("Security scheme %s could not be resolved", name)
		}
		s := ref.Value
		authType, _ := s.Extensions["x-amazon-apigateway-authtype"].(string)
		for k := range s.Extensions {
			if strings.HasPrefix(k, "x-amazon-apigateway-") && k != "x-amazon-apigateway-authtype" && k != "x-amazon-apigateway-authorizer" {
				im.warn("Unsupported extension %s on security scheme %s was ignored", k, name)
			}
		}
		raw, hasAuthorizer := s.Extensions["x-amazon-apigateway-authorizer"]
		switch {
		case hasAuthorizer:
			if s.Type != "apiKey" {
				return importError("Security scheme %s: an x-amazon-apigateway-authorizer requires type apiKey, not %s", name, s.Type)
			}
			var x extAuthorizer
			if err := decodeExt(raw, &x); err != nil {
				return importError("Security scheme %s: invalid x-amazon-apigateway-authorizer: %v", name, err)
			}
			az := &Authorizer{
				Name: name, Type: strings.ToUpper(x.Type), ProviderARNs: x.ProviderARNs, AuthType: authType,
				AuthorizerURI: x.AuthorizerURI, AuthorizerCredentials: x.AuthorizerCredentials,
				IdentitySource: x.IdentitySource, IdentityValidationExpression: x.IdentityValidationExpression,
				ResultTTL: x.ResultTTL,
			}
			if az.IdentitySource == "" && s.In == "header" && s.Name != "" {
				az.IdentitySource = "method.request.header." + s.Name
			}
			if az.Type == "COGNITO_USER_POOLS" && az.AuthType == "" {
				az.AuthType = "cognito_user_pools"
			}
			if err := checkAuthorizer(az); err != nil {
				return importError("Security scheme %s: %s", name, err.msg)
			}
			imported = append(imported, az)
			mt := "CUSTOM"
			if az.Type == "COGNITO_USER_POOLS" {
				mt = "COGNITO_USER_POOLS"
			}
			im.schemes[name] = importedScheme{authType: mt}
		case strings.EqualFold(authType, "awsSigv4"):
			im.schemes[name] = importedScheme{authType: "AWS_IAM"}
		case s.Type == "apiKey" && s.In == "header" && strings.EqualFold(s.Name, "x-api-key"):
			im.schemes[name] = importedScheme{apiKey: true}
		default:
			im.warn("Unsupported security definition type '%s' for '%s'. Ignoring.", s.Type, name)
			im.schemes[name] = importedScheme{ignored: true}
		}
	}
	// Authorizers keep their id when one of the same name exists, so a
	// re-import does not churn ids; overwrite drops the others.
	var kept []*Authorizer
	if im.mode == "merge" {
		kept = a.Authorizers
	}
	for _, az := range imported {
		for _, old := range a.Authorizers {
			if old.Name == az.Name {
				az.ID = old.ID
			}
		}
		replaced := false
		for i, k := range kept {
			if k.Name == az.Name {
				kept[i], replaced = az, true
			}
		}
		if !replaced {
			kept = append(kept, az)
		}
	}
	if len(kept) > im.e.limits.AuthorizersPerAPI {
		return limitExceeded("Maximum number of Authorizers for this API has been reached: %d", im.e.limits.AuthorizersPerAPI)
	}
	a.Authorizers = nil
	for _, az := range kept {
		if az.ID == "" {
			az.ID = a.newAuthorizerID()
		}
		a.Authorizers = append(a.Authorizers, az)
	}
	for _, az := range imported {
		s := im.schemes[az.Name]
		s.authorizerID = az.ID
		im.schemes[az.Name] = s
	}
	return nil
}

// basePath is the path the import strips or prepends (basepath=ignore,
// prepend or split): OAS3's basePath server variable, else the path of the
// first server URL.
func basePath(doc *openapi3.T) string {
	if len(doc.Servers) == 0 || doc.Servers[0] == nil {
		return ""
	}
	s := doc.Servers[0]
	if v := s.Variables["basePath"]; v != nil && v.Default != "" {
		return "/" + strings.Trim(v.Default, "/")
	}
	u, err := url.Parse(s.URL)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(u.Path, "/")
}

// basePathPrefix is what the basepath mode puts before every path:
// nothing for ignore, the base path for prepend, and for split the base
// path without its first segment (which becomes the stage).
func basePathPrefix(doc *openapi3.T, mode string) string {
	switch mode {
	case "prepend":
		return basePath(doc)
	case "split":
		if segs := splitPath(basePath(doc)); len(segs) > 1 {
			return "/" + strings.Join(segs[1:], "/")
		}
	}
	return ""
}

// pathOperations lists a path item's operations by upper-case verb, with
// x-amazon-apigateway-any-method as ANY; other x-amazon-apigateway-*
// extensions on the path are warned about.
func pathOperations(p string, item *openapi3.PathItem, warn func(format string, args ...any)) (map[string]*openapi3.Operation, *apiError) {
	ops := map[string]*openapi3.Operation{}
	for verb, op := range item.Operations() {
		ops[strings.ToUpper(verb)] = op
	}
	for k, v := range item.Extensions {
		switch {
		case k == "x-amazon-apigateway-any-method":
			var op openapi3.Operation
			b, _ := json.Marshal(v)
			if err := op.UnmarshalJSON(b); err != nil {
				return nil, importError("Invalid x-amazon-apigateway-any-method at %s: %v", p, err)
			}
			ops["ANY"] = &op
		case strings.HasPrefix(k, "x-amazon-apigateway-"):
			warn("Unsupported extension %s at path %s was ignored", k, p)
		}
	}
	return ops, nil
}

func (im *importer) paths(doc *openapi3.T) *apiError {
	a := im.a
	prefix := basePathPrefix(doc, im.basepath)
	if im.mode == "overwrite" {
		// Keep ids of paths that survive, so re-imports are stable.
		oldIDs := map[string]string{}
		var root *Resource
		for _, r := range a.Resources {
			oldIDs[r.Path] = r.ID
			if r.ParentID == "" {
				root = r
			}
		}
		root = &Resource{ID: root.ID, Path: "/"}
		a.Resources = []*Resource{root}
		im.reuse = oldIDs
	}
	if doc.Paths == nil {
		return nil
	}
	keys := doc.Paths.Keys()
	sort.Strings(keys)
	for _, p := range keys {
		item := doc.Paths.Value(p)
		if item == nil {
			continue
		}
		full := prefix + p
		r, err := im.ensurePath(full)
		if err != nil {
			return err
		}
		ops, err := pathOperations(p, item, im.warn)
		if err != nil {
			return err
		}
		for _, verb := range orderedKeys(ops) {
			if !httpMethods[verb] {
				im.warn("Unsupported HTTP method %s at path %s was ignored", verb, p)
				continue
			}
			m, err := im.method(verb, p, item, ops[verb])
			if err != nil {
				return err
			}
			if r.Methods == nil {
				r.Methods = map[string]*Method{}
			}
			r.Methods[verb] = m
		}
	}
	return nil
}

// ensurePath finds or creates every resource along path.
func (im *importer) ensurePath(path string) (*Resource, *apiError) {
	a := im.a
	if !strings.HasPrefix(path, "/") {
		return nil, importError("Invalid resource path %s: it must start with /", path)
	}
	var cur *Resource
	for _, r := range a.Resources {
		if r.ParentID == "" {
			cur = r
		}
	}
	for _, part := range splitPath(path) {
		var next *Resource
		for _, r := range a.Resources {
			if r.ParentID == cur.ID && r.PathPart == part {
				next = r
			}
		}
		if next == nil {
			n, err := im.e.addResource(a, cur, part)
			if err != nil {
				if err.status == 429 {
					return nil, err
				}
				return nil, importError("Invalid resource path %s: %s", path, err.msg)
			}
			if id := im.reuse[n.Path]; id != "" {
				if _, err := a.resource(id); err != nil { // not taken
					n.ID = id
				}
			}
			next = n
		}
		cur = next
	}
	return cur, nil
}

func (im *importer) method(verb, path string, item *openapi3.PathItem, op *openapi3.Operation) (*Method, *apiError) {
	where := verb + " " + path
	m := &Method{HTTPMethod: verb, AuthorizationType: "NONE", OperationName: op.OperationID}
	// Root-level security is ignored, as AWS does (known issues).
	if op.Security != nil && len(*op.Security) > 0 {
		if len(*op.Security) > 1 {
			im.warn("Only the first security requirement of %s is used", where)
		}
		req := (*op.Security)[0]
		for _, name := range orderedKeys(req) {
			s, ok := im.schemes[name]
			if !ok {
				return nil, importError("Security requirement %s of %s names no security scheme", name, where)
			}
			switch {
			case s.ignored:
			case s.apiKey:
				m.APIKeyRequired = true
			default:
				if m.AuthorizationType != "NONE" {
					return nil, importError("%s names more than one authorizer in one security requirement", where)
				}
				m.AuthorizationType = s.authType
				m.AuthorizerID = s.authorizerID
				if len(req[name]) > 0 {
					m.AuthorizationScopes = cloneSlice(req[name])
				}
			}
		}
	}
	for _, params := range []openapi3.Parameters{item.Parameters, op.Parameters} {
		for _, pr := range params {
			if pr == nil || pr.Value == nil {
				continue
			}
			loc := map[string]string{"path": "path", "query": "querystring", "header": "header"}[pr.Value.In]
			if loc == "" {
				im.warn("Parameter %s in %s of %s is not supported and was ignored", pr.Value.Name, pr.Value.In, where)
				continue
			}
			if m.RequestParameters == nil {
				m.RequestParameters = map[string]bool{}
			}
			m.RequestParameters["method.request."+loc+"."+pr.Value.Name] = pr.Value.Required || loc == "path"
		}
	}
	if op.Responses != nil {
		for code, rr := range op.Responses.Map() {
			if !statusCodeRE.MatchString(code) || rr == nil || rr.Value == nil {
				continue
			}
			mr := &MethodResponse{StatusCode: code}
			for h := range rr.Value.Headers {
				if mr.ResponseParameters == nil {
					mr.ResponseParameters = map[string]bool{}
				}
				mr.ResponseParameters["method.response.header."+h] = false
			}
			if m.MethodResponses == nil {
				m.MethodResponses = map[string]*MethodResponse{}
			}
			m.MethodResponses[code] = mr
		}
	}
	for k, v := range op.Extensions {
		switch {
		case k == "x-amazon-apigateway-integration":
			in, err := im.integration(where, v)
			if err != nil {
				return nil, err
			}
			m.Integration = in
		case strings.HasPrefix(k, "x-amazon-apigateway-") && !knownOperationExtensions[k]:
			im.warn("Unsupported extension %s on %s was ignored", k, where)
		}
	}
	if err := im.a.checkMethod(m); err != nil {
		return nil, importError("%s: %s", where, err.msg)
	}
	return m, nil
}

func (im *importer) integration(where string, v any) (*Integration, *apiError) {
	var x extIntegration
	if err := decodeExt(v, &x); err != nil {
		return nil, importError("Invalid x-amazon-apigateway-integration on %s: %v", where, err)
	}
	in := &Integration{
		Type: strings.ToUpper(x.Type), HTTPMethod: strings.ToUpper(x.HTTPMethod), URI: x.URI,
		ConnectionType: x.ConnectionType, ConnectionID: x.ConnectionID, Credentials: x.Credentials,
		RequestParameters: x.RequestParameters, RequestTemplates: x.RequestTemplates,
		PassthroughBehavior: strings.ToUpper(x.PassthroughBehavior), ContentHandling: x.ContentHandling,
		TimeoutInMillis: x.TimeoutInMillis, CacheNamespace: x.CacheNamespace,
		CacheKeyParameters: x.CacheKeyParameters, TLSConfig: x.TLSConfig,
	}
	if in.TimeoutInMillis == 0 {
		in.TimeoutInMillis = 29000
	}
	if in.PassthroughBehavior == "" {
		in.PassthroughBehavior = "WHEN_NO_MATCH"
	}
	if in.Type == "MOCK" {
		in.HTTPMethod, in.URI = "", ""
	}
	for _, pattern := range orderedKeys(x.Responses) {
		r := x.Responses[pattern]
		if r == nil {
			continue
		}
		ir := cloneIntegrationResponse(r)
		if pattern != "default" {
			ir.SelectionPattern = pattern
		}
		if !statusCodeRE.MatchString(ir.StatusCode) {
			return nil, importError("Integration response %q on %s has an invalid statusCode %q", pattern, where, ir.StatusCode)
		}
		if in.IntegrationResponses == nil {
			in.IntegrationResponses = map[string]*IntegrationResponse{}
		}
		in.IntegrationResponses[ir.StatusCode] = ir
	}
	if err := checkIntegration(in); err != nil {
		return nil, importError("Invalid integration on %s: %s", where, err.msg)
	}
	return in, nil
}

func orderedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
