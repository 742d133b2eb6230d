package emulator

// The HTTP API (v2) data plane: what an invoke of an HTTP API stage does,
// in AWS's order (http-api-cors.html, http-api-develop-routes.html,
// http-api-jwt-authorizer.html): a CORS preflight is answered by the
// gateway when the API has a CORS configuration, before any route or
// authorizer; then the most specific route (an exact route before one with
// path variables, before a greedy {proxy+}, a named method before ANY, and
// $default last); then its authorizer; then its integration. Choices
// where AWS's docs are silent are listed in docs/local-gateway.md.

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/portcullis-dev/portcullis/internal/escape"
	"github.com/portcullis-dev/portcullis/tokens"
)

// v2Invocation is one request on its way through an HTTP API.
type v2Invocation struct {
	w         http.ResponseWriter
	r         *http.Request
	requestID string
	apiID     string
	stageName string
	stage     *HTTPStage
	snap      *HTTPSnapshot
	path      string // decoded, "/items/42"
	route     *HTTPRoute
	params    map[string]string
	claims    tokens.Claims
	scopes    []string
}

// serveHTTPAPI answers r when it is an invoke of an HTTP API; false means
// the API is not one (the REST data plane goes on).
func (d *dataPlane) serveHTTPAPI(w http.ResponseWriter, r *http.Request) bool {
	apiID, stage, rest, ok := d.splitV2Invoke(r)
	if !ok {
		return false
	}
	inv := &v2Invocation{w: w, r: r, requestID: apigwID(), apiID: apiID}
	setExact(w.Header(), "apigw-requestid", inv.requestID)
	inv.snap, inv.stage, ok = d.e.HTTPStageSnapshot(apiID, stage)
	inv.stageName = stage
	if !ok {
		d.v2Error(inv, http.StatusNotFound, "Not Found", nil, "no deployed stage %q on HTTP API %s", stage, apiID)
		return true
	}
	var segs []string
	for _, s := range splitSegments(rest) {
		if u, err := url.PathUnescape(s); err == nil {
			s = u
		}
		segs = append(segs, s)
	}
	inv.path = "/" + strings.Join(segs, "/")

	// As on the REST side (dataplane.go): the request-head quota, and a
	// verb that is not upper case matches no route, ANY included.
	if n := requestHeadSize(r); n > maxRequestHead {
		d.v2Error(inv, http.StatusRequestEntityTooLarge, "Request Too Long", nil,
			"request line and headers are %d bytes, over API Gateway's %d", n, maxRequestHead)
		return true
	}
	if r.Method != strings.ToUpper(r.Method) {
		d.v2Error(inv, http.StatusNotFound, "Not Found", nil, "method %q is not upper case: it matches no route, not even ANY", r.Method)
		return true
	}
	if inv.snap.Cors != nil && r.Method == http.MethodOptions &&
		r.Header.Get("Origin") != "" && r.Header.Get("Access-Control-Request-Method") != "" {
		d.v2Preflight(inv)
		return true
	}
	router := d.v2Router(inv.snap)
	inv.route, inv.params = router.match(r.Method, segs)
	if inv.route == nil {
		d.v2Error(inv, http.StatusNotFound, "Not Found", nil, "no route matches %s %s in the deployment", r.Method, inv.path)
		return true
	}
	if !d.v2Authorize(inv) {
		return true
	}
	d.v2Integrate(inv)
	return true
}

// splitV2Invoke finds an HTTP API, its stage and the escaped path in
// either invoke form: /restapis/{id}/{stage}/_user_request_/{path} or
// Host {id}.execute-api.localhost with /{stage}/{path}, where a path whose
// first segment names no stage goes to the $default stage, as on AWS.
func (d *dataPlane) splitV2Invoke(r *http.Request) (apiID, stage, rest string, ok bool) {
	id, stage, rest, ok := splitInvokePath(r)
	if !ok && id == "" {
		return "", "", "", false
	}
	if id == "" || !d.e.isHTTPAPI(id) {
		return "", "", "", false
	}
	if u, err := url.PathUnescape(stage); err == nil {
		stage = u
	}
	if !strings.HasPrefix(r.URL.EscapedPath(), "/restapis/") {
		// Host form: {stage}/{rest} or, for $default, the whole path.
		names := d.e.httpStageNames(id)
		named := false
		for _, n := range names {
			if n == stage && n != DefaultStage {
				named = true
			}
		}
		if !named {
			rest = strings.TrimPrefix(r.URL.EscapedPath(), "/")
			stage = DefaultStage
		}
	}
	return id, stage, rest, true
}

// v2Error writes an HTTP API's own answer: {"message": ...}. extra headers
// (www-authenticate) are added; CORS headers too when the API has CORS and
// the origin is allowed (see docs/local-gateway.md).
func (d *dataPlane) v2Error(inv *v2Invocation, status int, message string, extra http.Header, why string, args ...any) {
	if d.opts.Logf != nil {
		d.opts.Logf("%s", escape.Control(fmt.Sprintf("%s %s/%s%s: %d %s: %s", inv.r.Method, inv.apiID, inv.stageName, inv.path, status, message, fmt.Sprintf(why, args...))))
	}
	h := inv.w.Header()
	for k, vs := range extra {
		h[k] = vs
	}
	if inv.snap != nil {
		corsHeaders(h, inv.snap.Cors, inv.r.Header.Get("Origin"), false)
	}
	body, _ := json.Marshal(map[string]string{"message": message})
	writeBody(inv.w, status, "application/json", body)
}

// ---- CORS ----

func originAllowed(c *Cors, origin string) (string, bool) {
	for _, o := range c.AllowOrigins {
		if o == "*" {
			return "*", true
		}
		if strings.EqualFold(o, origin) {
			return origin, true
		}
	}
	return "", false
}

// corsHeaders adds the configured CORS headers for origin; preflight adds
// the Allow-Methods, Allow-Headers and Max-Age ones.
func corsHeaders(h http.Header, c *Cors, origin string, preflight bool) bool {
	if c == nil || origin == "" {
		return false
	}
	allow, ok := originAllowed(c, origin)
	if !ok {
		return false
	}
	h.Set("Access-Control-Allow-Origin", allow)
	if allow != "*" {
		h.Add("Vary", "Origin")
	}
	if c.AllowCredentials != nil && *c.AllowCredentials {
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	if preflight {
		if len(c.AllowMethods) > 0 {
			h.Set("Access-Control-Allow-Methods", strings.Join(c.AllowMethods, ","))
		}
		if len(c.AllowHeaders) > 0 {
			h.Set("Access-Control-Allow-Headers", strings.Join(c.AllowHeaders, ","))
		}
		if c.MaxAge != nil {
			h.Set("Access-Control-Max-Age", strconv.Itoa(int(*c.MaxAge)))
		}
	} else if len(c.ExposeHeaders) > 0 {
		h.Set("Access-Control-Expose-Headers", strings.Join(c.ExposeHeaders, ","))
	}
	return true
}

// v2Preflight is the gateway's own answer to a preflight: 204 with the
// configured headers, or 204 without them for an origin not allowed (the
// browser then refuses; what AWS sends then is UNCONFIRMED).
func (d *dataPlane) v2Preflight(inv *v2Invocation) {
	if !corsHeaders(inv.w.Header(), inv.snap.Cors, inv.r.Header.Get("Origin"), true) && d.opts.Logf != nil {
		d.opts.Logf("OPTIONS %s/%s%s: preflight from origin %q, which the CORS configuration does not allow", inv.apiID, inv.stageName, inv.path, inv.r.Header.Get("Origin"))
	}
	inv.w.WriteHeader(http.StatusNoContent)
}

// ---- routing ----

type v2Seg struct {
	lit    string
	param  string
	greedy bool
}

type v2CompiledRoute struct {
	route  *HTTPRoute
	method string // "" for $default
	segs   []v2Seg
	rank   []int // for ordering: lower is more specific
}

type v2RouterT struct{ routes []*v2CompiledRoute }

func compileV2Routes(s *HTTPSnapshot) *v2RouterT {
	rt := &v2RouterT{}
	for _, r := range s.Routes {
		c := &v2CompiledRoute{route: r}
		if r.RouteKey == DefaultRoute {
			c.rank = []int{3}
			rt.routes = append(rt.routes, c)
			continue
		}
		m, path, _ := strings.Cut(r.RouteKey, " ")
		c.method = m
		greedy := 0
		var segRank []int
		for _, sg := range splitSegments(path) {
			switch {
			case strings.HasPrefix(sg, "{") && strings.HasSuffix(sg, "+}"):
				c.segs = append(c.segs, v2Seg{param: sg[1 : len(sg)-2], greedy: true})
				greedy = 1
				segRank = append(segRank, 2)
			case strings.HasPrefix(sg, "{") && strings.HasSuffix(sg, "}"):
				c.segs = append(c.segs, v2Seg{param: sg[1 : len(sg)-1]})
				segRank = append(segRank, 1)
			default:
				c.segs = append(c.segs, v2Seg{lit: sg})
				segRank = append(segRank, 0)
			}
		}
		any := 0
		if m == "ANY" {
			any = 1
		}
		c.rank = append([]int{greedy}, segRank...)
		c.rank = append(c.rank, any)
		rt.routes = append(rt.routes, c)
	}
	sort.SliceStable(rt.routes, func(i, j int) bool {
		a, b := rt.routes[i].rank, rt.routes[j].rank
		for k := 0; k < len(a) && k < len(b); k++ {
			if a[k] != b[k] {
				return a[k] < b[k]
			}
		}
		return len(a) > len(b)
	})
	return rt
}

// match returns the first (most specific) route that takes method and
// segs, with its path parameters.
func (rt *v2RouterT) match(method string, segs []string) (*HTTPRoute, map[string]string) {
	for _, c := range rt.routes {
		if c.method == "" {
			return c.route, nil
		}
		if c.method != "ANY" && c.method != method {
			continue
		}
		if params, ok := c.matchPath(segs); ok {
			return c.route, params
		}
	}
	return nil, nil
}

func (c *v2CompiledRoute) matchPath(segs []string) (map[string]string, bool) {
	var params map[string]string
	for i, s := range c.segs {
		if s.greedy {
			if i >= len(segs) {
				return nil, false
			}
			if params == nil {
				params = map[string]string{}
			}
			params[s.param] = strings.Join(segs[i:], "/")
			return params, true
		}
		if i >= len(segs) {
			return nil, false
		}
		if s.param != "" {
			if params == nil {
				params = map[string]string{}
			}
			params[s.param] = segs[i]
			continue
		}
		if s.lit != segs[i] {
			return nil, false
		}
	}
	return params, len(segs) == len(c.segs)
}

func (d *dataPlane) v2Router(s *HTTPSnapshot) *v2RouterT {
	d.routersMu.Lock()
	defer d.routersMu.Unlock()
	if d.v2routers == nil || len(d.v2routers) > 256 {
		d.v2routers = map[*HTTPSnapshot]*v2RouterT{}
	}
	rt := d.v2routers[s]
	if rt == nil {
		rt = compileV2Routes(s)
		d.v2routers[s] = rt
	}
	return rt
}

// ---- authorization ----

func (d *dataPlane) v2Authorize(inv *v2Invocation) bool {
	rt := inv.route
	switch rt.AuthorizationType {
	case "", v2AuthNone:
		return true
	case v2AuthIAM:
		if strings.HasPrefix(inv.r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 ") || inv.r.URL.Query().Get("X-Amz-Algorithm") == "AWS4-HMAC-SHA256" {
			return true
		}
		d.v2Error(inv, http.StatusForbidden, "Forbidden", nil, "AWS_IAM route and the request is not SigV4-signed")
		return false
	case v2AuthJWT:
		return d.v2AuthorizeJWT(inv)
	default:
		d.v2Error(inv, http.StatusInternalServerError, "Internal Server Error", nil,
			"authorization type %s: Lambda authorizers do not run in the local gateway", rt.AuthorizationType)
		return false
	}
}

func (d *dataPlane) v2AuthorizeJWT(inv *v2Invocation) bool {
	az := inv.snap.Authorizer(inv.route.AuthorizerID)
	if az == nil || az.AuthorizerType != v2AuthorizerJWT || az.JWTConfiguration == nil || len(az.IdentitySource) == 0 {
		d.v2Error(inv, http.StatusInternalServerError, "Internal Server Error", nil,
			"route %s names authorizer %q, which is not a JWT authorizer in the deployment", inv.route.RouteKey, inv.route.AuthorizerID)
		return false
	}
	// A header or parameter sent more than once is one value joined with
	// commas, as HTTP APIs hand it to integrations (payload 2.0), which no
	// token survives: a second copy cannot smuggle a token past the first.
	value := ""
	src := az.IdentitySource[0]
	if name, ok := strings.CutPrefix(src, "$request.header."); ok {
		value = strings.Join(inv.r.Header.Values(name), ",")
	} else if name, ok := strings.CutPrefix(src, "$request.querystring."); ok {
		value = strings.Join(inv.r.URL.Query()[name], ",")
	}
	rules := tokens.JWTRules{Issuer: az.JWTConfiguration.Issuer, Audiences: az.JWTConfiguration.Audience, Scopes: inv.route.AuthorizationScopes}
	var (
		res *tokens.Result
		err error
	)
	if d.opts.Verifier == nil {
		err = &tokens.JWTError{Err: tokens.ErrUnauthorized, Description: "invalid issuer", Reason: "no token verifier is configured, so no issuer is trusted"}
	} else {
		res, err = d.opts.Verifier.VerifyJWT(inv.r.Context(), value, rules)
	}
	if err != nil {
		var je *tokens.JWTError
		if !errors.As(err, &je) {
			je = &tokens.JWTError{Err: tokens.ErrUnauthorized, Description: "the token is invalid", Reason: err.Error()}
		}
		h := http.Header{}
		setExact(h, "www-authenticate", je.WWWAuthenticate())
		if errors.Is(err, tokens.ErrForbidden) {
			d.v2Error(inv, http.StatusForbidden, tokens.MessageForbidden, h, "authorizer %s: %s", az.Name, je.Reason)
			return false
		}
		d.v2Error(inv, http.StatusUnauthorized, tokens.MessageUnauthorized, h, "authorizer %s: %s", az.Name, je.Reason)
		return false
	}
	inv.claims = res.Claims
	inv.scopes = inv.route.AuthorizationScopes
	return true
}

// ---- integrations ----

func (d *dataPlane) v2Integrate(inv *v2Invocation) {
	in := inv.snap.Integration(inv.route.Target)
	if in == nil {
		d.v2Error(inv, http.StatusInternalServerError, "Internal Server Error", nil, "route %s has no integration", inv.route.RouteKey)
		return
	}
	body, err := io.ReadAll(io.LimitReader(inv.r.Body, maxPayload+1))
	if err != nil || len(body) > maxPayload {
		d.v2Error(inv, http.StatusRequestEntityTooLarge, "Request Entity Too Large", nil, "body over 10 MB or unreadable")
		return
	}
	switch in.IntegrationType {
	case v2IntegrationHTTPProxy:
		d.v2Forward(inv, in, body)
	case v2IntegrationAWSProxy:
		d.v2Lambda(inv, in, body)
	default:
		d.v2Error(inv, http.StatusInternalServerError, "Internal Server Error", nil, "integration type %q", in.IntegrationType)
	}
}

// v2Forward calls an HTTP_PROXY backend on loopback: path variables in
// the URI ({proxy}, {id}) are filled from the route's, the client's query
// string and headers pass through.
func (d *dataPlane) v2Forward(inv *v2Invocation, in *HTTPIntegration, body []byte) {
	target := in.IntegrationURI
	for k, v := range inv.params {
		target = strings.ReplaceAll(target, "{"+k+"}", v)
		target = strings.ReplaceAll(target, "{"+k+"+}", v)
	}
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		d.v2Error(inv, http.StatusInternalServerError, "Internal Server Error", nil, "integration URI %q is not an http(s) URL", target)
		return
	}
	if !isLoopback(u.Hostname()) {
		d.v2Error(inv, http.StatusInternalServerError, "Internal Server Error", nil,
			"integration URI %s is not on loopback: the local gateway forwards only to 127.0.0.1, ::1 and localhost", target)
		return
	}
	if inv.r.URL.RawQuery != "" {
		if u.RawQuery != "" {
			u.RawQuery += "&"
		}
		u.RawQuery += inv.r.URL.RawQuery
	}
	verb := in.IntegrationMethod
	if verb == "" || verb == "ANY" {
		verb = inv.r.Method
	}
	timeout := time.Duration(max(in.TimeoutInMillis, 50)) * time.Millisecond
	ctx, cancel := context.WithTimeout(inv.r.Context(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, verb, u.String(), bytes.NewReader(body))
	if err != nil {
		d.v2Error(inv, http.StatusInternalServerError, "Internal Server Error", nil, "building the backend request: %v", err)
		return
	}
	req.Header = inv.r.Header.Clone()
	for _, h := range hopHeaders {
		req.Header.Del(h)
	}
	req.Header.Add("X-Forwarded-For", sourceIP(inv.r))
	req.Header.Set("X-Forwarded-Proto", "http")
	resp, err := d.client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			d.v2Error(inv, http.StatusServiceUnavailable, "Service Unavailable", nil, "backend %s timed out: %v", u.Host, err)
			return
		}
		d.v2Error(inv, http.StatusInternalServerError, "Internal Server Error", nil, "backend %s: %v", u.Host, err)
		return
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, maxPayload+1))
	if err != nil {
		d.v2Error(inv, http.StatusInternalServerError, "Internal Server Error", nil, "reading the backend answer: %v", err)
		return
	}
	h := inv.w.Header()
	for k, vs := range resp.Header {
		if k == "Content-Length" || k == "Connection" || k == "Transfer-Encoding" {
			continue
		}
		h[k] = vs
	}
	corsHeaders(h, inv.snap.Cors, inv.r.Header.Get("Origin"), false)
	writeBody(inv.w, resp.StatusCode, "", out)
}

// lambdaEvent2 is the payload format 2.0 event
// (http-api-develop-integrations-lambda.html); struct fields, not maps,
// keep encoding cheap on the hot path.
type lambdaEvent2 struct {
	Version               string            `json:"version"`
	RouteKey              string            `json:"routeKey"`
	RawPath               string            `json:"rawPath"`
	RawQueryString        string            `json:"rawQueryString"`
	Headers               map[string]string `json:"headers"`
	QueryStringParameters map[string]string `json:"queryStringParameters,omitempty"`
	PathParameters        map[string]string `json:"pathParameters,omitempty"`
	StageVariables        map[string]string `json:"stageVariables,omitempty"`
	RequestContext        struct {
		AccountID  string          `json:"accountId"`
		APIID      string          `json:"apiId"`
		Authorizer *lambdaAuthJWT2 `json:"authorizer,omitempty"`
		HTTP       struct {
			Method    string `json:"method"`
			Path      string `json:"path"`
			Protocol  string `json:"protocol"`
			SourceIP  string `json:"sourceIp"`
			UserAgent string `json:"userAgent"`
		} `json:"http"`
		RequestID string `json:"requestId"`
		RouteKey  string `json:"routeKey"`
		Stage     string `json:"stage"`
		TimeEpoch int64  `json:"timeEpoch"`
	} `json:"requestContext"`
	Body            *string `json:"body,omitempty"`
	IsBase64Encoded bool    `json:"isBase64Encoded"`
}

type lambdaAuthJWT2 struct {
	JWT struct {
		Claims map[string]string `json:"claims"`
		Scopes []string          `json:"scopes"`
	} `json:"jwt"`
}

// lambdaEvent1 is the payload format 1.0 event.
type lambdaEvent1 struct {
	Version               string            `json:"version"`
	Resource              string            `json:"resource"`
	Path                  string            `json:"path"`
	HTTPMethod            string            `json:"httpMethod"`
	Headers               map[string]string `json:"headers"`
	QueryStringParameters map[string]string `json:"queryStringParameters"`
	PathParameters        map[string]string `json:"pathParameters"`
	StageVariables        map[string]string `json:"stageVariables"`
	RequestContext        struct {
		APIID        string `json:"apiId"`
		Stage        string `json:"stage"`
		RequestID    string `json:"requestId"`
		HTTPMethod   string `json:"httpMethod"`
		Path         string `json:"path"`
		ResourcePath string `json:"resourcePath"`
		Authorizer   *struct {
			Claims map[string]string `json:"claims"`
			Scopes []string          `json:"scopes"`
		} `json:"authorizer"`
		Identity struct {
			SourceIP  string `json:"sourceIp"`
			UserAgent string `json:"userAgent"`
		} `json:"identity"`
		RequestTimeEpoch int64 `json:"requestTimeEpoch"`
	} `json:"requestContext"`
	Body            *string `json:"body"`
	IsBase64Encoded bool    `json:"isBase64Encoded"`
}

// v2Lambda answers AWS_PROXY integrations: no Lambda runs locally, so the
// answer is a 200 whose body is the event the function would have got
// (payload format 2.0 or 1.0), JWT claims and scopes included.
func (d *dataPlane) v2Lambda(inv *v2Invocation, in *HTTPIntegration, body []byte) {
	var bodyp *string
	b64 := false
	if len(body) > 0 {
		s := string(body)
		if !utf8.Valid(body) {
			s, b64 = base64.StdEncoding.EncodeToString(body), true
		}
		bodyp = &s
	}
	headers := make(map[string]string, len(inv.r.Header))
	for k, vs := range inv.r.Header {
		headers[strings.ToLower(k)] = strings.Join(vs, ",")
	}
	var query map[string]string
	if inv.r.URL.RawQuery != "" {
		query = map[string]string{}
		for k, vs := range inv.r.URL.Query() {
			query[k] = strings.Join(vs, ",")
		}
	}
	now := time.Now()
	var claims map[string]string
	if inv.claims != nil {
		claims = v2ClaimStrings(inv.claims)
	}
	var event any
	if in.PayloadFormatVersion == "1.0" {
		ev := &lambdaEvent1{Version: "1.0", Resource: inv.route.RouteKey, Path: inv.path, HTTPMethod: inv.r.Method,
			Headers: headers, QueryStringParameters: query, PathParameters: nilIfEmpty(inv.params),
			StageVariables: nilIfEmpty(inv.stage.StageVariables), Body: bodyp, IsBase64Encoded: b64}
		rc := &ev.RequestContext
		rc.APIID, rc.Stage, rc.RequestID, rc.HTTPMethod, rc.Path, rc.ResourcePath = inv.apiID, inv.stageName, inv.requestID, inv.r.Method, inv.path, inv.route.RouteKey
		rc.Identity.SourceIP, rc.Identity.UserAgent, rc.RequestTimeEpoch = sourceIP(inv.r), inv.r.UserAgent(), now.UnixMilli()
		if claims != nil {
			rc.Authorizer = &struct {
				Claims map[string]string `json:"claims"`
				Scopes []string          `json:"scopes"`
			}{claims, inv.scopes}
		}
		event = ev
	} else {
		ev := &lambdaEvent2{Version: "2.0", RouteKey: inv.route.RouteKey, RawPath: inv.path, RawQueryString: inv.r.URL.RawQuery,
			Headers: headers, QueryStringParameters: query, PathParameters: nilIfEmpty(inv.params),
			StageVariables: nilIfEmpty(inv.stage.StageVariables), Body: bodyp, IsBase64Encoded: b64}
		rc := &ev.RequestContext
		rc.AccountID, rc.APIID, rc.RequestID, rc.RouteKey, rc.Stage, rc.TimeEpoch = account, inv.apiID, inv.requestID, inv.route.RouteKey, inv.stageName, now.UnixMilli()
		rc.HTTP.Method, rc.HTTP.Path, rc.HTTP.Protocol, rc.HTTP.SourceIP, rc.HTTP.UserAgent = inv.r.Method, inv.path, inv.r.Proto, sourceIP(inv.r), inv.r.UserAgent()
		if claims != nil {
			rc.Authorizer = &lambdaAuthJWT2{}
			rc.Authorizer.JWT.Claims, rc.Authorizer.JWT.Scopes = claims, inv.scopes
		}
		event = ev
	}
	out, err := json.Marshal(struct {
		Note  string `json:"portcullis"`
		Event any    `json:"event"`
	}{fmt.Sprintf("local gateway: no Lambda ran. This AWS_PROXY integration (%s, payload %s) would have invoked the function with the event below.", in.IntegrationURI, in.PayloadFormatVersion), event})
	if err != nil {
		d.v2Error(inv, http.StatusInternalServerError, "Internal Server Error", nil, "encoding the event: %v", err)
		return
	}
	h := inv.w.Header()
	h.Set("X-Portcullis-Note", "no Lambda ran; canned response")
	corsHeaders(h, inv.snap.Cors, inv.r.Header.Get("Origin"), false)
	writeBody(inv.w, http.StatusOK, "application/json", out)
}

// v2ClaimStrings renders a JWT authorizer's claims as an HTTP API hands
// them to the integration: strings, as a REST API's Cognito authorizer
// does (tokens.Claims.Strings), except that a list is written in brackets
// with spaces, "[admins users]", not joined with commas (as reported in
// https://github.com/aws-solutions-library-samples/guidance-for-claude-code-with-amazon-bedrock/pull/803),
// and exp and iat stay the token's numbers, "1612061676", not the REST
// date form (a real HTTP API event in
// https://github.com/awsdocs/amazon-api-gateway-developer-guide/issues/113).
func v2ClaimStrings(c tokens.Claims) map[string]string {
	out := c.Strings()
	for k, v := range c {
		switch x := v.(type) {
		case []any:
			parts := make([]string, len(x))
			for i, e := range x {
				parts[i] = fmt.Sprint(e)
			}
			out[k] = "[" + strings.Join(parts, " ") + "]"
		case json.Number:
			out[k] = x.String()
		}
	}
	return out
}
