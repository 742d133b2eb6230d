package tokens

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Token uses, as Cognito writes them in token_use.
const (
	UseID     = "id"
	UseAccess = "access"
)

// DefaultAccessScope is the one scope Cognito puts in every access token
// obtained through InitiateAuth (custom scopes need the OAuth endpoints).
const DefaultAccessScope = "aws.cognito.signin.user.admin"

// MintOptions describe a token to mint. Zero values take Cognito-like
// defaults.
type MintOptions struct {
	Pool     string // pool ARN or id (required)
	Username string // required
	// Sub defaults to a UUID derived from pool and username, so every token
	// for alice carries the same sub.
	Sub string
	// TokenUse is UseID or UseAccess; "" = access when Scopes are given,
	// else id (what a route with / without scopes wants).
	TokenUse string
	Scopes   []string // access tokens; default DefaultAccessScope
	// ClientID is the ID token's aud and the access token's client_id;
	// default a 26-character id derived from the pool.
	ClientID string
	Groups   []string
	Email    string
	Expires  time.Duration // default 1h
	Now      func() time.Time
	// Issuer overrides iss; default the pool's real Cognito issuer URL.
	Issuer string
}

func (o MintOptions) resolve() (MintOptions, Pool, error) {
	pool, err := ParsePool(o.Pool)
	if err != nil {
		return o, pool, err
	}
	if o.Username == "" {
		return o, pool, fmt.Errorf("a token needs a username")
	}
	if o.Sub == "" {
		o.Sub = uuidFrom(pool.ID, o.Username)
	}
	switch o.TokenUse {
	case "":
		o.TokenUse = UseID
		if len(o.Scopes) > 0 {
			o.TokenUse = UseAccess
		}
	case UseID, UseAccess:
	default:
		return o, pool, fmt.Errorf("token use %q: want %q or %q", o.TokenUse, UseID, UseAccess)
	}
	if o.TokenUse == UseID && len(o.Scopes) > 0 {
		return o, pool, fmt.Errorf("ID tokens carry no scopes; mint an access token for scopes %s", strings.Join(o.Scopes, ","))
	}
	if o.ClientID == "" {
		o.ClientID = strings.ReplaceAll(uuidFrom("client", pool.ID), "-", "")[:26]
	}
	if o.Expires == 0 {
		o.Expires = time.Hour
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Issuer == "" {
		o.Issuer = pool.CognitoIssuer()
	}
	return o, pool, nil
}

// claims builds the payload Cognito would write for these options.
func (o MintOptions) claims() jwt.MapClaims {
	now := o.Now().Unix()
	exp := o.Now().Add(o.Expires).Unix()
	c := jwt.MapClaims{
		"sub":        o.Sub,
		"iss":        o.Issuer,
		"token_use":  o.TokenUse,
		"auth_time":  now,
		"iat":        now,
		"exp":        exp,
		"jti":        randomUUID(),
		"origin_jti": randomUUID(),
		"event_id":   randomUUID(),
	}
	if len(o.Groups) > 0 {
		c["cognito:groups"] = o.Groups
	}
	if o.TokenUse == UseID {
		c["aud"] = o.ClientID
		c["cognito:username"] = o.Username
		if o.Email != "" {
			c["email"] = o.Email
			c["email_verified"] = true
		}
		return c
	}
	scopes := o.Scopes
	if len(scopes) == 0 {
		scopes = []string{DefaultAccessScope}
	}
	c["client_id"] = o.ClientID
	c["username"] = o.Username
	c["scope"] = strings.Join(scopes, " ")
	c["version"] = 2
	return c
}

// Mint signs a token with the issuer's key.
func (i *Issuer) Mint(o MintOptions) (string, error) {
	o, _, err := o.resolve()
	if err != nil {
		return "", err
	}
	return i.sign(o.claims())
}

func (i *Issuer) sign(c jwt.MapClaims) (string, error) {
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
	t.Header["kid"] = i.kid
	return t.SignedString(i.key)
}

// Bad names a deliberately invalid token, for tests and probes.
type Bad string

// The kinds of bad token MintBad makes. Each must get a 401 from a Cognito
// method whose authorizer trusts this issuer.
const (
	// BadForged is signed by another key under this issuer's kid and iss.
	BadForged Bad = "forged"
	// BadTampered is a good token whose payload was altered after signing.
	BadTampered Bad = "tampered"
	// BadExpired is correctly signed but expired a minute ago.
	BadExpired Bad = "expired"
	// BadWrongIssuer is correctly signed for a different pool's issuer.
	BadWrongIssuer Bad = "wrong-issuer"
	// BadAlgNone is unsigned (alg "none").
	BadAlgNone Bad = "alg-none"
	// BadHS256 is HMAC-signed with the public key as the secret, the
	// classic algorithm-confusion attack.
	BadHS256 Bad = "hs256"
	// BadGarbage is not a JWT at all.
	BadGarbage Bad = "garbage"
)

// BadKinds lists every kind, in a stable order.
var BadKinds = []Bad{BadForged, BadTampered, BadExpired, BadWrongIssuer, BadAlgNone, BadHS256, BadGarbage}

// MintBad makes a token of the given bad kind, otherwise shaped by o.
func (i *Issuer) MintBad(kind Bad, o MintOptions) (string, error) {
	if kind == BadExpired {
		o.Expires = -time.Minute
	}
	if kind == BadWrongIssuer && o.Issuer == "" {
		o.Issuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_WrongPool0"
	}
	o, _, err := o.resolve()
	if err != nil {
		return "", err
	}
	c := o.claims()
	if kind == BadExpired {
		// A token that lived its full hour and then expired.
		c["iat"] = o.Now().Add(-time.Hour - time.Minute).Unix()
		c["auth_time"] = c["iat"]
	}
	switch kind {
	case BadExpired, BadWrongIssuer:
		return i.sign(c)
	case BadForged:
		k, err := i.forgeKey()
		if err != nil {
			return "", err
		}
		t := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
		t.Header["kid"] = i.kid
		return t.SignedString(k)
	case BadTampered:
		good, err := i.sign(c)
		if err != nil {
			return "", err
		}
		parts := strings.Split(good, ".")
		c["cognito:groups"] = []string{"admin"}
		c["username"] = "admin"
		c["cognito:username"] = "admin"
		payload, err := json.Marshal(c)
		if err != nil {
			return "", err
		}
		return parts[0] + "." + b64(payload) + "." + parts[2], nil
	case BadAlgNone:
		t := jwt.NewWithClaims(jwt.SigningMethodNone, c)
		return t.SignedString(jwt.UnsafeAllowNoneSignatureType)
	case BadHS256:
		der, err := x509.MarshalPKIXPublicKey(&i.key.PublicKey)
		if err != nil {
			return "", err
		}
		head := b64([]byte(`{"alg":"HS256","kid":"` + i.kid + `","typ":"JWT"}`))
		payload, err := json.Marshal(c)
		if err != nil {
			return "", err
		}
		signing := head + "." + b64(payload)
		m := hmac.New(sha256.New, der)
		m.Write([]byte(signing))
		return signing + "." + b64(m.Sum(nil)), nil
	case BadGarbage:
		return "this-is-not-a-jwt", nil
	}
	return "", fmt.Errorf("unknown bad token kind %q (want one of %s)", kind, badList())
}

func badList() string {
	s := make([]string, len(BadKinds))
	for i, k := range BadKinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}
