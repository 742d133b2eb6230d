package emulator

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// apiError is an API Gateway error answer: the status, the error type the
// SDKs read from X-Amzn-ErrorType, and the message.
type apiError struct {
	status     int
	typ        string
	msg        string
	retryAfter time.Duration
}

func (e *apiError) Error() string { return e.typ + ": " + e.msg }

func errf(status int, typ, format string, args ...any) *apiError {
	return &apiError{status: status, typ: typ, msg: fmt.Sprintf(format, args...)}
}

func badRequest(format string, args ...any) *apiError {
	return errf(400, "BadRequestException", format, args...)
}

func notFound(format string, args ...any) *apiError {
	return errf(404, "NotFoundException", format, args...)
}

func conflict(format string, args ...any) *apiError {
	return errf(409, "ConflictException", format, args...)
}

// limitExceeded is 429, not 400, in API Gateway's model.
func limitExceeded(format string, args ...any) *apiError {
	return errf(429, "LimitExceededException", format, args...)
}

// req is one control-plane request after routing.
type req struct {
	r      *http.Request
	region string   // the region the request was signed for
	params []string // path captures, unescaped, in order
	query  url.Values
	body   []byte
}

// reply is a successful answer: JSON of body unless raw is set.
type reply struct {
	status      int
	body        any
	raw         []byte
	contentType string
	header      http.Header
}

type opFunc func(e *Emulator, q *req) (*reply, *apiError)

type route struct {
	method  string
	pattern []string // "" captures a segment
	op      string
	fn      opFunc
	// mutates: runs under the write lock and persists on success.
	mutates bool
}

// unlockedOps take e.mu themselves because they wait on something slow
// (a JWKS fetch) that must not hold up writers.
var unlockedOps = map[string]bool{"TestInvokeAuthorizer": true}

func (e *Emulator) route() http.Handler {
	routes := e.routes()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		admin, dp := strings.HasPrefix(r.URL.Path, "/_portcullis/"), isDataPlane(r)
		if !guard(w, r, admin, dp) {
			return
		}
		e.reloadIfChanged()
		if admin {
			e.serveAdmin(w, r)
			return
		}
		if dp {
			e.dataPlane.ServeHTTP(w, r)
			return
		}
		e.serveControl(w, r, routes)
	})
}

func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

func matchRoute(routes []route, method string, segs []string) (*route, []string) {
	for i := range routes {
		rt := &routes[i]
		if rt.method != method || len(rt.pattern) != len(segs) {
			continue
		}
		var caps []string
		ok := true
		for j, p := range rt.pattern {
			if p == "" {
				caps = append(caps, segs[j])
			} else if p != segs[j] {
				ok = false
				break
			}
		}
		if ok {
			return rt, caps
		}
	}
	return nil, nil
}

func (e *Emulator) serveControl(w http.ResponseWriter, r *http.Request, routes []route) {
	segs := splitPath(r.URL.EscapedPath())
	rt, caps := matchRoute(routes, r.Method, segs)
	op := "Unknown"
	if rt != nil {
		op = rt.op
		if op == "CreateRestApi" && r.URL.Query().Get("mode") == "import" {
			op = "ImportRestApi"
		}
	}
	status := e.serveOp(w, r, rt, op, caps)
	e.calls.add(Call{Operation: op, Region: e.requestRegion(r), Method: r.Method, Path: r.URL.Path, Status: status, Write: r.Method != http.MethodGet, Time: e.now()})
}

func (e *Emulator) serveOp(w http.ResponseWriter, r *http.Request, rt *route, op string, caps []string) int {
	if rt == nil {
		return writeError(w, notFound("No operation matches %s %s", r.Method, r.URL.Path))
	}
	fault, after := e.faults.check(op, e.requestRegion(r))
	if fault != nil && !after {
		return writeError(w, fault)
	}
	q := &req{r: r, region: e.requestRegion(r), query: r.URL.Query()}
	for _, c := range caps {
		u, err := url.PathUnescape(c)
		if err != nil {
			return writeError(w, badRequest("Invalid path segment %q", c))
		}
		q.params = append(q.params, u)
	}
	if r.Body != nil {
		limit := int64(1 << 20)
		if op == "ImportRestApi" || op == "PutRestApi" || op == "ImportApi" || op == "ReimportApi" {
			limit = int64(e.limits.MaxImportBytes)
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
		if err != nil {
			return writeError(w, badRequest("Could not read the request body: %v", err))
		}
		if int64(len(body)) > limit {
			return writeError(w, badRequest("Request body exceeds the %d-byte limit", limit))
		}
		q.body = body
	}
	rep, aerr := e.run(rt, op, q)
	if fault != nil {
		return writeError(w, fault)
	}
	if aerr != nil {
		return writeError(w, aerr)
	}
	return writeReply(w, rep)
}

// run calls the operation under the lock it needs. Replies point into
// live state, so they are encoded before the lock is released. A panic (a
// bug) becomes a 500 and never leaves the lock held.
func (e *Emulator) run(rt *route, op string, q *req) (rep *reply, aerr *apiError) {
	defer func() {
		if r := recover(); r != nil {
			rep, aerr = nil, errf(500, "InternalFailure", "emulator bug in %s: %v", op, r)
		}
	}()
	switch {
	case unlockedOps[op]:
	case rt.mutates:
		e.mu.Lock()
		defer e.mu.Unlock()
		// Change the newest state: another process may have written the
		// file since this request's first look.
		e.reloadLocked()
	default:
		e.mu.RLock()
		defer e.mu.RUnlock()
	}
	if rep, aerr = rt.fn(e, q); aerr != nil {
		return nil, aerr
	}
	if rt.mutates {
		if err := e.persistLocked(); errors.Is(err, errStale) {
			// Drop this change rather than undo the other process's.
			e.reloadLocked()
			return nil, conflict("The state file changed while this call ran; nothing was changed, retry the call")
		} else if err != nil {
			e.store.dirty = true
			return nil, errf(500, "InternalFailure", "Could not write the state file: %v", err)
		}
	}
	return rep, rep.encode()
}

func writeError(w http.ResponseWriter, e *apiError) int {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	// The suffix is what AWS sends; the SDKs cut at the first ':'.
	h.Set("X-Amzn-ErrorType", e.typ+":http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/")
	h.Set("X-Amzn-RequestId", requestID())
	if e.retryAfter > 0 {
		// Retry-After only carries whole seconds; scaled-down throttles in
		// tests want the exact delay too.
		h.Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(e.retryAfter.Seconds())))))
		h.Set("X-Portcullis-Retry-After-Ms", strconv.FormatInt(e.retryAfter.Round(time.Millisecond).Milliseconds(), 10))
	}
	w.WriteHeader(e.status)
	body, _ := json.Marshal(map[string]string{"message": e.msg})
	_, _ = w.Write(body)
	return e.status
}

func writeReply(w http.ResponseWriter, rep *reply) int {
	h := w.Header()
	for k, v := range rep.header {
		h[k] = v
	}
	h.Set("X-Amzn-RequestId", requestID())
	body := rep.raw
	if body != nil {
		h.Set("Content-Type", rep.contentType)
		h.Set("Content-Length", strconv.Itoa(len(body)))
	}
	w.WriteHeader(rep.status)
	_, _ = w.Write(body)
	return rep.status
}

// encode turns body into raw JSON.
func (rep *reply) encode() *apiError {
	if rep.raw != nil || rep.body == nil {
		return nil
	}
	b, err := json.Marshal(rep.body)
	if err != nil {
		return errf(500, "InternalFailure", "%v", err)
	}
	rep.raw, rep.contentType, rep.body = b, "application/json", nil
	return nil
}

func ok(v any) (*reply, *apiError)      { return &reply{status: 200, body: v}, nil }
func created(v any) (*reply, *apiError) { return &reply{status: 201, body: v}, nil }
func accepted() (*reply, *apiError)     { return &reply{status: 202}, nil }
func noContent() (*reply, *apiError)    { return &reply{status: 204}, nil }

// decode reads a JSON body into v; an empty body leaves v as is.
func (q *req) decode(v any) *apiError {
	if len(strings.TrimSpace(string(q.body))) == 0 {
		return nil
	}
	if err := json.Unmarshal(q.body, v); err != nil {
		return badRequest("Invalid request body: %v", err)
	}
	return nil
}

// collection is the wire shape of every paged list: {"item":[...],"position":"..."}.
type collection[T any] struct {
	Item     []T    `json:"item"`
	Position string `json:"position,omitempty"`
}

// page applies limit (default 25, max 500) and position to items.
// Positions are opaque offsets.
func page[T any](q *req, items []T) (collection[T], *apiError) {
	limit := 25
	if s := q.query.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 500 {
			return collection[T]{}, badRequest("1 validation error detected: Value '%s' at 'limit' failed to satisfy constraint: Member must have value between 1 and 500", s)
		}
		limit = n
	}
	start := 0
	if s := q.query.Get("position"); s != "" {
		raw, err := base64.RawURLEncoding.DecodeString(s)
		n, err2 := strconv.Atoi(strings.TrimPrefix(string(raw), "o"))
		if err != nil || err2 != nil || !strings.HasPrefix(string(raw), "o") || n < 0 {
			return collection[T]{}, badRequest("Invalid position parameter")
		}
		start = min(n, len(items))
	}
	end := min(start+limit, len(items))
	c := collection[T]{Item: items[start:end]}
	if c.Item == nil {
		c.Item = []T{}
	}
	if end < len(items) {
		c.Position = base64.RawURLEncoding.EncodeToString([]byte("o" + strconv.Itoa(end)))
	}
	return c, nil
}

const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// newID returns n random lowercase alphanumerics, the shape of AWS's ids.
func newID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = idAlphabet[int(b[i])%len(idAlphabet)]
	}
	return string(b)
}

func requestID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
