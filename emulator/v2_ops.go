package emulator

import (
	"encoding/base64"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// v2Routes is the apigatewayv2 operation table (the SDK's URIs and verbs),
// served under /v2.
func (e *Emulator) v2Routes() []route {
	const x = ""
	api := func(rest ...string) []string { return append(p("v2", "apis", x), rest...) }
	return []route{
		{"GET", p("v2", "apis"), "GetApis", opGetApis, false},
		{"POST", p("v2", "apis"), "CreateApi", opCreateApi, true},
		{"PUT", p("v2", "apis"), "ImportApi", opImportApi, true},
		{"GET", api(), "GetApi", opGetApi, false},
		{"PATCH", api(), "UpdateApi", opUpdateApi, true},
		{"PUT", api(), "ReimportApi", opReimportApi, true},
		{"DELETE", api(), "DeleteApi", opDeleteApi, true},
		{"DELETE", api("cors"), "DeleteCorsConfiguration", opDeleteCorsConfiguration, true},
		{"GET", api("exports", x), "ExportApi", opExportApi, false},

		{"GET", api("authorizers"), "GetAuthorizers", v2Authorizers.getAll, false},
		{"POST", api("authorizers"), "CreateAuthorizer", v2Create(v2Authorizers, newV2Authorizer), true},
		{"GET", api("authorizers", x), "GetAuthorizer", v2Authorizers.get, false},
		{"PATCH", api("authorizers", x), "UpdateAuthorizer", v2Update(v2Authorizers, updateV2Authorizer), true},
		{"DELETE", api("authorizers", x), "DeleteAuthorizer", v2Authorizers.deleter(v2AuthorizerInUse), true},

		{"GET", api("integrations"), "GetIntegrations", v2Integrations.getAll, false},
		{"POST", api("integrations"), "CreateIntegration", v2Create(v2Integrations, newV2Integration), true},
		{"GET", api("integrations", x), "GetIntegration", v2Integrations.get, false},
		{"PATCH", api("integrations", x), "UpdateIntegration", v2Update(v2Integrations, updateV2Integration), true},
		{"DELETE", api("integrations", x), "DeleteIntegration", v2Integrations.deleter(v2IntegrationInUse), true},

		{"GET", api("routes"), "GetRoutes", v2RouteList.getAll, false},
		{"POST", api("routes"), "CreateRoute", v2Create(v2RouteList, newV2Route), true},
		{"GET", api("routes", x), "GetRoute", v2RouteList.get, false},
		{"PATCH", api("routes", x), "UpdateRoute", v2Update(v2RouteList, updateV2Route), true},
		{"DELETE", api("routes", x), "DeleteRoute", v2RouteList.deleter(nil), true},

		{"GET", api("stages"), "GetStages", opGetV2Stages, false},
		{"POST", api("stages"), "CreateStage", opCreateV2Stage, true},
		{"GET", api("stages", x), "GetStage", opGetV2Stage, false},
		{"PATCH", api("stages", x), "UpdateStage", opUpdateV2Stage, true},
		{"DELETE", api("stages", x), "DeleteStage", opDeleteV2Stage, true},
		{"DELETE", api("stages", x, "accesslogsettings"), "DeleteAccessLogSettings", opDeleteV2AccessLogSettings, true},
		{"DELETE", api("stages", x, "routesettings", x), "DeleteRouteSettings", opDeleteV2RouteSettings, true},
		{"DELETE", api("stages", x, "cache", "authorizers"), "ResetAuthorizersCache", opResetAuthorizersCache, false},

		{"GET", api("deployments"), "GetDeployments", opGetV2Deployments, false},
		{"POST", api("deployments"), "CreateDeployment", opCreateV2Deployment, true},
		{"GET", api("deployments", x), "GetDeployment", opGetV2Deployment, false},
		{"PATCH", api("deployments", x), "UpdateDeployment", opUpdateV2Deployment, true},
		{"DELETE", api("deployments", x), "DeleteDeployment", opDeleteV2Deployment, true},

		{"GET", p("v2", "tags", x), "GetTags", opGetV2Tags, false},
		{"POST", p("v2", "tags", x), "TagResource", opTagV2Resource, true},
		{"DELETE", p("v2", "tags", x), "UntagResource", opUntagV2Resource, true},
	}
}

// v2Limits are the HTTP API quotas (developer guide, http-api-quotas.html).
const (
	v2RoutesPerAPI       = 300
	v2IntegrationsPerAPI = 300
	v2AudiencesPerAuth   = 50
	v2ScopesPerRoute     = 10
	v2MaxTimeoutMillis   = 30000
)

func isoNow(e *Emulator) string { return e.now().UTC().Format(time.RFC3339) }

// v2Page applies maxResults and nextToken to items: {"items":[...],"nextToken":"..."}.
func v2Page[T any](q *req, items []T) (*reply, *apiError) {
	limit := 25 // (inf.) AWS documents no default page size
	if s := q.query.Get("maxResults"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 500 {
			return nil, badRequest("maxResults must be a number between 1 and 500")
		}
		limit = n
	}
	start := 0
	if s := q.query.Get("nextToken"); s != "" {
		raw, err := base64.RawURLEncoding.DecodeString(s)
		n, err2 := strconv.Atoi(strings.TrimPrefix(string(raw), "o"))
		if err != nil || err2 != nil || n < 0 {
			return nil, badRequest("Invalid nextToken")
		}
		start = min(n, len(items))
	}
	end := min(start+limit, len(items))
	out := struct {
		Items     []T    `json:"items"`
		NextToken string `json:"nextToken,omitempty"`
	}{Items: items[start:end]}
	if out.Items == nil {
		out.Items = []T{}
	}
	if end < len(items) {
		out.NextToken = base64.RawURLEncoding.EncodeToString([]byte("o" + strconv.Itoa(end)))
	}
	return ok(out)
}

// setIf sets *dst to *src when the request body carried the field.
func setIf[T any](dst, src *T) {
	if src != nil {
		*dst = *src
	}
}

// httpAPI finds an HTTP API of the request's region: one server keeps
// each region's APIs apart, as for REST APIs.
func (e *Emulator) httpAPI(q *req, id string) (*httpAPIState, *apiError) {
	if a := e.httpAPIs[id]; a != nil && a.Region == q.region {
		return a, nil
	}
	return nil, notFound("Invalid API identifier specified %s:%s", account, id)
}

// v2Kind is a kind of object an HTTP API keeps in a list (authorizers,
// integrations, routes). Its Get, Get-all, Create, Update and Delete
// handlers are the same but for what is said here and the checks each
// kind's functions make.
type v2Kind[T any] struct {
	noun string // in the not-found message: "Invalid Route identifier specified"
	list func(*httpAPIState) *[]*T
	id   func(*T) string
}

var (
	v2Authorizers = v2Kind[HTTPAuthorizer]{"Authorizer",
		func(a *httpAPIState) *[]*HTTPAuthorizer { return &a.Authorizers }, func(x *HTTPAuthorizer) string { return x.AuthorizerID }}
	v2Integrations = v2Kind[HTTPIntegration]{"Integration",
		func(a *httpAPIState) *[]*HTTPIntegration { return &a.Integrations }, func(x *HTTPIntegration) string { return x.IntegrationID }}
	v2RouteList = v2Kind[HTTPRoute]{"Route",
		func(a *httpAPIState) *[]*HTTPRoute { return &a.Routes }, func(x *HTTPRoute) string { return x.RouteID }}
)

// find is the index of the object id in a's list.
func (k v2Kind[T]) find(a *httpAPIState, id string) (int, *apiError) {
	for i, x := range *k.list(a) {
		if k.id(x) == id {
			return i, nil
		}
	}
	return -1, notFound("Invalid %s identifier specified %s:%s", k.noun, account, id)
}

// lookup finds the request's API (the first path parameter) and the
// object's index (the second).
func (k v2Kind[T]) lookup(e *Emulator, q *req) (*httpAPIState, int, *apiError) {
	a, aerr := e.httpAPI(q, q.params[0])
	if aerr != nil {
		return nil, -1, aerr
	}
	i, aerr := k.find(a, q.params[1])
	return a, i, aerr
}

func (k v2Kind[T]) getAll(e *Emulator, q *req) (*reply, *apiError) {
	a, aerr := e.httpAPI(q, q.params[0])
	if aerr != nil {
		return nil, aerr
	}
	return v2Page(q, *k.list(a))
}

func (k v2Kind[T]) get(e *Emulator, q *req) (*reply, *apiError) {
	a, i, aerr := k.lookup(e, q)
	if aerr != nil {
		return nil, aerr
	}
	return ok((*k.list(a))[i])
}

// v2Create is the Create handler: build checks the body against a and
// makes the object, which is appended and deployed to auto-deploy stages.
func v2Create[T, I any](k v2Kind[T], build func(e *Emulator, a *httpAPIState, in *I) (*T, *apiError)) opFunc {
	return func(e *Emulator, q *req) (*reply, *apiError) {
		a, aerr := e.httpAPI(q, q.params[0])
		if aerr != nil {
			return nil, aerr
		}
		var in I
		if err := q.decode(&in); err != nil {
			return nil, err
		}
		x, aerr := build(e, a, &in)
		if aerr != nil {
			return nil, aerr
		}
		*k.list(a) = append(*k.list(a), x)
		e.autoDeployLocked(a)
		return created(x)
	}
}

// v2Update is the Update handler: change applies the body to a copy of
// the i-th object (next), which replaces it only when change accepts it.
func v2Update[T, I any](k v2Kind[T], change func(a *httpAPIState, i int, in *I, next *T) *apiError) opFunc {
	return func(e *Emulator, q *req) (*reply, *apiError) {
		a, i, aerr := k.lookup(e, q)
		if aerr != nil {
			return nil, aerr
		}
		var in I
		if err := q.decode(&in); err != nil {
			return nil, err
		}
		list := *k.list(a)
		next := *list[i]
		if aerr := change(a, i, &in, &next); aerr != nil {
			return nil, aerr
		}
		list[i] = &next
		e.autoDeployLocked(a)
		return ok(&next)
	}
}

// deleter is the Delete handler; inUse (nil: none) refuses to delete what
// something else still refers to.
func (k v2Kind[T]) deleter(inUse func(a *httpAPIState, id string) *apiError) opFunc {
	return func(e *Emulator, q *req) (*reply, *apiError) {
		a, i, aerr := k.lookup(e, q)
		if aerr != nil {
			return nil, aerr
		}
		if inUse != nil {
			if aerr := inUse(a, q.params[1]); aerr != nil {
				return nil, aerr
			}
		}
		list := k.list(a)
		*list = append((*list)[:i:i], (*list)[i+1:]...)
		e.autoDeployLocked(a)
		return noContent()
	}
}

// ---- APIs ----

type apiInput struct {
	Name                      *string           `json:"name"`
	ProtocolType              *string           `json:"protocolType"`
	Description               *string           `json:"description"`
	Version                   *string           `json:"version"`
	RouteSelectionExpression  *string           `json:"routeSelectionExpression"`
	APIKeySelectionExpression *string           `json:"apiKeySelectionExpression"`
	CorsConfiguration         *Cors             `json:"corsConfiguration"`
	DisableExecuteAPIEndpoint *bool             `json:"disableExecuteApiEndpoint"`
	DisableSchemaValidation   *bool             `json:"disableSchemaValidation"`
	IPAddressType             *string           `json:"ipAddressType"`
	Tags                      map[string]string `json:"tags"`
	// Quick create.
	Target         *string `json:"target"`
	RouteKey       *string `json:"routeKey"`
	CredentialsArn *string `json:"credentialsArn"`
}

func opGetApis(e *Emulator, q *req) (*reply, *apiError) {
	ids := make([]string, 0, len(e.httpAPIs))
	for id, a := range e.httpAPIs {
		if a.Region == q.region {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	items := make([]*HTTPAPI, 0, len(ids))
	for _, id := range ids {
		items = append(items, &e.httpAPIs[id].API)
	}
	return v2Page(q, items)
}

func opCreateApi(e *Emulator, q *req) (*reply, *apiError) {
	var in apiInput
	if err := q.decode(&in); err != nil {
		return nil, err
	}
	if in.Name == nil || strings.TrimSpace(*in.Name) == "" {
		return nil, badRequest("Invalid API name specified")
	}
	if in.ProtocolType == nil {
		return nil, badRequest("ProtocolType is required")
	}
	switch *in.ProtocolType {
	case v2ProtocolHTTP:
	case v2ProtocolWebSocket:
		return nil, badRequest("WEBSOCKET APIs are not emulated by the local gateway; only HTTP APIs are")
	default:
		return nil, badRequest("Invalid protocol type %q: want HTTP or WEBSOCKET", *in.ProtocolType)
	}
	if len(e.httpAPIs)+len(e.apis) >= e.limits.APIs {
		return nil, limitExceeded("Maximum number of APIs (%d) reached", e.limits.APIs)
	}
	id := newID(10)
	for e.httpAPIs[id] != nil || e.apis[id] != nil {
		id = newID(10)
	}
	now := isoNow(e)
	a := &httpAPIState{Region: q.region, API: HTTPAPI{
		APIID: id, Name: *in.Name, ProtocolType: v2ProtocolHTTP,
		RouteSelectionExpression:  "$request.method $request.path",
		APIKeySelectionExpression: "$request.header.x-api-key",
		APIEndpoint:               "https://" + id + ".execute-api." + q.region + ".amazonaws.com",
		CreatedDate:               now, IPAddressType: "ipv4", Tags: map[string]string{},
	}}
	a.fill()
	if aerr := a.applyAPI(&in); aerr != nil {
		return nil, aerr
	}
	if in.Target != nil && *in.Target != "" {
		// Quick create: an integration, a route and an auto-deploying
		// $default stage (http-api-develop.html, "quick create").
		key := DefaultRoute
		if in.RouteKey != nil && *in.RouteKey != "" {
			key = *in.RouteKey
		}
		if aerr := checkRouteKey(key); aerr != nil {
			return nil, aerr
		}
		typ, method := v2IntegrationHTTPProxy, "ANY"
		if strings.HasPrefix(*in.Target, "arn:") {
			typ, method = v2IntegrationAWSProxy, "POST"
		}
		integ := &HTTPIntegration{IntegrationID: newID(7), IntegrationType: typ, IntegrationMethod: method,
			IntegrationURI: *in.Target, PayloadFormatVersion: "2.0", ConnectionType: "INTERNET", TimeoutInMillis: v2MaxTimeoutMillis}
		if typ == v2IntegrationHTTPProxy {
			integ.PayloadFormatVersion = "1.0"
		}
		a.Integrations = append(a.Integrations, integ)
		a.Routes = append(a.Routes, &HTTPRoute{RouteID: newID(7), RouteKey: key, AuthorizationType: v2AuthNone, Target: "integrations/" + integ.IntegrationID})
		a.Stages[DefaultStage] = &HTTPStage{StageName: DefaultStage, AutoDeploy: true, Tags: map[string]string{}, CreatedDate: now, LastUpdatedDate: now}
	}
	e.httpAPIs[id] = a
	e.autoDeployLocked(a)
	return created(&a.API)
}

// applyAPI sets the fields an UpdateApi (or CreateApi) body carries.
func (a *httpAPIState) applyAPI(in *apiInput) *apiError {
	if in.Name != nil {
		if strings.TrimSpace(*in.Name) == "" {
			return badRequest("Invalid API name specified")
		}
		a.API.Name = *in.Name
	}
	setIf(&a.API.Description, in.Description)
	setIf(&a.API.Version, in.Version)
	if in.RouteSelectionExpression != nil && *in.RouteSelectionExpression != "$request.method $request.path" {
		return badRequest("Unsupported route selection expression for HTTP APIs: %s", *in.RouteSelectionExpression)
	}
	setIf(&a.API.APIKeySelectionExpression, in.APIKeySelectionExpression)
	if in.IPAddressType != nil {
		if *in.IPAddressType != "ipv4" && *in.IPAddressType != "dualstack" {
			return badRequest("Invalid ipAddressType %q: want ipv4 or dualstack", *in.IPAddressType)
		}
		a.API.IPAddressType = *in.IPAddressType
	}
	setIf(&a.API.DisableExecuteAPIEndpoint, in.DisableExecuteAPIEndpoint)
	setIf(&a.API.DisableSchemaValidation, in.DisableSchemaValidation)
	if in.CorsConfiguration != nil {
		if aerr := checkCors(in.CorsConfiguration); aerr != nil {
			return aerr
		}
		a.API.CorsConfiguration = cloneCors(in.CorsConfiguration)
	}
	for k, v := range in.Tags {
		a.API.Tags[k] = v
	}
	return nil
}

func checkCors(c *Cors) *apiError {
	if c.MaxAge != nil && (*c.MaxAge < -1 || *c.MaxAge > 86400) {
		return badRequest("CORS maxAge must be between -1 and 86400")
	}
	wild := false
	for _, o := range c.AllowOrigins {
		if o == "*" {
			wild = true
		}
	}
	// http-api-cors.html: credentials cannot be allowed for every origin.
	if wild && c.AllowCredentials != nil && *c.AllowCredentials {
		return badRequest("allow-credentials is not supported when allow-origin is '*'")
	}
	return nil
}

func opGetApi(e *Emulator, q *req) (*reply, *apiError) {
	a, aerr := e.httpAPI(q, q.params[0])
	if aerr != nil {
		return nil, aerr
	}
	return ok(&a.API)
}

func opUpdateApi(e *Emulator, q *req) (*reply, *apiError) {
	a, aerr := e.httpAPI(q, q.params[0])
	if aerr != nil {
		return nil, aerr
	}
	var in apiInput
	if err := q.decode(&in); err != nil {
		return nil, err
	}
	if in.ProtocolType != nil && *in.ProtocolType != a.API.ProtocolType {
		return nil, badRequest("The protocol type of an API cannot be changed")
	}
	next := *a
	next.API.Tags = cloneMap(a.API.Tags)
	if aerr := next.applyAPI(&in); aerr != nil {
		return nil, aerr
	}
	a.API = next.API
	e.autoDeployLocked(a)
	return ok(&a.API)
}

func opDeleteApi(e *Emulator, q *req) (*reply, *apiError) {
	if _, aerr := e.httpAPI(q, q.params[0]); aerr != nil {
		return nil, aerr
	}
	delete(e.httpAPIs, q.params[0])
	return noContent()
}

func opDeleteCorsConfiguration(e *Emulator, q *req) (*reply, *apiError) {
	a, aerr := e.httpAPI(q, q.params[0])
	if aerr != nil {
		return nil, aerr
	}
	a.API.CorsConfiguration = nil
	e.autoDeployLocked(a)
	return noContent()
}

// ---- authorizers ----

type authorizerInput struct {
	Name                           *string           `json:"name"`
	AuthorizerType                 *string           `json:"authorizerType"`
	IdentitySource                 *[]string         `json:"identitySource"`
	JWTConfiguration               *JWTConfiguration `json:"jwtConfiguration"`
	AuthorizerURI                  *string           `json:"authorizerUri"`
	AuthorizerCredentialsArn       *string           `json:"authorizerCredentialsArn"`
	AuthorizerPayloadFormatVersion *string           `json:"authorizerPayloadFormatVersion"`
	AuthorizerResultTTLInSeconds   *int32            `json:"authorizerResultTtlInSeconds"`
	EnableSimpleResponses          *bool             `json:"enableSimpleResponses"`
	IdentityValidationExpression   *string           `json:"identityValidationExpression"`
}

var identitySourceRe = regexp.MustCompile(`^\$request\.(header|querystring)\.[A-Za-z0-9!#$%&'*+.^_` + "`" + `|~-]+$`)

func (in *authorizerInput) apply(az *HTTPAuthorizer) *apiError {
	setIf(&az.Name, in.Name)
	setIf(&az.AuthorizerType, in.AuthorizerType)
	if in.IdentitySource != nil {
		az.IdentitySource = cloneSlice(*in.IdentitySource)
	}
	if in.JWTConfiguration != nil {
		j := *in.JWTConfiguration
		j.Audience = cloneSlice(j.Audience)
		if az.JWTConfiguration != nil && in.JWTConfiguration.Issuer == "" {
			j.Issuer = az.JWTConfiguration.Issuer
		}
		if az.JWTConfiguration != nil && in.JWTConfiguration.Audience == nil {
			j.Audience = az.JWTConfiguration.Audience
		}
		az.JWTConfiguration = &j
	}
	setIf(&az.AuthorizerURI, in.AuthorizerURI)
	setIf(&az.AuthorizerCredentialsArn, in.AuthorizerCredentialsArn)
	setIf(&az.AuthorizerPayloadFormatVersion, in.AuthorizerPayloadFormatVersion)
	setIf(&az.IdentityValidationExpression, in.IdentityValidationExpression)
	if in.AuthorizerResultTTLInSeconds != nil {
		v := *in.AuthorizerResultTTLInSeconds
		az.AuthorizerResultTTLInSeconds = &v
	}
	setIf(&az.EnableSimpleResponses, in.EnableSimpleResponses)
	if strings.TrimSpace(az.Name) == "" {
		return badRequest("Authorizer name is required")
	}
	switch az.AuthorizerType {
	case v2AuthorizerJWT:
		if az.JWTConfiguration == nil || az.JWTConfiguration.Issuer == "" {
			return badRequest("JwtConfiguration.Issuer is required for a JWT authorizer")
		}
		// JWTConfiguration: Audience is "Required for the JWT authorizer
		// type" (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-apigatewayv2-authorizer-jwtconfiguration.html);
		// an authorizer without one would admit no token at all.
		if len(az.JWTConfiguration.Audience) == 0 {
			return badRequest("JwtConfiguration.Audience is required for a JWT authorizer")
		}
		if len(az.JWTConfiguration.Audience) > v2AudiencesPerAuth {
			return badRequest("A JWT authorizer takes at most %d audiences", v2AudiencesPerAuth)
		}
		if len(az.IdentitySource) != 1 {
			return badRequest("A JWT authorizer takes exactly one identity source")
		}
		if !identitySourceRe.MatchString(az.IdentitySource[0]) {
			return badRequest("Invalid identity source %q: want $request.header.NAME or $request.querystring.NAME", az.IdentitySource[0])
		}
		if az.AuthorizerURI != "" {
			return badRequest("AuthorizerUri is not supported for a JWT authorizer")
		}
	case v2AuthorizerRequest:
		if az.AuthorizerURI == "" {
			return badRequest("AuthorizerUri is required for a REQUEST authorizer")
		}
		if az.JWTConfiguration != nil {
			return badRequest("JwtConfiguration is supported only for a JWT authorizer")
		}
	default:
		return badRequest("Invalid authorizer type %q: want JWT or REQUEST", az.AuthorizerType)
	}
	return nil
}

func newV2Authorizer(e *Emulator, a *httpAPIState, in *authorizerInput) (*HTTPAuthorizer, *apiError) {
	if len(a.Authorizers) >= e.limits.AuthorizersPerAPI {
		// anomalyco/sst#4522: the v2 quota answers 429 ConflictException.
		return nil, errf(429, "ConflictException", "Maximum number of Authorizers for this API has been reached. Please contact AWS if you need additional Authorizers.")
	}
	if in.AuthorizerType == nil {
		return nil, badRequest("AuthorizerType is required")
	}
	if in.IdentitySource == nil && *in.AuthorizerType == v2AuthorizerJWT {
		return nil, badRequest("IdentitySource is required for a JWT authorizer")
	}
	az := &HTTPAuthorizer{AuthorizerID: newID(6)}
	if aerr := in.apply(az); aerr != nil {
		return nil, aerr
	}
	for _, o := range a.Authorizers {
		if o.Name == az.Name {
			return nil, conflict("Authorizer with name %s already exists for this API", az.Name)
		}
	}
	return az, nil
}

func updateV2Authorizer(a *httpAPIState, i int, in *authorizerInput, next *HTTPAuthorizer) *apiError {
	if aerr := in.apply(next); aerr != nil {
		return aerr
	}
	if next.AuthorizerType != a.Authorizers[i].AuthorizerType {
		for _, r := range a.Routes {
			if r.AuthorizerID == next.AuthorizerID {
				return badRequest("Authorizer %s is in use by route %s; its type cannot change", next.AuthorizerID, r.RouteKey)
			}
		}
	}
	return nil
}

func v2AuthorizerInUse(a *httpAPIState, id string) *apiError {
	var users []string
	for _, r := range a.Routes {
		if r.AuthorizerID == id {
			users = append(users, r.RouteKey)
		}
	}
	if len(users) > 0 {
		return conflict("Cannot delete authorizer %s: it is used by routes [%s]", id, strings.Join(users, ", "))
	}
	return nil
}

// ---- integrations ----

type integrationInput struct {
	IntegrationType      *string                      `json:"integrationType"`
	IntegrationMethod    *string                      `json:"integrationMethod"`
	IntegrationURI       *string                      `json:"integrationUri"`
	IntegrationSubtype   *string                      `json:"integrationSubtype"`
	PayloadFormatVersion *string                      `json:"payloadFormatVersion"`
	ConnectionType       *string                      `json:"connectionType"`
	ConnectionID         *string                      `json:"connectionId"`
	CredentialsArn       *string                      `json:"credentialsArn"`
	Description          *string                      `json:"description"`
	TimeoutInMillis      *int32                       `json:"timeoutInMillis"`
	RequestParameters    map[string]string            `json:"requestParameters"`
	ResponseParameters   map[string]map[string]string `json:"responseParameters"`
	TLSConfig            *struct {
		ServerNameToVerify string `json:"serverNameToVerify,omitempty"`
	} `json:"tlsConfig"`
}

func (in *integrationInput) apply(it *HTTPIntegration) *apiError {
	setIf(&it.IntegrationType, in.IntegrationType)
	setIf(&it.IntegrationMethod, in.IntegrationMethod)
	setIf(&it.IntegrationURI, in.IntegrationURI)
	setIf(&it.IntegrationSubtype, in.IntegrationSubtype)
	setIf(&it.PayloadFormatVersion, in.PayloadFormatVersion)
	setIf(&it.ConnectionType, in.ConnectionType)
	setIf(&it.ConnectionID, in.ConnectionID)
	setIf(&it.CredentialsArn, in.CredentialsArn)
	setIf(&it.Description, in.Description)
	setIf(&it.TimeoutInMillis, in.TimeoutInMillis)
	if in.RequestParameters != nil {
		it.RequestParameters = cloneMap(in.RequestParameters)
	}
	if in.ResponseParameters != nil {
		it.ResponseParameters = in.ResponseParameters
	}
	if in.TLSConfig != nil {
		it.TLSConfig = in.TLSConfig
	}
	switch it.IntegrationType {
	case v2IntegrationAWSProxy:
		if it.IntegrationURI == "" && it.IntegrationSubtype == "" {
			return badRequest("IntegrationUri is required for an AWS_PROXY integration")
		}
		if it.PayloadFormatVersion == "" {
			return badRequest("PayloadFormatVersion is required for an AWS_PROXY integration of an HTTP API (1.0 or 2.0)")
		}
	case v2IntegrationHTTPProxy:
		if it.IntegrationURI == "" {
			return badRequest("IntegrationUri is required for an HTTP_PROXY integration")
		}
		if it.IntegrationMethod == "" {
			return badRequest("IntegrationMethod is required for an HTTP_PROXY integration")
		}
		if it.PayloadFormatVersion == "" {
			it.PayloadFormatVersion = "1.0"
		}
		if it.PayloadFormatVersion != "1.0" {
			return badRequest("HTTP_PROXY integrations support only payload format version 1.0")
		}
	case v2IntegrationMock:
		return badRequest("MOCK integrations are not supported for HTTP APIs")
	default:
		return badRequest("Invalid integration type %q for an HTTP API: want AWS_PROXY or HTTP_PROXY", it.IntegrationType)
	}
	if it.PayloadFormatVersion != "1.0" && it.PayloadFormatVersion != "2.0" {
		return badRequest("Invalid payload format version %q: want 1.0 or 2.0", it.PayloadFormatVersion)
	}
	if it.ConnectionType == "" {
		it.ConnectionType = "INTERNET"
	}
	if it.TimeoutInMillis == 0 {
		it.TimeoutInMillis = v2MaxTimeoutMillis
	}
	if it.TimeoutInMillis < 50 || it.TimeoutInMillis > v2MaxTimeoutMillis {
		return badRequest("TimeoutInMillis must be between 50 and %d for an HTTP API", v2MaxTimeoutMillis)
	}
	return nil
}

func newV2Integration(e *Emulator, a *httpAPIState, in *integrationInput) (*HTTPIntegration, *apiError) {
	if len(a.Integrations) >= v2IntegrationsPerAPI {
		return nil, limitExceeded("Maximum number of integrations (%d) for this API reached", v2IntegrationsPerAPI)
	}
	it := &HTTPIntegration{IntegrationID: newID(7)}
	if aerr := in.apply(it); aerr != nil {
		return nil, aerr
	}
	return it, nil
}

func updateV2Integration(_ *httpAPIState, _ int, in *integrationInput, next *HTTPIntegration) *apiError {
	return in.apply(next)
}

func v2IntegrationInUse(a *httpAPIState, id string) *apiError {
	for _, r := range a.Routes {
		if r.Target == "integrations/"+id {
			return conflict("Cannot delete integration %s: it is the target of route %s", id, r.RouteKey)
		}
	}
	return nil
}

// ---- routes ----

type routeInput struct {
	RouteKey            *string   `json:"routeKey"`
	APIKeyRequired      *bool     `json:"apiKeyRequired"`
	AuthorizationScopes *[]string `json:"authorizationScopes"`
	AuthorizationType   *string   `json:"authorizationType"`
	AuthorizerID        *string   `json:"authorizerId"`
	OperationName       *string   `json:"operationName"`
	Target              *string   `json:"target"`
}

var routeMethods = map[string]bool{"ANY": true, "DELETE": true, "GET": true, "HEAD": true, "OPTIONS": true, "PATCH": true, "POST": true, "PUT": true}

var routeSegRe = regexp.MustCompile(`^(\{[A-Za-z0-9._-]+\+?\}|[A-Za-z0-9._~!$&'()*,;=:@%-]+)$`)

// checkRouteKey accepts "$default" and "METHOD /path" as HTTP APIs do
// (http-api-develop-routes.html): a greedy {name+} only as the last segment.
func checkRouteKey(key string) *apiError {
	if key == DefaultRoute {
		return nil
	}
	method, path, found := strings.Cut(key, " ")
	if !found || !routeMethods[method] || !strings.HasPrefix(path, "/") {
		return badRequest("Invalid route key %q: want $default or METHOD /path with METHOD one of ANY, DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT", key)
	}
	if path == "/" {
		return nil
	}
	segs := strings.Split(path[1:], "/")
	seen := map[string]bool{}
	for i, s := range segs {
		if !routeSegRe.MatchString(s) {
			return badRequest("Invalid route key %q: path segment %q", key, s)
		}
		if strings.HasSuffix(s, "+}") && i != len(segs)-1 {
			return badRequest("Invalid route key %q: a greedy path variable must be the last segment", key)
		}
		// One name, one value in pathParameters: a name used twice is
		// refused, as validate refuses it (invalid-path; AWS's docs are
		// silent, docs/local-gateway.md).
		if name, ok := strings.CutPrefix(s, "{"); ok {
			name = strings.TrimSuffix(strings.TrimSuffix(name, "}"), "+")
			if seen[name] {
				return badRequest("Invalid route key %q: path variable {%s} appears twice", key, name)
			}
			seen[name] = true
		}
	}
	return nil
}

func (in *routeInput) apply(a *httpAPIState, r *HTTPRoute) *apiError {
	setIf(&r.RouteKey, in.RouteKey)
	setIf(&r.APIKeyRequired, in.APIKeyRequired)
	if in.AuthorizationScopes != nil {
		r.AuthorizationScopes = cloneSlice(*in.AuthorizationScopes)
		if len(r.AuthorizationScopes) == 0 {
			r.AuthorizationScopes = nil
		}
	}
	setIf(&r.AuthorizationType, in.AuthorizationType)
	setIf(&r.AuthorizerID, in.AuthorizerID)
	setIf(&r.OperationName, in.OperationName)
	setIf(&r.Target, in.Target)
	if r.AuthorizationType == "" {
		r.AuthorizationType = v2AuthNone
	}
	if aerr := checkRouteKey(r.RouteKey); aerr != nil {
		return aerr
	}
	if len(r.AuthorizationScopes) > v2ScopesPerRoute {
		return badRequest("A route takes at most %d authorization scopes", v2ScopesPerRoute)
	}
	switch r.AuthorizationType {
	case v2AuthNone, v2AuthIAM:
		if in.AuthorizationType != nil && in.AuthorizerID == nil {
			r.AuthorizerID = ""
		}
		if r.AuthorizerID != "" {
			return badRequest("An authorizer cannot be set on a route whose authorization type is %s", r.AuthorizationType)
		}
	case v2AuthJWT, v2AuthCustom:
		if r.AuthorizerID == "" {
			return badRequest("AuthorizerId is required for authorization type %s", r.AuthorizationType)
		}
		i, aerr := v2Authorizers.find(a, r.AuthorizerID)
		if aerr != nil {
			return badRequest("Invalid authorizer id %s for this API", r.AuthorizerID)
		}
		want := v2AuthorizerJWT
		if r.AuthorizationType == v2AuthCustom {
			want = v2AuthorizerRequest
		}
		if a.Authorizers[i].AuthorizerType != want {
			return badRequest("Authorization type %s needs a %s authorizer; %s is %s", r.AuthorizationType, want, r.AuthorizerID, a.Authorizers[i].AuthorizerType)
		}
	default:
		return badRequest("Invalid authorization type %q: want NONE, JWT, AWS_IAM or CUSTOM", r.AuthorizationType)
	}
	if len(r.AuthorizationScopes) > 0 && r.AuthorizationType != v2AuthJWT {
		return badRequest("Authorization scopes are supported only for JWT authorizers")
	}
	if r.Target != "" {
		id, found := strings.CutPrefix(r.Target, "integrations/")
		if !found {
			return badRequest("Invalid target %q: want integrations/INTEGRATION_ID", r.Target)
		}
		if _, aerr := v2Integrations.find(a, id); aerr != nil {
			return badRequest("Invalid target %q: no such integration", r.Target)
		}
	}
	return nil
}

func newV2Route(e *Emulator, a *httpAPIState, in *routeInput) (*HTTPRoute, *apiError) {
	if in.RouteKey == nil {
		return nil, badRequest("RouteKey is required")
	}
	if len(a.Routes) >= v2RoutesPerAPI {
		return nil, limitExceeded("Maximum number of routes (%d) for this API reached", v2RoutesPerAPI)
	}
	r := &HTTPRoute{RouteID: newID(7)}
	if aerr := in.apply(a, r); aerr != nil {
		return nil, aerr
	}
	for _, o := range a.Routes {
		if o.RouteKey == r.RouteKey {
			return nil, conflict("Route with key %s already exists for this API", r.RouteKey)
		}
	}
	return r, nil
}

func updateV2Route(a *httpAPIState, i int, in *routeInput, next *HTTPRoute) *apiError {
	if aerr := in.apply(a, next); aerr != nil {
		return aerr
	}
	for j, o := range a.Routes {
		if j != i && o.RouteKey == next.RouteKey {
			return conflict("Route with key %s already exists for this API", next.RouteKey)
		}
	}
	return nil
}

// ---- stages and deployments ----

type stageInput struct {
	StageName            *string           `json:"stageName"`
	AutoDeploy           *bool             `json:"autoDeploy"`
	DeploymentID         *string           `json:"deploymentId"`
	Description          *string           `json:"description"`
	StageVariables       map[string]string `json:"stageVariables"`
	DefaultRouteSettings *RouteSettings    `json:"defaultRouteSettings"`
	RouteSettings        map[string]any    `json:"routeSettings"`
	AccessLogSettings    map[string]any    `json:"accessLogSettings"`
	ClientCertificateID  *string           `json:"clientCertificateId"`
	Tags                 map[string]string `json:"tags"`
}

var stageNameRe = regexp.MustCompile(`^(\$default|[A-Za-z0-9_-]{1,128})$`)

func (in *stageInput) apply(a *httpAPIState, s *HTTPStage) *apiError {
	setIf(&s.AutoDeploy, in.AutoDeploy)
	if in.DeploymentID != nil && *in.DeploymentID != s.DeploymentID {
		// http-api-stages.html: an auto-deploying stage's deployment is
		// the gateway's to choose.
		if s.AutoDeploy {
			return badRequest("The deploymentId of a stage with autoDeploy enabled cannot be set")
		}
		if *in.DeploymentID != "" && a.Deployments[*in.DeploymentID] == nil {
			return badRequest("Invalid deployment identifier specified %s", *in.DeploymentID)
		}
		s.DeploymentID = *in.DeploymentID
	}
	setIf(&s.Description, in.Description)
	if in.StageVariables != nil {
		// UpdateStage merges: the variables named are set, and one set to
		// "" is removed, which is how the Terraform provider removes one
		// (resource_stage.go: "Variables are removed by setting the
		// associated value to \"\"").
		next := cloneMap(s.StageVariables)
		if next == nil {
			next = map[string]string{}
		}
		set := map[string]string{}
		for k, v := range in.StageVariables {
			if v == "" {
				delete(next, k)
				continue
			}
			next[k], set[k] = v, v
		}
		if aerr := checkStageVariables(set); aerr != nil {
			return aerr
		}
		if len(next) > 100 {
			return badRequest("A stage takes at most 100 stage variables")
		}
		s.StageVariables = next
	}
	if in.DefaultRouteSettings != nil {
		rs := *in.DefaultRouteSettings
		s.DefaultRouteSettings = &rs
	}
	if in.RouteSettings != nil {
		// API Gateway refuses settings for a route key the API lacks,
		// matched exactly (ANY /x does not stand for GET /x), with this
		// 404 (as reported in
		// https://github.com/terraform-aws-modules/terraform-aws-apigateway-v2/pull/80).
		for _, key := range slices.Sorted(maps.Keys(in.RouteSettings)) {
			if !slices.ContainsFunc(a.Routes, func(r *HTTPRoute) bool { return r.RouteKey == key }) {
				return notFound("Unable to find Route by key %s within the provided RouteSettings", key)
			}
		}
		// Merged by route key, as UpdateStage does (the Terraform provider
		// removes a route's settings with DeleteRouteSettings).
		next := maps.Clone(s.RouteSettings)
		if next == nil {
			next = map[string]any{}
		}
		maps.Copy(next, in.RouteSettings)
		s.RouteSettings = next
	}
	if in.AccessLogSettings != nil {
		s.AccessLogSettings = in.AccessLogSettings
	}
	setIf(&s.ClientCertificateID, in.ClientCertificateID)
	for k, v := range in.Tags {
		s.Tags[k] = v
	}
	return nil
}

func opGetV2Stages(e *Emulator, q *req) (*reply, *apiError) {
	a, aerr := e.httpAPI(q, q.params[0])
	if aerr != nil {
		return nil, aerr
	}
	names := make([]string, 0, len(a.Stages))
	for n := range a.Stages {
		names = append(names, n)
	}
	sort.Strings(names)
	items := make([]*HTTPStage, 0, len(names))
	for _, n := range names {
		items = append(items, a.Stages[n])
	}
	return v2Page(q, items)
}

func opCreateV2Stage(e *Emulator, q *req) (*reply, *apiError) {
	a, aerr := e.httpAPI(q, q.params[0])
	if aerr != nil {
		return nil, aerr
	}
	var in stageInput
	if err := q.decode(&in); err != nil {
		return nil, err
	}
	if in.StageName == nil || !stageNameRe.MatchString(*in.StageName) {
		return nil, badRequest("Invalid stage name: want $default or 1-128 of A-Za-z0-9_-")
	}
	if a.Stages[*in.StageName] != nil {
		return nil, conflict("Stage %s already exists", *in.StageName)
	}
	if len(a.Stages) >= e.limits.StagesPerAPI {
		return nil, limitExceeded("Maximum number of stages (%d) for this API reached", e.limits.StagesPerAPI)
	}
	now := isoNow(e)
	s := &HTTPStage{StageName: *in.StageName, Tags: map[string]string{}, CreatedDate: now, LastUpdatedDate: now}
	if in.AutoDeploy != nil && *in.AutoDeploy && in.DeploymentID != nil && *in.DeploymentID != "" {
		return nil, badRequest("The deploymentId of a stage with autoDeploy enabled cannot be set")
	}
	if aerr := in.apply(a, s); aerr != nil {
		return nil, aerr
	}
	a.Stages[s.StageName] = s
	e.autoDeployLocked(a)
	return created(s)
}

func findV2Stage(a *httpAPIState, name string) (*HTTPStage, *apiError) {
	if s := a.Stages[name]; s != nil {
		return s, nil
	}
	return nil, notFound("Invalid stage identifier specified %s", name)
}

// v2Stage finds the request's API and stage (the first two path
// parameters).
func (e *Emulator) v2Stage(q *req) (*httpAPIState, *HTTPStage, *apiError) {
	a, aerr := e.httpAPI(q, q.params[0])
	if aerr != nil {
		return nil, nil, aerr
	}
	s, aerr := findV2Stage(a, q.params[1])
	return a, s, aerr
}

func opGetV2Stage(e *Emulator, q *req) (*reply, *apiError) {
	_, s, aerr := e.v2Stage(q)
	if aerr != nil {
		return nil, aerr
	}
	return ok(s)
}

func opUpdateV2Stage(e *Emulator, q *req) (*reply, *apiError) {
	a, s, aerr := e.v2Stage(q)
	if aerr != nil {
		return nil, aerr
	}
	var in stageInput
	if err := q.decode(&in); err != nil {
		return nil, err
	}
	next := *s
	next.Tags = cloneMap(s.Tags)
	if in.AutoDeploy != nil && *in.AutoDeploy && in.DeploymentID != nil && *in.DeploymentID != "" && *in.DeploymentID != s.DeploymentID {
		return nil, badRequest("The deploymentId of a stage with autoDeploy enabled cannot be set")
	}
	if aerr := in.apply(a, &next); aerr != nil {
		return nil, aerr
	}
	next.LastUpdatedDate = isoNow(e)
	a.Stages[s.StageName] = &next
	if next.AutoDeploy && !s.AutoDeploy {
		e.autoDeployLocked(a)
	}
	e.pruneV2Deployments(a)
	return ok(&next)
}

func opDeleteV2Stage(e *Emulator, q *req) (*reply, *apiError) {
	a, _, aerr := e.v2Stage(q)
	if aerr != nil {
		return nil, aerr
	}
	delete(a.Stages, q.params[1])
	e.pruneV2Deployments(a)
	return noContent()
}

func opDeleteV2AccessLogSettings(e *Emulator, q *req) (*reply, *apiError) {
	_, s, aerr := e.v2Stage(q)
	if aerr != nil {
		return nil, aerr
	}
	s.AccessLogSettings = nil
	return noContent()
}

func opDeleteV2RouteSettings(e *Emulator, q *req) (*reply, *apiError) {
	_, s, aerr := e.v2Stage(q)
	if aerr != nil {
		return nil, aerr
	}
	if _, ok := s.RouteSettings[q.params[2]]; !ok {
		return nil, notFound("Unable to find route settings for route key %s", q.params[2])
	}
	delete(s.RouteSettings, q.params[2])
	return noContent()
}

// opResetAuthorizersCache is accepted: JWT authorizers keep no result
// cache here (keys are cached, as on AWS, and verified signatures; neither
// depends on a stage).
func opResetAuthorizersCache(e *Emulator, q *req) (*reply, *apiError) {
	if _, _, aerr := e.v2Stage(q); aerr != nil {
		return nil, aerr
	}
	return noContent()
}

// deployLocked snapshots the API into a new deployment.
func (e *Emulator) deployV2Locked(a *httpAPIState, description string, auto bool) *HTTPDeployment {
	id := newID(6)
	for a.Deployments[id] != nil {
		id = newID(6)
	}
	d := &HTTPDeployment{DeploymentID: id, AutoDeployed: auto, CreatedDate: isoNow(e), DeploymentStatus: v2Deployed,
		Description: description, Snapshot: a.snapshot()}
	a.Deployments[id] = d
	return d
}

// autoDeployLocked deploys the API to every stage with autoDeploy, as AWS
// does after each change (synchronously here, so a test sees the change at
// once).
func (e *Emulator) autoDeployLocked(a *httpAPIState) {
	var d *HTTPDeployment
	for _, s := range a.Stages {
		if !s.AutoDeploy {
			continue
		}
		if d == nil {
			d = e.deployV2Locked(a, "Automatic deployment triggered by changes to the Api configuration", true)
		}
		s.DeploymentID = d.DeploymentID
		s.LastDeploymentStatusMessage = fmt.Sprintf("Successfully deployed stage with deployment ID '%s'", d.DeploymentID)
		s.LastUpdatedDate = d.CreatedDate
	}
	e.pruneV2Deployments(a)
}

// pruneV2Deployments drops automatic deployments no stage points at, so
// the state does not grow with every change.
func (e *Emulator) pruneV2Deployments(a *httpAPIState) {
	used := map[string]bool{}
	for _, s := range a.Stages {
		used[s.DeploymentID] = true
	}
	for id, d := range a.Deployments {
		if d.AutoDeployed && !used[id] {
			delete(a.Deployments, id)
		}
	}
}

func opGetV2Deployments(e *Emulator, q *req) (*reply, *apiError) {
	a, aerr := e.httpAPI(q, q.params[0])
	if aerr != nil {
		return nil, aerr
	}
	items := make([]*HTTPDeployment, 0, len(a.Deployments))
	for _, d := range a.Deployments {
		items = append(items, d)
	}
	sort.Slice(items, func(i, j int) bool {
		if items[i].CreatedDate != items[j].CreatedDate {
			return items[i].CreatedDate < items[j].CreatedDate
		}
		return items[i].DeploymentID < items[j].DeploymentID
	})
	return v2Page(q, wireDeployments(items))
}

// wire is the deployment as the API answers it: without its snapshot.
func (d HTTPDeployment) wire() *HTTPDeployment {
	d.Snapshot = nil
	return &d
}

// wireDeployments is wire of each.
func wireDeployments(ds []*HTTPDeployment) []HTTPDeployment {
	out := make([]HTTPDeployment, len(ds))
	for i, d := range ds {
		out[i] = *d.wire()
	}
	return out
}

func opCreateV2Deployment(e *Emulator, q *req) (*reply, *apiError) {
	a, aerr := e.httpAPI(q, q.params[0])
	if aerr != nil {
		return nil, aerr
	}
	var in struct {
		Description string `json:"description"`
		StageName   string `json:"stageName"`
	}
	if err := q.decode(&in); err != nil {
		return nil, err
	}
	var st *HTTPStage
	if in.StageName != "" {
		if st, aerr = findV2Stage(a, in.StageName); aerr != nil {
			return nil, aerr
		}
		if st.AutoDeploy {
			return nil, badRequest("Stage %s has autoDeploy enabled: it is deployed automatically", in.StageName)
		}
	}
	if len(a.Routes) == 0 {
		return nil, badRequest("Unable to deploy API because no routes exist in this API")
	}
	for _, r := range a.Routes {
		if r.Target == "" {
			return nil, badRequest("Unable to deploy API: route %s has no integration target", r.RouteKey)
		}
	}
	d := e.deployV2Locked(a, in.Description, false)
	if st != nil {
		st.DeploymentID = d.DeploymentID
		st.LastUpdatedDate = d.CreatedDate
		st.LastDeploymentStatusMessage = ""
		e.pruneV2Deployments(a)
	}
	return created(d.wire())
}

// v2Deployment finds the request's API and deployment (the first two path
// parameters).
func (e *Emulator) v2Deployment(q *req) (*httpAPIState, *HTTPDeployment, *apiError) {
	a, aerr := e.httpAPI(q, q.params[0])
	if aerr != nil {
		return nil, nil, aerr
	}
	d := a.Deployments[q.params[1]]
	if d == nil {
		return nil, nil, notFound("Invalid Deployment identifier specified %s:%s", account, q.params[1])
	}
	return a, d, nil
}

func opGetV2Deployment(e *Emulator, q *req) (*reply, *apiError) {
	_, d, aerr := e.v2Deployment(q)
	if aerr != nil {
		return nil, aerr
	}
	return ok(d.wire())
}

func opUpdateV2Deployment(e *Emulator, q *req) (*reply, *apiError) {
	_, d, aerr := e.v2Deployment(q)
	if aerr != nil {
		return nil, aerr
	}
	var in struct {
		Description *string `json:"description"`
	}
	if err := q.decode(&in); err != nil {
		return nil, err
	}
	setIf(&d.Description, in.Description)
	return ok(d.wire())
}

func opDeleteV2Deployment(e *Emulator, q *req) (*reply, *apiError) {
	a, _, aerr := e.v2Deployment(q)
	if aerr != nil {
		return nil, aerr
	}
	for _, s := range a.Stages {
		if s.DeploymentID == q.params[1] {
			return nil, badRequest("Active stages pointing to this deployment must be moved or deleted")
		}
	}
	delete(a.Deployments, q.params[1])
	return noContent()
}

// ---- tags ----

// taggedV2 finds what an apigateway ARN names: arn:aws:apigateway:REGION::/apis/ID[/stages/NAME].
func (e *Emulator) taggedV2(q *req, arn string) (map[string]string, *apiError) {
	_, path, found := strings.Cut(arn, "::/")
	if !found {
		return nil, badRequest("Invalid resource ARN %q", arn)
	}
	segs := strings.Split(path, "/")
	if len(segs) < 2 || segs[0] != "apis" {
		return nil, notFound("Tagged resource %s is not emulated", arn)
	}
	a, aerr := e.httpAPI(q, segs[1])
	if aerr != nil {
		return nil, aerr
	}
	if len(segs) == 2 {
		return a.API.Tags, nil
	}
	if len(segs) == 4 && segs[2] == "stages" {
		s, aerr := findV2Stage(a, segs[3])
		if aerr != nil {
			return nil, aerr
		}
		return s.Tags, nil
	}
	return nil, notFound("Tagged resource %s is not emulated", arn)
}

func opGetV2Tags(e *Emulator, q *req) (*reply, *apiError) {
	tags, aerr := e.taggedV2(q, q.params[0])
	if aerr != nil {
		return nil, aerr
	}
	return ok(map[string]any{"tags": tags})
}

func opTagV2Resource(e *Emulator, q *req) (*reply, *apiError) {
	tags, aerr := e.taggedV2(q, q.params[0])
	if aerr != nil {
		return nil, aerr
	}
	var in struct {
		Tags map[string]string `json:"tags"`
	}
	if err := q.decode(&in); err != nil {
		return nil, err
	}
	for k, v := range in.Tags {
		tags[k] = v
	}
	return &reply{status: 201}, nil
}

func opUntagV2Resource(e *Emulator, q *req) (*reply, *apiError) {
	tags, aerr := e.taggedV2(q, q.params[0])
	if aerr != nil {
		return nil, aerr
	}
	for _, k := range q.query["tagKeys"] {
		delete(tags, k)
	}
	return noContent()
}
