package apply_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/portcullis-dev/portcullis/apply"
	"github.com/portcullis-dev/portcullis/emulator"
	"github.com/portcullis-dev/portcullis/live"
	"github.com/portcullis-dev/portcullis/live/livetest"
	"github.com/portcullis-dev/portcullis/plan"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/state"
)

var ctx = context.Background()

const todo = "../examples/todo/todo.hcl"

// converge reads, plans and applies once.
func converge(t testing.TB, env *livetest.Env, want *spec.API, opt plan.Options) (*plan.Plan, apply.Result, error) {
	t.Helper()
	have, err := live.ReadFor(ctx, env.Client, want, live.ReadOptions{})
	if err != nil {
		return nil, apply.Result{}, err
	}
	p := plan.Make(want, have, opt)
	if p.Diagnostics.HasErrors() {
		t.Fatalf("plan errors: %v", p.Diagnostics)
	}
	res, err := apply.Apply(ctx, env.Client, p, apply.Options{})
	return p, res, err
}

func mustConverge(t testing.TB, env *livetest.Env, want *spec.API) (*plan.Plan, apply.Result) {
	t.Helper()
	p, res, err := converge(t, env, want, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return p, res
}

func readState(t testing.TB, env *livetest.Env, want *spec.API) *state.State {
	t.Helper()
	s, err := live.ReadFor(ctx, env.Client, want, live.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestApplyFromEmptyThenNoop(t *testing.T) {
	env := livetest.New(t, livetest.Options{})
	want := livetest.Load(t, todo)
	p, res := mustConverge(t, env, want)
	if p.Deploy == nil || p.Deploy.StageExists {
		t.Fatalf("first plan should create and deploy the stage: %+v", p.Deploy)
	}
	if got := env.Count("CreateDeployment"); got != 1 {
		t.Errorf("CreateDeployment calls = %d, want 1", got)
	}
	if res.Calls != apply.Calls(p) || res.Calls != env.Writes() {
		t.Errorf("calls: result %d, planned %d, emulator saw %d writes", res.Calls, apply.Calls(p), env.Writes())
	}

	s := readState(t, env, want)
	for _, r := range want.Routes {
		m := s.Method(r.Path, r.Method)
		if m == nil {
			t.Fatalf("%s not created", r.Key())
		}
		if m.AuthorizationType != r.AuthType {
			t.Errorf("%s auth = %s, want %s", r.Key(), m.AuthorizationType, r.AuthType)
		}
		if r.AuthType == spec.AuthCognito {
			if a := s.AuthorizerByID(m.AuthorizerID); a == nil || a.Name != r.Authorizer {
				t.Errorf("%s authorizer id %q does not name %s", r.Key(), m.AuthorizerID, r.Authorizer)
			}
			if state.SecurityKey("", m.Scopes) != state.SecurityKey("", r.Scopes) {
				t.Errorf("%s scopes = %v, want %v", r.Key(), m.Scopes, r.Scopes)
			}
			if !m.RequestParameters["method.request.header.Authorization"] {
				t.Errorf("%s lacks the identity header parameter: %v", r.Key(), m.RequestParameters)
			}
		}
	}
	for _, path := range want.Paths() {
		if m := s.Method(path, "OPTIONS"); m == nil || m.AuthorizationType != spec.AuthNone {
			t.Errorf("CORS preflight on %s missing or not open: %+v", path, m)
		}
	}
	if st := s.Stages["prod"]; st == nil || st.Variables["backend"] != "prod" {
		t.Errorf("stage prod not deployed with its variables: %+v", st)
	}

	// Re-apply: nothing to write, nothing to deploy.
	env.E.ResetCalls()
	p2, res2 := mustConverge(t, env, want)
	if !p2.Empty() {
		var b []string
		for _, c := range p2.Changes {
			b = append(b, c.String())
		}
		t.Fatalf("second plan not empty: %v deploy=%+v", b, p2.Deploy)
	}
	if res2.Calls != 0 || env.Writes() != 0 || env.Count("CreateDeployment") != 0 {
		t.Errorf("re-apply wrote: result %d calls, emulator %d writes, %d deployments", res2.Calls, env.Writes(), env.Count("CreateDeployment"))
	}
}

// protectedOpen lists described protected routes that exist live with no
// authorization: the one thing apply must never leave behind.
func protectedOpen(s *state.State, want *spec.API) []string {
	var out []string
	for _, r := range want.Routes {
		if r.AuthType == spec.AuthNone {
			continue
		}
		if m := s.Method(r.Path, r.Method); m != nil && m.AuthorizationType == spec.AuthNone {
			out = append(out, r.Key())
		}
	}
	return out
}

// TestFailureAtEveryCallConverges fails the n-th control-plane call of a
// first apply, for every n, then re-runs: each time no protected method is
// open, nothing is deployed by the failed run, and the re-run converges to
// an empty plan with one deployment in total.
func TestFailureAtEveryCallConverges(t *testing.T) {
	want := livetest.Load(t, todo)
	probe := livetest.New(t, livetest.Options{})
	mustConverge(t, probe, want)
	total := len(probe.E.Calls())
	if total < 20 {
		t.Fatalf("suspiciously few calls for a first apply: %d", total)
	}
	for n := 1; n <= total; n++ {
		env := livetest.New(t, livetest.Options{Emulator: emulator.Options{Faults: emulator.Faults{Inject: []emulator.Injection{{Nth: n, Status: 500}}}}})
		_, _, err := converge(t, env, want, plan.Options{})
		if err == nil && !absorbed(failedOp(env)) {
			t.Fatalf("call %d: injected failure of %s not reported", n, failedOp(env))
		}
		var ae *apply.Error
		if errors.As(err, &ae) && env.Count("CreateDeployment") != 0 && ae.Op != "CreateDeployment" {
			t.Fatalf("call %d: deployed despite failing at %s", n, ae.Op)
		}
		env.E.SetFaults(emulator.Faults{})
		if s := readState(t, env, want); s != nil {
			if open := protectedOpen(s, want); len(open) > 0 {
				t.Fatalf("call %d: protected methods left open: %v", n, open)
			}
		}
		mustConverge(t, env, want)
		s := readState(t, env, want)
		if p := plan.Make(want, s, plan.Options{}); !p.Empty() {
			t.Fatalf("call %d: not converged after re-run: %d changes, deploy %+v", n, len(p.Changes), p.Deploy)
		}
		if got := env.Count("CreateDeployment"); got != 1 {
			t.Fatalf("call %d: %d deployments in total, want 1", n, got)
		}
	}
}

// TestSeedScenarioNeverOpens starts from an API whose methods exist and are
// open, as most teams have it, then fails every call position of the
// apply that locks it: a method already switched never reopens, and
// re-running converges.
func TestSeedScenarioNeverOpens(t *testing.T) {
	want := livetest.Load(t, todo)
	open := publicCopy(want)
	base := livetest.New(t, livetest.Options{})
	mustConverge(t, base, open)
	base.E.ResetCalls()
	mustConverge(t, base, want)
	total := len(base.E.Calls())
	for n := 1; n <= total; n++ {
		env := livetest.New(t, livetest.Options{})
		mustConverge(t, env, open)
		before := readState(t, env, want)
		env.E.SetFaults(emulator.Faults{Inject: []emulator.Injection{{Nth: n, Status: 503}}})
		if _, _, err := converge(t, env, want, plan.Options{}); err == nil && !absorbed(failedOp(env)) {
			t.Fatalf("call %d: injected failure of %s not reported", n, failedOp(env))
		}
		env.E.SetFaults(emulator.Faults{})
		after := readState(t, env, want)
		for _, r := range want.Routes {
			b, a := before.Method(r.Path, r.Method), after.Method(r.Path, r.Method)
			if a == nil {
				t.Fatalf("call %d: %s disappeared", n, r.Key())
			}
			if a.AuthorizationType == spec.AuthCognito && after.AuthorizerByID(a.AuthorizerID) == nil {
				t.Fatalf("call %d: %s points at a missing authorizer (refused)", n, r.Key())
			}
			if a.AuthorizationType != b.AuthorizationType && a.AuthorizationType != r.AuthType {
				t.Fatalf("call %d: %s went from %s to %s, neither old nor described", n, r.Key(), b.AuthorizationType, a.AuthorizationType)
			}
		}
		mustConverge(t, env, want)
		if open := protectedOpen(readState(t, env, want), want); len(open) > 0 {
			t.Fatalf("call %d: still open after re-run: %v", n, open)
		}
	}
}

// absorbed reports whether apply may succeed despite a 5xx on op: a stage
// export that cannot be read only weakens the undeployed-change check, and
// a create whose answer failed is looked for and made once more
// (recover.go). Every other failure must stop apply.
func absorbed(op string) bool {
	if op == "GetExport" {
		return true
	}
	for _, c := range creates {
		if op == c {
			return true
		}
	}
	return false
}

func failedOp(env *livetest.Env) string {
	for _, c := range env.E.Calls() {
		if c.Status >= 500 {
			return c.Operation
		}
	}
	return ""
}

// publicCopy is want with every route public: the API before Portcullis.
func publicCopy(want *spec.API) *spec.API {
	c := *want
	c.Authorizers, c.DefaultAuthorizer = nil, ""
	c.Routes = nil
	for _, r := range want.Routes {
		rc := *r
		rc.AuthType, rc.Authorizer, rc.Scopes, rc.Public = spec.AuthNone, "", nil, true
		c.Routes = append(c.Routes, &rc)
	}
	return &c
}

func TestThrottlingAbsorbed(t *testing.T) {
	want := livetest.Load(t, todo)
	// The emulator enforces API Gateway's account limits 10 times faster
	// (CreateDeployment once per 500 ms, long enough that the second apply's
	// deployment always lands inside the window, even under -race); the
	// client does not pace, so it is throttled and must retry.
	env := livetest.New(t, livetest.Options{MaxAttempts: 30, MaxBackoff: 100 * time.Millisecond,
		Emulator: emulator.Options{Faults: emulator.Faults{Throttle: 0.1}}})
	// Two applies back to back: the second deployment hits the
	// CreateDeployment quota.
	mustConverge(t, env, want)
	changed := *want
	changed.Stages = []*spec.Stage{{Name: "prod", Variables: map[string]string{"backend": "v2"}}}
	if _, _, err := converge(t, env, &changed, plan.Options{}); err != nil {
		t.Fatalf("throttled apply failed: %v", err)
	}
	throttled := 0
	for _, c := range env.E.Calls() {
		if c.Status == 429 {
			throttled++
		}
	}
	if throttled == 0 {
		t.Fatal("the emulator never throttled: the test proves nothing")
	}
	t.Logf("%d throttled attempts absorbed", throttled)

	// Paced at the same scaled limits (with a margin: at equal rates the
	// two token buckets' phases decide, and under -race they drift), the
	// client is never throttled.
	l := live.DefaultLimits().Scaled(0.0125)
	paced := livetest.New(t, livetest.Options{Limits: &l, Emulator: emulator.Options{Faults: emulator.Faults{Throttle: 0.01}}})
	mustConverge(t, paced, want)
	if _, _, err := converge(t, paced, &changed, plan.Options{}); err != nil {
		t.Fatal(err)
	}
	for _, c := range paced.E.Calls() {
		if c.Status == 429 {
			t.Fatalf("paced client was throttled on %s", c.Operation)
		}
	}
}

// TestSwitchAuthorizerAtEveryCall replaces the authorizer every method
// uses (a new one on another pool, the old one pruned) and fails each call
// position in turn: no method is ever open or points at a deleted
// authorizer, and a re-run converges.
func TestSwitchAuthorizerAtEveryCall(t *testing.T) {
	before := livetest.Load(t, todo)
	after := livetest.Load(t, todo)
	users := *after.Authorizers[0]
	users.Name, users.UserPoolARNs = "users", []string{"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Users"}
	after.Authorizers = []*spec.Authorizer{&users}
	after.DefaultAuthorizer = "users"
	for _, r := range after.Routes {
		if r.Authorizer != "" {
			r.Authorizer = "users"
		}
	}
	probe := livetest.New(t, livetest.Options{})
	mustConverge(t, probe, before)
	probe.E.ResetCalls()
	if _, _, err := converge(t, probe, after, plan.Options{Prune: true}); err != nil {
		t.Fatal(err)
	}
	total := len(probe.E.Calls())
	for n := 1; n <= total; n++ {
		env := livetest.New(t, livetest.Options{})
		mustConverge(t, env, before)
		env.E.SetFaults(emulator.Faults{Inject: []emulator.Injection{{Nth: n, Status: 500}}})
		_, _, err := converge(t, env, after, plan.Options{Prune: true})
		if err == nil && !absorbed(failedOp(env)) {
			t.Fatalf("call %d: injected failure of %s not reported", n, failedOp(env))
		}
		env.E.SetFaults(emulator.Faults{})
		s := readState(t, env, after)
		for _, r := range after.Routes {
			if r.AuthType != spec.AuthCognito {
				continue
			}
			m := s.Method(r.Path, r.Method)
			if m.AuthorizationType != spec.AuthCognito {
				t.Fatalf("call %d: %s is %s", n, r.Key(), m.AuthorizationType)
			}
			if s.AuthorizerByID(m.AuthorizerID) == nil {
				t.Fatalf("call %d: %s points at deleted authorizer %s", n, r.Key(), m.AuthorizerID)
			}
		}
		if _, _, err := converge(t, env, after, plan.Options{Prune: true}); err != nil {
			t.Fatalf("call %d: re-run: %v", n, err)
		}
		if p := plan.Make(after, readState(t, env, after), plan.Options{Prune: true}); !p.Empty() {
			t.Fatalf("call %d: not converged: %v", n, p.Changes)
		}
	}
}
