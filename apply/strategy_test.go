package apply_test

import (
	"context"
	"errors"
	"testing"

	"github.com/portcullis-dev/portcullis/apply"
	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/openapi"
	"github.com/portcullis-dev/portcullis/live/livetest"
	"github.com/portcullis-dev/portcullis/plan"
	"github.com/portcullis-dev/portcullis/spec"
)

// TestImportStrategy pushes the generated OpenAPI with PutRestApi into an
// API whose methods are open, verifies every authorizer, and then the
// patch plan has nothing left but the one deployment.
func TestImportStrategy(t *testing.T) {
	env := livetest.New(t, livetest.Options{})
	want := livetest.Load(t, todo)
	mustConverge(t, env, publicCopy(want))
	have := readState(t, env, want)

	files, err := openapi.New().Generate(&spec.Description{APIs: []*spec.API{want}}, generators.Options{Format: "json"})
	if err != nil {
		t.Fatal(err)
	}
	env.E.ResetCalls()
	id, calls, err := apply.Import(ctx, env.Client, want, have, files[0].Content)
	if err != nil {
		t.Fatal(err)
	}
	if id != have.RestAPIID || calls != 1 || env.Count("PutRestApi") != 1 || env.Writes() != 1 {
		t.Errorf("want exactly one PutRestApi into %s; got id %s, %d calls, %d writes", have.RestAPIID, id, calls, env.Writes())
	}
	after := readState(t, env, want)
	if problems := apply.Verify(want, after); len(problems) > 0 {
		t.Fatalf("verify: %v", problems)
	}
	if env.Count("CreateDeployment") != 0 {
		t.Fatal("the import deployed by itself")
	}
	p := plan.Make(want, after, plan.Options{})
	if len(p.Changes) != 0 {
		for _, c := range p.Changes {
			t.Errorf("left after import: %s", c)
		}
	}
	if p.Deploy == nil {
		t.Fatal("the imported configuration must still be deployed")
	}
	if _, err := apply.Apply(ctx, env.Client, p, apply.Options{}); err != nil {
		t.Fatal(err)
	}
	if p := plan.Make(want, readState(t, env, want), plan.Options{}); !p.Empty() {
		t.Errorf("not converged: %+v", p.Changes)
	}
}

// TestVerifyCatchesMissingAuthorizer: the import's check is real.
func TestVerifyCatchesMissingAuthorizer(t *testing.T) {
	env := livetest.New(t, livetest.Options{})
	want := livetest.Load(t, todo)
	mustConverge(t, env, publicCopy(want))
	problems := apply.Verify(want, readState(t, env, want))
	if len(problems) != 4 {
		t.Errorf("4 protected routes are open, verify found %d: %v", len(problems), problems)
	}
}

// TestCancelFinishesCallInFlight: a cancelled apply stops between calls,
// reports that it was interrupted, deploys nothing, and a re-run finishes.
func TestCancelFinishesCallInFlight(t *testing.T) {
	env := livetest.New(t, livetest.Options{})
	want := livetest.Load(t, todo)
	have := readState(t, env, want)
	p := plan.Make(want, have, plan.Options{})
	cctx, cancel := context.WithCancel(ctx)
	prog := &cancelAfter{n: 5, cancel: cancel}
	res, err := apply.Apply(cctx, env.Client, p, apply.Options{Progress: prog})
	var ae *apply.Error
	if !errors.As(err, &ae) || !ae.Stopped {
		t.Fatalf("want an interrupted apply, got %v", err)
	}
	if res.Calls != 5 || env.Writes() != 5 {
		t.Errorf("the call in flight when cancelled should complete and nothing after: %d calls, %d writes", res.Calls, env.Writes())
	}
	if env.Count("CreateDeployment") != 0 {
		t.Error("an interrupted apply deployed")
	}
	mustConverge(t, env, want)
	if p := plan.Make(want, readState(t, env, want), plan.Options{}); !p.Empty() {
		t.Error("re-run after an interrupt did not converge")
	}
}

type cancelAfter struct {
	n      int
	cancel context.CancelFunc
}

func (c *cancelAfter) Begin(int) {}
func (c *cancelAfter) Call(done int, _, _ string) {
	if done == c.n {
		c.cancel()
	}
}
func (c *cancelAfter) End() {}
