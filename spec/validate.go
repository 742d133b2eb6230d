package spec

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Quotas API Gateway applies by default; both can be raised, so exceeding
// them is a warning.
const (
	QuotaAuthorizers = 10
	QuotaResources   = 300
)

var (
	// arn:PARTITION:cognito-idp:REGION:ACCOUNT:userpool/REGION_ID
	poolARNRe     = regexp.MustCompile(`^arn:(aws|aws-cn|aws-us-gov):cognito-idp:([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d+):(\d{12}):userpool/([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d+)_([0-9A-Za-z]+)$`)
	regionRe      = regexp.MustCompile(`^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d+$`)
	headerNameRe  = regexp.MustCompile(`^[A-Za-z0-9!#$%&'*+.^_` + "`" + `|~-]+$`)
	segmentRe     = regexp.MustCompile(`^[a-zA-Z0-9._-]+$`)
	paramSegRe    = regexp.MustCompile(`^\{([a-zA-Z0-9._-]+)(\+?)\}$`)
	stageNameRe   = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,128}$`)
	statusCodeRe  = regexp.MustCompile(`^[1-5]\d\d$`)
	restAPIIDRe   = regexp.MustCompile(`^[a-z0-9]{10}$`)
	validMethods  = map[string]bool{"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "HEAD": true, "OPTIONS": true, "ANY": true}
	validAuth     = map[string]bool{AuthNone: true, AuthCognito: true, AuthIAM: true, AuthCustom: true}
	validIntTypes = map[string]bool{IntegrationMock: true, IntegrationHTTP: true, IntegrationHTTPProxy: true, IntegrationAWS: true, IntegrationAWSProxy: true}
)

// GatewayResponseTypes are the response types API Gateway accepts.
var GatewayResponseTypes = []string{
	"ACCESS_DENIED", "API_CONFIGURATION_ERROR", "AUTHORIZER_CONFIGURATION_ERROR", "AUTHORIZER_FAILURE",
	"BAD_REQUEST_BODY", "BAD_REQUEST_PARAMETERS", "DEFAULT_4XX", "DEFAULT_5XX", "EXPIRED_TOKEN",
	"INTEGRATION_FAILURE", "INTEGRATION_TIMEOUT", "INVALID_API_KEY", "INVALID_SIGNATURE",
	"MISSING_AUTHENTICATION_TOKEN", "QUOTA_EXCEEDED", "REQUEST_TOO_LARGE", "RESOURCE_NOT_FOUND",
	"THROTTLED", "UNAUTHORIZED", "UNSUPPORTED_MEDIA_TYPE", "WAF_FILTERED",
}

// PoolARN is a parsed Cognito user pool ARN.
type PoolARN struct {
	Partition, Region, Account, PoolID string
}

// Issuer is the pool's token issuer URL (what `iss` must equal).

// IsAPIID reports an id in API Gateway's form (REST and HTTP APIs alike):
// 10 lower-case letters and digits.
func IsAPIID(s string) bool { return restAPIIDRe.MatchString(s) }

func (p PoolARN) Issuer() string {
	host := "amazonaws.com"
	if p.Partition == "aws-cn" {
		host = "amazonaws.com.cn"
	}
	return fmt.Sprintf("https://cognito-idp.%s.%s/%s", p.Region, host, p.PoolID)
}

// ParsePoolARN parses arn:aws:cognito-idp:REGION:ACCOUNT:userpool/REGION_ID.
func ParsePoolARN(s string) (PoolARN, error) {
	m := poolARNRe.FindStringSubmatch(s)
	if m == nil {
		return PoolARN{}, fmt.Errorf("%q is not a Cognito user pool ARN (arn:aws:cognito-idp:REGION:ACCOUNT:userpool/REGION_ID)", s)
	}
	if m[2] != m[4] {
		return PoolARN{}, fmt.Errorf("%q names region %s but its pool id is from %s", s, m[2], m[4])
	}
	return PoolARN{Partition: m[1], Region: m[2], Account: m[3], PoolID: m[4] + "_" + m[5]}, nil
}

// PathParams returns the parameter names in a path template, in order.
func PathParams(path string) []string {
	var out []string
	for _, seg := range strings.Split(path, "/") {
		if m := paramSegRe.FindStringSubmatch(seg); m != nil {
			out = append(out, m[1])
		}
	}
	return out
}

// ResourcePaths returns every resource path the routes need, including the
// intermediate ones API Gateway creates a resource for, and the root.
func ResourcePaths(a *API) []string {
	set := map[string]bool{"/": true}
	for _, r := range a.Routes {
		p := ""
		for _, seg := range strings.Split(strings.Trim(r.Path, "/"), "/") {
			if seg == "" {
				continue
			}
			p += "/" + seg
			set[p] = true
		}
	}
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Validate runs the structural checks every description must pass before
// policies run. It reports all problems, not just the first.
func Validate(d *Description) Diagnostics {
	var ds Diagnostics
	for _, a := range d.APIs {
		ds = append(ds, validateAPI(a)...)
	}
	for _, a := range d.HTTPAPIs {
		ds = append(ds, validateHTTPAPI(a)...)
	}
	return ds
}

func validateAPI(a *API) Diagnostics {
	var ds Diagnostics
	if a.Name == "" {
		ds = append(ds, Errorf("invalid-api", a.Range, "API without a name", "Every api needs a name."))
	}
	if a.Region != "" && !regionRe.MatchString(a.Region) {
		ds = append(ds, Errorf("invalid-region", a.At("region"), "Invalid region", "%q is not an AWS region name such as us-east-1.", a.Region))
	}
	if a.RestAPIID != "" && !restAPIIDRe.MatchString(a.RestAPIID) {
		ds = append(ds, Errorf("invalid-rest-api-id", a.At("rest_api_id"), "Invalid REST API id",
			"%q is not an API Gateway REST API id (10 lower-case letters and digits).", a.RestAPIID))
	}

	names := map[string]Range{}
	for _, az := range a.Authorizers {
		if prev, ok := names[az.Name]; ok {
			ds = append(ds, Errorf("duplicate-authorizer", az.Range, "Duplicate authorizer",
				"An authorizer named %q is already defined at %s.", az.Name, fmtRange(prev)))
			continue
		}
		names[az.Name] = az.Range
		ds = append(ds, validateAuthorizer(az)...)
	}
	if len(a.Authorizers) > QuotaAuthorizers {
		ds = append(ds, Warnf("quota-authorizers", a.Authorizers[QuotaAuthorizers].Range, "More authorizers than API Gateway allows by default",
			"API Gateway allows %d authorizers per API unless Support raises the quota; this API has %d.", QuotaAuthorizers, len(a.Authorizers)))
	}
	if a.DefaultAuthorizer != "" && a.AuthorizerByName(a.DefaultAuthorizer) == nil {
		ds = append(ds, Errorf("unknown-authorizer", a.At("default_authorizer"), "Reference to undeclared authorizer",
			"No authorizer %q is declared in api %q.%s", a.DefaultAuthorizer, a.Name, suggest(a.DefaultAuthorizer, names)))
	}
	if a.CORS != nil {
		if len(a.CORS.AllowOrigins) == 0 {
			ds = append(ds, Errorf("invalid-cors", a.CORS.Ranges.Of("allow_origins", a.CORS.Range), "CORS without origins",
				"allow_origins must list at least one origin (or \"*\")."))
		}
		for _, m := range a.CORS.AllowMethods {
			if !validMethods[m] || m == "ANY" {
				ds = append(ds, Errorf("invalid-cors", a.CORS.Ranges.Of("allow_methods", a.CORS.Range), "Invalid CORS method", "%q is not an HTTP method.", m))
			}
		}
	}

	routes := map[string]Range{}
	paramAt := map[string]string{} // resource path prefix -> parameter segment
	for _, r := range a.Routes {
		if prev, ok := routes[r.Key()]; ok {
			ds = append(ds, Errorf("duplicate-route", r.Range, "Duplicate route",
				"Route %q is already described at %s.", r.Key(), fmtRange(prev)))
			continue
		}
		routes[r.Key()] = r.Range
		ds = append(ds, validateRoute(a, r, names, paramAt)...)
	}
	if n := len(ResourcePaths(a)); n > QuotaResources {
		ds = append(ds, Warnf("quota-resources", a.Range, "More resources than API Gateway allows by default",
			"The routes need %d resources (every path segment is one); API Gateway allows %d per API unless Support raises the quota.", n, QuotaResources))
	}

	gw := map[string]bool{}
	for _, g := range a.GatewayResponses {
		if gw[g.Type] {
			ds = append(ds, Errorf("duplicate-gateway-response", g.Range, "Duplicate gateway response", "Gateway response %s is defined twice.", g.Type))
		}
		gw[g.Type] = true
		if !slices.Contains(GatewayResponseTypes, g.Type) {
			ds = append(ds, Errorf("invalid-gateway-response", g.Range, "Unknown gateway response type",
				"%q is not a gateway response type; API Gateway knows %s.", g.Type, strings.Join(GatewayResponseTypes, ", ")))
		}
		if g.StatusCode != "" && !statusCodeRe.MatchString(g.StatusCode) {
			ds = append(ds, Errorf("invalid-gateway-response", g.Range, "Invalid status code", "%q is not an HTTP status code (100-599).", g.StatusCode))
		}
		for k := range g.ResponseParameters {
			if !strings.HasPrefix(k, "gatewayresponse.header.") && !strings.HasPrefix(k, "gatewayresponse.path.") && !strings.HasPrefix(k, "gatewayresponse.querystring.") {
				ds = append(ds, Errorf("invalid-gateway-response", g.Range, "Invalid response parameter",
					"%q must start with gatewayresponse.header., gatewayresponse.path. or gatewayresponse.querystring.", k))
			}
		}
	}

	stages := map[string]Range{}
	for _, s := range a.Stages {
		if prev, ok := stages[s.Name]; ok {
			ds = append(ds, Errorf("duplicate-stage", s.Range, "Duplicate stage", "Stage %q is already described at %s.", s.Name, fmtRange(prev)))
			continue
		}
		stages[s.Name] = s.Range
		if !stageNameRe.MatchString(s.Name) {
			ds = append(ds, Errorf("invalid-stage-name", s.Ranges.Of("name", s.Range), "Invalid stage name",
				"%q must be 1-128 letters, digits, '-' or '_'.", s.Name))
		}
		for k := range s.Variables {
			if !regexp.MustCompile(`^[A-Za-z0-9_]+$`).MatchString(k) {
				ds = append(ds, Errorf("invalid-stage-variable", s.Ranges.Of("variables", s.Range), "Invalid stage variable name",
					"%q: stage variable names may contain only letters, digits and underscores.", k))
			}
		}
	}
	return ds
}

func validateAuthorizer(az *Authorizer) Diagnostics {
	var ds Diagnostics
	if az.Type != AuthorizerCognito && az.Type != AuthorizerToken && az.Type != AuthorizerRequest {
		ds = append(ds, Errorf("invalid-authorizer", az.Range, "Invalid authorizer type", "%q is not COGNITO_USER_POOLS, TOKEN or REQUEST.", az.Type))
	}
	if az.Type == AuthorizerCognito {
		if len(az.UserPoolARNs) == 0 {
			ds = append(ds, Errorf("missing-user-pool", az.At("user_pool_arns"), "Authorizer without a user pool",
				"A Cognito authorizer needs at least one user pool ARN in user_pool_arns."))
		}
		seen := map[string]bool{}
		for i, arn := range az.UserPoolARNs {
			at := az.PoolARNRange(i)
			if seen[arn] {
				ds = append(ds, Errorf("duplicate-user-pool", at, "Duplicate user pool ARN", "%s is listed twice.", arn))
			}
			seen[arn] = true
			if _, err := ParsePoolARN(arn); err != nil {
				ds = append(ds, Errorf("invalid-pool-arn", at, "Invalid user pool ARN", "%s.", err))
			}
		}
	}
	if az.TTLSeconds < 0 || az.TTLSeconds > MaxTTLSeconds {
		rng := az.At("ttl_seconds")
		ds = append(ds, Errorf("ttl-out-of-range", rng, "Authorizer TTL out of range",
			"%s is %d; API Gateway accepts 0 (no caching) to %d.", attrName(rng, "ttl_seconds", "authorizerResultTtlInSeconds"), az.TTLSeconds, MaxTTLSeconds))
	}
	if h := IdentityHeaderName(az.IdentitySource); h == "" || !headerNameRe.MatchString(h) {
		ds = append(ds, Errorf("invalid-identity-source", az.At("identity_source"), "Invalid identity source",
			"%q must be method.request.header.NAME (for example %s).", az.IdentitySource, DefaultIdentitySource))
	}
	if az.ValidationExpression != "" {
		if _, err := regexp.Compile(az.ValidationExpression); err != nil {
			ds = append(ds, Errorf("invalid-validation-expression", az.At("validation_expression"), "Invalid validation expression",
				"%q is not a regular expression: %s.", az.ValidationExpression, err))
		}
	}
	return ds
}

func validateRoute(a *API, r *Route, authorizers map[string]Range, paramAt map[string]string) Diagnostics {
	var ds Diagnostics
	key := r.Ranges.Of("key", r.Range)
	if !validMethods[r.Method] {
		ds = append(ds, Errorf("invalid-route-key", key, "Invalid HTTP method",
			"%q is not one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or ANY.", r.Method))
	}
	ds = append(ds, validatePath(r.Path, key, paramAt)...)
	if !validAuth[r.AuthType] {
		ds = append(ds, Errorf("invalid-auth-type", r.At("auth_type"), "Invalid authorization type",
			"%q is not NONE, COGNITO_USER_POOLS, AWS_IAM or CUSTOM.", r.AuthType))
	}
	if r.Authorizer != "" {
		if _, ok := authorizers[r.Authorizer]; !ok {
			ds = append(ds, Errorf("unknown-authorizer", r.At("authorizer"), "Reference to undeclared authorizer",
				"No authorizer %q is declared in api %q.%s", r.Authorizer, a.Name, suggest(r.Authorizer, authorizers)))
		}
	}
	if r.AuthType == AuthCognito && r.Authorizer == "" {
		ds = append(ds, Errorf("missing-authorizer", r.Range, "Cognito route without an authorizer",
			"Route %s uses COGNITO_USER_POOLS but names no authorizer and the api has no default_authorizer.", r.Key()))
	}
	if r.AuthType == AuthCustom && r.Authorizer == "" {
		ds = append(ds, Errorf("missing-authorizer", r.Range, "CUSTOM route without an authorizer", "Route %s uses CUSTOM authorization but names no authorizer.", r.Key()))
	}
	// A public route without a reason and scopes on a non-Cognito route are
	// policy rules (PCA002, PCA008), not structural errors: they are
	// documented, suppressible, and judge live models too.
	if r.Public && r.Authorizer != "" && !r.AuthorizerInherited {
		ds = append(ds, Errorf("public-with-authorizer", r.At("authorizer"), "Public route with an authorizer",
			"Route %s is public and names authorizer %q; choose one.", r.Key(), r.Authorizer))
	}
	if r.Public && r.AuthType != AuthNone && (r.Authorizer == "" || r.AuthorizerInherited) {
		ds = append(ds, Errorf("public-with-authorizer", r.At("auth_type"), "Public route with authorization",
			"Route %s is public but its authorization type is %s.", r.Key(), r.AuthType))
	}
	if len(r.Scopes) > 0 {
		for _, s := range r.Scopes {
			if strings.TrimSpace(s) == "" || strings.ContainsAny(s, " \t\n") {
				ds = append(ds, Errorf("invalid-scope", r.At("scopes"), "Invalid scope", "%q is not a scope: scopes are non-empty and contain no spaces.", s))
			}
		}
	}
	if in := r.Integration; in != nil {
		if !validIntTypes[in.Type] {
			ds = append(ds, Errorf("invalid-integration", in.Range, "Invalid integration type",
				"%q is not MOCK, HTTP, HTTP_PROXY, AWS or AWS_PROXY.", in.Type))
		} else if in.Type != IntegrationMock {
			if in.URI == "" {
				ds = append(ds, Errorf("invalid-integration", in.Range, "Integration without a uri", "A %s integration needs a uri.", in.Type))
			}
			if in.HTTPMethod == "" {
				ds = append(ds, Errorf("invalid-integration", in.Range, "Integration without an http_method",
					"A %s integration needs http_method (POST for Lambda).", in.Type))
			}
			if (in.Type == IntegrationHTTP || in.Type == IntegrationHTTPProxy) && in.URI != "" &&
				!strings.HasPrefix(in.URI, "http://") && !strings.HasPrefix(in.URI, "https://") {
				ds = append(ds, Errorf("invalid-integration", in.Range, "Invalid integration uri", "A %s integration's uri must be an http(s) URL, not %q.", in.Type, in.URI))
			}
			if (in.Type == IntegrationAWS || in.Type == IntegrationAWSProxy) && in.URI != "" && !strings.HasPrefix(in.URI, "arn:") {
				ds = append(ds, Errorf("invalid-integration", in.Range, "Invalid integration uri", "A %s integration's uri must be an ARN, not %q.", in.Type, in.URI))
			}
		}
		if in.TimeoutMillis != 0 && (in.TimeoutMillis < 50 || in.TimeoutMillis > 29000) {
			ds = append(ds, Errorf("invalid-integration", in.Range, "Integration timeout out of range", "timeout_millis is %d; API Gateway accepts 50 to 29000.", in.TimeoutMillis))
		}
	}
	for name := range r.ParamExamples {
		if !slices.Contains(PathParams(r.Path), name) {
			ds = append(ds, Warnf("unknown-path-parameter", r.At("examples"), "Example for a parameter the path does not have",
				"%s has no path parameter %q.", r.Path, name))
		}
	}
	return ds
}

// validatePath checks a resource path template the way CreateResource
// does, and that sibling parameters agree on their names (API Gateway
// refuses /items/{id} next to /items/{itemId}).
func validatePath(path string, rng Range, paramAt map[string]string) Diagnostics {
	bad := func(format string, args ...any) Diagnostics {
		return Diagnostics{Errorf("invalid-path", rng, "Invalid path", format, args...)}
	}
	if !strings.HasPrefix(path, "/") {
		return bad("%q must start with '/'.", path)
	}
	if path == "/" {
		return nil
	}
	if strings.HasSuffix(path, "/") {
		return bad("%q must not end with '/'.", path)
	}
	segs := strings.Split(path[1:], "/")
	seen := map[string]bool{}
	prefix := ""
	for i, seg := range segs {
		switch {
		case seg == "":
			return bad("%q has an empty segment.", path)
		case segmentRe.MatchString(seg):
		case paramSegRe.MatchString(seg):
			m := paramSegRe.FindStringSubmatch(seg)
			if m[2] == "+" && i != len(segs)-1 {
				return bad("%q: the greedy parameter {%s+} must be the last segment.", path, m[1])
			}
			if seen[m[1]] {
				return bad("%q uses parameter {%s} twice.", path, m[1])
			}
			seen[m[1]] = true
			if prev, ok := paramAt[prefix]; ok && prev != seg {
				return bad("%q: %s has parameter %s under %s elsewhere; API Gateway allows one parameter name per level.", path, seg, prev, orRoot(prefix))
			}
			paramAt[prefix] = seg
		default:
			return bad("%q: segment %q may contain only a-z, A-Z, 0-9, '.', '_' and '-', or be a {parameter} or {proxy+}.", path, seg)
		}
		prefix += "/" + seg
	}
	return nil
}

func orRoot(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

func fmtRange(r Range) string {
	if r.Filename == "" {
		return "another place"
	}
	return fmt.Sprintf("%s:%d", r.Filename, r.Start.Line)
}

// suggest offers the closest declared name, as Terraform does for typos.
func suggest(name string, names map[string]Range) string {
	best, bestD := "", 3
	for n := range names {
		if d := levenshtein(name, n); d < bestD || (d == bestD && n < best && best != "") {
			best, bestD = n, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" Did you mean %q?", best)
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// attrName is an attribute's name as the user wrote it: the HCL name in an
// .hcl file, the OpenAPI extension's field elsewhere.
func attrName(rng Range, hclName, openAPIName string) string {
	if rng.Filename == "" || strings.HasSuffix(strings.ToLower(rng.Filename), ".hcl") {
		return hclName
	}
	return openAPIName
}
