package spec

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Range is a span in a source file. The HCL type is reused so that HCL's
// snippet-printing diagnostic writer works for OpenAPI sources as well.
type Range = hcl.Range

// Authorization types a method can have (API Gateway's authorizationType).
const (
	AuthNone    = "NONE"
	AuthCognito = "COGNITO_USER_POOLS"
	AuthIAM     = "AWS_IAM"
	AuthCustom  = "CUSTOM"
)

// Authorizer types (API Gateway's Authorizer.type). Only Cognito authorizers
// are described and generated; TOKEN and REQUEST (Lambda) authorizers appear
// when a live API is read.
const (
	AuthorizerCognito = "COGNITO_USER_POOLS"
	AuthorizerToken   = "TOKEN"
	AuthorizerRequest = "REQUEST"
)

// Defaults that API Gateway (and every framework) applies when unset.
const (
	DefaultIdentitySource = "method.request.header.Authorization"
	DefaultTTLSeconds     = 300
	MaxTTLSeconds         = 3600
)

// Integration types.
const (
	IntegrationMock      = "MOCK"
	IntegrationHTTP      = "HTTP"
	IntegrationHTTPProxy = "HTTP_PROXY"
	IntegrationAWS       = "AWS"
	IntegrationAWSProxy  = "AWS_PROXY"
)

// Description is everything read from one source (a file, a directory of
// files, or a live account). Files keeps the source bytes so diagnostics can
// print snippets.
type Description struct {
	// APIs are the REST APIs (API Gateway v1).
	APIs []*API
	// HTTPAPIs are the HTTP APIs (API Gateway v2); see HTTPAPI for why
	// they are a list of their own.
	HTTPAPIs []*HTTPAPI
	Files    map[string][]byte
	// Sensitive holds the values of variables declared sensitive, as
	// text: no diagnostic about this description may show them
	// (Diagnostics.Redact).
	Sensitive []string `json:"-"`
}

// Sort puts every API's elements in canonical order.
func (d *Description) Sort() {
	for _, a := range d.APIs {
		a.Sort()
	}
	for _, a := range d.HTTPAPIs {
		a.Sort()
	}
}

// Empty reports whether the description holds no API of either kind.
func (d *Description) Empty() bool { return len(d.APIs) == 0 && len(d.HTTPAPIs) == 0 }

// API is one REST API.
type API struct {
	Name        string
	Region      string
	RestAPIID   string // optional: manage an existing API
	Description string

	Authorizers []*Authorizer
	// DefaultAuthorizer names the authorizer routes inherit when they name
	// none and are not public ("" = no default).
	DefaultAuthorizer string

	CORS             *CORS // nil = CORS not configured
	Routes           []*Route
	GatewayResponses []*GatewayResponse
	Stages           []*Stage

	// Suppressions silence a rule for the whole API (findings about the
	// API itself, such as CORS, and those about any of its elements).
	Suppressions []Suppression

	Range  Range
	Ranges Ranges
}

// Authorizer is an API Gateway authorizer.
type Authorizer struct {
	Name string
	// Type is AuthorizerCognito for everything Portcullis describes.
	Type                 string
	UserPoolARNs         []string
	IdentitySource       string // method.request.header.NAME
	ValidationExpression string // regex matched against the ID token's aud
	TTLSeconds           int
	// ID is the live authorizer id, when known (live reads, import).
	ID string

	Suppressions []Suppression
	Range        Range
	Ranges       Ranges
}

// IdentityHeader is the header named by the identity source
// ("Authorization" for the default).
func (a *Authorizer) IdentityHeader() string {
	return IdentityHeaderName(a.IdentitySource)
}

// IdentityHeaderName returns NAME from method.request.header.NAME, or "" when
// the source has another shape.
func IdentityHeaderName(source string) string {
	const p = "method.request.header."
	if strings.HasPrefix(source, p) {
		return source[len(p):]
	}
	return ""
}

// Route is one method: an HTTP verb on a resource path.
type Route struct {
	Method string // upper case: GET, POST, ..., or ANY
	Path   string // "/items/{id}", "/{proxy+}"

	// AuthType is the resolved authorization type: AuthCognito when an
	// authorizer applies (named or inherited), AuthNone for public routes.
	AuthType string
	// Authorizer is the resolved authorizer name ("" when none).
	Authorizer string
	// AuthorizerInherited is true when Authorizer came from the API default.
	AuthorizerInherited bool
	Scopes              []string
	Public              bool
	Reason              string

	Integration *Integration // nil = not declared
	// ParamExamples fills path parameters for probes: name -> example value.
	ParamExamples map[string]string
	OperationName string

	Suppressions []Suppression
	Range        Range
	Ranges       Ranges
}

// Key is the route key "GET /items".
func (r *Route) Key() string { return r.Method + " " + r.Path }

// Integration is the backend of a method.
type Integration struct {
	Type                string // MOCK, HTTP, HTTP_PROXY, AWS, AWS_PROXY
	URI                 string
	HTTPMethod          string
	PassthroughBehavior string
	RequestTemplates    map[string]string
	RequestParameters   map[string]string
	Responses           []IntegrationResponse
	TimeoutMillis       int
	Range               Range
}

// IntegrationResponse maps a backend answer to a method response.
type IntegrationResponse struct {
	Pattern            string // selection pattern; "default" or "" for the default
	StatusCode         string
	ResponseParameters map[string]string
	ResponseTemplates  map[string]string
}

// CORS is the browser-facing configuration. When set, every path with
// routes gets an unauthenticated OPTIONS preflight, and the 4XX/5XX gateway
// responses carry the CORS headers.
type CORS struct {
	AllowOrigins     []string
	AllowMethods     []string // empty = the methods of each path, plus OPTIONS
	AllowHeaders     []string
	ExposeHeaders    []string
	AllowCredentials bool
	MaxAgeSeconds    int
	Range            Range
	Ranges           Ranges
}

// DefaultCORSAllowHeaders are the request headers a browser may send.
var DefaultCORSAllowHeaders = []string{"Content-Type", "Authorization", "X-Amz-Date", "X-Api-Key", "X-Amz-Security-Token"}

// GatewayResponse customizes an API Gateway-generated answer (401, 403, ...).
type GatewayResponse struct {
	Type               string // DEFAULT_4XX, UNAUTHORIZED, ...
	StatusCode         string // "" = the type's default
	ResponseParameters map[string]string
	ResponseTemplates  map[string]string
	// FromCORS is true when the response was derived from the cors block
	// rather than written out.
	FromCORS bool
	Range    Range
}

// Stage is a deployment stage.
type Stage struct {
	Name        string
	Description string
	Variables   map[string]string
	Range       Range
	Ranges      Ranges
}

// Suppression silences one rule on one element, with a reason.
type Suppression struct {
	Rule   string
	Reason string
	Range  Range
}

// Ranges maps attribute names ("scopes", "ttl_seconds", ...) to the range of
// their value so that diagnostics point at the exact attribute.
type Ranges map[string]Range

// Of returns the range recorded for attr, else fallback.
func (r Ranges) Of(attr string, fallback Range) Range {
	if rg, ok := r[attr]; ok {
		return rg
	}
	return fallback
}

// At is a convenience: the range of attr on a route, else the route's range.
func (r *Route) At(attr string) Range { return r.Ranges.Of(attr, r.Range) }

// At is the range of attr on an authorizer, else the authorizer's range.
func (a *Authorizer) At(attr string) Range { return a.Ranges.Of(attr, a.Range) }

// PoolARNRange is the range of the i-th user pool ARN, else of the list.
func (a *Authorizer) PoolARNRange(i int) Range {
	return a.Ranges.Of(fmt.Sprintf("user_pool_arns.%d", i), a.At("user_pool_arns"))
}

// At is the range of attr on the API, else the API's range.
func (a *API) At(attr string) Range { return a.Ranges.Of(attr, a.Range) }

// AuthorizerByName finds an authorizer, or nil.
func (a *API) AuthorizerByName(name string) *Authorizer {
	for _, az := range a.Authorizers {
		if az.Name == name {
			return az
		}
	}
	return nil
}

// Route finds a route by method and path, or nil.
func (a *API) Route(method, path string) *Route {
	for _, r := range a.Routes {
		if r.Method == method && r.Path == path {
			return r
		}
	}
	return nil
}

// Stage finds a stage by name, or nil.
func (a *API) Stage(name string) *Stage {
	for _, s := range a.Stages {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Paths returns the distinct route paths, sorted.
func (a *API) Paths() []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range a.Routes {
		if !seen[r.Path] {
			seen[r.Path] = true
			out = append(out, r.Path)
		}
	}
	sort.Strings(out)
	return out
}

// MethodsOn returns the methods declared on path, sorted.
func (a *API) MethodsOn(path string) []string {
	var out []string
	for _, r := range a.Routes {
		if r.Path == path {
			out = append(out, r.Method)
		}
	}
	sort.Strings(out)
	return out
}

// Sort puts routes (by path then method), authorizers and gateway
// responses in canonical order so every edge sees the same order. Stages
// keep the description's order: the first is the default stage, which a
// sort by name would silently change.
func (a *API) Sort() {
	sort.SliceStable(a.Authorizers, func(i, j int) bool { return a.Authorizers[i].Name < a.Authorizers[j].Name })
	sort.SliceStable(a.Routes, func(i, j int) bool {
		if a.Routes[i].Path != a.Routes[j].Path {
			return a.Routes[i].Path < a.Routes[j].Path
		}
		return a.Routes[i].Method < a.Routes[j].Method
	})
	// Stages keep their order: the first is the default stage.
	sort.SliceStable(a.GatewayResponses, func(i, j int) bool { return a.GatewayResponses[i].Type < a.GatewayResponses[j].Type })
}

// HasAuthenticatedRoutes reports whether any route requires a token.
func (a *API) HasAuthenticatedRoutes() bool {
	for _, r := range a.Routes {
		if r.AuthType != AuthNone {
			return true
		}
	}
	return false
}

// CORSGatewayResponses are the 4XX and 5XX defaults that carry the CORS
// headers, so a browser sees a 401 as a 401 rather than a CORS failure.
func CORSGatewayResponses(c *CORS) []*GatewayResponse {
	origin := c.ResponseOrigin()
	params := map[string]string{
		"gatewayresponse.header.Access-Control-Allow-Origin":  Quote(origin),
		"gatewayresponse.header.Access-Control-Allow-Headers": Quote(strings.Join(c.AllowHeadersOrDefault(), ",")),
	}
	if c.AllowCredentials {
		params["gatewayresponse.header.Access-Control-Allow-Credentials"] = Quote("true")
	}
	var out []*GatewayResponse
	for _, t := range []string{"DEFAULT_4XX", "DEFAULT_5XX"} {
		p := make(map[string]string, len(params))
		for k, v := range params {
			p[k] = v
		}
		out = append(out, &GatewayResponse{Type: t, ResponseParameters: p, FromCORS: true, Range: c.Range})
	}
	return out
}

// ResponseOrigin is the one origin a static Access-Control-Allow-Origin
// mapping answers with: "*" when any origin is allowed; otherwise the first
// listed. "*" for several origins would be refused by browsers when
// credentials are allowed, and echoing the request's Origin would admit
// every site.
func (c *CORS) ResponseOrigin() string {
	for _, o := range c.AllowOrigins {
		if o == "*" {
			return "*"
		}
	}
	if len(c.AllowOrigins) == 0 {
		return "*"
	}
	return c.AllowOrigins[0]
}

// AllowHeadersOrDefault returns the configured allowed headers or the default set.
func (c *CORS) AllowHeadersOrDefault() []string {
	if len(c.AllowHeaders) > 0 {
		return c.AllowHeaders
	}
	return DefaultCORSAllowHeaders
}

// Quote wraps a literal the way API Gateway mapping values want: 'value'.
func Quote(s string) string { return "'" + s + "'" }

// Unquote strips API Gateway's single quotes from a literal mapping value.
func Unquote(s string) string {
	if len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'' {
		return s[1 : len(s)-1]
	}
	return s
}
