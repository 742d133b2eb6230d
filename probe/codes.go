package probe

import (
	"github.com/portcullis-dev/portcullis/report"
	"github.com/portcullis-dev/portcullis/spec"
)

// Finding codes. They are stable: CI configurations and suppressions name
// them.
const (
	CodeProtected        = "PC-P000" // info: refuses strangers (and admits valid tokens when given)
	CodeOpen             = "PC-P001" // error: a protected route answers without a valid token
	CodeNotDeployed      = "PC-P002" // error: 403 Missing Authentication Token
	CodeDenied           = "PC-P003" // warning: a resource policy or WAF answered, not the authorizer
	CodeValidRefused     = "PC-P004" // error: a token the route should admit got 401
	CodeScopesIgnored    = "PC-P005" // error: an ID token passed a route that requires scopes
	CodePreflightBroken  = "PC-P006" // error: OPTIONS preflight refused or without CORS headers
	CodeNoCORSOnRefusal  = "PC-P007" // warning: the 401 has no Access-Control-Allow-Origin
	CodePublicReachable  = "PC-P008" // info: a public route answers without a token
	CodePublicRefused    = "PC-P009" // warning: a public route asks for a token
	CodeBearerRefused    = "PC-P010" // info: "Bearer <jwt>" refused where the raw token passes
	CodeInconclusive     = "PC-P011" // warning: throttled, authorizer error, or no answer
	CodeAdmissionUnknown = "PC-P012" // info: no valid token, so admission was not proven

	// What a page at --origin sees in Chromium (probe --browser), from
	// PC-P020 on.
	CodeBrowserOK         = "PC-P020" // info: preflight passes, identity header allowed, 401 readable
	CodeBrowserPreflight  = "PC-P021" // error: Chromium refuses the preflight
	CodeBrowserHeader     = "PC-P022" // error: the preflight does not allow the identity header
	CodeBrowserUnreadable = "PC-P023" // warning: the page cannot read the 401 (a CORS error instead)

	// What only an HTTP API's JWT authorizer can get wrong, from PC-P030
	// on; the findings both kinds share keep the codes above.
	CodeScopeMissingAdmitted = "PC-P030" // error: an access token without the route's scopes was admitted
	CodePreflightOtherOrigin = "PC-P031" // error: a preflight from an origin the CORS configuration does not allow was admitted
	CodeNoWWWAuthenticate    = "PC-P032" // error: a 401 without www-authenticate (not the JWT authorizer's)
	CodeRefusalCORS          = "PC-P033" // info: whether the authorizer's 401/403 carry CORS headers
	CodeDefaultUnreachable   = "PC-P034" // info: every request the probe could send is taken by another route, so $default is not probed
)

// Severity is the severity a code's findings have.
func Severity(code string) spec.Severity {
	for _, r := range Rules() {
		if r.ID == code {
			return r.Severity
		}
	}
	return spec.SeverityError
}

// Rules describes every code, for SARIF and documentation.
func Rules() []report.Rule {
	r := func(id, name string, sev spec.Severity, summary, help string) report.Rule {
		return report.Rule{ID: id, Name: name, Severity: sev, Summary: summary, Help: help}
	}
	return []report.Rule{
		r(CodeProtected, "protected", spec.SeverityInfo, "Route refuses requests without a valid token",
			"No token, a garbage token, a forged JWT and (when given) an expired token were all answered 401 by the authorizer (an HTTP API's JWT authorizer: 401 with www-authenticate)."),
		r(CodeOpen, "open", spec.SeverityError, "Protected route answers without a valid token",
			"A request without a valid token reached the integration. The live method (an HTTP API's route) is not protected as described: check its authorizationType and authorizerId, then redeploy the stage (an HTTP API's stage without auto-deploy too)."),
		r(CodeNotDeployed, "not-deployed", spec.SeverityError, "Route is not deployed on the stage",
			"API Gateway answered 403 Missing Authentication Token (an HTTP API: 404 {\"message\":\"Not Found\"}): the stage's deployment has no such path or verb (route). Apply the description and create a deployment."),
		r(CodeDenied, "denied-by-policy", spec.SeverityWarning, "A resource policy, WAF or API key refused the request",
			"The refusal did not come from the Cognito (or JWT) authorizer, so the authorizer itself is not proven: a REST API's 403 other than Missing Authentication Token, or an HTTP API's 403 where the JWT authorizer answers 401. Probe from a place the policy admits."),
		r(CodeValidRefused, "valid-token-refused", spec.SeverityError, "Route refuses a token it should admit",
			"A token of the right kind from the authorizer's pool got 401 (or an HTTP API's 403): the live method's scopes or the authorizer's pools differ from the description (an HTTP API's JWT authorizer: its issuer or audiences, or the route's scopes). An HTTP API's JWT authorizer admits the token with and without \"Bearer \", so either refused is this finding."),
		r(CodeScopesIgnored, "scopes-not-enforced", spec.SeverityError, "ID token admitted on a route that requires scopes",
			"The live method (an HTTP API's route) has no authorizationScopes, so any ID token of the pool passes (an HTTP API's: any whose aud is one of the audiences). Set the scopes and redeploy."),
		r(CodePreflightBroken, "preflight-broken", spec.SeverityError, "CORS preflight fails",
			"OPTIONS with Origin and Access-Control-Request-Method must answer 2xx with Access-Control-Allow-Origin and no token. A REST API: add an OPTIONS MOCK method with authorization NONE. An HTTP API: set the API's corsConfiguration (allowOrigins, allowMethods, allowHeaders), so the gateway answers preflights before any authorizer."),
		r(CodeNoCORSOnRefusal, "no-cors-on-401", spec.SeverityWarning, "The 401 carries no CORS headers",
			"Without Access-Control-Allow-Origin on the UNAUTHORIZED (or DEFAULT_4XX) gateway response, browsers report the 401 as a CORS error and the app cannot tell that the user must sign in."),
		r(CodePublicReachable, "public-reachable", spec.SeverityInfo, "Public route answers without a token", "The route is declared public and is."),
		r(CodePublicRefused, "public-refused", spec.SeverityWarning, "Public route refuses requests without a token",
			"The route is declared public but the live method (an HTTP API's route) requires authorization."),
		r(CodeBearerRefused, "bearer-refused", spec.SeverityInfo, "The Bearer prefix is refused",
			"The raw token passes and \"Bearer <token>\" does not. AWS documents the raw token; whether it accepts the prefix is unconfirmed, so clients should send the raw token."),
		r(CodeInconclusive, "inconclusive", spec.SeverityWarning, "The probe could not tell",
			"The gateway throttled the request, the authorizer failed, no answer came, or the answer was not API Gateway's (an HTTP API's answers all carry apigw-requestid). Probe again, more slowly (--rps)."),
		r(CodeAdmissionUnknown, "admission-not-proven", spec.SeverityInfo, "No valid token, so admission was not proven",
			"Give tokens (--id-token-env, --access-token-env, --token-file, a Cognito sign-in, or --local) to prove that the right users get in."),
		r(CodeBrowserOK, "browser-ok", spec.SeverityInfo, "The browser can call the route and read its 401",
			"In headless Chromium, from a page at the probe's origin: the preflight passed, the identity header is allowed, and a refusal is readable."),
		r(CodeBrowserPreflight, "browser-preflight-refused", spec.SeverityError, "The browser's preflight fails",
			"Chromium refused the CORS preflight, so every call carrying a token fails before it is sent. The OPTIONS method must answer 2xx without a token, with Access-Control-Allow-Origin for the origin and the method and identity header allowed. See docs/browser.md."),
		r(CodeBrowserHeader, "browser-identity-header-refused", spec.SeverityError, "The preflight does not allow the identity header",
			"Access-Control-Allow-Headers must list the header the authorizer reads (Authorization by default), or no page can send a token. See docs/browser.md."),
		r(CodeBrowserUnreadable, "browser-401-unreadable", spec.SeverityWarning, "The browser cannot read the 401",
			"Chromium reported a CORS error instead of the status: the UNAUTHORIZED (or DEFAULT_4XX) gateway response lacks Access-Control-Allow-Origin for the origin, so the app cannot tell that the user must sign in. See docs/browser.md."),
		r(CodeScopeMissingAdmitted, "scope-missing-admitted", spec.SeverityError, "An access token without the route's scopes is admitted",
			"An HTTP API's JWT authorizer must answer 403 {\"message\":\"Forbidden\"} (401 is accepted too) to a valid access token that holds none of the route's authorizationScopes; this one reached the integration. The live route has no (or other) authorizationScopes: set them and redeploy the stage."),
		r(CodePreflightOtherOrigin, "preflight-admits-other-origin", spec.SeverityError, "A preflight from an origin not allowed is admitted",
			"The HTTP API answered a preflight from --origin, which its CORS configuration does not allow, with an Access-Control-Allow-Origin that admits it: the live corsConfiguration allows more origins than the description. Apply the description."),
		r(CodeNoWWWAuthenticate, "refusal-not-from-jwt-authorizer", spec.SeverityError, "A 401 without www-authenticate",
			"An HTTP API's JWT authorizer answers 401 {\"message\":\"Unauthorized\"} with a www-authenticate header (docs/local-gateway.md); this 401 has none, so something other than the JWT authorizer refused the request and the authorizer is not proven."),
		r(CodeRefusalCORS, "cors-on-jwt-refusal", spec.SeverityInfo, "Whether the JWT authorizer's refusals carry CORS headers",
			"Every request of an HTTP API's probe carries Origin when the API has a CORS configuration, as a browser's would. Whether API Gateway adds the CORS headers to the JWT authorizer's own 401 and 403 is not documented by AWS, so the probe reports what it saw and passes either way: without them a page sees a CORS error instead of the 401 (docs/live.md)."),
		r(CodeDefaultUnreachable, "default-unreachable", spec.SeverityInfo, "$default cannot be reached, so it is not probed",
			"An HTTP API's $default route gets only the requests no other route takes. The probe sends $default's cases with GET, then OPTIONS (without a CORS configuration), then POST, PUT, PATCH or DELETE, on a path of its own or /; when other routes (ANY /{proxy+} beside ANY /, say) take every one of them, no request reaches $default and it is reported, not judged (docs/live.md)."),
	}
}
