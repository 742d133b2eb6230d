package apply_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/portcullis-dev/portcullis/apply"
	"github.com/portcullis-dev/portcullis/diff"
	"github.com/portcullis-dev/portcullis/emulator"
	"github.com/portcullis-dev/portcullis/live"
	"github.com/portcullis-dev/portcullis/live/livetest"
	"github.com/portcullis-dev/portcullis/plan"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/state"
)

// The v2 twins of the v1 apply benchmarks (bench_test.go), measured the
// same way: write and read calls from the emulator's call log, wall time
// against the emulator with the client's pacer off, and the shortest time
// the account's control-plane limits allow for those calls.

// bigHTTPAPI is bigAPI as an HTTP API at its quotas (300 routes and 300
// integrations per API,
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html): 75 services, each with GET and
// POST /svcNN/items and GET and DELETE /svcNN/items/{id}, every route
// behind one JWT authorizer on a Cognito pool with one scope and its own
// HTTP_PROXY integration, and one stage that is deployed by apply (no
// auto-deploy, as v1's stage).
func bigHTTPAPI() *spec.HTTPAPI {
	const pool = "us-east-1_Big"
	a := &spec.HTTPAPI{Name: "big-http", Region: "us-east-1",
		Authorizers: []*spec.JWTAuthorizer{{Name: "users", Type: spec.AuthorizerJWT, UserPoolID: pool, Issuer: spec.CognitoIssuer(pool),
			Audiences: []string{"bigclient"}, IdentitySources: []string{spec.DefaultJWTIdentitySource}}},
		Stages: []*spec.HTTPStage{{Name: "prod"}}}
	for i := range 75 {
		base := fmt.Sprintf("/svc%02d/items", i)
		for _, r := range []struct{ verb, path, scope string }{
			{"GET", base, "read"}, {"POST", base, "write"}, {"GET", base + "/{id}", "read"}, {"DELETE", base + "/{id}", "write"},
		} {
			a.Routes = append(a.Routes, &spec.HTTPRoute{Key: r.verb + " " + r.path, Method: r.verb, Path: r.path,
				AuthType: spec.AuthJWT, Authorizer: "users", Scopes: []string{"big/" + r.scope},
				Integration: &spec.HTTPIntegration{Type: spec.IntegrationHTTPProxy, URI: "https://backend.example.com" + r.path, Method: r.verb}})
		}
	}
	a.Sort()
	return a
}

// openHTTPCopy is want with every route public and no authorizer: the
// API before the lock.
func openHTTPCopy(want *spec.HTTPAPI) *spec.HTTPAPI {
	c := *want
	c.Authorizers, c.DefaultAuthorizer, c.Routes = nil, "", nil
	for _, r := range want.Routes {
		rc := *r
		rc.AuthType, rc.Authorizer, rc.Scopes, rc.Public = spec.AuthNone, "", nil, true
		c.Routes = append(c.Routes, &rc)
	}
	return &c
}

// minHTTPSeconds is the shortest time the account's limits allow for the
// calls: 10 per second after a burst of 40 overall, and CreateDeployment
// once every 5 s. The quotas page (developer guide, limits.html) lists
// them for every API type; that its CreateDeployment row binds v2's
// CreateDeployment too is unconfirmed (the row links the v1 call), so
// the client paces both, and here it is counted. No other v2 call has a
// quota of its own there (CreateApi is not CreateRestApi's 1 per 3 s).
func minHTTPSeconds(calls []emulator.Call) float64 {
	deps := 0
	for _, c := range calls {
		if c.Operation == "CreateDeployment" {
			deps++
		}
	}
	return max(0, float64(len(calls)-40)/10, float64(deps-1)*5)
}

func runHTTP(b testing.TB, env *livetest.Env, want *spec.HTTPAPI) measured {
	env.E.ResetCalls()
	start := time.Now()
	var have *state.HTTPAPI
	id, err := live.FindHTTPAPI(ctx, env.HTTP, want)
	if err == nil && id != "" {
		have, err = live.ReadHTTPAPI(ctx, env.HTTP, id, "us-east-1")
	}
	if err != nil {
		b.Fatal(err)
	}
	p := plan.MakeHTTP(want, have, diff.HTTPOptions{})
	if p.Diagnostics.HasErrors() {
		b.Fatal(p.Diagnostics)
	}
	if _, err := apply.HTTP(ctx, env.HTTP, p, have, apply.Options{}); err != nil {
		b.Fatal(err)
	}
	wall := time.Since(start)
	calls := env.E.Calls()
	m := measured{wall: wall, minSec: minHTTPSeconds(calls)}
	for _, c := range calls {
		// By verb, not name: ExportApi (the deployed routes' check) reads.
		if c.Write {
			m.writes++
		} else {
			m.reads++
		}
	}
	return m
}

func reportHTTP(b *testing.B, m measured) {
	b.ReportMetric(float64(m.writes), "writes")
	b.ReportMetric(float64(m.reads), "reads")
	b.ReportMetric(m.minSec, "min-s-at-AWS-limits")
}

// BenchmarkHTTPFirstApply300 creates the 300-route HTTP API from nothing.
func BenchmarkHTTPFirstApply300(b *testing.B) {
	want := bigHTTPAPI()
	var m measured
	for b.Loop() {
		m = runHTTP(b, livetest.New(b, livetest.Options{}), want)
	}
	reportHTTP(b, m)
}

// BenchmarkHTTPLock300: the API exists with its 300 routes open; apply
// creates the authorizer and puts every route behind it.
func BenchmarkHTTPLock300(b *testing.B) {
	want := bigHTTPAPI()
	open := openHTTPCopy(want)
	var m measured
	for b.Loop() {
		b.StopTimer()
		env := livetest.New(b, livetest.Options{})
		runHTTP(b, env, open)
		b.StartTimer()
		m = runHTTP(b, env, want)
	}
	reportHTTP(b, m)
}

// BenchmarkHTTPNoopReapply300 re-applies an HTTP API that already matches.
func BenchmarkHTTPNoopReapply300(b *testing.B) {
	want := bigHTTPAPI()
	env := livetest.New(b, livetest.Options{})
	runHTTP(b, env, want)
	var m measured
	for b.Loop() {
		m = runHTTP(b, env, want)
	}
	if m.writes != 0 {
		b.Fatalf("no-op re-apply wrote %d calls", m.writes)
	}
	reportHTTP(b, m)
}

// pacedScale runs the paced benchmark at 1/20 of the real intervals.
const pacedScale = 0.05

// BenchmarkHTTPLock300Paced is the lock with the client paced as against
// AWS (live.DefaultLimits, every interval scaled by pacedScale): the wall
// time scaled back up is what the lock takes at the account's limits, to
// be compared with min-s-at-AWS-limits, the floor.
func BenchmarkHTTPLock300Paced(b *testing.B) {
	want := bigHTTPAPI()
	open := openHTTPCopy(want)
	limits := live.DefaultLimits().Scaled(pacedScale)
	var m measured
	for b.Loop() {
		b.StopTimer()
		env := livetest.New(b, livetest.Options{Limits: &limits})
		runHTTP(b, env, open)
		// The open API's creation spent the burst: start the lock with a
		// full bucket, as after a pause.
		time.Sleep(time.Duration(float64(40*time.Second/10) * pacedScale))
		b.StartTimer()
		m = runHTTP(b, env, want)
	}
	reportHTTP(b, m)
	b.ReportMetric(m.wall.Seconds()/pacedScale, "paced-s-at-AWS-limits")
}
