package probe

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/portcullis-dev/portcullis/spec"
)

// Options say what to probe and how gently.
type Options struct {
	// API is the described API whose routes are probed.
	API *spec.API
	// BaseURL is the stage's invoke URL without a trailing slash:
	// https://ID.execute-api.REGION.amazonaws.com/STAGE, a custom domain's
	// base path, or the local gateway's
	// http://127.0.0.1:PORT/restapis/ID/STAGE/_user_request_.
	BaseURL string
	// Params fill path parameters by name; they win over the routes'
	// examples. Unsafe methods use placeholders unless Unsafe is set.
	Params map[string]string
	// Tokens supplies valid (and expired) tokens; nil means none, so
	// admission is not proven and the probe says so.
	Tokens TokenSource
	// Origin is sent on every request when the API has CORS; "" picks the
	// first allowed origin.
	Origin string
	// Unsafe sends valid tokens to unsafe methods too (still no body).
	Unsafe bool
	// Browser, when set, asks every route the browser's questions from a
	// page at Browser.Origin() too (preflight, identity header, readable
	// 401): the matrix's browser columns.
	Browser Browser

	// Concurrency bounds requests in flight (default 8).
	Concurrency int
	// RPS limits requests per second (0 = unlimited).
	RPS float64
	// Timeout bounds one request (default 10s).
	Timeout time.Duration
	// Retries is how often a request that failed at the network level is
	// retried (default 2); answers, whatever their status, are never
	// retried.
	Retries int
	// Client sends the requests (default: a client that follows no
	// redirects, so a 3xx is seen as such).
	Client *http.Client

	// Progress, when set, is called after each request with the number done
	// and the total.
	Progress func(done, total int)
	// Debug, when set, receives one line per request and answer, with every
	// token redacted.
	Debug io.Writer
}

// Run probes every route of opts.API at opts.BaseURL and returns one
// diagnostic per outcome (Source "probe"; passes are CodeProtected /
// CodePublicReachable infos), the full per-check record, and an error only
// when the probe could not run at all (bad options, no answer to any
// request, ctx ended).
func Run(ctx context.Context, opts Options) (spec.Diagnostics, *Result, error) {
	return run(ctx, opts)
}
