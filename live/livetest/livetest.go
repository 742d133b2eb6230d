// Package livetest runs the in-process emulator behind a loopback test
// server and hands out the SDK client Portcullis uses, so apply, drift and
// import are tested over the real wire protocol. Test code only.
package livetest

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"

	"github.com/portcullis-dev/portcullis/emulator"
	"github.com/portcullis-dev/portcullis/live"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/spec/load"
)

// Env is one emulator and a client for it.
type Env struct {
	E      *emulator.Emulator
	URL    string
	Client *apigateway.Client
	// HTTP is the apigatewayv2 client for HTTP APIs.
	HTTP *apigatewayv2.Client
}

// Options tune New.
type Options struct {
	Emulator emulator.Options
	// Limits paces the client (nil: no pacing, tests run at full speed).
	Limits *live.Limits
	// MaxAttempts per call (default 1: failures are visible).
	MaxAttempts int
	MaxBackoff  time.Duration
}

// New starts an emulator and returns a client configured as the CLI
// configures it (live.NewClient with an endpoint URL).
func New(t testing.TB, o Options) *Env {
	t.Helper()
	e := emulator.New(o.Emulator)
	srv := httptest.NewServer(e.Handler())
	t.Cleanup(srv.Close)
	limits := o.Limits
	if limits == nil {
		l := live.DefaultLimits().Scaled(0)
		limits = &l
	}
	attempts := o.MaxAttempts
	if attempts == 0 {
		attempts = 1
	}
	backoff := o.MaxBackoff
	if backoff == 0 {
		backoff = 20 * time.Millisecond
	}
	c, err := live.NewClient(context.Background(), live.Config{EndpointURL: srv.URL, Local: true, Limits: limits,
		MaxAttempts: attempts, MaxBackoff: backoff, HTTPClient: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	hc, err := live.NewHTTPClient(context.Background(), live.Config{EndpointURL: srv.URL, Local: true, Limits: limits,
		MaxAttempts: attempts, MaxBackoff: backoff, HTTPClient: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	return &Env{E: e, URL: srv.URL, Client: c, HTTP: hc}
}

// Writes counts the control-plane calls that are not reads (Get*),
// whatever their answer.
func (e *Env) Writes() int {
	n := 0
	for _, c := range e.E.Calls() {
		if !strings.HasPrefix(c.Operation, "Get") {
			n++
		}
	}
	return n
}

// Count counts calls to op with a 2xx answer.
func (e *Env) Count(op string) int { return e.E.CountCalls(op) }

// Load reads a description and returns its only API.
func Load(t testing.TB, path string, vars ...load.Assignment) *spec.API {
	t.Helper()
	d, ds := load.Load(path, load.Options{Assignments: vars})
	if ds.HasErrors() {
		t.Fatalf("loading %s: %v", path, ds)
	}
	if len(d.APIs) != 1 {
		t.Fatalf("%s: want one api, got %d", path, len(d.APIs))
	}
	return d.APIs[0]
}

// LoadHTTP reads a description and returns its only HTTP API.
func LoadHTTP(t testing.TB, path string, vars ...load.Assignment) *spec.HTTPAPI {
	t.Helper()
	d, ds := load.Load(path, load.Options{Assignments: vars})
	if ds.HasErrors() {
		t.Fatalf("loading %s: %v", path, ds)
	}
	if len(d.HTTPAPIs) != 1 {
		t.Fatalf("%s: want one http_api, got %d", path, len(d.HTTPAPIs))
	}
	return d.HTTPAPIs[0]
}
