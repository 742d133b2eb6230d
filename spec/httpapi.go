package spec

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// HTTP APIs (API Gateway v2) are a second kind of API beside the REST APIs
// (v1) of API. They are a type of their own rather than a protocol flag on
// API because almost nothing carries over unchanged: authorizers check a
// JWT's issuer and audience instead of naming user pool ARNs, routes are
// route keys (including "$default") instead of resources and methods, CORS
// is answered by the gateway instead of mock OPTIONS methods, there are no
// gateway responses, and stages may deploy themselves. A separate type keeps
// every v1 edge (which reads Description.APIs) exactly as it was, and makes
// each v2 edge say what it does with v2. What is the same is shared: CORS,
// Suppression, Ranges, the integration and auth type names.
//
// The facts behind these types: docs/spec.md ("HTTP APIs") and
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html.

// Route authorization type of an HTTP API route that a JWT authorizer
// protects (apigatewayv2 Route.AuthorizationType). The other values a route
// can have are AuthNone, AuthIAM and AuthCustom (a Lambda REQUEST
// authorizer, seen only when a live API is read).
const AuthJWT = "JWT"

// AuthorizerJWT is the v2 authorizer type (apigatewayv2
// Authorizer.AuthorizerType) of every authorizer Portcullis describes.
// AuthorizerRequest (a Lambda authorizer) appears when a live API is read.
const AuthorizerJWT = "JWT"

// Route keys and stage names with a meaning of their own.
const (
	// DefaultRouteKey catches every request that no other route matches.
	DefaultRouteKey = "$default"
	// DefaultStageName is the stage served at the API's root URL (no
	// stage segment in the path).
	DefaultStageName = "$default"
)

// DefaultJWTIdentitySource is where a JWT authorizer finds the token when
// none is named (the v2 selection-expression form, not v1's
// method.request.header.NAME).
const DefaultJWTIdentitySource = "$request.header.Authorization"

// Lambda proxy payload format versions (apigatewayv2
// Integration.PayloadFormatVersion). HTTP_PROXY integrations always use 1.0.
const (
	PayloadFormat10 = "1.0"
	PayloadFormat20 = "2.0"
)

// HTTPAPI is one HTTP API (API Gateway v2, protocol HTTP).
type HTTPAPI struct {
	Name   string
	Region string
	// APIID is the id of an existing API to manage ("" = create one).
	APIID       string
	Description string

	// Authorizers are the API's JWT authorizers (and, read live, Lambda
	// REQUEST authorizers), sorted by name.
	Authorizers []*JWTAuthorizer
	// DefaultAuthorizer names the authorizer routes inherit when they name
	// none and are not public ("" = no default).
	DefaultAuthorizer string

	// CORS is the API's corsConfiguration (nil = not configured). When it
	// is set, API Gateway answers every preflight itself, before any route
	// or authorizer. Unlike v1 there are no defaults filled in: an empty
	// AllowHeaders means no header is allowed. "*" is allowed in origins,
	// methods and headers.
	CORS *CORS

	// Routes, sorted by Path then Method ("$default" first, its Path
	// being "").
	Routes []*HTTPRoute
	Stages []*HTTPStage

	// Suppressions silence a rule for the whole API.
	Suppressions []Suppression

	Range  Range
	Ranges Ranges
}

// JWTAuthorizer is an HTTP API JWT authorizer. API Gateway admits a token
// when its signature verifies against the issuer's JWKS, `iss` equals
// Issuer exactly, `aud` (or, when the token has no `aud`, `client_id`)
// equals one of Audiences, and exp/nbf/iat hold; a route's scopes are
// checked apart (HTTPRoute.Scopes).
type JWTAuthorizer struct {
	Name string
	// Type is AuthorizerJWT for everything Portcullis describes;
	// AuthorizerRequest when a live API has a Lambda authorizer.
	Type string
	// Issuer is the issuer URL `iss` must equal. When the description
	// names a user pool (UserPoolID) instead, the reader derives it as
	// CognitoIssuer(UserPoolID), so Issuer is always the effective value.
	Issuer string
	// UserPoolID is the Cognito user pool ("us-east-1_AbC123") when the
	// description named one instead of an issuer; "" otherwise. Generators
	// that can say "this user pool" (CDK's HttpUserPoolAuthorizer) use it.
	UserPoolID string
	// Audiences are the accepted `aud` / `client_id` values: for Cognito,
	// app client ids.
	Audiences []string
	// IdentitySources are where the token comes from, in the
	// $request.header.NAME / $request.querystring.NAME form. A JWT
	// authorizer takes exactly one (validation says so); a list keeps what
	// a source actually said so the diagnostic can point at it.
	IdentitySources []string
	// ID is the live authorizer id, when known (live reads, import).
	ID string

	Suppressions []Suppression
	Range        Range
	Ranges       Ranges
}

// IdentitySource is the authorizer's first (for JWT, only) identity
// source, or "".
func (a *JWTAuthorizer) IdentitySource() string {
	if len(a.IdentitySources) == 0 {
		return ""
	}
	return a.IdentitySources[0]
}

// IdentityHeader is the header named by the identity source
// ("Authorization" for the default), or "" when the token comes from
// elsewhere (a query string).
func (a *JWTAuthorizer) IdentityHeader() string {
	const p = "$request.header."
	if s := a.IdentitySource(); strings.HasPrefix(s, p) {
		return s[len(p):]
	}
	return ""
}

// CognitoPool returns the region and user pool id when Issuer is a Cognito
// user pool's issuer URL.
func (a *JWTAuthorizer) CognitoPool() (region, poolID string, ok bool) {
	return ParseCognitoIssuer(a.Issuer)
}

// At is the range of attr on the authorizer, else the authorizer's range.
func (a *JWTAuthorizer) At(attr string) Range { return a.Ranges.Of(attr, a.Range) }

// HTTPRoute is one HTTP API route: a route key, its authorization and its
// integration.
type HTTPRoute struct {
	// Key is the route key as API Gateway holds it: "GET /items/{id}",
	// "ANY /{proxy+}" or "$default". The method is upper case.
	Key string
	// Method and Path are Key's two halves ("ANY" matches every method);
	// both are "" for the $default route.
	Method string
	Path   string

	// AuthType is the resolved authorization type: AuthJWT when an
	// authorizer applies (named or inherited), AuthNone for public routes;
	// AuthIAM or AuthCustom only when read live or set explicitly.
	AuthType string
	// Authorizer is the resolved authorizer name ("" when none).
	Authorizer string
	// AuthorizerInherited is true when Authorizer came from the API default.
	AuthorizerInherited bool
	// Scopes are the route's authorizationScopes: a token must carry at
	// least one of them in `scope` (or `scp`). None means any token the
	// authorizer admits, Cognito ID tokens included.
	Scopes []string
	Public bool
	Reason string

	Integration *HTTPIntegration // nil = not declared
	// ParamExamples fills path parameters for probes: name -> example value.
	ParamExamples map[string]string
	OperationName string
	// ID is the live route id, when known.
	ID string

	Suppressions []Suppression
	Range        Range
	Ranges       Ranges
}

// IsDefault reports whether r is the $default catch-all route.
func (r *HTTPRoute) IsDefault() bool { return r.Key == DefaultRouteKey }

// At is the range of attr on a route, else the route's range.
func (r *HTTPRoute) At(attr string) Range { return r.Ranges.Of(attr, r.Range) }

// HTTPIntegration is the backend of an HTTP API route.
type HTTPIntegration struct {
	// Type is IntegrationAWSProxy (Lambda proxy) or IntegrationHTTPProxy.
	Type string
	// URI is the Lambda function ARN (or its invocation URI) for
	// AWS_PROXY, the backend URL for HTTP_PROXY.
	URI string
	// Method is the HTTP_PROXY backend method ("ANY" = the request's).
	// Lambda proxy integrations leave it "".
	Method string
	// PayloadFormatVersion is PayloadFormat20 or PayloadFormat10 for
	// AWS_PROXY, PayloadFormat10 for HTTP_PROXY.
	PayloadFormatVersion string
	// TimeoutMillis is 0 for API Gateway's default (30,000 for HTTP APIs).
	TimeoutMillis int

	Range  Range
	Ranges Ranges
}

// HTTPStage is an HTTP API stage.
type HTTPStage struct {
	// Name may be DefaultStageName, served at the API's root URL.
	Name string
	// AutoDeploy makes every change to the API live at once, without a
	// deployment; API Gateway then owns the stage's deployment id.
	AutoDeploy  bool
	Description string
	Variables   map[string]string

	Range  Range
	Ranges Ranges
}

// At is the range of attr on the API, else the API's range.
func (a *HTTPAPI) At(attr string) Range { return a.Ranges.Of(attr, a.Range) }

// AuthorizerByName finds an authorizer, or nil.
func (a *HTTPAPI) AuthorizerByName(name string) *JWTAuthorizer {
	for _, az := range a.Authorizers {
		if az.Name == name {
			return az
		}
	}
	return nil
}

// Route finds a route by its key, or nil.
func (a *HTTPAPI) Route(key string) *HTTPRoute {
	for _, r := range a.Routes {
		if r.Key == key {
			return r
		}
	}
	return nil
}

// Stage finds a stage by name, or nil.
func (a *HTTPAPI) Stage(name string) *HTTPStage {
	for _, s := range a.Stages {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// HasAuthenticatedRoutes reports whether any route requires a token.
func (a *HTTPAPI) HasAuthenticatedRoutes() bool {
	for _, r := range a.Routes {
		if r.AuthType != AuthNone {
			return true
		}
	}
	return false
}

// Sort puts authorizers, routes and stages in canonical order so every edge
// sees the same order.
func (a *HTTPAPI) Sort() {
	sort.SliceStable(a.Authorizers, func(i, j int) bool { return a.Authorizers[i].Name < a.Authorizers[j].Name })
	sort.SliceStable(a.Routes, func(i, j int) bool {
		if a.Routes[i].Path != a.Routes[j].Path {
			return a.Routes[i].Path < a.Routes[j].Path
		}
		return a.Routes[i].Method < a.Routes[j].Method
	})
	sort.SliceStable(a.Stages, func(i, j int) bool { return a.Stages[i].Name < a.Stages[j].Name })
}

// ParseRouteKey splits an HTTP API route key into method and path: "$default"
// gives ("", "", true); "GET /items" gives ("GET", "/items", true). The
// method is kept as written: API Gateway's route keys name it in upper case
// ("GET /pets", http-api-develop-routes.html) and validation refuses
// "get /items" rather than send a key other than the one described.
// Whether the method and path are valid is validation's business
// (ValidateRouteKey); this only finds the two halves.
func ParseRouteKey(key string) (method, path string, ok bool) {
	key = strings.TrimSpace(key)
	if key == DefaultRouteKey {
		return "", "", true
	}
	m, p, ok := strings.Cut(key, " ")
	if !ok {
		return "", "", false
	}
	return m, strings.TrimSpace(p), true
}

var (
	poolIDRe         = regexp.MustCompile(`^([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d+)_([0-9A-Za-z]+)$`)
	cognitoIssuerRe  = regexp.MustCompile(`^https://cognito-idp\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/([^/]+)$`)
	cognitoIssuerURL = "https://cognito-idp.%s.%s/%s"
)

// CognitoIssuer is the issuer URL of a Cognito user pool id
// ("us-east-1_AbC123" -> "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123"),
// or "" when id is not a pool id. The region is the id's prefix.
func CognitoIssuer(poolID string) string {
	m := poolIDRe.FindStringSubmatch(poolID)
	if m == nil {
		return ""
	}
	host := "amazonaws.com"
	if strings.HasPrefix(m[1], "cn-") {
		host = "amazonaws.com.cn"
	}
	return fmt.Sprintf(cognitoIssuerURL, m[1], host, poolID)
}

// ParseCognitoIssuer returns the region and pool id of a Cognito issuer URL
// (https://cognito-idp.REGION.amazonaws.com/POOL_ID). ok is false for any
// other issuer; it does not check that the pool id is well formed or from
// the same region (validation does, to say which).
func ParseCognitoIssuer(issuer string) (region, poolID string, ok bool) {
	m := cognitoIssuerRe.FindStringSubmatch(issuer)
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}

// IsCognitoPoolID reports whether s has a user pool id's shape
// (REGION_ID) and returns its region.
func IsCognitoPoolID(s string) (region string, ok bool) {
	m := poolIDRe.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// DefaultHTTPTimeoutMillis is the integration timeout an HTTP API uses when
// none is set (https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-integrations.html).
const DefaultHTTPTimeoutMillis = 30000

// DefaultHTTPIntegration fills what API Gateway assumes when a description
// leaves it out, so every reader gives the same model: Lambda proxy
// integrations default to payload 2.0 (the HTTP API console's and SAM's
// default), HTTP proxy integrations always speak 1.0 and pass the request's
// method on.
func DefaultHTTPIntegration(in *HTTPIntegration) {
	switch in.Type {
	case IntegrationAWSProxy:
		if in.PayloadFormatVersion == "" {
			in.PayloadFormatVersion = PayloadFormat20
		}
	case IntegrationHTTPProxy:
		if in.PayloadFormatVersion == "" {
			in.PayloadFormatVersion = PayloadFormat10
		}
		if in.Method == "" {
			in.Method = "ANY"
		}
	}
}
