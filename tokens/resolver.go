package tokens

import (
	"bufio"
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
)

// Local is the mapping value that sends a pool to the built-in issuer.
const Local = "local"

// Wildcard is the mapping key for every pool not mapped by name. In its URL,
// {pool} is replaced by the pool id, so one cognito-local serves them all:
// *=http://127.0.0.1:9229/{pool}.
const Wildcard = "*"

// ResolverConfig says where each pool's tokens come from.
type ResolverConfig struct {
	// Issuers maps a pool id or ARN (or Wildcard) to the issuer URL its
	// tokens carry in iss (keys are fetched from URL/.well-known/jwks.json),
	// or to Local for the built-in issuer.
	Issuers map[string]string
	// Local is the built-in issuer; nil means it is not trusted.
	Local *Issuer
	// Remote lets unmapped pools in real AWS regions be verified against
	// real Cognito's JWKS, as API Gateway does. Off, unmapped pools trust
	// only the built-in issuer.
	Remote bool
	// CognitoURL overrides https://cognito-idp.REGION.amazonaws.com for
	// Remote fetches (tests point it at loopback). The iss that tokens must
	// carry is still the real one.
	CognitoURL func(region string) string
	HTTP       RemoteOptions
}

// Trust is what one pool's tokens are checked against.
type Trust struct {
	Issuer string // required iss
	Keys   KeySet
}

// Resolver maps pools to their Trust. It is safe for concurrent use and
// caches fetched key sets; Close stops their refresh.
type Resolver struct {
	cfg     ResolverConfig
	issuers map[string]string // keys normalized to pool ids
	// issuerURLs maps an HTTP API authorizer's issuer URL to another
	// issuer or to Local (mapping keys that are URLs).
	issuerURLs map[string]string
	ctx        context.Context
	cancel     context.CancelFunc

	mu      sync.Mutex
	remotes map[string]*remoteKeys
}

// NewResolver validates cfg and builds a resolver.
func NewResolver(cfg ResolverConfig) (*Resolver, error) {
	r := &Resolver{cfg: cfg, issuers: map[string]string{}, issuerURLs: map[string]string{}, remotes: map[string]*remoteKeys{}}
	r.cfg.HTTP = cfg.HTTP.withDefaults()
	for k, v := range cfg.Issuers {
		key := k
		if checkIssuerURL(k) == nil {
			// An issuer URL (HTTP API JWT authorizers name issuers, not pools).
			if v == Local && cfg.Local == nil {
				return nil, fmt.Errorf("issuer mapping %s=%s: the built-in issuer is not enabled", k, v)
			}
			if v != Local {
				if err := checkIssuerURL(v); err != nil {
					return nil, fmt.Errorf("issuer mapping %s=%s: %w", k, v, err)
				}
			}
			r.issuerURLs[strings.TrimRight(k, "/")] = strings.TrimRight(v, "/")
			continue
		}
		if k != Wildcard {
			p, err := ParsePool(k)
			if err != nil {
				return nil, fmt.Errorf("issuer mapping: %w", err)
			}
			key = p.ID
		}
		if v == Local {
			if cfg.Local == nil {
				return nil, fmt.Errorf("issuer mapping %s=%s: the built-in issuer is not enabled", k, v)
			}
		} else if err := checkIssuerURL(v); err != nil {
			return nil, fmt.Errorf("issuer mapping %s=%s: %w", k, v, err)
		}
		r.issuers[key] = strings.TrimRight(v, "/")
	}
	r.ctx, r.cancel = context.WithCancel(context.Background())
	return r, nil
}

func checkIssuerURL(v string) error {
	u, err := url.Parse(v)
	if err != nil {
		return err
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("want an http(s) issuer URL such as http://127.0.0.1:9229/POOL_ID or %q", Local)
	}
	return nil
}

// Close stops background JWKS refreshes.
func (r *Resolver) Close() { r.cancel() }

// Trust says which iss and keys a pool's tokens must have.
func (r *Resolver) Trust(p Pool) Trust {
	target, ok := r.issuers[p.ID]
	if !ok {
		target, ok = r.issuers[Wildcard]
	}
	if ok {
		if target == Local {
			return Trust{Issuer: p.CognitoIssuer(), Keys: r.cfg.Local.Keys()}
		}
		iss := strings.ReplaceAll(target, "{pool}", p.ID)
		return Trust{Issuer: iss, Keys: r.remote(JWKSURL(iss))}
	}
	var keys chain
	if r.cfg.Local != nil {
		keys = append(keys, r.cfg.Local.Keys())
	}
	if r.cfg.Remote && p.realRegion() {
		base := "https://cognito-idp." + p.Region + ".amazonaws.com"
		if r.cfg.CognitoURL != nil {
			base = strings.TrimRight(r.cfg.CognitoURL(p.Region), "/")
		}
		keys = append(keys, r.remote(JWKSURL(base+"/"+p.ID)))
	}
	return Trust{Issuer: p.CognitoIssuer(), Keys: keys}
}

func (r *Resolver) remote(u string) *remoteKeys {
	r.mu.Lock()
	defer r.mu.Unlock()
	if k, ok := r.remotes[u]; ok {
		return k
	}
	k := newRemoteKeys(r.ctx, u, r.cfg.HTTP)
	r.remotes[u] = k
	return k
}

// EnvIssuers is the environment variable holding comma-separated
// POOL=URL mappings.
const EnvIssuers = "PORTCULLIS_ISSUERS"

// ParseMappings reads comma-separated POOL=URL pairs (the --issuer flag and
// PORTCULLIS_ISSUERS) into m.
func ParseMappings(s string, m map[string]string) error {
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" || v == "" {
			return fmt.Errorf("issuer mapping %q: want POOL=URL (POOL is a pool id, ARN or *; URL is an issuer URL or %q)", part, Local)
		}
		m[k] = v
	}
	return nil
}

// ReadMappingFile reads POOL=URL lines (blank lines and # comments allowed)
// into m; errors name the line.
func ReadMappingFile(path string, m map[string]string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := ParseMappings(line, m); err != nil {
			return fmt.Errorf("%s:%d: %w", path, n, err)
		}
	}
	return sc.Err()
}
