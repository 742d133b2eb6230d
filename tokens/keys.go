package tokens

import (
	"context"
	"crypto"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/time/rate"
)

// KeySet finds the public key that should have signed a token, by its kid.
type KeySet interface {
	Key(ctx context.Context, t *jwt.Token) (crypto.PublicKey, error)
	// String says where the keys come from, for explanations.
	String() string
}

// errUnknownKey is returned when no key in a set carries the token's kid.
var errUnknownKey = errors.New("no key with the token's kid")

// staticKeys is a fixed set of keys by kid (the built-in issuer's).
type staticKeys struct {
	keys map[string]*rsa.PublicKey
	name string
}

func (s staticKeys) Key(_ context.Context, t *jwt.Token) (crypto.PublicKey, error) {
	kid, _ := t.Header["kid"].(string)
	if k, ok := s.keys[kid]; ok {
		return k, nil
	}
	return nil, fmt.Errorf("%w %q in %s", errUnknownKey, kid, s.name)
}

func (s staticKeys) String() string { return s.name }

// chain asks each set in turn; the first that knows the kid answers. It lets
// an unmapped real pool trust both the built-in issuer and real Cognito
// without a network call for locally minted tokens.
type chain []KeySet

func (c chain) Key(ctx context.Context, t *jwt.Token) (crypto.PublicKey, error) {
	var errs []error
	for _, s := range c {
		k, err := s.Key(ctx, t)
		if err == nil {
			return k, nil
		}
		errs = append(errs, err)
	}
	if len(errs) == 0 {
		return nil, errors.New("no keys are trusted for this pool")
	}
	return nil, errors.Join(errs...)
}

func (c chain) String() string {
	s := ""
	for i, k := range c {
		if i > 0 {
			s += " + "
		}
		s += k.String()
	}
	return s
}

// RemoteOptions tune JWKS fetching.
type RemoteOptions struct {
	Client *http.Client // nil = a client with Timeout
	// Timeout bounds one fetch (default 5s).
	Timeout time.Duration
	// Refresh is how often a fetched set is re-read (default 1h), as
	// Cognito rotates keys rarely.
	Refresh time.Duration
	// UnknownKIDEvery limits re-fetches caused by tokens with an unknown
	// kid (default one per 30s), so garbage tokens cannot make the gateway
	// hammer the issuer.
	UnknownKIDEvery time.Duration
}

func (o RemoteOptions) withDefaults() RemoteOptions {
	if o.Timeout <= 0 {
		o.Timeout = 5 * time.Second
	}
	if o.Refresh <= 0 {
		o.Refresh = time.Hour
	}
	if o.UnknownKIDEvery <= 0 {
		o.UnknownKIDEvery = 30 * time.Second
	}
	if o.Client == nil {
		o.Client = &http.Client{Timeout: o.Timeout}
	}
	return o
}

// remoteKeys is a JWKS URL fetched on first use (not at startup: a served
// API may name pools nobody ever sends a token for) and cached with refresh.
type remoteKeys struct {
	url  string
	opts RemoteOptions
	ctx  context.Context

	mu      sync.Mutex
	kf      keyfunc.Keyfunc
	lastErr error
}

func newRemoteKeys(ctx context.Context, url string, opts RemoteOptions) *remoteKeys {
	return &remoteKeys{url: url, opts: opts, ctx: ctx}
}

func (r *remoteKeys) String() string { return r.url }

func (r *remoteKeys) keyfunc() (keyfunc.Keyfunc, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.kf != nil {
		return r.kf, nil
	}
	noErr := true
	kf, err := keyfunc.NewDefaultOverrideCtx(r.ctx, []string{r.url}, keyfunc.Override{
		Client:                    r.opts.Client,
		HTTPTimeout:               r.opts.Timeout,
		RefreshInterval:           r.opts.Refresh,
		RefreshUnknownKID:         rate.NewLimiter(rate.Every(r.opts.UnknownKIDEvery), 1),
		RateLimitWaitMax:          time.Millisecond, // never park a request behind the limiter
		NoErrorReturnFirstHTTPReq: &noErr,
		RefreshErrorHandlerFunc: func(string) func(context.Context, error) {
			return func(_ context.Context, err error) { r.setErr(err) }
		},
	})
	if err != nil {
		return nil, err
	}
	r.kf = kf
	return kf, nil
}

func (r *remoteKeys) setErr(err error) {
	r.mu.Lock()
	r.lastErr = err
	r.mu.Unlock()
}

func (r *remoteKeys) Key(ctx context.Context, t *jwt.Token) (crypto.PublicKey, error) {
	if _, ok := t.Header["kid"].(string); !ok {
		// keyfunc would then try every key; Cognito always names its key.
		return nil, fmt.Errorf("token has no kid")
	}
	kf, err := r.keyfunc()
	if err != nil {
		return nil, fmt.Errorf("JWKS %s: %w", r.url, err)
	}
	k, err := kf.KeyfuncCtx(ctx)(t)
	if err != nil {
		r.mu.Lock()
		last := r.lastErr
		r.mu.Unlock()
		if last != nil {
			return nil, fmt.Errorf("%w %q at %s (last fetch: %v)", errUnknownKey, t.Header["kid"], r.url, last)
		}
		return nil, fmt.Errorf("%w %q at %s", errUnknownKey, t.Header["kid"], r.url)
	}
	return k, nil
}
