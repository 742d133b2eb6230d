package tokens

import (
	"context"
	"crypto"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
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
	// kid (default one per 10s), so garbage tokens cannot make the gateway
	// hammer the issuer, while an issuer started after the gateway (or
	// one that rotated its key) is picked up within seconds.
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
		o.UnknownKIDEvery = 10 * time.Second
	}
	if o.Client == nil {
		o.Client = &http.Client{Timeout: o.Timeout}
	}
	return o
}

// remoteKeys is a JWKS URL fetched on first use (not at startup: a served
// API may name pools nobody ever sends a token for) and cached, refreshed
// by keyfunc every Refresh. A token whose kid is unknown re-fetches the set,
// at most once per UnknownKIDEvery; requests refused by that limit do not
// wait for it.
type remoteKeys struct {
	url    string
	opts   RemoteOptions
	parent context.Context

	mu      sync.Mutex // guards kf, gen, cancel; held while fetching
	kf      keyfunc.Keyfunc
	gen     int // counts fetches, so a stale caller can tell
	cancel  context.CancelFunc
	limiter *rate.Limiter
	// lastErr is not under mu: keyfunc reports a failed first fetch while
	// kf is being built.
	lastErr atomic.Pointer[error]
}

func newRemoteKeys(ctx context.Context, url string, opts RemoteOptions) *remoteKeys {
	return &remoteKeys{url: url, opts: opts, parent: ctx, limiter: rate.NewLimiter(rate.Every(opts.UnknownKIDEvery), 1)}
}

func (r *remoteKeys) String() string { return r.url }

// current returns the key set, fetching it the first time.
func (r *remoteKeys) current() (keyfunc.Keyfunc, int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.kf != nil {
		return r.kf, r.gen, nil
	}
	r.limiter.Allow() // the first fetch counts against the limit
	kf, err := r.fetchLocked()
	return kf, r.gen, err
}

// refetch fetches the set again if the limiter allows; nil means it did not.
func (r *remoteKeys) refetch(staleGen int) keyfunc.Keyfunc {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.gen != staleGen {
		return r.kf // another request just re-fetched
	}
	if !r.limiter.Allow() {
		return nil
	}
	kf, err := r.fetchLocked()
	if err != nil {
		return nil
	}
	return kf
}

// fetchLocked builds a fresh keyfunc (one synchronous fetch plus its
// refresh goroutine) and stops the previous one's.
func (r *remoteKeys) fetchLocked() (keyfunc.Keyfunc, error) {
	ctx, cancel := context.WithCancel(r.parent)
	noErr := true
	r.lastErr.Store(nil)
	kf, err := keyfunc.NewDefaultOverrideCtx(ctx, []string{r.url}, keyfunc.Override{
		Client:                    r.opts.Client,
		HTTPTimeout:               r.opts.Timeout,
		RefreshInterval:           r.opts.Refresh,
		RefreshUnknownKID:         rate.NewLimiter(0, 0), // refetch does this, without blocking
		NoErrorReturnFirstHTTPReq: &noErr,
		RefreshErrorHandlerFunc: func(string) func(context.Context, error) {
			return func(_ context.Context, err error) { r.lastErr.Store(&err) }
		},
	})
	if err != nil {
		cancel()
		return nil, err
	}
	if r.cancel != nil {
		r.cancel()
	}
	r.kf, r.cancel = kf, cancel
	r.gen++
	return kf, nil
}

func (r *remoteKeys) Key(ctx context.Context, t *jwt.Token) (crypto.PublicKey, error) {
	if _, ok := t.Header["kid"].(string); !ok {
		// keyfunc would then try every key; Cognito always names its key.
		return nil, fmt.Errorf("token has no kid")
	}
	kf, gen, err := r.current()
	if err != nil {
		return nil, fmt.Errorf("JWKS %s: %w", r.url, err)
	}
	k, err := kf.KeyfuncCtx(ctx)(t)
	if err != nil {
		if fresh := r.refetch(gen); fresh != nil {
			k, err = fresh.KeyfuncCtx(ctx)(t)
		}
	}
	if err != nil {
		if last := r.lastErr.Load(); last != nil && *last != nil {
			return nil, fmt.Errorf("%w %q at %s (fetching it failed: %v)", errUnknownKey, t.Header["kid"], r.url, *last)
		}
		return nil, fmt.Errorf("%w %q at %s", errUnknownKey, t.Header["kid"], r.url)
	}
	return k, nil
}
