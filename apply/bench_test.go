package apply_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/portcullis-dev/portcullis/apply"
	"github.com/portcullis-dev/portcullis/diff"
	"github.com/portcullis-dev/portcullis/emulator"
	"github.com/portcullis-dev/portcullis/live"
	"github.com/portcullis-dev/portcullis/live/livetest"
	"github.com/portcullis-dev/portcullis/plan"
	"github.com/portcullis-dev/portcullis/spec"
)

// bigAPI is a 300-resource API: 100 services, each /svcNN, /svcNN/items
// and /svcNN/items/{id}, with four Cognito-protected HTTP_PROXY routes
// each (400 methods).
func bigAPI() *spec.API {
	a := &spec.API{Name: "big", Region: "us-east-1",
		Authorizers: []*spec.Authorizer{{Name: "users", Type: spec.AuthorizerCognito, IdentitySource: spec.DefaultIdentitySource, TTLSeconds: 300,
			UserPoolARNs: []string{"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Big"}}},
		Stages: []*spec.Stage{{Name: "prod"}}}
	for i := range 100 {
		base := fmt.Sprintf("/svc%02d/items", i)
		for _, r := range []struct{ verb, path, scope string }{
			{"GET", base, "read"}, {"POST", base, "write"}, {"GET", base + "/{id}", "read"}, {"DELETE", base + "/{id}", "write"},
		} {
			a.Routes = append(a.Routes, &spec.Route{Method: r.verb, Path: r.path, AuthType: spec.AuthCognito, Authorizer: "users",
				Scopes:      []string{"big/" + r.scope},
				Integration: &spec.Integration{Type: spec.IntegrationHTTPProxy, URI: "https://backend.example.com" + r.path, HTTPMethod: r.verb}})
		}
	}
	a.Sort()
	return a
}

// naiveCalls is what one call per field costs for the same plan: every
// patch operation its own UpdateMethod/UpdateAuthorizer, and a method
// created bare and then given each auth field (authorizer, each scope,
// each request parameter) by its own call.
func naiveCalls(p *plan.Plan) int {
	n := 0
	for _, c := range p.Changes {
		switch {
		case c.Action == diff.Update && (c.Kind == diff.KindMethod || c.Kind == diff.KindAuthorizer):
			n += len(c.Ops)
		case c.Kind == diff.KindMethod && c.Action == diff.Create:
			n += 1 + len(c.Method.Scopes) + len(c.Method.RequestParameters)
			if c.Method.AuthorizerRef != "" {
				n++
			}
			n += apply.Calls(&plan.Plan{Changes: []diff.Change{c}}) - 1
		default:
			n += apply.Calls(&plan.Plan{Changes: []diff.Change{c}})
		}
	}
	if p.Deploy != nil {
		n++
	}
	return n
}

// minSeconds is the shortest time API Gateway's account limits allow for
// the calls counted: 10 per second after a burst of 40 overall,
// CreateResource 5 per second, GetResources 5 every 2 s, CreateDeployment
// once every 5 s.
func minSeconds(calls []emulator.Call) float64 {
	count := map[string]int{}
	for _, c := range calls {
		count[c.Operation]++
	}
	overall := max(0, float64(len(calls)-40)/10)
	res := max(0, float64(count["CreateResource"]+count["DeleteResource"]-5)/5)
	gets := max(0, float64(count["GetResources"]-5)*2/5)
	deps := max(0, float64(count["CreateDeployment"]-1)*5)
	return max(overall, res, gets, deps)
}

type measured struct {
	writes, reads, naive int
	wall                 time.Duration
	minSec               float64
}

func run(b *testing.B, env *livetest.Env, want *spec.API) measured {
	env.E.ResetCalls()
	start := time.Now()
	have, err := live.ReadFor(ctx, env.Client, want, live.ReadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	p := plan.Make(want, have, plan.Options{})
	if _, err := apply.Apply(ctx, env.Client, p, apply.Options{}); err != nil {
		b.Fatal(err)
	}
	wall := time.Since(start)
	calls := env.E.Calls()
	m := measured{wall: wall, naive: naiveCalls(p), minSec: minSeconds(calls)}
	for _, c := range calls {
		if strings.HasPrefix(c.Operation, "Get") {
			m.reads++
		} else {
			m.writes++
		}
	}
	return m
}

func report(b *testing.B, m measured) {
	b.ReportMetric(float64(m.writes), "writes")
	b.ReportMetric(float64(m.reads), "reads")
	b.ReportMetric(float64(m.naive), "naive-writes")
	b.ReportMetric(m.minSec, "min-s-at-AWS-limits")
}

func bigEnv(b *testing.B) *livetest.Env {
	return livetest.New(b, livetest.Options{Emulator: emulator.Options{Limits: emulator.Limits{ResourcesPerAPI: 400}}})
}

// BenchmarkFirstApply300 creates the 300-resource API from nothing.
func BenchmarkFirstApply300(b *testing.B) {
	want := bigAPI()
	var m measured
	for b.Loop() {
		m = run(b, bigEnv(b), want)
	}
	report(b, m)
}

// BenchmarkLock300 is the seed scenario at scale: the API exists with all
// 400 methods open; apply creates the authorizer and switches them.
func BenchmarkLock300(b *testing.B) {
	want := bigAPI()
	open := publicCopy(want)
	var m measured
	for b.Loop() {
		b.StopTimer()
		env := bigEnv(b)
		run(b, env, open)
		b.StartTimer()
		m = run(b, env, want)
	}
	report(b, m)
}

// BenchmarkNoopReapply300 re-applies an API that already matches.
func BenchmarkNoopReapply300(b *testing.B) {
	want := bigAPI()
	env := bigEnv(b)
	run(b, env, want)
	var m measured
	for b.Loop() {
		m = run(b, env, want)
	}
	if m.writes != 0 {
		b.Fatalf("no-op re-apply wrote %d calls", m.writes)
	}
	report(b, m)
}
