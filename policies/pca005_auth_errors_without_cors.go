package policies

import (
	"strings"

	"github.com/portcullis-dev/portcullis/spec"
)

var ruleAuthErrorsWithoutCORS = &Rule{
	ID:       "PCA005",
	Name:     "auth-errors-without-cors",
	Severity: spec.SeverityWarning,
	Summary:  "Browsers get the authorizer's 401/403 without Access-Control-Allow-Origin, so they report a CORS error",
	Explanation: `When the authorizer refuses a call, API Gateway itself answers (gateway responses
UNAUTHORIZED, 401, and ACCESS_DENIED, 403, falling back to DEFAULT_4XX). Those answers carry no
CORS headers unless the API sets them, so the browser hides the 401 behind a CORS error and the
app cannot tell an expired token from a broken server. Portcullis's HCL cors block adds
DEFAULT_4XX and DEFAULT_5XX responses with the headers unless gateway_responses = false; an
OpenAPI document needs x-amazon-apigateway-gateway-responses.`,
	Impact:     `Browser apps cannot react to expired or missing tokens (refresh, sign in again); users see a generic network failure.`,
	Resolution: `Keep the HCL cors block's default gateway responses, or add DEFAULT_4XX (or UNAUTHORIZED and ACCESS_DENIED) with responseParameters gatewayresponse.header.Access-Control-Allow-Origin set to the allowed origin.`,
	HTTPAPIs: `HTTP APIs have no gateway responses: nothing in the description can add headers to
the JWT authorizer's own 401 and 403. With a CORS configuration, API Gateway adds the CORS
headers to responses; whether it adds them to the authorizer's refusals AWS does not document
(Portcullis's local gateway does, and its probe accepts both: docs/local-gateway.md), so that
case is not reported. What is certain is the case without a CORS configuration, where a browser's preflight (an OPTIONS request) is routed
like any request and the integrations answer it: through an unauthorized OPTIONS route, else an
unauthorized ANY route for the path, else the $default route when it is left open. The backend's
CORS headers then reach only the calls that pass the authorizer, and every refusal reaches the
browser as a CORS error. This rule reports that, once per API, on the OPTIONS route, else the ANY
route, else the $default route. (An authorized OPTIONS, ANY or $default route without CORS
configuration is PCA023.)`,
	Links: []string{linkGatewayResponses, "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-gateway-responses.html", linkCORS, linkHTTPCORS},
	check: func(c *Context, a *spec.API) {
		if a.CORS == nil || !a.HasAuthenticatedRoutes() {
			return
		}
		byType := map[string]*spec.GatewayResponse{}
		for _, g := range a.GatewayResponses {
			byType[g.Type] = g
		}
		// Group the refusals by the response that actually answers them, so
		// one missing DEFAULT_4XX is one finding.
		type answer struct {
			g     *spec.GatewayResponse
			types []string
		}
		var answers []*answer
		find := func(g *spec.GatewayResponse) *answer {
			for _, x := range answers {
				if x.g == g {
					return x
				}
			}
			x := &answer{g: g}
			answers = append(answers, x)
			return x
		}
		for _, t := range []string{"UNAUTHORIZED", "ACCESS_DENIED"} {
			g := byType[t]
			if g == nil {
				g = byType["DEFAULT_4XX"]
			}
			if g != nil && hasAllowOrigin(g) {
				continue
			}
			x := find(g)
			x.types = append(x.types, t)
		}
		for _, x := range answers {
			codes := strings.Join(x.types, " and ")
			if x.g == nil {
				rng := a.CORS.Ranges.Of("gateway_responses", a.CORS.Range)
				c.API(rng, "Authorizer refusals carry no CORS headers",
					"CORS is configured but no gateway response sets Access-Control-Allow-Origin for %s (nor DEFAULT_4XX), so browsers report a refused token as a CORS error.", codes)
				continue
			}
			via := ""
			if x.g.Type == "DEFAULT_4XX" {
				via = " (answered by DEFAULT_4XX)"
			}
			c.API(x.g.Range, "Authorizer refusals carry no CORS headers",
				"Gateway response %s has no gatewayresponse.header.Access-Control-Allow-Origin, so %s%s reach browsers as CORS errors.", x.g.Type, codes, via)
		}
	},
	checkHTTP: checkHTTPAuthErrorsWithoutCORS,
}

// checkHTTPAuthErrorsWithoutCORS is PCA005 for HTTP APIs: CORS answered by
// the integrations (no corsConfiguration, and an open route that preflights
// reach) while routes require a token, whose refusals then carry no CORS
// headers. An explicit OPTIONS route says it most plainly, so it is the one
// reported; else an ANY route; else $default, which gets every preflight
// that no other route matches.
func checkHTTPAuthErrorsWithoutCORS(c *Context, a *spec.HTTPAPI) {
	if a.CORS != nil || !a.HasAuthenticatedRoutes() {
		return
	}
	var options, anyRoute, dflt *spec.HTTPRoute
	for _, r := range a.Routes {
		if r.AuthType != spec.AuthNone {
			continue
		}
		switch {
		case r.Method == "OPTIONS" && options == nil:
			options = r
		case r.Method == "ANY" && anyRoute == nil:
			anyRoute = r
		case r.IsDefault():
			dflt = r
		}
	}
	const tail = "so only calls that pass the authorizer get the backend's CORS headers: its 401 and 403 reach browsers as CORS errors, and HTTP APIs have no gateway responses to add them. Configure CORS on the API instead."
	switch {
	case options != nil:
		c.HTTPRoute(options, options.At("key"), "Authorizer refusals carry no CORS headers",
			"%s answers preflights from the integration because the API has no CORS configuration, "+tail, options.Key)
	case anyRoute != nil:
		c.HTTPRoute(anyRoute, anyRoute.At("key"), "Authorizer refusals carry no CORS headers",
			"%s is open to every method, so with no CORS configuration on the API its integration answers the preflights to %s, "+tail, anyRoute.Key, anyRoute.Path)
	case dflt != nil:
		c.HTTPRoute(dflt, dflt.At("key"), "Authorizer refusals carry no CORS headers",
			"The open $default route gets every preflight that no other route matches, so with no CORS configuration on the API its integration answers them, "+tail)
	}
}

func hasAllowOrigin(g *spec.GatewayResponse) bool {
	for k, v := range g.ResponseParameters {
		if strings.EqualFold(k, "gatewayresponse.header.Access-Control-Allow-Origin") && spec.Unquote(v) != "" {
			return true
		}
	}
	return false
}
