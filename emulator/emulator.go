package emulator

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Options configures an Emulator. The zero value is a usable in-memory
// emulator with AWS's default quotas and no faults.
type Options struct {
	// Region is where an unsigned request, and an API in a state file
	// written before regions were kept apart, belong ("us-east-1" when
	// empty). A signed request belongs to the region of its SigV4
	// credential scope, as on AWS: one server keeps each region's APIs
	// apart.
	Region string
	// Limits overrides AWS's default quotas (zero fields keep the default).
	Limits Limits
	// Faults are active from the start; change them later with SetFaults or
	// over the admin endpoint.
	Faults Faults
	// DataPlane configures the invoke side (see dataplane*.go).
	DataPlane DataPlaneOptions
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Limits are API Gateway's quotas. The defaults are AWS's; the ones AWS
// Support can raise can be raised here too (a test pages past 500
// resources, for example).
type Limits struct {
	APIs              int // REST APIs per account and region (600, regional)
	ResourcesPerAPI   int // 300
	AuthorizersPerAPI int // 10
	StagesPerAPI      int // 10
	// MaxImportBytes bounds an OpenAPI body for Import/PutRestApi (6 MB).
	MaxImportBytes int
}

func (l Limits) withDefaults() Limits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.APIs, 600)
	def(&l.ResourcesPerAPI, 300)
	def(&l.AuthorizersPerAPI, 10)
	def(&l.StagesPerAPI, 10)
	def(&l.MaxImportBytes, 6<<20)
	return l
}

// Emulator is an in-process API Gateway (REST v1): control plane, admin
// endpoint and, through newDataPlane, the invoke side. All methods are safe
// for concurrent use.
type Emulator struct {
	opts   Options
	limits Limits
	now    func() time.Time

	mu   sync.RWMutex
	apis map[string]*apiState
	// httpAPIs are the HTTP APIs (v2), in the same id space as apis.
	httpAPIs map[string]*httpAPIState
	// flushGen counts FlushStageAuthorizersCache calls per "api/stage".
	flushGen map[string]uint64

	store *store // nil = in memory only

	faults *faultState
	calls  *callLog

	handler   http.Handler
	dataPlane http.Handler

	srvMu sync.Mutex
	srv   *http.Server
	ln    net.Listener
	// unused are the connections accepted that have not started a
	// request: a client's transport dials spares it may never use, and
	// http.Server.Shutdown waits five seconds before it counts those as
	// idle. Shutdown closes them at once instead.
	unused map[net.Conn]bool
}

// apiState is one REST API with everything under it. Resources and
// Authorizers keep creation order (paging and exports are stable).
type apiState struct {
	// Region is the region the API was created in (see requestRegion).
	Region           string                      `json:"region,omitempty"`
	RestApi          RestApi                     `json:"restApi"`
	Resources        []*Resource                 `json:"resources"`
	Authorizers      []*Authorizer               `json:"authorizers"`
	GatewayResponses map[string]*GatewayResponse `json:"gatewayResponses"`
	Deployments      map[string]*Deployment      `json:"deployments"`
	Stages           map[string]*Stage           `json:"stages"`
}

// New returns an in-memory emulator. Use Open for one whose state survives
// restarts.
func New(opts Options) *Emulator {
	if opts.Region == "" {
		opts.Region = "us-east-1"
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	e := &Emulator{
		opts:     opts,
		limits:   opts.Limits.withDefaults(),
		now:      now,
		apis:     map[string]*apiState{},
		httpAPIs: map[string]*httpAPIState{},
		flushGen: map[string]uint64{},
		calls:    newCallLog(),
	}
	e.faults = newFaultState(opts.Faults, now)
	e.dataPlane = newDataPlane(e)
	e.handler = e.route()
	return e
}

// Options returns the options the emulator was created with.
func (e *Emulator) Options() Options { return e.opts }

// Handler serves the control plane, the admin endpoint (/_portcullis/) and
// the data plane.
func (e *Emulator) Handler() http.Handler { return e.handler }

// AuthorizerCacheGeneration changes each time FlushStageAuthorizersCache is
// called for the stage; the data plane keys its authorizer cache with it.
func (e *Emulator) AuthorizerCacheGeneration(apiID, stage string) uint64 {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.flushGen[apiID+"/"+stage]
}

// Start serves on addr ("127.0.0.1:0" picks a port) in the background and
// returns the base URL, e.g. http://127.0.0.1:4567.
func (e *Emulator) Start(addr string) (string, error) {
	e.srvMu.Lock()
	defer e.srvMu.Unlock()
	if e.srv != nil {
		return "", errors.New("emulator: already started")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	e.ln = ln
	e.unused = map[net.Conn]bool{}
	e.srv = &http.Server{Handler: e.handler, ReadHeaderTimeout: 10 * time.Second, ConnState: e.connState}
	srv := e.srv
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), nil
}

// URL is the base URL Start serves on ("" before Start).
func (e *Emulator) URL() string {
	e.srvMu.Lock()
	defer e.srvMu.Unlock()
	if e.ln == nil {
		return ""
	}
	return "http://" + e.ln.Addr().String()
}

// connState keeps the set of connections that have not started a request.
func (e *Emulator) connState(c net.Conn, st http.ConnState) {
	e.srvMu.Lock()
	defer e.srvMu.Unlock()
	if st == http.StateNew {
		e.unused[c] = true
	} else {
		delete(e.unused, c)
	}
}

// Shutdown stops the server started by Start, waiting for requests in
// flight. It writes nothing it did not change.
func (e *Emulator) Shutdown(ctx context.Context) error {
	e.srvMu.Lock()
	srv := e.srv
	e.srv = nil
	unused := e.unused
	e.unused = map[net.Conn]bool{}
	e.srvMu.Unlock()
	var err error
	if srv != nil {
		// A connection that never started a request carries nothing to
		// finish; the listener is closed first, so none is added after.
		done := make(chan error, 1)
		go func() { done <- srv.Shutdown(ctx) }()
		for c := range unused {
			_ = c.Close()
		}
		err = <-done
	}
	// Every change was written when it was made; only one whose write
	// failed is tried again, and never over a file another process wrote
	// since (an apply --local while this gateway ran).
	if e.store != nil {
		e.mu.Lock()
		if e.store.dirty {
			if perr := e.persistLocked(); perr != nil && err == nil {
				err = perr
			}
		}
		e.mu.Unlock()
	}
	return err
}

// Close is Shutdown with a five-second grace period.
func (e *Emulator) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return e.Shutdown(ctx)
}

// isDataPlane reports whether r is an invoke request rather than a control
// plane call.
func isDataPlane(r *http.Request) bool {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if strings.HasSuffix(host, ".execute-api.localhost") {
		return true
	}
	// /restapis/{id}/{stage}/_user_request_/...
	p := r.URL.EscapedPath()
	if !strings.HasPrefix(p, "/restapis/") {
		return false
	}
	segs := strings.SplitN(p[len("/restapis/"):], "/", 4)
	return len(segs) >= 3 && segs[2] == "_user_request_"
}

// requestRegion is the region a control-plane request is for: the region
// of the SigV4 credential scope in its Authorization header
// ("AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-1/apigateway/aws4_request, ...",
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html),
// or the emulator's default region for an unsigned request.
func (e *Emulator) requestRegion(r *http.Request) string {
	auth := r.Header.Get("Authorization")
	_, cred, found := strings.Cut(auth, "Credential=")
	if !found {
		return e.opts.Region
	}
	cred, _, _ = strings.Cut(cred, ",")
	parts := strings.Split(strings.TrimSpace(cred), "/")
	// AKID/date/region/service/aws4_request
	if len(parts) != 5 || parts[2] == "" {
		return e.opts.Region
	}
	return parts[2]
}

func cloneMap[K comparable, V any](m map[K]V) map[K]V {
	if m == nil {
		return nil
	}
	out := make(map[K]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func cloneSlice[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append([]T(nil), s...)
}
