package probe

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/tokens"
)

// TokenKind is the kind of token a check sends.
type TokenKind string

// Token kinds a TokenSource is asked for.
const (
	IDToken      TokenKind = "id"
	AccessToken  TokenKind = "access"
	ExpiredToken TokenKind = "expired"
)

// TokenSource hands out tokens for a route. It returns "" when it has no
// token of that kind; it never logs them.
type TokenSource interface {
	Token(ctx context.Context, r *spec.Route, az *spec.Authorizer, kind TokenKind) (string, error)
}

// Supplied are tokens the user brought (environment variables, a token
// file, a Cognito sign-in). The same tokens serve every route; whether a
// route should admit them is decided from their claims.
type Supplied struct {
	ID, Access, Expired string
}

// Token implements TokenSource.
func (s Supplied) Token(_ context.Context, _ *spec.Route, _ *spec.Authorizer, kind TokenKind) (string, error) {
	switch kind {
	case IDToken:
		return s.ID, nil
	case AccessToken:
		return s.Access, nil
	case ExpiredToken:
		return s.Expired, nil
	}
	return "", nil
}

// Minted makes tokens with the built-in issuer for each route: the pool of
// the route's authorizer, the route's scopes in access tokens. The local
// gateway trusts the issuer, so a probe with --local needs no set-up.
//
// Use it by pointer: it keeps the tokens it minted, since routes with the
// same pool and scopes take the same token and RSA signing is the probe's
// most expensive step.
type Minted struct {
	Issuer   *tokens.Issuer
	Username string // default "portcullis-probe"
	Now      func() time.Time

	mu    sync.Mutex
	cache map[string]string
}

// literal is an app client id: what an aud looks like.
var literal = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// audFor finds an aud the identityValidationExpression accepts, so minted
// ID tokens pass it: the expression itself when it is a literal, else its
// first alternative once anchors and a wrapping group are taken off
// ("^(appA|appB)$" gives "appA"). The candidate is checked against the
// expression, anchored as API Gateway matches it; "" when none is found.
func audFor(expr string) string {
	if expr == "" {
		return ""
	}
	re, err := regexp.Compile(`^(?:` + expr + `)$`)
	if err != nil {
		return ""
	}
	c := strings.TrimSuffix(strings.TrimPrefix(expr, "^"), "$")
	if strings.HasPrefix(c, "(") && strings.HasSuffix(c, ")") {
		c = strings.TrimPrefix(c[1:len(c)-1], "?:")
	}
	c, _, _ = strings.Cut(c, "|")
	if literal.MatchString(c) && re.MatchString(c) {
		return c
	}
	return ""
}

// Token implements TokenSource.
func (m *Minted) Token(_ context.Context, r *spec.Route, az *spec.Authorizer, kind TokenKind) (string, error) {
	if az == nil || len(az.UserPoolARNs) == 0 {
		return "", nil
	}
	key := strings.Join([]string{string(kind), az.UserPoolARNs[0], az.ValidationExpression, strings.Join(r.Scopes, " ")}, "\x00")
	m.mu.Lock()
	defer m.mu.Unlock()
	if tok, ok := m.cache[key]; ok {
		return tok, nil
	}
	tok, err := m.mint(r, az, kind)
	if err != nil {
		return "", err
	}
	if m.cache == nil {
		m.cache = map[string]string{}
	}
	m.cache[key] = tok
	return tok, nil
}

func (m *Minted) mint(r *spec.Route, az *spec.Authorizer, kind TokenKind) (string, error) {
	o := tokens.MintOptions{Pool: az.UserPoolARNs[0], Username: m.Username, Now: m.Now}
	if o.Username == "" {
		o.Username = "portcullis-probe"
	}
	o.ClientID = audFor(az.ValidationExpression)
	use := IDToken
	if len(r.Scopes) > 0 {
		use = AccessToken
	}
	switch kind {
	case IDToken:
		o.TokenUse = tokens.UseID
	case AccessToken:
		o.TokenUse, o.Scopes = tokens.UseAccess, r.Scopes
	case ExpiredToken:
		o.TokenUse = string(use)
		if use == AccessToken {
			o.Scopes = r.Scopes
		}
		return m.Issuer.MintBad(tokens.BadExpired, o)
	}
	return m.Issuer.Mint(o)
}

// ParseTokenFile reads a token file. Two shapes are accepted:
//
//   - a JSON object with "id_token", "access_token" and optionally
//     "expired_token" (or Cognito's "IdToken"/"AccessToken", also nested in
//     "AuthenticationResult", so the output of `aws cognito-idp
//     initiate-auth` can be saved and used as it is);
//   - one token per line (blank lines and lines starting with # are
//     skipped); each token's kind is read from its own claims: token_use
//     "id" or "access", and an exp in the past makes it the expired token.
func ParseTokenFile(b []byte, now time.Time) (Supplied, error) {
	text := strings.TrimSpace(string(b))
	if strings.HasPrefix(text, "{") {
		var raw map[string]json.RawMessage
		if err := json.Unmarshal([]byte(text), &raw); err != nil {
			return Supplied{}, fmt.Errorf("token file: not valid JSON: %v", jsonErr(err))
		}
		if nested, ok := raw["AuthenticationResult"]; ok {
			raw = nil
			if err := json.Unmarshal(nested, &raw); err != nil {
				return Supplied{}, fmt.Errorf("token file: AuthenticationResult is not an object")
			}
		}
		var s Supplied
		for k, v := range raw {
			var tok string
			if json.Unmarshal(v, &tok) != nil {
				continue
			}
			switch strings.ToLower(strings.ReplaceAll(k, "_", "")) {
			case "idtoken":
				s.ID = tok
			case "accesstoken":
				s.Access = tok
			case "expiredtoken":
				s.Expired = tok
			}
		}
		if s.ID == "" && s.Access == "" && s.Expired == "" {
			return s, errors.New("token file: no id_token, access_token or expired_token in the JSON object")
		}
		return s, nil
	}
	var s Supplied
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		c, err := peek(line)
		if err != nil {
			// Never echo the line: it may be a secret.
			return Supplied{}, fmt.Errorf("token file line %d: not a JWT", i+1)
		}
		switch {
		case c.expired(now):
			s.Expired = line
		case c.Use == tokens.UseID:
			s.ID = line
		case c.Use == tokens.UseAccess:
			s.Access = line
		default:
			return Supplied{}, fmt.Errorf("token file line %d: token_use is %q, want \"id\" or \"access\"", i+1, c.Use)
		}
	}
	if s.ID == "" && s.Access == "" && s.Expired == "" {
		return s, errors.New("token file: no tokens")
	}
	return s, nil
}

// jsonErr keeps a JSON error's position but not the text around it, which
// may be part of a token.
func jsonErr(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	}
	return "unexpected structure"
}

// claims are the unverified claims the probe needs to know what a token
// should do: the gateway verifies, the probe only predicts.
type claims struct {
	Use string
	Iss string
	Aud string
	// ClientID is an access token's client_id (HTTP APIs match it when
	// there is no aud).
	ClientID string
	Scopes   []string
	Exp      int64
	Kid      string
}

func (c claims) expired(now time.Time) bool { return c.Exp != 0 && now.Unix() >= c.Exp }

// poolID is the last segment of iss: the pool id for Cognito
// (https://cognito-idp.REGION.amazonaws.com/POOL) and cognito-local
// (http://HOST:PORT/POOL) alike.
func (c claims) poolID() string {
	i := strings.LastIndex(c.Iss, "/")
	return c.Iss[i+1:]
}

var unverified = jwt.NewParser(jwt.WithoutClaimsValidation(), jwt.WithJSONNumber())

func peek(tok string) (claims, error) {
	m := jwt.MapClaims{}
	t, _, err := unverified.ParseUnverified(tok, m)
	if err != nil {
		return claims{}, err
	}
	var c claims
	c.Use, _ = m["token_use"].(string)
	c.Iss, _ = m["iss"].(string)
	switch a := m["aud"].(type) {
	case string:
		c.Aud = a
	case []any:
		if len(a) == 1 {
			c.Aud, _ = a[0].(string)
		}
	}
	c.ClientID, _ = m["client_id"].(string)
	if s, ok := m["scope"].(string); ok {
		c.Scopes = strings.Fields(s)
	}
	if n, ok := m["exp"].(json.Number); ok {
		c.Exp, _ = n.Int64()
	}
	c.Kid, _ = t.Header["kid"].(string)
	return c, nil
}

// expectation predicts the gateway's answer to a token on a route, from
// the token's claims and the route's authorizer: admit, or refuse and why.
// scoped is true when the only reason to refuse is the token's kind or
// scopes on a route with scopes: admitted, it shows the live method
// ignores its scopes.
func expectation(c claims, r *spec.Route, az *spec.Authorizer, now time.Time) (admit bool, why string, scoped bool) {
	if az == nil {
		return false, "the route's authorizer is not described", false
	}
	poolOK := false
	var pools []string
	for _, arn := range az.UserPoolARNs {
		if p, err := tokens.ParsePool(arn); err == nil {
			pools = append(pools, p.ID)
			if p.ID == c.poolID() {
				poolOK = true
			}
		}
	}
	switch {
	case !poolOK:
		return false, fmt.Sprintf("the token comes from pool %q, the authorizer trusts %s", c.poolID(), strings.Join(pools, ", ")), false
	case c.expired(now):
		return false, "the token has expired", false
	case len(r.Scopes) == 0 && c.Use != tokens.UseID:
		return false, "a route without scopes takes an ID token, this is an " + c.Use + " token", false
	case len(r.Scopes) > 0 && c.Use != tokens.UseAccess:
		return false, "a route with scopes takes an access token, this is an " + c.Use + " token", true
	case len(r.Scopes) > 0 && !anyOf(c.Scopes, r.Scopes):
		return false, fmt.Sprintf("the token's scopes (%s) include none of the route's (%s)", strings.Join(c.Scopes, " "), strings.Join(r.Scopes, " ")), true
	case az.ValidationExpression != "" && c.Aud == "":
		return false, "the authorizer's validation expression needs an aud, which access tokens lack", false
	case az.ValidationExpression != "":
		re, err := regexp.Compile(`^(?:` + az.ValidationExpression + `)$`)
		if err == nil && !re.MatchString(c.Aud) {
			return false, fmt.Sprintf("the token's aud %q does not match the validation expression %q", c.Aud, az.ValidationExpression), false
		}
	}
	return true, "", false
}

func anyOf(have, want []string) bool {
	for _, w := range want {
		for _, h := range have {
			if h == w {
				return true
			}
		}
	}
	return false
}

// garbage is not a JWT at all.
const garbage = "portcullis-probe-not-a-jwt"

// forge makes a well-formed JWT that claims to come from pool (its issuer,
// Cognito's claim layout, a valid exp) but carries random bytes as its
// RS256 signature. kid and iss are a valid token's of the pool when one is
// at hand (iss differs from Cognito's only for a peer such as
// cognito-local), so the gateway finds the key and has to reject the
// signature itself, not an unknown kid or issuer.
func forge(pool tokens.Pool, use TokenKind, scopes []string, kid, iss string, now time.Time) string {
	if kid == "" {
		kid = "portcullis-probe-forged-key"
	}
	if iss == "" {
		iss = pool.CognitoIssuer()
	}
	head, _ := json.Marshal(map[string]string{"kid": kid, "alg": "RS256"})
	c := map[string]any{
		"sub":       "00000000-0000-4000-8000-000000000000",
		"iss":       iss,
		"token_use": string(use),
		"auth_time": now.Unix(),
		"iat":       now.Unix(),
		"exp":       now.Add(time.Hour).Unix(),
		"jti":       "00000000-0000-4000-8000-00000000f04e",
	}
	if use == AccessToken {
		c["client_id"] = "portcullisprobeforged00000"
		c["username"] = "portcullis-forged"
		s := scopes
		if len(s) == 0 {
			s = []string{tokens.DefaultAccessScope}
		}
		c["scope"] = strings.Join(s, " ")
	} else {
		c["aud"] = "portcullisprobeforged00000"
		c["cognito:username"] = "portcullis-forged"
	}
	body, _ := json.Marshal(c)
	sig := make([]byte, 256) // an RSA-2048 signature's length
	_, _ = rand.Read(sig)
	enc := base64.RawURLEncoding.EncodeToString
	return enc(head) + "." + enc(body) + "." + enc(sig)
}
