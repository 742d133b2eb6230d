package importer_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portcullis-dev/portcullis/apply"
	"github.com/portcullis-dev/portcullis/importer"
	"github.com/portcullis-dev/portcullis/live"
	"github.com/portcullis-dev/portcullis/live/livetest"
	"github.com/portcullis-dev/portcullis/plan"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/state"
)

var ctx = context.Background()

// TestRoundTrip applies the todo example, imports the live API as HCL and
// as OpenAPI, and plans each import against the same API: no changes.
func TestRoundTrip(t *testing.T) {
	env := livetest.New(t, livetest.Options{})
	want := livetest.Load(t, "../examples/todo/todo.hcl")
	have, err := live.ReadFor(ctx, env.Client, want, live.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := apply.Apply(ctx, env.Client, plan.Make(want, have, plan.Options{}), apply.Options{}); err != nil {
		t.Fatal(err)
	}
	st, err := live.ReadFor(ctx, env.Client, want, live.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	api, skipped := importer.Describe(st, "us-east-1")
	if len(skipped) > 0 {
		t.Fatalf("skipped: %v", skipped)
	}
	if api.CORS == nil {
		t.Error("the CORS preflights were not recognised as a cors block")
	}
	dir := t.TempDir()
	hclFile := filepath.Join(dir, "imported.hcl")
	src := importer.HCL(api, importer.Header(st.RestAPIID, skipped))
	if err := os.WriteFile(hclFile, src, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`authorizer = authorizer.cognito`, `rest_api_id = "` + st.RestAPIID + `"`, `public = true`} {
		if !strings.Contains(string(src), s) {
			t.Errorf("imported HCL lacks %q:\n%s", s, src)
		}
	}
	oas, err := importer.OpenAPI(api, "yaml", importer.Header(api.RestAPIID, nil))
	if err != nil {
		t.Fatal(err)
	}
	oasFile := filepath.Join(dir, "imported.openapi.yaml")
	if err := os.WriteFile(oasFile, oas, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{hclFile, oasFile} {
		back := livetest.Load(t, f)
		p := plan.Make(back, st, plan.Options{})
		if !p.Empty() {
			var lines []string
			for _, c := range p.Changes {
				lines = append(lines, c.String())
			}
			if p.Deploy != nil {
				lines = append(lines, strings.Join(p.Deploy.Reasons, "; "))
			}
			b, _ := os.ReadFile(f)
			t.Errorf("%s: plan after import is not empty:\n%s\n--- imported:\n%s", filepath.Base(f), strings.Join(lines, "\n"), b)
		}
		if ds := p.Diagnostics; ds.CountAtLeast(spec.SeverityWarning) > 0 {
			t.Errorf("%s: plan notes after import: %v", filepath.Base(f), ds)
		}
	}
}

// TestHTTPAPIIDOfAnotherForm: a live HTTP API id that is not API
// Gateway's form (moto makes 8-character ones) is left out of the
// description, which would otherwise fail validation; plan then finds the
// API by name.
func TestHTTPAPIIDOfAnotherForm(t *testing.T) {
	for id, want := range map[string]string{"cuawvztm": "", "a1b2c3d4e5": "a1b2c3d4e5"} {
		api, _ := importer.DescribeHTTP(&state.HTTPAPI{APIID: id, Model: &spec.HTTPAPI{Name: "x"}}, "us-east-1")
		if api.APIID != want {
			t.Errorf("live id %q: described api_id %q, want %q", id, api.APIID, want)
		}
		d := &spec.Description{HTTPAPIs: []*spec.HTTPAPI{api}}
		for _, dg := range spec.Validate(d) {
			if dg.Code == "invalid-api-id" {
				t.Errorf("live id %q: %v", id, dg)
			}
		}
	}
}
