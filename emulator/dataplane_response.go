package emulator

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// errorTypes are the x-amzn-ErrorType values API Gateway sends with its
// own answers (docs/api-gateway-facts.md, Data-plane answers); types not listed send none.
var errorTypes = map[string]string{
	"UNAUTHORIZED":                   "UnauthorizedException",
	"MISSING_AUTHENTICATION_TOKEN":   "MissingAuthenticationTokenException",
	"ACCESS_DENIED":                  "AccessDeniedException",
	"INVALID_SIGNATURE":              "InvalidSignatureException",
	"INVALID_API_KEY":                "ForbiddenException",
	"AUTHORIZER_CONFIGURATION_ERROR": "AuthorizerConfigurationException",
	"AUTHORIZER_FAILURE":             "AuthorizerFailureException",
	"API_CONFIGURATION_ERROR":        "InternalServerErrorException",
	"INTEGRATION_FAILURE":            "InternalServerErrorException",
	"INTEGRATION_TIMEOUT":            "InternalServerErrorException",
	"REQUEST_TOO_LARGE":              "RequestTooLargeException",
	"BAD_REQUEST_BODY":               "BadRequestException",
}

// gatewayError answers with the deployment's effective gateway response
// for responseType: its status (customized or the type's default), its
// gatewayresponse.header.* parameters and its template, in which
// $context.error.messageString is message as a JSON string. why goes to the
// log only.
func (d *dataPlane) gatewayError(inv *invocation, responseType, message, why string, args ...any) {
	d.logf(inv, "%s (%s): %s", responseType, message, fmt.Sprintf(why, args...))
	gr := inv.snap.EffectiveGatewayResponse(responseType)
	code := gr.StatusCode
	if own := inv.snap.GatewayResponses[responseType]; own == nil || own.StatusCode == "" {
		// A status set on DEFAULT_4XX (5XX) becomes the status of every
		// 4XX (5XX) response without its own (developer guide,
		// supported-gateway-response-types).
		class := "DEFAULT_4XX"
		if strings.HasPrefix(DefaultGatewayResponseStatus[responseType], "5") {
			class = "DEFAULT_5XX"
		}
		if d := inv.snap.GatewayResponses[class]; d != nil && d.StatusCode != "" {
			code = d.StatusCode
		}
	}
	status, _ := strconv.Atoi(code)
	if status < 100 || status > 599 {
		status, _ = strconv.Atoi(DefaultGatewayResponseStatus[responseType])
	}
	h := inv.w.Header()
	if t := errorTypes[responseType]; t != "" {
		setExact(h, "x-amzn-ErrorType", t)
	}
	for _, k := range slices.Sorted(maps.Keys(gr.ResponseParameters)) {
		name, ok := strings.CutPrefix(k, "gatewayresponse.header.")
		if !ok {
			continue
		}
		if v, ok := inv.mappingValue(gr.ResponseParameters[k]); ok {
			h.Set(name, v)
		}
	}
	ctype, tmpl := pickTemplate(gr.ResponseTemplates, inv.r.Header.Get("Accept"))
	if tmpl == "" && len(gr.ResponseTemplates) == 0 {
		ctype, tmpl = "application/json", DefaultGatewayResponseTemplate
	}
	ctx := inv.templateContext()
	msg, _ := json.Marshal(message)
	ctx["context.error.messageString"] = string(msg)
	ctx["context.error.message"] = message
	ctx["context.error.responseType"] = responseType
	body := renderTemplate(tmpl, ctx)
	h.Set("Content-Type", ctype)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	inv.w.WriteHeader(status)
	_, _ = inv.w.Write([]byte(body))
}

// mappingValue resolves a response-parameter mapping value: a quoted
// literal ('*'), or a request header, query string or path parameter.
func (inv *invocation) mappingValue(v string) (string, bool) {
	v = strings.TrimSpace(v)
	if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
		return v[1 : len(v)-1], true
	}
	switch {
	case strings.HasPrefix(v, "method.request.header."):
		s := inv.r.Header.Get(strings.TrimPrefix(v, "method.request.header."))
		return s, s != ""
	case strings.HasPrefix(v, "method.request.querystring."):
		s := inv.r.URL.Query().Get(strings.TrimPrefix(v, "method.request.querystring."))
		return s, s != ""
	case strings.HasPrefix(v, "method.request.path."):
		s, ok := inv.params[strings.TrimPrefix(v, "method.request.path.")]
		return s, ok
	case strings.HasPrefix(v, "stageVariables."):
		if inv.stage == nil {
			return "", false
		}
		s, ok := inv.stage.Variables[strings.TrimPrefix(v, "stageVariables.")]
		return s, ok
	case strings.HasPrefix(v, "context.authorizer.claims."):
		s, ok := inv.claims.Strings()[strings.TrimPrefix(v, "context.authorizer.claims.")]
		return s, ok
	}
	return "", false
}

// pickTemplate chooses the template for the client: the one named by
// Accept, else application/json, else the first by name.
func pickTemplate(t map[string]string, accept string) (string, string) {
	if len(t) == 0 {
		return "application/json", ""
	}
	for _, a := range strings.Split(accept, ",") {
		a = strings.TrimSpace(strings.Split(a, ";")[0])
		if s, ok := t[a]; ok {
			return a, s
		}
	}
	if s, ok := t["application/json"]; ok {
		return "application/json", s
	}
	k := slices.Sorted(maps.Keys(t))[0]
	return k, t[k]
}

// templateRef finds the references the local gateway fills in templates:
// $context.x.y, $context.authorizer.claims['a:b'], $stageVariables.x, bare
// or as ${...}. Templates are otherwise not run through VTL.
var templateRef = func() *regexp.Regexp {
	ref := `(?:context\.authorizer\.claims(?:\.[A-Za-z0-9_]+|\['[^']+'\]|\["[^"]+"\])|context(?:\.[A-Za-z][A-Za-z0-9_]*)+|stageVariables\.[A-Za-z0-9_]+)`
	return regexp.MustCompile(`\$!?(?:\{(` + ref + `)\}|(` + ref + `))`)
}()

func renderTemplate(tmpl string, ctx map[string]string) string {
	if !strings.Contains(tmpl, "$") {
		return tmpl
	}
	return templateRef.ReplaceAllStringFunc(tmpl, func(m string) string {
		sub := templateRef.FindStringSubmatch(m)
		return lookupRef(ctx, sub[1]+sub[2])
	})
}

func lookupRef(ctx map[string]string, ref string) string {
	if name, ok := strings.CutPrefix(ref, "context.authorizer.claims"); ok {
		name = strings.TrimPrefix(name, ".")
		name = strings.Trim(name, "[]'\"")
		return ctx["claims:"+name]
	}
	return ctx[ref]
}

// templateContext is the part of $context and $stageVariables the local
// gateway knows.
func (inv *invocation) templateContext() map[string]string {
	if inv.tctx != nil {
		return inv.tctx
	}
	ctx := map[string]string{
		"context.requestId":          inv.requestID,
		"context.extendedRequestId":  inv.apigwID,
		"context.apiId":              inv.apiID,
		"context.stage":              inv.stageName,
		"context.httpMethod":         inv.r.Method,
		"context.path":               "/" + inv.stageName + inv.path,
		"context.resourcePath":       "",
		"context.identity.sourceIp":  sourceIP(inv.r),
		"context.identity.userAgent": inv.r.UserAgent(),
	}
	if inv.resource != nil {
		ctx["context.resourcePath"] = inv.resource.Path
		ctx["context.resourceId"] = inv.resource.ID
	}
	if inv.stage != nil {
		for k, v := range inv.stage.Variables {
			ctx["stageVariables."+k] = v
		}
	}
	for k, v := range inv.claims.Strings() {
		ctx["claims:"+k] = v
	}
	inv.tctx = ctx
	return ctx
}

// render fills a template's references; the context is built only for
// templates that have any.
func (inv *invocation) render(tmpl string) string {
	if !strings.Contains(tmpl, "$") {
		return tmpl
	}
	return renderTemplate(tmpl, inv.templateContext())
}

// writeHeadersAndBody finishes a successful integration answer.
func writeBody(w http.ResponseWriter, status int, ctype string, body []byte) {
	if ctype != "" && w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", ctype)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
