package emulator

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v4"
)

// ImportApi and ReimportApi for HTTP APIs (developer guide,
// http-api-open-api.html): an OpenAPI 3.0 document with the
// x-amazon-apigateway-authorizer (type jwt or request),
// -integration (aws_proxy, http_proxy), -cors and -any-method extensions
// becomes the API's routes, integrations, authorizers, CORS, name,
// description and version. ReimportApi overwrites them all ("Overwrites
// the configuration of an existing API using the provided definition",
// the API reference's ReimportApiInput) in one step, so the data plane of
// an auto-deploying stage goes from the old configuration to the new one
// with nothing in between; stages, their variables and deployments are
// kept. What the document says that HTTP APIs cannot do is a warning,
// which with failOnWarnings=true rolls the whole import back (nothing
// changes); an invalid document is an error, which changes nothing either.
//
// Choices where AWS documents nothing: authorizers keep their ids by name
// and routes by route key across a reimport (integrations get new ids);
// a route whose security names a scheme the document does not define, or
// one without x-amazon-apigateway-authorizer, is an error rather than a
// route left open; the document's CORS replaces the API's, and a document
// without x-amazon-apigateway-cors leaves the API without CORS.

// v2ImportInput is ImportApi's and ReimportApi's JSON body.
type v2ImportInput struct {
	Body *string `json:"body"`
}

// v2Imported is the answer: the API with the import's findings.
type v2Imported struct {
	HTTPAPI
	ImportInfo []string `json:"importInfo,omitempty"`
}

func opImportApi(e *Emulator, q *req) (*reply, *apiError) {
	if len(e.httpAPIs)+len(e.apis) >= e.limits.APIs {
		return nil, limitExceeded("Maximum number of APIs (%d) reached", e.limits.APIs)
	}
	id := newID(10)
	for e.httpAPIs[id] != nil || e.apis[id] != nil {
		id = newID(10)
	}
	a := &httpAPIState{Region: q.region, API: HTTPAPI{
		APIID: id, ProtocolType: v2ProtocolHTTP,
		RouteSelectionExpression:  "$request.method $request.path",
		APIKeySelectionExpression: "$request.header.x-api-key",
		APIEndpoint:               "https://" + id + ".execute-api." + q.region + ".amazonaws.com",
		CreatedDate:               isoNow(e), IPAddressType: "ipv4", Tags: map[string]string{},
	}}
	a.fill()
	next, out, aerr := e.importV2(a, q)
	if aerr != nil {
		return nil, aerr
	}
	e.httpAPIs[id] = next
	return created(out)
}

func opReimportApi(e *Emulator, q *req) (*reply, *apiError) {
	a, aerr := e.httpAPI(q, q.params[0])
	if aerr != nil {
		return nil, aerr
	}
	next, out, aerr := e.importV2(a, q)
	if aerr != nil {
		return nil, aerr
	}
	*a = *next
	e.autoDeployLocked(a)
	return created(out)
}

// importV2 builds the API the document describes on top of a's record,
// stages and deployments; a itself is not changed.
func (e *Emulator) importV2(a *httpAPIState, q *req) (*httpAPIState, *v2Imported, *apiError) {
	var in v2ImportInput
	if err := q.decode(&in); err != nil {
		return nil, nil, err
	}
	if in.Body == nil || strings.TrimSpace(*in.Body) == "" {
		return nil, nil, badRequest("Body is required: the OpenAPI 3.0 definition")
	}
	bp := q.query.Get("basepath")
	if bp != "" && bp != "ignore" && bp != "prepend" && bp != "split" {
		return nil, nil, badRequest("Invalid basepath %q: must be ignore, prepend or split", bp)
	}
	failOnWarnings, _ := strconv.ParseBool(q.query.Get("failOnWarnings"))
	var head struct {
		Swagger any `yaml:"swagger"`
	}
	if yaml.Unmarshal([]byte(*in.Body), &head) == nil && head.Swagger != nil {
		return nil, nil, importError("HTTP APIs import OpenAPI 3.0 definitions only, not Swagger 2.0")
	}
	doc, err := parseDefinition([]byte(*in.Body))
	if err != nil {
		return nil, nil, importError("Invalid OpenAPI input: %v", err)
	}
	im := &v2Importer{e: e, old: a, basepath: bp, schemes: map[string]v2Scheme{}}
	next := &httpAPIState{Region: a.Region, API: a.API, Stages: a.Stages, Deployments: a.Deployments}
	next.API.Tags = cloneMap(a.API.Tags)
	im.a = next
	if aerr := im.run(doc); aerr != nil {
		return nil, nil, aerr
	}
	if failOnWarnings && len(im.warnings) > 0 {
		return nil, nil, badRequest("Warnings found during import:\n\t%s", strings.Join(im.warnings, "\n\t"))
	}
	out := &v2Imported{HTTPAPI: next.API, ImportInfo: im.info}
	out.Warnings = im.warnings
	return next, out, nil
}

type v2Importer struct {
	e        *Emulator
	old, a   *httpAPIState
	basepath string
	schemes  map[string]v2Scheme
	warnings []string
	info     []string
}

// v2Scheme is how a security scheme applies to the routes that name it.
type v2Scheme struct {
	authType     string // JWT, CUSTOM or AWS_IAM
	authorizerID string
}

func (im *v2Importer) warn(format string, args ...any) {
	im.warnings = append(im.warnings, fmt.Sprintf(format, args...))
}

var v2RootExtensions = map[string]bool{
	"x-amazon-apigateway-cors":                 true,
	"x-amazon-apigateway-importexport-version": true,
	"x-amazon-apigateway-tag-value":            true,
	"x-amazon-apigateway-policy":               false, // REST only
}

func (im *v2Importer) run(doc *openapi3.T) *apiError {
	a := im.a
	if doc.Info == nil || strings.TrimSpace(doc.Info.Title) == "" {
		return importError("The definition has no info.title, which names the API")
	}
	a.API.Name, a.API.Description, a.API.Version = doc.Info.Title, doc.Info.Description, doc.Info.Version
	a.API.CorsConfiguration = nil
	for _, k := range orderedKeys(doc.Extensions) {
		v := doc.Extensions[k]
		switch {
		case k == "x-amazon-apigateway-cors":
			var c Cors
			if err := decodeExt(v, &c); err != nil {
				return importError("Invalid x-amazon-apigateway-cors: %v", err)
			}
			if aerr := checkCors(&c); aerr != nil {
				return importError("x-amazon-apigateway-cors: %s", aerr.msg)
			}
			a.API.CorsConfiguration = &c
		case k == "x-amazon-apigateway-importexport-version":
			if s, _ := v.(string); s != "1.0" {
				im.warn("Unsupported x-amazon-apigateway-importexport-version %v: the only version is 1.0", v)
			}
		case strings.HasPrefix(k, "x-amazon-apigateway-") && !v2RootExtensions[k]:
			im.warn("Unsupported extension %s for HTTP APIs was ignored", k)
		}
	}
	if len(doc.Security) > 0 {
		im.info = append(im.info, "Root-level security is not applied to HTTP API routes; give each operation its own security")
	}
	if err := im.authorizers(doc); err != nil {
		return err
	}
	return im.paths(doc)
}

type v2ExtAuthorizer struct {
	Type                           string            `json:"type"`
	IdentitySource                 json.RawMessage   `json:"identitySource"`
	JWTConfiguration               *JWTConfiguration `json:"jwtConfiguration"`
	AuthorizerURI                  *string           `json:"authorizerUri"`
	AuthorizerCredentials          *string           `json:"authorizerCredentials"`
	AuthorizerPayloadFormatVersion *string           `json:"authorizerPayloadFormatVersion"`
	AuthorizerResultTTLInSeconds   *int32            `json:"authorizerResultTtlInSeconds"`
	EnableSimpleResponses          *bool             `json:"enableSimpleResponses"`
}

// identitySources takes the extension's identitySource: a string of
// comma-separated sources (as ExportApi writes it) or a list.
func identitySources(raw json.RawMessage) ([]string, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return list, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, err
	}
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			list = append(list, p)
		}
	}
	return list, nil
}

func (im *v2Importer) authorizers(doc *openapi3.T) *apiError {
	var schemes openapi3.SecuritySchemes
	if doc.Components != nil {
		schemes = doc.Components.SecuritySchemes
	}
	for _, name := range orderedKeys(schemes) {
		ref := schemes[name]
		if ref == nil || ref.Value == nil {
			return importError("Security scheme %s could not be resolved", name)
		}
		s := ref.Value
		if t, _ := s.Extensions["x-amazon-apigateway-authtype"].(string); strings.EqualFold(t, "awsSigv4") {
			im.schemes[name] = v2Scheme{authType: v2AuthIAM}
			continue
		}
		raw, ok := s.Extensions["x-amazon-apigateway-authorizer"]
		if !ok {
			// Kept undefined: a route that names it is refused (paths).
			im.warn("Security scheme %s has no x-amazon-apigateway-authorizer and was ignored", name)
			continue
		}
		var x v2ExtAuthorizer
		if err := decodeExt(raw, &x); err != nil {
			return importError("Security scheme %s: invalid x-amazon-apigateway-authorizer: %v", name, err)
		}
		sources, err := identitySources(x.IdentitySource)
		if err != nil {
			return importError("Security scheme %s: invalid identitySource: %v", name, err)
		}
		typ := strings.ToUpper(x.Type)
		in := authorizerInput{Name: &name, AuthorizerType: &typ, JWTConfiguration: x.JWTConfiguration, AuthorizerURI: x.AuthorizerURI,
			AuthorizerCredentialsArn: x.AuthorizerCredentials, AuthorizerPayloadFormatVersion: x.AuthorizerPayloadFormatVersion,
			AuthorizerResultTTLInSeconds: x.AuthorizerResultTTLInSeconds, EnableSimpleResponses: x.EnableSimpleResponses}
		if sources == nil && typ == v2AuthorizerJWT {
			sources = []string{"$request.header.Authorization"}
		}
		// An openIdConnect scheme may leave the issuer out: it is what
		// the fully formed openIdConnectUrl names before
		// /.well-known/openid-configuration
		// (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html).
		if typ == v2AuthorizerJWT && strings.EqualFold(s.Type, "openIdConnect") && (in.JWTConfiguration == nil || in.JWTConfiguration.Issuer == "") {
			iss, ok := strings.CutSuffix(s.OpenIdConnectUrl, "/.well-known/openid-configuration")
			if !ok {
				return importError("Security scheme %s: openIdConnectUrl %q is not a fully formed discovery URL (ISSUER/.well-known/openid-configuration)", name, s.OpenIdConnectUrl)
			}
			cfg := JWTConfiguration{Issuer: iss}
			if in.JWTConfiguration != nil {
				cfg.Audience = in.JWTConfiguration.Audience
			}
			in.JWTConfiguration = &cfg
		}
		if sources != nil {
			in.IdentitySource = &sources
		}
		az := &HTTPAuthorizer{AuthorizerID: newID(6)}
		for _, o := range im.old.Authorizers {
			if o.Name == name {
				az.AuthorizerID = o.AuthorizerID
			}
		}
		if aerr := in.apply(az); aerr != nil {
			return importError("Security scheme %s: %s", name, aerr.msg)
		}
		if len(im.a.Authorizers) >= im.e.limits.AuthorizersPerAPI {
			return limitExceeded("Maximum number of Authorizers for this API has been reached: %d", im.e.limits.AuthorizersPerAPI)
		}
		im.a.Authorizers = append(im.a.Authorizers, az)
		authType := v2AuthJWT
		if typ == v2AuthorizerRequest {
			authType = v2AuthCustom
		}
		im.schemes[name] = v2Scheme{authType: authType, authorizerID: az.AuthorizerID}
	}
	return nil
}

type v2ExtIntegration struct {
	Type                 string            `json:"type"`
	HTTPMethod           *string           `json:"httpMethod"`
	URI                  *string           `json:"uri"`
	PayloadFormatVersion json.RawMessage   `json:"payloadFormatVersion"`
	ConnectionType       *string           `json:"connectionType"`
	ConnectionID         *string           `json:"connectionId"`
	Credentials          *string           `json:"credentials"`
	TimeoutInMillis      *extInt32         `json:"timeoutInMillis"`
	RequestParameters    map[string]string `json:"requestParameters"`
	TLSConfig            *struct {
		ServerNameToVerify string `json:"serverNameToVerify,omitempty"`
	} `json:"tlsConfig"`
}

// extInt32 is a whole number written as a JSON number or as a string of
// one ("29000"): the spec reader (spec/oasspec) reads timeoutInMillis
// either way, so an import here must too (docs/spec.md, "HTTP APIs").
type extInt32 int32

func (n *extInt32) UnmarshalJSON(b []byte) error {
	var v int32
	if err := json.Unmarshal(b, &v); err == nil {
		*n = extInt32(v)
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("%s is not a whole number", b)
	}
	i, err := strconv.ParseInt(strings.TrimSpace(s), 10, 32)
	if err != nil {
		return fmt.Errorf("%q is not a whole number", s)
	}
	*n = extInt32(i)
	return nil
}

var v2OperationVerbs = map[string]bool{"GET": true, "PUT": true, "POST": true, "DELETE": true, "OPTIONS": true, "HEAD": true, "PATCH": true}

func (im *v2Importer) paths(doc *openapi3.T) *apiError {
	if doc.Paths == nil {
		return nil
	}
	prefix := basePathPrefix(doc, im.basepath)
	keys := doc.Paths.Keys()
	sort.Strings(keys)
	seen := map[string]bool{}
	for _, p := range keys {
		item := doc.Paths.Value(p)
		if item == nil {
			continue
		}
		ops, aerr := pathOperations(p, item, im.warn)
		if aerr != nil {
			return aerr
		}
		for _, verb := range orderedKeys(ops) {
			if verb != "ANY" && !v2OperationVerbs[verb] {
				im.warn("Unsupported HTTP method %s at path %s was ignored", verb, p)
				continue
			}
			op := ops[verb]
			key := verb + " " + prefix + p
			if def, _ := op.Extensions["isDefaultRoute"].(bool); def || (p == "/"+DefaultRoute && verb == "ANY") {
				key = DefaultRoute
			}
			if seen[key] {
				return importError("Route %s is defined twice", key)
			}
			seen[key] = true
			if err := im.route(key, doc, op); err != nil {
				return err
			}
		}
	}
	if len(im.a.Routes) > v2RoutesPerAPI {
		return limitExceeded("Maximum number of routes (%d) for this API reached", v2RoutesPerAPI)
	}
	if len(im.a.Integrations) > v2IntegrationsPerAPI {
		return limitExceeded("Maximum number of integrations (%d) for this API reached", v2IntegrationsPerAPI)
	}
	return nil
}

// route adds one operation's route and integration.
func (im *v2Importer) route(key string, doc *openapi3.T, op *openapi3.Operation) *apiError {
	r := &HTTPRoute{RouteID: newID(7), RouteKey: key}
	for _, o := range im.old.Routes {
		if o.RouteKey == key {
			r.RouteID = o.RouteID
		}
	}
	in := routeInput{}
	if op.OperationID != "" {
		in.OperationName = &op.OperationID
	}
	if op.RequestBody != nil {
		im.info = append(im.info, fmt.Sprintf("%s: requestBody is not validated by HTTP APIs and was ignored", key))
	}
	// Root-level security is not applied: AWS documents nothing on it for
	// HTTP APIs and its REST importer ignores it (docs/spec.md, "HTTP
	// APIs"). Ignoring it is the reading under which a route that relies
	// on it shows up open here, as `portcullis validate` flags it, rather
	// than protected here and possibly open on AWS.
	var security openapi3.SecurityRequirements
	if op.Security != nil {
		security = *op.Security
	}
	authType := v2AuthNone
	in.AuthorizationType = &authType
	for i, req := range security {
		if i > 0 {
			im.warn("%s: HTTP API routes take one security requirement; only the first was imported", key)
			break
		}
		if len(req) > 1 {
			im.warn("%s: HTTP API routes take one authorizer; only the first security scheme was imported", key)
		}
		for _, name := range orderedKeys(req) {
			s, ok := im.schemes[name]
			if !ok {
				return importError("%s: security scheme %s is not defined with an x-amazon-apigateway-authorizer, so the route cannot be authorized", key, name)
			}
			authType = s.authType
			if s.authorizerID != "" {
				id := s.authorizerID
				in.AuthorizerID = &id
			}
			if scopes := req[name]; len(scopes) > 0 {
				if s.authType != v2AuthJWT {
					im.warn("%s: scopes apply to JWT authorizers only and were ignored", key)
				} else {
					sc := append([]string(nil), scopes...)
					in.AuthorizationScopes = &sc
				}
			}
			break
		}
	}
	if raw, ok := op.Extensions["x-amazon-apigateway-integration"]; ok {
		var x v2ExtIntegration
		if err := decodeExt(raw, &x); err != nil {
			return importError("%s: invalid x-amazon-apigateway-integration: %v", key, err)
		}
		typ := strings.ToUpper(x.Type)
		if typ != v2IntegrationAWSProxy && typ != v2IntegrationHTTPProxy {
			im.warn("%s: HTTP APIs support only Lambda proxy (aws_proxy) and HTTP proxy (http_proxy) integrations; %s was ignored", key, x.Type)
		} else {
			ii := integrationInput{IntegrationType: &typ, IntegrationMethod: x.HTTPMethod, IntegrationURI: x.URI,
				ConnectionType: x.ConnectionType, ConnectionID: x.ConnectionID, CredentialsArn: x.Credentials,
				TimeoutInMillis: (*int32)(x.TimeoutInMillis), RequestParameters: x.RequestParameters, TLSConfig: x.TLSConfig}
			if len(x.PayloadFormatVersion) > 0 {
				// 1.0 and 2.0 come as strings or, in YAML, as numbers.
				v := strings.Trim(string(x.PayloadFormatVersion), `"`)
				if v == "1" || v == "2" {
					v += ".0"
				}
				ii.PayloadFormatVersion = &v
			}
			it := &HTTPIntegration{IntegrationID: newID(7)}
			if aerr := ii.apply(it); aerr != nil {
				return importError("%s: x-amazon-apigateway-integration: %s", key, aerr.msg)
			}
			im.a.Integrations = append(im.a.Integrations, it)
			target := "integrations/" + it.IntegrationID
			in.Target = &target
		}
	}
	if aerr := in.apply(im.a, r); aerr != nil {
		return importError("%s: %s", key, aerr.msg)
	}
	im.a.Routes = append(im.a.Routes, r)
	return nil
}
