package spec

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Structural checks for HTTP APIs (v2). What API Gateway would refuse, or
// what can never work (an issuer no token can carry), is an error here;
// what works but admits more than intended is a policy rule (policies/).

var (
	identitySourceV2Re = regexp.MustCompile(`^\$request\.(header|querystring)\.([A-Za-z0-9!#$%&'*+.^_` + "`" + `|~-]+)$`)
	stageVarNameRe     = regexp.MustCompile(`^[A-Za-z0-9_]+$`)
	validCORSMethodsV2 = map[string]bool{"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "HEAD": true, "OPTIONS": true, "*": true}
)

// MaxCORSMaxAgeV2 is the largest maxAge an HTTP API's CORS configuration takes.
const MaxCORSMaxAgeV2 = 86400

func validateHTTPAPI(a *HTTPAPI) Diagnostics {
	var ds Diagnostics
	if a.Name == "" {
		ds = append(ds, Errorf("invalid-api", a.Range, "API without a name", "Every http_api needs a name."))
	}
	if a.Region != "" && !regionRe.MatchString(a.Region) {
		ds = append(ds, Errorf("invalid-region", a.At("region"), "Invalid region", "%q is not an AWS region name such as us-east-1.", a.Region))
	}
	if a.APIID != "" && !restAPIIDRe.MatchString(a.APIID) {
		ds = append(ds, Errorf("invalid-api-id", a.At("api_id"), "Invalid HTTP API id",
			"%q is not an API Gateway API id (10 lower-case letters and digits).", a.APIID))
	}
	names := map[string]Range{}
	for _, az := range a.Authorizers {
		if prev, ok := names[az.Name]; ok {
			ds = append(ds, Errorf("duplicate-authorizer", az.Range, "Duplicate authorizer",
				"An authorizer named %q is already defined at %s.", az.Name, fmtRange(prev)))
			continue
		}
		names[az.Name] = az.Range
		ds = append(ds, validateJWTAuthorizer(az)...)
	}
	if len(a.Authorizers) > QuotaAuthorizers {
		ds = append(ds, Warnf("quota-authorizers", a.Authorizers[QuotaAuthorizers].Range, "More authorizers than API Gateway allows by default",
			"API Gateway allows %d authorizers per API unless Support raises the quota; this API has %d.", QuotaAuthorizers, len(a.Authorizers)))
	}
	if a.DefaultAuthorizer != "" && a.AuthorizerByName(a.DefaultAuthorizer) == nil {
		ds = append(ds, Errorf("unknown-authorizer", a.At("default_authorizer"), "Reference to undeclared authorizer",
			"No authorizer %q is declared in http_api %q.%s", a.DefaultAuthorizer, a.Name, suggest(a.DefaultAuthorizer, names)))
	}
	if c := a.CORS; c != nil {
		if len(c.AllowOrigins) == 0 {
			ds = append(ds, Errorf("invalid-cors", c.Ranges.Of("allow_origins", c.Range), "CORS without origins",
				"allow_origins must list at least one origin (or \"*\")."))
		}
		for _, m := range c.AllowMethods {
			if !validCORSMethodsV2[m] {
				ds = append(ds, Errorf("invalid-cors", c.Ranges.Of("allow_methods", c.Range), "Invalid CORS method", "%q is not an HTTP method or \"*\".", m))
			}
		}
		if c.MaxAgeSeconds < 0 || c.MaxAgeSeconds > MaxCORSMaxAgeV2 {
			ds = append(ds, Errorf("invalid-cors", c.Ranges.Of("max_age_seconds", c.Range), "CORS max age out of range",
				"max_age_seconds is %d; HTTP APIs accept 0 to %d.", c.MaxAgeSeconds, MaxCORSMaxAgeV2))
		}
	}
	routes := map[string]Range{}
	for _, r := range a.Routes {
		if prev, ok := routes[r.Key]; ok {
			ds = append(ds, Errorf("duplicate-route", r.Range, "Duplicate route",
				"Route %q is already described at %s.", r.Key, fmtRange(prev)))
			continue
		}
		routes[r.Key] = r.Range
		ds = append(ds, validateHTTPRoute(a, r, names)...)
	}
	stages := map[string]Range{}
	for _, s := range a.Stages {
		if prev, ok := stages[s.Name]; ok {
			ds = append(ds, Errorf("duplicate-stage", s.Range, "Duplicate stage", "Stage %q is already described at %s.", s.Name, fmtRange(prev)))
			continue
		}
		stages[s.Name] = s.Range
		if s.Name != DefaultStageName && !stageNameRe.MatchString(s.Name) {
			ds = append(ds, Errorf("invalid-stage-name", s.Ranges.Of("name", s.Range), "Invalid stage name",
				"%q must be $default or 1-128 letters, digits, '-' or '_'.", s.Name))
		}
		for k := range s.Variables {
			if !stageVarNameRe.MatchString(k) {
				ds = append(ds, Errorf("invalid-stage-variable", s.Ranges.Of("variables", s.Range), "Invalid stage variable name",
					"%q: stage variable names may contain only letters, digits and underscores.", k))
			}
		}
	}
	return ds
}

func validateJWTAuthorizer(az *JWTAuthorizer) Diagnostics {
	var ds Diagnostics
	if az.Type != AuthorizerJWT && az.Type != AuthorizerRequest {
		ds = append(ds, Errorf("invalid-authorizer", az.Range, "Invalid authorizer type", "%q is not JWT or REQUEST.", az.Type))
		return ds
	}
	if az.Type != AuthorizerJWT {
		return ds
	}
	switch {
	case az.UserPoolID != "" && az.Issuer != CognitoIssuer(az.UserPoolID):
		ds = append(ds, Errorf("conflicting-issuer", az.At("user_pool_id"), "Issuer and user pool disagree",
			"The issuer %q is not user pool %s's (%s); name the pool or the issuer URL, not both.", az.Issuer, az.UserPoolID, CognitoIssuer(az.UserPoolID)))
	case az.UserPoolID != "":
		if _, ok := IsCognitoPoolID(az.UserPoolID); !ok {
			ds = append(ds, Errorf("invalid-user-pool-id", az.At("user_pool_id"), "Invalid user pool id",
				"%q is not a Cognito user pool id (REGION_ID, such as us-east-1_AbC123).", az.UserPoolID))
		}
	case az.Issuer == "":
		ds = append(ds, Errorf("missing-issuer", az.Range, "JWT authorizer without an issuer",
			"A JWT authorizer needs issuer (an https URL) or user_pool_id (a Cognito user pool, whose issuer is derived)."))
	default:
		ds = append(ds, validateIssuer(az.Issuer, az.At("issuer"))...)
	}
	if len(az.Audiences) == 0 {
		ds = append(ds, Errorf("missing-audience", az.At("audiences"), "JWT authorizer without an audience",
			"API Gateway requires at least one audience: a token is admitted only when its aud (or, without aud, its client_id) is one of them. For Cognito, list the app client ids."))
	}
	seen := map[string]bool{}
	for _, aud := range az.Audiences {
		if strings.TrimSpace(aud) == "" {
			ds = append(ds, Errorf("invalid-audience", az.At("audiences"), "Empty audience", "An audience is a non-empty string, such as a Cognito app client id."))
		} else if seen[aud] {
			ds = append(ds, Errorf("duplicate-audience", az.At("audiences"), "Duplicate audience", "%q is listed twice.", aud))
		}
		seen[aud] = true
	}
	switch len(az.IdentitySources) {
	case 1:
		if !identitySourceV2Re.MatchString(az.IdentitySources[0]) {
			ds = append(ds, Errorf("invalid-identity-source", az.At("identity_source"), "Invalid identity source",
				"%q must be $request.header.NAME or $request.querystring.NAME (for example %s).", az.IdentitySources[0], DefaultJWTIdentitySource))
		}
	default:
		ds = append(ds, Errorf("invalid-identity-source", az.At("identity_source"), "A JWT authorizer takes one identity source",
			"A JWT authorizer reads the token from exactly one place (%d given), such as %s.", len(az.IdentitySources), DefaultJWTIdentitySource))
	}
	return ds
}

// validateIssuer checks what API Gateway and the token can agree on: an
// https URL, and for a Cognito issuer the exact
// https://cognito-idp.REGION.amazonaws.com/POOL_ID form with the pool from
// that region (a token's iss never has a trailing slash or another region).
func validateIssuer(issuer string, at Range) Diagnostics {
	u, err := url.Parse(issuer)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return Diagnostics{Errorf("invalid-issuer", at, "Issuer is not an https URL",
			"%q must be an https URL without credentials, query or fragment, such as https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123.", issuer)}
	}
	host := strings.ToLower(u.Hostname())
	if !strings.HasPrefix(host, "cognito-idp.") || !(strings.HasSuffix(host, ".amazonaws.com") || strings.HasSuffix(host, ".amazonaws.com.cn")) {
		return nil
	}
	region, pool, ok := ParseCognitoIssuer(issuer)
	if !ok {
		return Diagnostics{Errorf("invalid-issuer", at, "Malformed Cognito issuer",
			"%q names Cognito but is not https://cognito-idp.REGION.amazonaws.com/POOL_ID; Cognito tokens carry exactly that iss.", issuer)}
	}
	poolRegion, ok := IsCognitoPoolID(pool)
	if !ok {
		return Diagnostics{Errorf("invalid-issuer", at, "Malformed Cognito issuer",
			"%q is not a Cognito user pool id (REGION_ID, such as %s_AbC123), so no Cognito token carries this iss.", pool, region)}
	}
	if poolRegion != region {
		return Diagnostics{Errorf("invalid-issuer", at, "Cognito issuer from the wrong region",
			"Pool %s lives in %s, but the issuer names cognito-idp.%s; its tokens carry https://cognito-idp.%s.amazonaws.com/%s.", pool, poolRegion, region, poolRegion, pool)}
	}
	return nil
}

func validateHTTPRoute(a *HTTPAPI, r *HTTPRoute, authorizers map[string]Range) Diagnostics {
	var ds Diagnostics
	key := r.Ranges.Of("key", r.Range)
	switch {
	case r.IsDefault():
		if len(r.ParamExamples) > 0 {
			ds = append(ds, Warnf("unknown-path-parameter", r.At("examples"), "Example for a parameter the path does not have",
				"The $default route has no path parameters; it catches every request no other route matches."))
		}
	case strings.HasPrefix(r.Key, "$"), strings.HasPrefix(r.Method, "$"):
		ds = append(ds, Errorf("invalid-route-key", key, "Invalid route key",
			"%q: the only route key starting with $ on an HTTP API is $default ($connect, $disconnect and the like are WebSocket routes).", r.Key))
	default:
		if up := strings.ToUpper(r.Method); up != r.Method && validMethods[up] {
			// API Gateway writes route keys with the method in upper case
			// (http-api-develop-routes.html) and the local gateway refuses
			// another case, so the key is not quietly rewritten here either.
			ds = append(ds, Errorf("invalid-route-key", key, "HTTP method not in upper case",
				"Route key %q: write the method in upper case, %q, as API Gateway's route keys are written.", r.Key, up+" "+r.Path))
		} else if !validMethods[r.Method] {
			ds = append(ds, Errorf("invalid-route-key", key, "Invalid HTTP method",
				"%q is not one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or ANY.", r.Method))
		}
		// HTTP APIs have no resource tree, so sibling parameters need not
		// agree on a name: each route's path is checked alone.
		ds = append(ds, validatePath(r.Path, key, map[string]string{})...)
		for name := range r.ParamExamples {
			if !slices.Contains(PathParams(r.Path), name) {
				ds = append(ds, Warnf("unknown-path-parameter", r.At("examples"), "Example for a parameter the path does not have",
					"%s has no path parameter %q.", r.Path, name))
			}
		}
	}
	switch r.AuthType {
	case AuthNone, AuthJWT, AuthIAM, AuthCustom:
	default:
		ds = append(ds, Errorf("invalid-auth-type", r.At("auth_type"), "Invalid authorization type",
			"%q is not NONE, JWT, AWS_IAM or CUSTOM.", r.AuthType))
	}
	if r.Authorizer != "" {
		if _, ok := authorizers[r.Authorizer]; !ok {
			ds = append(ds, Errorf("unknown-authorizer", r.At("authorizer"), "Reference to undeclared authorizer",
				"No authorizer %q is declared in http_api %q.%s", r.Authorizer, a.Name, suggest(r.Authorizer, authorizers)))
		}
	}
	if (r.AuthType == AuthJWT || r.AuthType == AuthCustom) && r.Authorizer == "" {
		ds = append(ds, Errorf("missing-authorizer", r.Range, r.AuthType+" route without an authorizer",
			"Route %s uses %s authorization but names no authorizer and the http_api has no default_authorizer.", r.Key, r.AuthType))
	}
	if r.Public && r.Authorizer != "" && !r.AuthorizerInherited {
		ds = append(ds, Errorf("public-with-authorizer", r.At("authorizer"), "Public route with an authorizer",
			"Route %s is public and names authorizer %q; choose one.", r.Key, r.Authorizer))
	}
	if r.Public && r.AuthType != AuthNone && (r.Authorizer == "" || r.AuthorizerInherited) {
		ds = append(ds, Errorf("public-with-authorizer", r.At("auth_type"), "Public route with authorization",
			"Route %s is public but its authorization type is %s.", r.Key, r.AuthType))
	}
	for _, s := range r.Scopes {
		if strings.TrimSpace(s) == "" || strings.ContainsAny(s, " \t\n") {
			ds = append(ds, Errorf("invalid-scope", r.At("scopes"), "Invalid scope", "%q is not a scope: scopes are non-empty and contain no spaces.", s))
		}
	}
	if in := r.Integration; in != nil {
		ds = append(ds, validateHTTPIntegration(in)...)
	}
	return ds
}

func validateHTTPIntegration(in *HTTPIntegration) Diagnostics {
	var ds Diagnostics
	at := func(attr string) Range { return in.Ranges.Of(attr, in.Range) }
	switch in.Type {
	case IntegrationAWSProxy:
		if in.URI != "" && !strings.HasPrefix(in.URI, "arn:") {
			ds = append(ds, Errorf("invalid-integration", at("uri"), "Invalid integration uri", "A Lambda proxy (AWS_PROXY) integration's uri must be a function ARN, not %q.", in.URI))
		}
		if in.PayloadFormatVersion != PayloadFormat10 && in.PayloadFormatVersion != PayloadFormat20 {
			ds = append(ds, Errorf("invalid-integration", at("payload_format_version"), "Invalid payload format version",
				"%q is not 1.0 or 2.0.", in.PayloadFormatVersion))
		}
	case IntegrationHTTPProxy:
		if in.URI != "" && !strings.HasPrefix(in.URI, "http://") && !strings.HasPrefix(in.URI, "https://") {
			ds = append(ds, Errorf("invalid-integration", at("uri"), "Invalid integration uri", "An HTTP_PROXY integration's uri must be an http(s) URL, not %q.", in.URI))
		}
		if in.PayloadFormatVersion != PayloadFormat10 {
			ds = append(ds, Errorf("invalid-integration", at("payload_format_version"), "Invalid payload format version",
				"HTTP_PROXY integrations use payload format 1.0, not %q.", in.PayloadFormatVersion))
		}
		if in.Method != "ANY" && !validMethods[in.Method] {
			ds = append(ds, Errorf("invalid-integration", at("http_method"), "Invalid integration method", "%q is not an HTTP method or ANY.", in.Method))
		}
	default:
		return append(ds, Errorf("invalid-integration", at("type"), "Invalid integration type",
			"%q is not AWS_PROXY (Lambda proxy) or HTTP_PROXY, the integrations an HTTP API route can have.", in.Type))
	}
	if in.URI == "" {
		ds = append(ds, Errorf("invalid-integration", in.Range, "Integration without a uri", "A %s integration needs a uri.", in.Type))
	}
	if in.TimeoutMillis != 0 && (in.TimeoutMillis < 50 || in.TimeoutMillis > 30000) {
		ds = append(ds, Errorf("invalid-integration", at("timeout_millis"), "Integration timeout out of range", "timeout_millis is %d; HTTP APIs accept 50 to 30000.", in.TimeoutMillis))
	}
	return ds
}
