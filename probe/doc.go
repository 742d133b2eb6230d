// Package probe proves on the wire that a deployed stage enforces what the
// description says: every protected route refuses strangers (no token, a
// garbage token, a forged JWT, an expired token, an ID token where scopes
// are required) and admits the right users (a valid token of the right
// kind), every public route is reachable, CORS preflights pass without a
// token and refusals carry the CORS headers a browser needs to see them.
//
// It owns the request matrix (matrix.go), the classification of API
// Gateway's answers (classify.go, from docs/api-gateway-facts.md), the
// tokens a probe sends (tokens.go: supplied, minted by the built-in issuer,
// forged, or obtained by a Cognito sign-in in signin.go), a bounded,
// rate-limited runner with retries for transient network errors (run.go),
// and the verdict of each check (evaluate.go). The result is plain data:
// the table and the JSON document are views/' (views.ProbeTable).
//
// It does not find the stage on its own: the caller gives it the invoke
// URL (InvokeURL and LocalInvokeURL build one from an API id; the CLI finds
// the id through package live). It never sends a body: unsafe methods (POST, PUT, PATCH,
// DELETE, ANY) get only requests the gateway must refuse before an
// integration runs, unless Options.Unsafe says otherwise. Tokens are never
// printed: debug output and results redact anything shaped like a JWT.
package probe
