package emulator

import (
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"

	"github.com/portcullis-dev/portcullis/tokens"
)

// A method's authorizationType is a plain string in the API model (no SDK
// enum); these are the values the API reference lists
// (https://docs.aws.amazon.com/apigateway/latest/api/API_Method.html).
// They are spelled here, not taken from spec/, so that a wrong assumption
// in the model Portcullis checks cannot hide in the gateway it checks
// against.
const (
	authNone    = "NONE"
	authIAM     = "AWS_IAM"
	authCognito = "COGNITO_USER_POOLS"
	// headerSourcePrefix starts a header identity source.
	headerSourcePrefix = "method.request.header."
)

// authorize runs the method's authorization; false means a gateway response
// was written.
func (d *dataPlane) authorize(inv *invocation) bool {
	m := inv.method
	switch m.AuthorizationType {
	case "", authNone:
		return true
	case authIAM:
		// SigV4 signatures are not checked (no IAM here): a signed request
		// passes, an unsigned one gets what AWS gives it.
		if isSigV4(inv) {
			return true
		}
		d.gatewayError(inv, "MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token",
			"AWS_IAM method and the request is not SigV4-signed")
		return false
	case authCognito:
		return d.authorizeCognito(inv)
	default:
		d.gatewayError(inv, "AUTHORIZER_CONFIGURATION_ERROR", "Authorizer configuration error",
			"authorization type %s: Lambda authorizers do not run in the local gateway", m.AuthorizationType)
		return false
	}
}

func isSigV4(inv *invocation) bool {
	return strings.HasPrefix(inv.r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 ") ||
		inv.r.URL.Query().Get("X-Amz-Algorithm") == "AWS4-HMAC-SHA256"
}

func (d *dataPlane) authorizeCognito(inv *invocation) bool {
	az := inv.snap.Authorizer(inv.method.AuthorizerID)
	if az == nil || az.Type != string(types.AuthorizerTypeCognitoUserPools) {
		d.gatewayError(inv, "AUTHORIZER_CONFIGURATION_ERROR", "Authorizer configuration error",
			"method names authorizer %q, which is not a Cognito authorizer in the deployment", inv.method.AuthorizerID)
		return false
	}
	source := az.IdentitySource
	if source == "" {
		source = headerSourcePrefix + "Authorization"
	}
	header := ""
	if h, isHeader := strings.CutPrefix(source, headerSourcePrefix); isHeader {
		header = h
	}
	token := ""
	if header != "" {
		token = strings.TrimSpace(inv.r.Header.Get(header))
	}
	if token == "" {
		d.gatewayError(inv, "UNAUTHORIZED", tokens.MessageUnauthorized, "no token in the %s header", header)
		return false
	}

	key := authKey{
		snap: inv.snap, stage: inv.stageName, authorizer: az.ID,
		gen:    d.e.AuthorizerCacheGeneration(inv.apiID, inv.stageName),
		scopes: strings.Join(inv.method.AuthorizationScopes, " "), token: token,
	}
	now := d.e.now()
	if claims, ok := d.cache.get(key, now); ok {
		inv.claims = claims
		return true
	}
	if d.opts.Verifier == nil {
		d.gatewayError(inv, "UNAUTHORIZED", tokens.MessageUnauthorized, "no token verifier is configured, so no pool is trusted")
		return false
	}
	res, err := d.opts.Verifier.Verify(inv.r.Context(), token, tokens.Rules{
		PoolARNs:             az.ProviderARNs,
		Scopes:               inv.method.AuthorizationScopes,
		ValidationExpression: az.IdentityValidationExpression,
	})
	if err != nil {
		reason := err.Error()
		var rej *tokens.Rejection
		if errors.As(err, &rej) {
			reason = rej.Reason
		}
		d.gatewayError(inv, "UNAUTHORIZED", tokens.Message(err), "authorizer %s: %s", az.Name, reason)
		return false
	}
	inv.claims = res.Claims
	if ttl := az.TTLSeconds(); ttl > 0 {
		until := now.Add(time.Duration(ttl) * time.Second)
		// A cached answer must not outlive the token itself (inf.: AWS
		// documents the TTL only).
		if exp, ok := res.Claims["exp"]; ok {
			if n, ok := claimUnix(exp); ok && time.Unix(n, 0).Before(until) {
				until = time.Unix(n, 0)
			}
		}
		d.cache.put(key, res.Claims, until, now)
	}
	return true
}

func claimUnix(v any) (int64, bool) {
	switch n := v.(type) {
	case interface{ Int64() (int64, error) }:
		i, err := n.Int64()
		return i, err == nil
	case float64:
		return int64(n), true
	}
	return 0, false
}

// authKey identifies one authorizer decision. The snapshot is part of it so
// a redeployed authorizer (new pools, new expression) starts afresh, and the
// flush generation so FlushStageAuthorizersCache empties it.
type authKey struct {
	snap       *Snapshot
	stage      string
	authorizer string
	gen        uint64
	scopes     string
	token      string
}

type authEntry struct {
	claims tokens.Claims
	until  time.Time
}

// authCache holds accepted tokens only: a refusal is recomputed, so a pool
// whose JWKS was briefly unreachable recovers at once.
type authCache struct {
	mu sync.Mutex
	m  map[authKey]authEntry
}

const authCacheMax = 10000

func newAuthCache() *authCache { return &authCache{m: map[authKey]authEntry{}} }

func (c *authCache) get(k authKey, now time.Time) (tokens.Claims, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	if !ok {
		return nil, false
	}
	if !now.Before(e.until) {
		delete(c.m, k)
		return nil, false
	}
	return e.claims, true
}

func (c *authCache) put(k authKey, claims tokens.Claims, until, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= authCacheMax {
		for key, e := range c.m {
			if !now.Before(e.until) {
				delete(c.m, key)
			}
		}
		if len(c.m) >= authCacheMax {
			clear(c.m)
		}
	}
	c.m[k] = authEntry{claims: claims, until: until}
}
