package equivalence_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portcullis-dev/portcullis/generators/equivalence"
	"github.com/portcullis-dev/portcullis/generators/internal/gentest"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/spec/load"
	"github.com/portcullis-dev/portcullis/views"
)

// inputs are every example plus the fixtures under testdata/descriptions.
func inputs(t *testing.T) []equivalence.Input {
	t.Helper()
	var out []equivalence.Input
	for _, ex := range gentest.Examples(t) {
		out = append(out, equivalence.Input{Name: filepath.ToSlash(ex.Path), Desc: ex.Desc})
	}
	fixtures, _ := filepath.Glob(filepath.Join("testdata", "descriptions", "*.hcl"))
	for _, f := range fixtures {
		d, ds := load.Load(f, load.Options{})
		if ds.HasErrors() {
			t.Fatalf("%s: %v", f, ds)
		}
		out = append(out, equivalence.Input{Name: filepath.ToSlash(f), Desc: d})
	}
	return out
}

// TestEveryOutputMatchesTheModel reads back every output that needs no
// external tool, for every example and fixture.
func TestEveryOutputMatchesTheModel(t *testing.T) {
	reports := equivalence.Check(context.Background(), inputs(t), equivalence.Options{})
	for _, r := range reports {
		if !r.OK {
			t.Errorf("%s", text(r))
		}
	}
	if testing.Verbose() {
		t.Log("\n" + text(reports...))
	}
}

// TestRandomDescriptionsAgree is the property behind the check: for random
// valid descriptions (several APIs, every authorizer field, inherited,
// public, IAM and unauthenticated routes, greedy parameters, CORS), every
// output that needs no external tool agrees with the model.
func TestRandomDescriptionsAgree(t *testing.T) {
	var in []equivalence.Input
	for seed := range gentest.Seeds(60) {
		d := gentest.Random(rand.New(rand.NewPCG(seed, 11)))
		if ds := spec.Validate(d); ds.HasErrors() {
			t.Fatalf("seed %d: invalid random description: %v", seed, ds)
		}
		in = append(in, equivalence.Input{Name: fmt.Sprintf("random seed %d", seed), Desc: d})
	}
	for _, r := range equivalence.Check(context.Background(), in, equivalence.Options{}) {
		if !r.OK {
			t.Errorf("%s", text(r))
		}
	}
}

// TestRandomHTTPAPIsAgree is the same property for HTTP APIs: every v2
// output that needs no external tool reads back to the model's surface
// (swagger says it cannot and is skipped).
func TestRandomHTTPAPIsAgree(t *testing.T) {
	var in []equivalence.Input
	for seed := range gentest.Seeds(60) {
		d := gentest.RandomHTTP(rand.New(rand.NewPCG(seed, 15)))
		if ds := spec.Validate(d); ds.HasErrors() {
			t.Fatalf("seed %d: invalid random description: %v", seed, ds)
		}
		in = append(in, equivalence.Input{Name: fmt.Sprintf("random http seed %d", seed), Desc: d})
	}
	for _, r := range equivalence.Check(context.Background(), in, equivalence.Options{}) {
		if !r.OK {
			t.Errorf("%s", text(r))
		}
	}
}

// text is check-generators' rendering of reports, for failure messages.
func text(reports ...*equivalence.Report) string {
	var b strings.Builder
	_ = views.CheckGeneratorsText(&b, reports)
	return b.String()
}
