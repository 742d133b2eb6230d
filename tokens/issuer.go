package tokens

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"sync"
)

// DefaultKeyFile is where the built-in issuer keeps its key, relative to the
// working directory, beside the emulator's other state in .portcullis/.
const DefaultKeyFile = ".portcullis/issuer-key.pem"

// keyBits matches Cognito's signing keys.
const keyBits = 2048

// Issuer is the built-in local token issuer: one RSA key, published as a
// JWKS, that signs Cognito-shaped ID and access tokens for any pool.
type Issuer struct {
	key *rsa.PrivateKey
	kid string

	forgerOnce sync.Once
	forger     *rsa.PrivateKey
	forgerErr  error
}

// NewIssuer wraps an existing key.
func NewIssuer(key *rsa.PrivateKey) *Issuer {
	return &Issuer{key: key, kid: thumbprint(&key.PublicKey)}
}

// GenerateIssuer makes an issuer with a fresh in-memory key (tests).
func GenerateIssuer() (*Issuer, error) {
	k, err := rsa.GenerateKey(rand.Reader, keyBits)
	if err != nil {
		return nil, err
	}
	return NewIssuer(k), nil
}

// LoadOrCreateIssuer reads the PEM key at path, creating it (mode 0600, its
// folder 0700) when absent. Separate processes (`local serve` and
// `local token`) must agree on the key, so creation is atomic: the key is
// written to a temporary file and hard-linked into place, and a process that
// loses the race reads the winner's key.
func LoadOrCreateIssuer(path string) (*Issuer, error) {
	if iss, err := readIssuer(path); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return iss, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("issuer key: %w", err)
	}
	key, err := rsa.GenerateKey(rand.Reader, keyBits)
	if err != nil {
		return nil, fmt.Errorf("issuer key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("issuer key: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".issuer-key-*.tmp")
	if err != nil {
		return nil, fmt.Errorf("issuer key: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("issuer key: %w", err)
	}
	if err := pem.Encode(tmp, &pem.Block{Type: "PRIVATE KEY", Bytes: der}); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("issuer key: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("issuer key: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("issuer key: %w", err)
	}
	return readIssuer(path)
}

func readIssuer(path string) (*Issuer, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(b)
	if block == nil {
		return nil, fmt.Errorf("issuer key %s: no PEM block", path)
	}
	var key any
	switch block.Type {
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	default:
		return nil, fmt.Errorf("issuer key %s: unexpected PEM block %q", path, block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("issuer key %s: %w", path, err)
	}
	rk, ok := key.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("issuer key %s: not an RSA key", path)
	}
	return NewIssuer(rk), nil
}

// KeyID is the kid of the issuer's key: its RFC 7638 thumbprint.
func (i *Issuer) KeyID() string { return i.kid }

// Keys is the issuer's public key as a KeySet.
func (i *Issuer) Keys() KeySet {
	return staticKeys{keys: map[string]*rsa.PublicKey{i.kid: &i.key.PublicKey}, name: "the built-in issuer"}
}

// JWKS is the issuer's public key set in the JSON shape Cognito serves.
func (i *Issuer) JWKS() []byte {
	b, _ := json.Marshal(map[string]any{"keys": []any{jwk(&i.key.PublicKey, i.kid)}})
	return b
}

func jwk(pub *rsa.PublicKey, kid string) map[string]string {
	return map[string]string{
		"alg": "RS256",
		"e":   b64(big.NewInt(int64(pub.E)).Bytes()),
		"kid": kid,
		"kty": "RSA",
		"n":   b64(pub.N.Bytes()),
		"use": "sig",
	}
}

func thumbprint(pub *rsa.PublicKey) string {
	// RFC 7638: the required members in lexicographic order, no spaces.
	s := `{"e":"` + b64(big.NewInt(int64(pub.E)).Bytes()) + `","kty":"RSA","n":"` + b64(pub.N.Bytes()) + `"}`
	sum := sha256.Sum256([]byte(s))
	return b64(sum[:])
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// forgeKey is a second key, made once per issuer, that signs forged tokens.
func (i *Issuer) forgeKey() (*rsa.PrivateKey, error) {
	i.forgerOnce.Do(func() {
		i.forger, i.forgerErr = rsa.GenerateKey(rand.Reader, keyBits)
	})
	return i.forger, i.forgerErr
}

// uuidFrom derives a stable, UUID-shaped value, so the same user of the same
// pool gets the same sub in every token, as with a real pool.
func uuidFrom(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(p)))
		h.Write(n[:])
		h.Write([]byte(p))
	}
	b := h.Sum(nil)[:16]
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func randomUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
