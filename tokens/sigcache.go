package tokens

import (
	"context"
	"crypto"
	"crypto/sha256"
	"sync"

	"github.com/golang-jwt/jwt/v5"

	"github.com/portcullis-dev/portcullis/internal/fastpath"
)

// sigCacheMax bounds the verified-token cache; when full it starts over (a
// flood of distinct tokens costs RSA again, never memory).
const sigCacheMax = 1 << 16

// decoded is a parsed JWT. verifiedBy is the public key that verified
// these exact bytes earlier, or nil.
type decoded struct {
	t          *jwt.Token
	claims     jwt.MapClaims
	parts      []string
	hash       [32]byte
	verifiedBy crypto.PublicKey
}

// sigCache remembers tokens whose signature a key has verified, with their
// decoded header and claims (the same bytes always decode the same way).
// It makes no decision: exp, nbf, iat, iss, aud, token_use, scopes and
// every other check still run on each request, so a cached token that has
// since expired is refused. The key is the SHA-256 of the whole token
// (header, payload and signature); the key that verified it must be the
// one the token's kid finds now, so a rotated JWKS verifies again. Only
// verified tokens enter: garbage and forgeries are decoded and refused
// every time. Verifier.NoSignatureCache turns it off, and so does
// PORTCULLIS_SLOWPATHS (internal/fastpath), under which the suite runs once
// more.
type sigCache struct {
	mu sync.RWMutex
	m  map[[32]byte]*decoded
}

func (c *sigCache) get(h [32]byte) *decoded {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[h]
}

func (c *sigCache) add(d *decoded) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= sigCacheMax {
		c.m = make(map[[32]byte]*decoded, 1024)
	}
	c.m[d.hash] = d
}

// decode parses tok, or finds it among the tokens verified before. The
// claims of a cached token are shared: callers only read them.
func (v *Verifier) cacheOn() bool {
	return !v.NoSignatureCache && fastpath.On(fastpath.SignatureCache)
}

func (v *Verifier) decode(tok string) (*decoded, error) {
	var h [32]byte
	if v.cacheOn() {
		h = sha256.Sum256([]byte(tok))
		if d := v.sigs.get(h); d != nil {
			return d, nil
		}
	}
	claims := jwt.MapClaims{}
	t, parts, err := parser.ParseUnverified(tok, claims)
	if err != nil {
		return nil, err
	}
	return &decoded{t: t, claims: claims, parts: parts, hash: h}, nil
}

type equaler interface{ Equal(crypto.PublicKey) bool }

// checkSignature finds the token's key in keys and verifies the signature,
// unless that same key verified these exact bytes before.
func (v *Verifier) checkSignature(ctx context.Context, d *decoded, keys KeySet) error {
	key, err := keys.Key(ctx, d.t)
	if err != nil {
		return err
	}
	if d.verifiedBy != nil {
		if eq, ok := d.verifiedBy.(equaler); ok && eq.Equal(key) {
			return nil
		}
	}
	if err := d.t.Method.Verify(d.parts[0]+"."+d.parts[1], d.t.Signature, key); err != nil {
		return err
	}
	if v.cacheOn() {
		c := *d
		c.verifiedBy = key
		v.sigs.add(&c)
	}
	return nil
}
