package emulator

import (
	"fmt"
	"strings"

	"github.com/portcullis-dev/portcullis/tokens"
)

// opTestInvokeAuthorizer runs a Cognito authorizer against the token in the
// request's headers, with the data plane's verifier, as the console's
// "Test" button does. Like AWS it checks ID tokens (no scopes are
// involved) and needs no deployment; TOKEN and REQUEST authorizers would
// need a Lambda and are refused.
func opTestInvokeAuthorizer(e *Emulator, q *req) (*reply, *apiError) {
	e.mu.RLock()
	_, az, err := e.authorizerOf(q)
	if err == nil {
		az = cloneAuthorizer(az)
	}
	e.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	if az.Type != "COGNITO_USER_POOLS" {
		return nil, badRequest("TestInvokeAuthorizer is emulated for COGNITO_USER_POOLS authorizers only: %s authorizers run a Lambda", az.Type)
	}
	var in struct {
		Headers map[string]string `json:"headers"`
	}
	if err := q.decode(&in); err != nil {
		return nil, err
	}
	header, found := strings.CutPrefix(az.IdentitySource, "method.request.header.")
	if !found {
		header = "Authorization"
	}
	token := ""
	for k, v := range in.Headers {
		if strings.EqualFold(k, header) {
			token = v
		}
	}
	start := e.now()
	out := struct {
		ClientStatus int               `json:"clientStatus"`
		Log          string            `json:"log"`
		Latency      int64             `json:"latency"`
		Claims       map[string]string `json:"claims,omitempty"`
	}{}
	v := e.opts.DataPlane.Verifier
	switch {
	case token == "":
		out.ClientStatus, out.Log = 401, fmt.Sprintf("Unauthorized: no %s header", header)
	case v == nil:
		out.ClientStatus, out.Log = 401, "Unauthorized: this gateway trusts no user pool (no verifier configured)"
	default:
		res, verr := v.Verify(q.r.Context(), token, tokens.Rules{PoolARNs: az.ProviderARNs, ValidationExpression: az.IdentityValidationExpression})
		if verr != nil {
			out.ClientStatus, out.Log = 401, verr.Error()
			break
		}
		out.Log = "Authorized (" + res.TokenUse + " token)"
		out.Claims = map[string]string{}
		for k, c := range res.Claims {
			out.Claims[k] = claimString(c)
		}
	}
	out.Latency = e.now().Sub(start).Milliseconds()
	return ok(out)
}

func claimString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		if x == float64(int64(x)) {
			return fmt.Sprint(int64(x))
		}
		return fmt.Sprint(x)
	case []any:
		parts := make([]string, len(x))
		for i, p := range x {
			parts[i] = claimString(p)
		}
		return strings.Join(parts, ",")
	default:
		return fmt.Sprint(x)
	}
}
