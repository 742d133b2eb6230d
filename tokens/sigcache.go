package tokens

import (
	"context"
	"crypto"
	"crypto/sha256"
	"sync"

	"github.com/golang-jwt/jwt/v5"
)

// sigCacheMax bounds the verified-signature cache; when full it starts
// over (a flood of distinct tokens costs RSA again, never memory).
const sigCacheMax = 1 << 16

// sigCache remembers which token bytes a key has already verified. It
// holds no claims and makes no decision: exp, iss, aud, scopes and every
// other check still run on each request, so a cached token that has since
// expired is refused. The key is the SHA-256 of the whole token (header,
// payload and signature); the public key that verified it is kept and must
// be the one the token's kid finds now, so a rotated JWKS verifies again.
type sigCache struct {
	mu sync.RWMutex
	m  map[[32]byte]crypto.PublicKey
}

type equaler interface{ Equal(crypto.PublicKey) bool }

func (c *sigCache) has(h [32]byte, key crypto.PublicKey) bool {
	c.mu.RLock()
	k, ok := c.m[h]
	c.mu.RUnlock()
	if !ok {
		return false
	}
	eq, ok := k.(equaler)
	return ok && eq.Equal(key)
}

func (c *sigCache) add(h [32]byte, key crypto.PublicKey) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= sigCacheMax {
		c.m = make(map[[32]byte]crypto.PublicKey, 1024)
	}
	c.m[h] = key
}

// checkSignature finds the token's key in keys and verifies the signature,
// unless that key has verified these exact bytes before.
func (v *Verifier) checkSignature(ctx context.Context, t *jwt.Token, parts []string, keys KeySet) error {
	key, err := keys.Key(ctx, t)
	if err != nil {
		return err
	}
	if v.NoSignatureCache {
		return t.Method.Verify(parts[0]+"."+parts[1], t.Signature, key)
	}
	hs := sha256.New()
	for i, p := range parts {
		if i > 0 {
			hs.Write([]byte{'.'})
		}
		hs.Write([]byte(p))
	}
	var h [32]byte
	hs.Sum(h[:0])
	if v.sigs.has(h, key) {
		return nil
	}
	if err := t.Method.Verify(parts[0]+"."+parts[1], t.Signature, key); err != nil {
		return err
	}
	v.sigs.add(h, key)
	return nil
}
