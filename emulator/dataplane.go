package emulator

import (
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/portcullis-dev/portcullis/internal/escape"
	"github.com/portcullis-dev/portcullis/tokens"
)

// DataPlaneOptions configures the invoke side.
type DataPlaneOptions struct {
	// Verifier checks Cognito tokens. Nil trusts no pool: every Cognito
	// method answers 401. tokens.Setup builds the usual one (the built-in
	// issuer, issuer mappings, real Cognito for real pools).
	Verifier *tokens.Verifier
	// HTTPClient forwards HTTP and HTTP_PROXY integrations, which may only
	// reach loopback; nil = a client without redirects (the integration's
	// timeoutInMillis bounds each call).
	HTTPClient *http.Client
	// Logf, when set, gets one line for each request the gateway refuses
	// or fails, saying why (never the token), so `local serve` can explain
	// a 401.
	Logf func(format string, args ...any)
}

// maxPayload is API Gateway's request payload quota (10 MB).
const maxPayload = 10 << 20

// maxRequestHead is API Gateway's quota on the request line and header
// values together (10,240 bytes, "Total combined size of request line and
// header values", https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html).
// Over it the request gets the REQUEST_TOO_LARGE gateway response (413,
// JSON like every gateway response), not Go's plain-text 431; Go's own
// 431 remains only above http.Server's MaxHeaderBytes (1 MB).
const maxRequestHead = 10240

// requestHeadSize is the size of the request line and the header lines as
// sent on HTTP/1.1.
func requestHeadSize(r *http.Request) int {
	n := len(r.Method) + 1 + len(r.RequestURI) + 1 + len(r.Proto) + 2
	n += len("Host: ") + len(r.Host) + 2
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + 2 + len(v) + 2
		}
	}
	return n
}

// dataPlane serves invoke requests from deployment snapshots.
type dataPlane struct {
	e      *Emulator
	opts   DataPlaneOptions
	client *http.Client
	cache  *authCache

	routersMu sync.Mutex
	routers   map[*Snapshot]*routeNode
	v2routers map[*HTTPSnapshot]*v2RouterT
}

func newDataPlane(e *Emulator) http.Handler {
	o := e.Options().DataPlane
	client := o.HTTPClient
	if client == nil {
		client = &http.Client{
			// A redirect could lead off loopback; hand it to the caller.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			Transport: &http.Transport{
				Proxy:               nil, // loopback backends, never through a proxy
				DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
				MaxIdleConnsPerHost: 64,
			},
		}
	}
	return &dataPlane{e: e, opts: o, client: client, cache: newAuthCache(), routers: map[*Snapshot]*routeNode{}}
}

// invocation is one request on its way through the gateway.
type invocation struct {
	w         http.ResponseWriter
	r         *http.Request
	requestID string
	apigwID   string
	apiID     string
	stageName string
	stage     *Stage
	snap      *Snapshot
	// path is the resource path the client asked for ("/items/42"); segs
	// are its decoded segments and rawSegs the escaped ones.
	path     string
	segs     []string
	rawSegs  []string
	resource *Resource
	method   *Method
	params   map[string]string // path parameters, decoded
	rawParam map[string]string // path parameters, as sent
	body     []byte
	claims   tokens.Claims
	tctx     map[string]string // templateContext, built on first use
}

func (d *dataPlane) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if d.serveHTTPAPI(w, r) {
		return
	}
	inv := &invocation{w: w, r: r, requestID: requestID(), apigwID: apigwID()}
	h := w.Header()
	setExact(h, "x-amzn-RequestId", inv.requestID)
	setExact(h, "x-amz-apigw-id", inv.apigwID)

	apiID, stage, rest, ok := splitInvokePath(r)
	inv.apiID, inv.stageName = apiID, stage
	if ok {
		inv.snap, inv.stage, ok = d.e.StageSnapshot(apiID, stage)
	}
	if !ok {
		inv.snap = &Snapshot{}
	}
	if n := requestHeadSize(r); n > maxRequestHead {
		d.gatewayError(inv, "REQUEST_TOO_LARGE", "Request Too Long",
			"request line and headers are %d bytes, over API Gateway's %d", n, maxRequestHead)
		return
	}
	if !ok {
		// An unknown stage is just another undeployed path (inf.).
		d.gatewayError(inv, "MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token",
			"no deployed stage %q on API %q", stage, apiID)
		return
	}
	inv.rawSegs = splitSegments(rest)
	inv.segs = make([]string, len(inv.rawSegs))
	for i, s := range inv.rawSegs {
		if u, err := url.PathUnescape(s); err == nil {
			inv.segs[i] = u
		} else {
			inv.segs[i] = s
		}
	}
	inv.path = "/" + strings.Join(inv.segs, "/")

	node, params := d.router(inv.snap).match(inv.segs, inv.rawSegs)
	if node == nil {
		d.gatewayError(inv, "MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token",
			"no resource matches %s in the deployment", inv.path)
		return
	}
	inv.resource = node.res
	inv.params, inv.rawParam = params.decoded, params.raw
	inv.method = node.res.Methods[r.Method]
	if inv.method == nil && r.Method == strings.ToUpper(r.Method) {
		// A verb that is not upper case ("get") never falls through to
		// ANY: method names are case-sensitive (RFC 9110 9.1) and API
		// Gateway names only upper-case verbs, so the safe reading is
		// that "get" matches no method; ANY taking it would let a public
		// ANY serve what a protected GET guards (docs/security.md).
		inv.method = node.res.Methods["ANY"]
	}
	if inv.method == nil {
		d.gatewayError(inv, "MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token",
			"resource %s has no %s method in the deployment", node.res.Path, r.Method)
		return
	}

	body, err := io.ReadAll(io.LimitReader(r.Body, maxPayload+1))
	if err != nil {
		d.gatewayError(inv, "BAD_REQUEST_BODY", "Invalid request body", "reading the body: %v", err)
		return
	}
	if len(body) > maxPayload {
		d.gatewayError(inv, "REQUEST_TOO_LARGE", "Request Too Long", "body over 10 MB")
		return
	}
	inv.body = body

	if !d.authorize(inv) {
		return
	}
	if inv.method.APIKeyRequired && strings.TrimSpace(r.Header.Get("X-API-Key")) == "" {
		// Usage plans are not emulated: any key passes, a missing one
		// gets AWS's answer.
		d.gatewayError(inv, "INVALID_API_KEY", "Forbidden", "the method requires an API key (X-API-Key header)")
		return
	}
	d.integrate(inv)
}

// splitInvokePath finds the API, the stage and the escaped resource path in
// either invoke form.
func splitInvokePath(r *http.Request) (apiID, stage, rest string, ok bool) {
	p := r.URL.EscapedPath()
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if id, found := strings.CutSuffix(host, ".execute-api.localhost"); found {
		stage, rest, _ = strings.Cut(strings.TrimPrefix(p, "/"), "/")
		return id, stage, rest, id != "" && stage != ""
	}
	segs := strings.SplitN(strings.TrimPrefix(p, "/restapis/"), "/", 4)
	if len(segs) < 3 || segs[2] != "_user_request_" {
		return "", "", "", false
	}
	if len(segs) == 4 {
		rest = segs[3]
	}
	return segs[0], segs[1], rest, true
}

// splitSegments splits an escaped path; empty segments (a trailing slash,
// doubled slashes) are dropped.
func splitSegments(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// setExact sets a header with API Gateway's spelling (x-amzn-RequestId)
// rather than Go's canonical one, for clients that compare case-sensitively.
func setExact(h http.Header, name, value string) {
	h.Del(name)
	h[name] = []string{value}
}

// apigwID is shaped like API Gateway's x-amz-apigw-id (16 characters
// ending in '=').
func apigwID() string {
	const alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 15)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alpha[int(b[i])%len(alpha)]
	}
	return string(b) + "="
}

func (d *dataPlane) logf(inv *invocation, format string, args ...any) {
	if d.opts.Logf == nil {
		return
	}
	// The line goes in as an argument: the path may hold '%'. It is
	// escaped whole: a decoded %0A or an ANSI escape in the path, a
	// header or a claim must not forge a line or drive the terminal.
	d.opts.Logf("%s", escape.Control(fmt.Sprintf("%s %s/%s%s: %s", inv.r.Method, inv.apiID, inv.stageName, inv.path, fmt.Sprintf(format, args...))))
}
