package tokens

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Messages API Gateway writes in the 401 body.
const (
	MessageUnauthorized = "Unauthorized"
	MessageExpired      = "The incoming token has expired"
)

var (
	// ErrUnauthorized is behind every refusal except expiry.
	ErrUnauthorized = errors.New(MessageUnauthorized)
	// ErrExpired is an otherwise valid token past its exp; API Gateway
	// answers it with a message of its own, whose text (capital included)
	// this error carries.
	//lint:ignore ST1005 API Gateway's exact message
	ErrExpired = errors.New(MessageExpired)
)

// Rejection is a refused token: Err is ErrUnauthorized or ErrExpired, Reason
// says why for logs and `local serve` output (never the token itself).
type Rejection struct {
	Err    error
	Reason string
}

func (r *Rejection) Error() string { return r.Err.Error() + ": " + r.Reason }
func (r *Rejection) Unwrap() error { return r.Err }

// Message is the text API Gateway puts in the 401 body for err.
func Message(err error) string {
	if errors.Is(err, ErrExpired) {
		return MessageExpired
	}
	return MessageUnauthorized
}

func reject(format string, args ...any) error {
	return &Rejection{Err: ErrUnauthorized, Reason: fmt.Sprintf(format, args...)}
}

// Rules are one COGNITO_USER_POOLS authorizer plus one method's scopes.
type Rules struct {
	PoolARNs []string
	// Scopes are the method's authorizationScopes. None: the token must be
	// an ID token. Some: an access token whose scope has any of them.
	Scopes []string
	// ValidationExpression is the authorizer's identityValidationExpression,
	// matched against the ID token's aud. AWS does not say whether the match
	// is anchored; it is here (a Java-style full match, (inf.)), in Go's
	// RE2 syntax, which lacks Java's lookarounds and backreferences.
	ValidationExpression string
}

// Claims are a verified token's payload.
type Claims map[string]any

// Result is an accepted token.
type Result struct {
	Claims   Claims
	Pool     Pool
	TokenUse string
}

// clockSkew is how far a token's nbf and iat may be ahead of this
// machine's clock: a token fetched from Cognito and sent at once can carry
// an iat a little ahead of a machine whose clock runs slow. Five seconds
// covers the drift of an NTP-synchronised clock and is far too short to
// hold a token for later; exp keeps no leeway, as API Gateway's own
// "The incoming token has expired" answer is exact.
const clockSkew = 5 * time.Second

// Verifier checks tokens exactly as API Gateway's Cognito authorizer does.
// It is safe for concurrent use.
type Verifier struct {
	Resolver *Resolver
	// RawOnly refuses "Bearer <jwt>". AWS documents the raw token; whether
	// it also accepts the Bearer prefix is UNCONFIRMED (reports disagree),
	// so by default both are accepted and probes send the raw token.
	RawOnly bool
	// Now is the clock (time.Now when nil).
	Now func() time.Time

	reMu sync.Mutex
	res  map[string]*regexp.Regexp

	// sigs remembers signatures already verified (see sigcache.go);
	// NoSignatureCache turns it off, so every request pays for RSA.
	sigs             sigCache
	NoSignatureCache bool
}

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

// parser decodes; the signature and the claims are checked by hand, in
// AWS's order and with AWS's messages.
var parser = jwt.NewParser(jwt.WithJSONNumber())

// Verify checks the identity header's value against the rules and returns
// the claims.
func (v *Verifier) Verify(ctx context.Context, header string, rules Rules) (*Result, error) {
	tok := strings.TrimSpace(header)
	if !v.RawOnly && len(tok) > 7 && strings.EqualFold(tok[:7], "bearer ") {
		tok = strings.TrimSpace(tok[7:])
	}
	if tok == "" {
		return nil, reject("no token")
	}
	if v.Resolver == nil {
		return nil, reject("no resolver: no pool is trusted")
	}
	d, err := v.decode(tok)
	if err != nil {
		return nil, reject("malformed token: %v", err)
	}
	t, claims := d.t, d.claims
	// Only RS256: alg none, HS256 (key confusion) and every other
	// algorithm fail before any key is looked up.
	if t.Method != jwt.SigningMethodRS256 {
		return nil, reject("signing method %q is invalid", fmt.Sprint(t.Header["alg"]))
	}
	iss, _ := claims["iss"].(string)
	var (
		pool     Pool
		verified bool
		errs     []string
	)
	for _, arn := range rules.PoolARNs {
		p, err := ParsePool(arn)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		trust := v.Resolver.Trust(p)
		if trust.Issuer != iss {
			errs = append(errs, fmt.Sprintf("iss %q is not pool %s's issuer %q", iss, p.ID, trust.Issuer))
			continue
		}
		if err := v.checkSignature(ctx, d, trust.Keys); err != nil {
			errs = append(errs, fmt.Sprintf("pool %s (keys from %s): token signature is invalid: %v", p.ID, trust.Keys, err))
			continue
		}
		pool, verified = p, true
		break
	}
	if !verified {
		if len(rules.PoolARNs) == 0 {
			return nil, reject("the authorizer names no user pools")
		}
		return nil, reject("%s", strings.Join(errs, "; "))
	}

	exp, ok := numeric(claims["exp"])
	if !ok {
		return nil, reject("token has no exp")
	}
	if v.now().Unix() >= exp {
		return nil, &Rejection{Err: ErrExpired, Reason: fmt.Sprintf("expired at %s", time.Unix(exp, 0).UTC().Format(time.RFC3339))}
	}

	// A token that is not yet valid, or says it was issued in the future,
	// was minted by a clock or a hand that cannot be trusted; RFC 7519
	// (4.1.5) makes nbf binding and Cognito never writes either in the
	// future. clockSkew is the only leeway.
	if nbf, ok := numeric(claims["nbf"]); ok && nbf > v.now().Add(clockSkew).Unix() {
		return nil, reject("token not valid before %s (nbf)", time.Unix(nbf, 0).UTC().Format(time.RFC3339))
	}
	if iat, ok := numeric(claims["iat"]); ok && iat > v.now().Add(clockSkew).Unix() {
		return nil, reject("token issued in the future, at %s (iat)", time.Unix(iat, 0).UTC().Format(time.RFC3339))
	}

	use, _ := claims["token_use"].(string)
	if len(rules.Scopes) == 0 {
		if use != UseID {
			return nil, reject("the method has no scopes, so it takes an ID token; this token's token_use is %q", use)
		}
	} else {
		if use != UseAccess {
			return nil, reject("the method has scopes %s, so it takes an access token; this token's token_use is %q", strings.Join(rules.Scopes, ","), use)
		}
		have, _ := claims["scope"].(string)
		// Cognito joins scopes with single spaces (RFC 6749 3.3); a tab or
		// newline is part of a scope, not a separator.
		if !anyScope(strings.Split(have, " "), rules.Scopes) {
			return nil, reject("token scope %q has none of the method's scopes %s", have, strings.Join(rules.Scopes, ","))
		}
	}

	if rules.ValidationExpression != "" {
		re, err := v.regexp(rules.ValidationExpression)
		if err != nil {
			return nil, reject("identityValidationExpression %q does not compile: %v", rules.ValidationExpression, err)
		}
		aud, ok := audience(claims["aud"])
		if !ok {
			return nil, reject("the authorizer has an identityValidationExpression and the token has no aud (access tokens have none)")
		}
		if !re.MatchString(aud) {
			return nil, reject("aud %q does not match identityValidationExpression %q", aud, rules.ValidationExpression)
		}
	}
	return &Result{Claims: Claims(claims), Pool: pool, TokenUse: use}, nil
}

func (v *Verifier) regexp(expr string) (*regexp.Regexp, error) {
	v.reMu.Lock()
	defer v.reMu.Unlock()
	if re, ok := v.res[expr]; ok {
		return re, nil
	}
	re, err := regexp.Compile(`^(?:` + expr + `)$`)
	if err != nil {
		return nil, err
	}
	if v.res == nil {
		v.res = map[string]*regexp.Regexp{}
	}
	v.res[expr] = re
	return re, nil
}

func anyScope(have, want []string) bool {
	for _, w := range want {
		for _, h := range have {
			if h == w {
				return true
			}
		}
	}
	return false
}

// audience reads aud, which Cognito writes as a string; a one-element array
// is accepted too since JWT allows it.
func audience(v any) (string, bool) {
	switch a := v.(type) {
	case string:
		return a, true
	case []any:
		if len(a) == 1 {
			s, ok := a[0].(string)
			return s, ok
		}
	}
	return "", false
}

func numeric(v any) (int64, bool) {
	switch n := v.(type) {
	case json.Number:
		if i, err := n.Int64(); err == nil {
			return i, true
		}
		f, err := n.Float64()
		return int64(f), err == nil
	case float64:
		return int64(n), true
	case int64:
		return n, true
	}
	return 0, false
}

// Strings renders claims as API Gateway hands them to integrations
// ($context.authorizer.claims, a Lambda event's requestContext.authorizer
// .claims): every value a string, exp and iat as dates in Java's
// Date.toString form, e.g. "Fri Jul 29 18:52:53 UTC 2016"
// (amazon-cognito-identity-js#92 shows such claims), arrays such as
// cognito:groups joined with commas (inf.: aws/chalice#783 splits them so).
func (c Claims) Strings() map[string]string {
	out := make(map[string]string, len(c))
	for k, v := range c {
		switch x := v.(type) {
		case string:
			out[k] = x
		case json.Number:
			if n, ok := numeric(x); ok && (k == "exp" || k == "iat") {
				out[k] = time.Unix(n, 0).UTC().Format("Mon Jan 02 15:04:05 UTC 2006")
				continue
			}
			out[k] = x.String()
		case bool:
			out[k] = fmt.Sprint(x)
		case []any:
			parts := make([]string, len(x))
			for i, e := range x {
				parts[i] = fmt.Sprint(e)
			}
			out[k] = strings.Join(parts, ",")
		default:
			b, _ := json.Marshal(x)
			out[k] = string(b)
		}
	}
	return out
}
