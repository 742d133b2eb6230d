package emulator

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"
)

func (d *dataPlane) integrate(inv *invocation) {
	in := inv.method.Integration
	if in == nil {
		d.gatewayError(inv, "API_CONFIGURATION_ERROR", "Internal server error", "method has no integration")
		return
	}
	switch in.Type {
	case string(types.IntegrationTypeMock):
		d.mock(inv, in)
	case string(types.IntegrationTypeHttp), string(types.IntegrationTypeHttpProxy):
		d.forward(inv, in)
	case string(types.IntegrationTypeAwsProxy), string(types.IntegrationTypeAws):
		d.lambda(inv, in)
	default:
		d.gatewayError(inv, "API_CONFIGURATION_ERROR", "Internal server error", "integration type %q", in.Type)
	}
}

var mockStatus = regexp.MustCompile(`"statusCode"\s*:\s*"?(\d{3})`)

// mock answers from the integration's own templates: the request template
// picks the status, which selects the integration response whose
// responseParameters and responseTemplates shape the answer. CORS
// preflights are MOCK integrations.
func (d *dataPlane) mock(inv *invocation, in *Integration) {
	status := "200"
	_, tmpl := pickTemplate(in.RequestTemplates, inv.r.Header.Get("Content-Type"))
	if m := mockStatus.FindStringSubmatch(inv.render(tmpl)); m != nil {
		status = m[1]
	}
	d.respond(inv, in, status, nil, nil)
}

// respond selects the integration response for a backend status (its
// selectionPattern matched against the status, else the default one), and
// writes the method response it maps to. backendBody is passed through
// when the integration response has no template.
func (d *dataPlane) respond(inv *invocation, in *Integration, backendStatus string, backendHeader http.Header, backendBody []byte) {
	ir := selectIntegrationResponse(in.IntegrationResponses, backendStatus)
	if ir == nil {
		d.gatewayError(inv, "API_CONFIGURATION_ERROR", "Internal server error",
			"no integration response matches status %s and there is no default", backendStatus)
		return
	}
	status, err := strconv.Atoi(ir.StatusCode)
	if err != nil {
		d.gatewayError(inv, "API_CONFIGURATION_ERROR", "Internal server error", "integration response status %q", ir.StatusCode)
		return
	}
	h := inv.w.Header()
	for _, k := range slices.Sorted(maps.Keys(ir.ResponseParameters)) {
		name, ok := strings.CutPrefix(k, "method.response.header.")
		if !ok {
			continue
		}
		v := ir.ResponseParameters[k]
		if hn, ok := strings.CutPrefix(v, "integration.response.header."); ok {
			if s := backendHeader.Get(hn); s != "" {
				h.Set(name, s)
			}
			continue
		}
		if s, ok := inv.mappingValue(v); ok {
			h.Set(name, s)
		}
	}
	ctype, tmpl := pickTemplate(ir.ResponseTemplates, inv.r.Header.Get("Accept"))
	body := backendBody
	if tmpl != "" {
		body = []byte(inv.render(tmpl))
	} else if backendBody != nil && backendHeader.Get("Content-Type") != "" {
		ctype = backendHeader.Get("Content-Type")
	}
	writeBody(inv.w, status, ctype, body)
}

func selectIntegrationResponse(rs map[string]*IntegrationResponse, status string) *IntegrationResponse {
	var def *IntegrationResponse
	for _, k := range slices.Sorted(maps.Keys(rs)) {
		ir := rs[k]
		if ir.SelectionPattern == "" {
			if def == nil {
				def = ir
			}
			continue
		}
		re, err := regexp.Compile(`^(?:` + ir.SelectionPattern + `)$`)
		if err == nil && re.MatchString(status) {
			return ir
		}
	}
	return def
}

// stageVarRef is ${stageVariables.name} in integration URIs.
var stageVarRef = regexp.MustCompile(`\$\{stageVariables\.([A-Za-z0-9_]+)\}`)

// backendURL fills the integration URI's ${stageVariables.x} and {name}
// placeholders: from integration.request.path.name mappings, else from the
// method's path parameter of the same name (what the console's default
// mapping does).
func (inv *invocation) backendURL(in *Integration, pathParams map[string]string) string {
	u := stageVarRef.ReplaceAllStringFunc(in.URI, func(m string) string {
		if inv.stage == nil {
			return ""
		}
		return inv.stage.Variables[stageVarRef.FindStringSubmatch(m)[1]]
	})
	for name, raw := range inv.rawParam {
		if _, mapped := pathParams[name]; !mapped {
			pathParams[name] = raw
		}
	}
	for name, v := range pathParams {
		u = strings.ReplaceAll(u, "{"+name+"}", v)
		u = strings.ReplaceAll(u, "{"+name+"+}", v)
	}
	return u
}

// requestMappings evaluates the integration's requestParameters
// (integration.request.{path|querystring|header}.NAME = a method request
// value, a quoted literal, a stage or context variable). Path values come
// back escaped for the URI.
func (inv *invocation) requestMappings(in *Integration) (path map[string]string, query url.Values, header http.Header) {
	path, query, header = map[string]string{}, url.Values{}, http.Header{}
	for _, k := range slices.Sorted(maps.Keys(in.RequestParameters)) {
		src := strings.TrimSpace(in.RequestParameters[k])
		var v string
		var ok bool
		if name, isPath := strings.CutPrefix(src, "method.request.path."); isPath {
			v, ok = inv.rawParam[name]
		} else if v, ok = inv.mappingValue(src); !ok && strings.HasPrefix(src, "context.") {
			v, ok = inv.templateContext()[src]
		}
		if !ok {
			continue
		}
		switch {
		case strings.HasPrefix(k, "integration.request.path."):
			if !strings.HasPrefix(src, "method.request.path.") {
				v = url.PathEscape(v)
			}
			path[strings.TrimPrefix(k, "integration.request.path.")] = v
		case strings.HasPrefix(k, "integration.request.querystring."):
			query.Add(strings.TrimPrefix(k, "integration.request.querystring."), v)
		case strings.HasPrefix(k, "integration.request.header."):
			header.Set(strings.TrimPrefix(k, "integration.request.header."), v)
		}
	}
	return path, query, header
}

// isLoopback reports whether host names this machine.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// hopHeaders are not forwarded (RFC 9110 section 7.6.1).
var hopHeaders = []string{"Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade"}

// forward calls an HTTP or HTTP_PROXY backend. The local gateway reaches
// loopback only: it makes no remote calls but JWKS fetches.
func (d *dataPlane) forward(inv *invocation, in *Integration) {
	mappedPath, mappedQuery, mappedHeader := inv.requestMappings(in)
	target := inv.backendURL(in, mappedPath)
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		d.gatewayError(inv, "API_CONFIGURATION_ERROR", "Internal server error", "integration URI %q is not an http(s) URL", target)
		return
	}
	if !isLoopback(u.Hostname()) {
		d.gatewayError(inv, "API_CONFIGURATION_ERROR",
			"Internal server error: the local gateway forwards only to loopback backends (127.0.0.1, ::1, localhost) and does not call "+u.Host,
			"integration URI %s is not on loopback", target)
		return
	}
	proxy := in.Type == string(types.IntegrationTypeHttpProxy)
	// A proxy integration passes the client's query string and headers
	// through; a plain HTTP integration sends only what requestParameters
	// map (and the body's Content-Type).
	var parts []string
	for _, q := range []string{u.RawQuery, mappedQuery.Encode()} {
		if q != "" {
			parts = append(parts, q)
		}
	}
	if proxy && inv.r.URL.RawQuery != "" {
		parts = append(parts, inv.r.URL.RawQuery)
	}
	u.RawQuery = strings.Join(parts, "&")
	verb := in.HTTPMethod
	if verb == "" || verb == "ANY" {
		verb = inv.r.Method
	}
	timeout := 29 * time.Second
	if in.TimeoutInMillis > 0 {
		timeout = time.Duration(in.TimeoutInMillis) * time.Millisecond
	}
	ctx, cancel := context.WithTimeout(inv.r.Context(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, verb, u.String(), bytes.NewReader(inv.body))
	if err != nil {
		d.gatewayError(inv, "API_CONFIGURATION_ERROR", "Internal server error", "building the backend request: %v", err)
		return
	}
	if proxy {
		req.Header = inv.r.Header.Clone()
		for _, h := range hopHeaders {
			req.Header.Del(h)
		}
		if isSigV4(inv) {
			// API Gateway drops a SigV4 Authorization header before the backend.
			req.Header.Del("Authorization")
		}
	} else if ct := inv.r.Header.Get("Content-Type"); ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	for k, vs := range mappedHeader {
		req.Header[k] = vs
	}
	req.Header.Set("X-Amzn-Trace-Id", "Root=1-"+strings.ReplaceAll(inv.requestID, "-", "")[:8]+"-"+strings.ReplaceAll(inv.requestID, "-", "")[8:])
	req.Header.Add("X-Forwarded-For", sourceIP(inv.r))
	req.Header.Set("X-Forwarded-Proto", "http")

	resp, err := d.client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			d.gatewayError(inv, "INTEGRATION_TIMEOUT", "Endpoint request timed out", "backend %s: %v", u.Host, err)
			return
		}
		d.gatewayError(inv, "INTEGRATION_FAILURE", "Internal server error", "backend %s: %v", u.Host, err)
		return
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxPayload+1))
	if err != nil {
		d.gatewayError(inv, "INTEGRATION_FAILURE", "Internal server error", "reading the backend answer: %v", err)
		return
	}
	if in.Type == string(types.IntegrationTypeHttpProxy) {
		h := inv.w.Header()
		for k, vs := range resp.Header {
			if k == "Content-Length" || k == "Connection" || k == "Transfer-Encoding" {
				continue
			}
			if strings.EqualFold(k, "WWW-Authenticate") {
				k = "X-Amzn-Remapped-WWW-Authenticate"
			}
			for _, v := range vs {
				h.Add(k, v)
			}
		}
		writeBody(inv.w, resp.StatusCode, "", body)
		return
	}
	d.respond(inv, in, strconv.Itoa(resp.StatusCode), resp.Header, body)
}

// lambda answers AWS_PROXY and AWS integrations. No Lambda runs locally:
// the answer is a canned 200 whose body is the event API Gateway would have
// sent, authorizer claims included, so a developer can see what the
// function would receive.
func (d *dataPlane) lambda(inv *invocation, in *Integration) {
	headers := map[string]string{}
	multi := map[string][]string{}
	for k, vs := range inv.r.Header {
		headers[k] = vs[len(vs)-1]
		multi[k] = vs
	}
	var query map[string]string
	var multiQuery map[string][]string
	if q := inv.r.URL.Query(); len(q) > 0 {
		query, multiQuery = map[string]string{}, map[string][]string{}
		for k, vs := range q {
			query[k] = vs[len(vs)-1]
			multiQuery[k] = vs
		}
	}
	var body any
	b64 := false
	if len(inv.body) > 0 {
		if utf8.Valid(inv.body) {
			body = string(inv.body)
		} else {
			body, b64 = base64.StdEncoding.EncodeToString(inv.body), true
		}
	}
	var authorizer any
	if inv.claims != nil {
		authorizer = map[string]any{"claims": inv.claims.Strings()}
	}
	var stageVars map[string]string
	if inv.stage != nil && len(inv.stage.Variables) > 0 {
		stageVars = inv.stage.Variables
	}
	now := time.Now()
	event := map[string]any{
		"resource":                        inv.resource.Path,
		"path":                            inv.path,
		"httpMethod":                      inv.r.Method,
		"headers":                         headers,
		"multiValueHeaders":               multi,
		"queryStringParameters":           query,
		"multiValueQueryStringParameters": multiQuery,
		"pathParameters":                  nilIfEmpty(inv.params),
		"stageVariables":                  stageVars,
		"requestContext": map[string]any{
			"resourceId":        inv.resource.ID,
			"resourcePath":      inv.resource.Path,
			"httpMethod":        inv.r.Method,
			"path":              "/" + inv.stageName + inv.path,
			"stage":             inv.stageName,
			"apiId":             inv.apiID,
			"requestId":         inv.requestID,
			"extendedRequestId": inv.apigwID,
			"requestTimeEpoch":  now.UnixMilli(),
			"protocol":          inv.r.Proto,
			"identity":          map[string]any{"sourceIp": sourceIP(inv.r), "userAgent": inv.r.UserAgent()},
			"authorizer":        authorizer,
		},
		"body":            body,
		"isBase64Encoded": b64,
	}
	out, err := json.MarshalIndent(map[string]any{
		"portcullis": fmt.Sprintf("local gateway: no Lambda ran. This %s integration (%s) would have invoked the function with the event below.", in.Type, in.URI),
		"event":      event,
	}, "", "  ")
	if err != nil {
		d.gatewayError(inv, "INTEGRATION_FAILURE", "Internal server error", "encoding the event: %v", err)
		return
	}
	inv.w.Header().Set("X-Portcullis-Note", "no Lambda ran; canned response")
	writeBody(inv.w, http.StatusOK, "application/json", out)
}

func nilIfEmpty(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}

func sourceIP(r *http.Request) string {
	if h, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return h
	}
	return r.RemoteAddr
}
