package tokens

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/golang-jwt/jwt/v5"

	"github.com/portcullis-dev/portcullis/internal/loopback"
)

// MessageForbidden is the 403 body message of an HTTP API JWT authorizer
// when the token lacks every scope the route asks for.
const MessageForbidden = "Forbidden"

// ErrForbidden is a valid token without any of the route's scopes: HTTP
// APIs answer it 403, not 401 (UNCONFIRMED by AWS's docs; see
// docs/local-gateway.md).
var ErrForbidden = errors.New(MessageForbidden)

// JWTRules are one HTTP API JWT authorizer plus one route's scopes
// (http-api-jwt-authorizer.html).
type JWTRules struct {
	// Issuer is the authorizer's jwtConfiguration.issuer.
	Issuer string
	// Audiences is jwtConfiguration.audience: the token's aud, or its
	// client_id when it has no aud, must be one of them.
	Audiences []string
	// Scopes are the route's authorizationScopes; the token's scope (or
	// scp) must hold at least one when there are any.
	Scopes []string
}

// JWTError is a refused token with what HTTP APIs put in the
// www-authenticate header.
type JWTError struct {
	// Err is ErrUnauthorized (401) or ErrForbidden (403).
	Err error
	// Description is the header's error_description, worded as AWS words
	// them where known (http-api-troubleshooting-jwt.html).
	Description string
	// Reason says more, for logs (never the token).
	Reason string
	// Scopes are the route's scopes, for the header's scope parameter.
	Scopes []string
}

func (e *JWTError) Error() string { return e.Err.Error() + ": " + e.Reason }
func (e *JWTError) Unwrap() error { return e.Err }

// WWWAuthenticate is the header HTTP APIs send with a refusal, e.g.
// Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience".
// A request without a token gets a bare challenge: RFC 6750 section 3 says
// no error code then (what AWS sends is UNCONFIRMED).
func (e *JWTError) WWWAuthenticate() string {
	if e.Description == "" {
		return "Bearer"
	}
	code := "invalid_token"
	if errors.Is(e.Err, ErrForbidden) {
		code = "insufficient_scope"
	}
	return fmt.Sprintf(`Bearer scope=%q error=%q error_description=%q`, strings.Join(e.Scopes, " "), code, e.Description)
}

func jwtReject(rules JWTRules, desc, format string, args ...any) *JWTError {
	return &JWTError{Err: ErrUnauthorized, Description: desc, Reason: fmt.Sprintf(format, args...), Scopes: rules.Scopes}
}

// VerifyJWT checks the identity source's value as an HTTP API JWT
// authorizer does: RS256 signature by a key of the issuer's JWKS, iss
// equal to the issuer, aud (or else client_id) among the audiences, exp,
// nbf and iat, then the route's scopes. A "Bearer " prefix is optional.
// Errors are *JWTError.
func (v *Verifier) VerifyJWT(ctx context.Context, value string, rules JWTRules) (*Result, error) {
	tok := strings.TrimSpace(value)
	if len(tok) > 7 && strings.EqualFold(tok[:7], "bearer ") {
		tok = strings.TrimSpace(tok[7:])
	}
	if tok == "" {
		return nil, &JWTError{Err: ErrUnauthorized, Reason: "no token", Scopes: rules.Scopes}
	}
	if v.Resolver == nil {
		return nil, jwtReject(rules, "invalid issuer", "no resolver: no issuer is trusted")
	}
	d, err := v.decode(tok)
	if err != nil {
		return nil, jwtReject(rules, "the token is malformed", "malformed token: %v", err)
	}
	t, claims := d.t, d.claims
	if t.Method != jwt.SigningMethodRS256 {
		return nil, jwtReject(rules, fmt.Sprintf("signing method %v is invalid", t.Header["alg"]), "signing method %q is invalid", fmt.Sprint(t.Header["alg"]))
	}
	trust, err := v.Resolver.TrustIssuer(rules.Issuer)
	if err != nil {
		return nil, jwtReject(rules, "invalid issuer", "%v", err)
	}
	if err := v.checkSignature(ctx, d, trust.Keys); err != nil {
		return nil, jwtReject(rules, "the token signature is invalid", "keys from %s: token signature is invalid: %v", trust.Keys, err)
	}
	iss, _ := claims["iss"].(string)
	if iss != trust.Issuer {
		return nil, jwtReject(rules, "the token does not have a valid issuer", "iss %q is not the authorizer's issuer %q", iss, trust.Issuer)
	}
	// aud first; client_id only when there is no aud (AWS's troubleshooting page).
	var got []string
	claim := "aud"
	switch a := claims["aud"].(type) {
	case string:
		got = []string{a}
	case []any:
		for _, x := range a {
			if s, ok := x.(string); ok {
				got = append(got, s)
			}
		}
	case nil:
		claim = "client_id"
		if c, ok := claims["client_id"].(string); ok {
			got = []string{c}
		}
	}
	if !anyScope(got, rules.Audiences) {
		return nil, jwtReject(rules, "the token does not have a valid audience", "%s %q matches none of the audiences %q", claim, got, rules.Audiences)
	}
	now := v.now().Unix()
	exp, ok := numeric(claims["exp"])
	if !ok {
		return nil, jwtReject(rules, "the token has no expiry", "token has no exp")
	}
	if now >= exp {
		return nil, jwtReject(rules, "the token has expired", "expired at %d", exp)
	}
	skew := int64(clockSkew.Seconds())
	if nbf, ok := numeric(claims["nbf"]); ok && now+skew < nbf {
		return nil, jwtReject(rules, "the token is not valid yet", "nbf %d is in the future", nbf)
	}
	if iat, ok := numeric(claims["iat"]); ok && now+skew < iat {
		return nil, jwtReject(rules, "the token was issued in the future", "iat %d is in the future", iat)
	}
	use, _ := claims["token_use"].(string)
	if len(rules.Scopes) > 0 {
		have := tokenScopes(claims)
		if !anyScope(have, rules.Scopes) {
			return nil, &JWTError{Err: ErrForbidden, Description: "the token does not have a valid scope",
				Reason: fmt.Sprintf("token scopes %q hold none of the route's %q", have, rules.Scopes), Scopes: rules.Scopes}
		}
	}
	return &Result{Claims: Claims(claims), TokenUse: use}, nil
}

// tokenScopes reads scope (space-separated, as Cognito writes it) or scp
// (a string or an array, as other issuers write it).
func tokenScopes(c jwt.MapClaims) []string {
	if s, ok := c["scope"].(string); ok {
		// Single spaces, as in the v1 check (RFC 6749 3.3).
		return strings.Split(s, " ")
	}
	switch s := c["scp"].(type) {
	case string:
		return strings.Fields(s)
	case []any:
		var out []string
		for _, x := range s {
			if v, ok := x.(string); ok {
				out = append(out, v)
			}
		}
		return out
	}
	return nil
}

var cognitoIssuerRe = regexp.MustCompile(`^https://cognito-idp\.([a-z0-9-]+)\.amazonaws\.com/([^/?#]+)$`)

// CognitoIssuerPool returns the pool a Cognito issuer URL names.
func CognitoIssuerPool(issuer string) (Pool, bool) {
	m := cognitoIssuerRe.FindStringSubmatch(strings.TrimRight(issuer, "/"))
	if m == nil {
		return Pool{}, false
	}
	p, err := ParsePool(m[2])
	if err != nil || p.Region != m[1] {
		return Pool{}, false
	}
	return p, true
}

// TrustIssuer says which iss and keys tokens for an HTTP API JWT
// authorizer's issuer must have:
//   - a Cognito issuer (https://cognito-idp.REGION.amazonaws.com/POOL_ID)
//     is its pool's Trust, so pool mappings (the built-in issuer,
//     cognito-local) apply to v1 and v2 alike;
//   - an issuer mapped by its URL (--issuer URL=local|URL) is the mapping;
//   - an issuer on loopback (cognito-local named directly) is trusted
//     with its own JWKS at ISSUER/.well-known/jwks.json;
//   - any other issuer is not trusted: the local gateway fetches nothing
//     it was not told to.
func (r *Resolver) TrustIssuer(issuer string) (Trust, error) {
	issuer = strings.TrimRight(issuer, "/")
	if p, ok := CognitoIssuerPool(issuer); ok {
		if _, mapped := r.issuerURLs[issuer]; !mapped {
			return r.Trust(p), nil
		}
	}
	if target, ok := r.issuerURLs[issuer]; ok {
		if target == Local {
			return Trust{Issuer: issuer, Keys: r.cfg.Local.Keys()}, nil
		}
		return Trust{Issuer: target, Keys: r.remote(JWKSURL(target))}, nil
	}
	u, err := url.Parse(issuer)
	if err == nil && (u.Scheme == "http" || u.Scheme == "https") && isLoopbackHost(u.Hostname()) {
		return Trust{Issuer: issuer, Keys: r.remote(JWKSURL(issuer))}, nil
	}
	return Trust{}, fmt.Errorf("issuer %q is not trusted by the local gateway: map it with --issuer %s=URL (or =%s for the built-in issuer)", issuer, issuer, Local)
}

// isLoopbackHost: the parsed address or name, so "127.evil.example" is
// remote.
func isLoopbackHost(h string) bool { return loopback.Host(h) }
