package probe

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/portcullis-dev/portcullis/spec"
)

// Defaults for Options.
const (
	DefaultConcurrency = 8
	DefaultTimeout     = 10 * time.Second
	DefaultRetries     = 2
	// maxBody is how much of an answer is read: enough for any gateway
	// message, bounded so a large backend answer costs nothing.
	maxBody = 16 << 10
)

func run(ctx context.Context, opts Options) (spec.Diagnostics, *Result, error) {
	if opts.API == nil {
		return nil, nil, errors.New("probe: no API to probe")
	}
	u, err := url.Parse(opts.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, nil, fmt.Errorf("probe: base URL %q is not an http(s) URL", opts.BaseURL)
	}
	defaultLimits(&opts.Concurrency, &opts.Timeout, &opts.Retries)
	if opts.Client == nil {
		opts.Client = defaultClient(opts.Concurrency)
	}
	if opts.Origin == "" && opts.API.CORS != nil {
		opts.Origin = DefaultOrigin(opts.API.CORS)
	}
	start := time.Now()
	rows, err := plan(ctx, &opts, start)
	if err != nil {
		return nil, nil, err
	}
	res := &Result{BaseURL: strings.TrimRight(opts.BaseURL, "/"), Routes: rows}

	var jobs []*job
	for i := range res.Routes {
		row := &res.Routes[i]
		header := "Authorization"
		if row.az != nil && row.az.IdentityHeader() != "" {
			header = row.az.IdentityHeader()
		}
		for j := range row.Checks {
			if row.Checks[j].Sent() {
				jobs = append(jobs, &job{row: row, check: &row.Checks[j], header: header})
			}
		}
	}
	ex := &executor{opts: &opts, trace: &tracer{w: opts.Debug}}
	if opts.RPS > 0 {
		ex.limiter = rate.NewLimiter(rate.Limit(opts.RPS), 1)
	}
	if err := ex.runAll(ctx, jobs); err != nil {
		return nil, nil, err
	}
	res.Requests = int(ex.sent.Load())
	res.Elapsed = time.Since(start)
	if err := unreachable(jobs); err != nil {
		return nil, res, fmt.Errorf("probe: could not reach the stage at %s: %w", res.BaseURL, err)
	}
	ds := evaluate(&opts, res)
	if opts.Browser != nil {
		bds, err := browserChecks(ctx, &opts, res)
		if err != nil {
			return nil, res, fmt.Errorf("probe --browser: %w", err)
		}
		ds = append(ds, bds...)
		res.Elapsed = time.Since(start)
	}
	return ds, res, nil
}

// ErrNotGateway is what Run returns (wrapped) when answers came, but none
// from API Gateway.
var ErrNotGateway = errors.New("nothing there answers as API Gateway")

// unreachable returns why, when no request got an answer from API Gateway:
// the probe could not run, which is not a finding about any route (and
// never "open": a server that is not the stage answers anything).
func unreachable(jobs []*job) error {
	var first error
	for _, j := range jobs {
		a := j.check.answer
		switch {
		case a.Err != nil:
			if first == nil {
				first = a.Err
			}
		case !FromGateway(a):
			if first == nil {
				first = fmt.Errorf("%w: %s %s answered %d (%s) %q", ErrNotGateway, j.check.Method, j.row.URL, a.Status,
					cmp.Or(a.Header.Get("Content-Type"), "no content type"), Message(a.Body))
			}
		default:
			return nil
		}
	}
	return first
}

func defaultClient(conc int) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = conc
	return &http.Client{
		Transport: tr,
		// A 3xx is an answer about the route: an open route that redirects
		// to a login page is still open.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

type job struct {
	row    *RouteResult
	check  *CheckResult
	header string
}

type executor struct {
	opts    *Options
	limiter *rate.Limiter
	sent    atomic.Int64
	done    atomic.Int64
	trace   *tracer
}

// runAll sends every job with at most Concurrency in flight. It fails only
// when ctx ends; each job's own failure is its answer.
func (ex *executor) runAll(ctx context.Context, jobs []*job) error {
	ch := make(chan *job)
	var wg sync.WaitGroup
	for w := 0; w < ex.opts.Concurrency && w < len(jobs); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range ch {
				ex.do(ctx, j)
				n := ex.done.Add(1)
				if ex.opts.Progress != nil {
					ex.opts.Progress(int(n), len(jobs))
				}
			}
		}()
	}
feed:
	for _, j := range jobs {
		select {
		case ch <- j:
		case <-ctx.Done():
			break feed
		}
	}
	close(ch)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("probe interrupted: %w", err)
	}
	return nil
}

// do sends one check, retrying only failures that produced no answer.
func (ex *executor) do(ctx context.Context, j *job) {
	c := j.check
	var a Answer
	for attempt := 0; attempt <= ex.opts.Retries; attempt++ {
		if attempt > 0 {
			backoff := time.Duration(100<<(attempt-1)) * time.Millisecond
			select {
			case <-time.After(backoff):
			case <-ctx.Done():
				return
			}
		}
		if ex.limiter != nil {
			if err := ex.limiter.Wait(ctx); err != nil {
				return
			}
		}
		c.Attempts++
		ex.sent.Add(1)
		t0 := time.Now()
		a = ex.send(ctx, j)
		ex.debug(j, a, time.Since(t0))
		if a.Err == nil || !transient(ctx, a.Err) {
			break
		}
	}
	c.answer = a
	c.Class = Classify(a)
	c.Status = a.Status
	if a.Err != nil {
		c.Error = redact(a.Err.Error())
	} else {
		c.Message = redact(Message(a.Body))
		c.CORS = HasCORS(a.Header, ex.opts.Origin)
	}
}

func (ex *executor) send(ctx context.Context, j *job) Answer {
	c := j.check
	ctx, cancel := context.WithTimeout(ctx, ex.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, c.Method, j.row.URL, http.NoBody)
	if err != nil {
		return Answer{Err: err}
	}
	req.Header.Set("User-Agent", "portcullis-probe")
	if ex.opts.Origin != "" {
		req.Header.Set("Origin", ex.opts.Origin)
	}
	if c.acrm != "" {
		req.Header.Set("Access-Control-Request-Method", c.acrm)
		req.Header.Set("Access-Control-Request-Headers", strings.ToLower(j.header))
	}
	if c.token != "" {
		v := c.token
		if c.bearer {
			v = "Bearer " + v
		}
		req.Header.Set(j.header, v)
	}
	resp, err := ex.opts.Client.Do(req)
	if err != nil {
		return Answer{Err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return Answer{Err: err}
	}
	return Answer{Status: resp.StatusCode, Header: resp.Header, Body: body}
}

// transient reports whether a request failure is worth retrying: network
// trouble, not our own cancellation.
func transient(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var oe *net.OpError
	return errors.As(err, &oe) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

func (ex *executor) debug(j *job, a Answer, d time.Duration) {
	c := j.check
	tokenOf := ""
	if c.token != "" {
		tokenOf = string(c.tokenOf)
	}
	ex.trace.line(c.Method, j.row.URL, string(c.Name), j.header, tokenOf, c.bearer, a, d)
}

// tracer writes --debug's lines, one per request and answer, for REST and
// HTTP APIs alike. A token is named by the check it was made for, never
// shown; everything else passes through redact.
type tracer struct {
	w  io.Writer
	mu sync.Mutex
}

// line traces one request: method, URL, check, the identity header when a
// token (tokenOf names it) went in it, and the answer's status and body.
func (t *tracer) line(method, url, check, header, tokenOf string, bearer bool, a Answer, d time.Duration) {
	if t == nil || t.w == nil {
		return
	}
	auth := ""
	if tokenOf != "" {
		v := "<" + tokenOf + " redacted>"
		if bearer {
			v = "Bearer " + v
		}
		auth = fmt.Sprintf(" %s: %s", header, v)
	}
	out := ""
	if a.Err != nil {
		out = "error: " + a.Err.Error()
	} else {
		// Redact before cutting: a cut token no longer looks like one.
		out = redact(fmt.Sprintf("%d %s", a.Status, strings.Join(strings.Fields(string(a.Body)), " ")))
		if len(out) > 300 {
			out = out[:300] + "..."
		}
	}
	s := fmt.Sprintf("probe: %s %s [%s]%s -> %s (%s)\n", method, url, check, auth, out, d.Round(time.Millisecond))
	t.mu.Lock()
	defer t.mu.Unlock()
	_, _ = io.WriteString(t.w, redact(s))
}

// jwtShape matches anything that looks like a JWT or part of one (base64url
// starting with a JSON object, up to three parts). Everything the probe
// prints passes through redact, so a token echoed by a backend is not
// printed either.
var jwtShape = regexp.MustCompile(`eyJ[A-Za-z0-9_-]*(\.[A-Za-z0-9_-]*){0,2}`)

func redact(s string) string { return jwtShape.ReplaceAllString(s, "<redacted JWT>") }

// defaultLimits fills the limits left at zero, for both kinds of probe:
// concurrency and timeout take the defaults, retries the default when 0
// and none when negative.
func defaultLimits(concurrency *int, timeout *time.Duration, retries *int) {
	if *concurrency <= 0 {
		*concurrency = DefaultConcurrency
	}
	if *timeout <= 0 {
		*timeout = DefaultTimeout
	}
	if *retries < 0 {
		*retries = 0
	} else if *retries == 0 {
		*retries = DefaultRetries
	}
}
