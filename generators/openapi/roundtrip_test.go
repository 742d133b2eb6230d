package openapi

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/internal/gentest"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/spec/load"
)

// roundTrip generates d with g in format, reads the output back with the
// OpenAPI reader and returns both documents, sources dropped.
func roundTrip(t *testing.T, d *spec.Description, g generators.Generator, format string) (want, got spec.Document) {
	t.Helper()
	files, err := g.Generate(d, generators.Options{Format: format})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(d.APIs)+len(d.HTTPAPIs) {
		t.Fatalf("%d files for %d APIs", len(files), len(d.APIs)+len(d.HTTPAPIs))
	}
	back := &spec.Description{}
	for _, f := range files {
		p := filepath.Join(t.TempDir(), f.Path)
		if err := os.WriteFile(p, f.Content, 0o644); err != nil {
			t.Fatal(err)
		}
		rd, ds := load.Load(p, load.Options{})
		if ds.HasErrors() {
			t.Fatalf("reading back %s: %v\n%s", f.Path, ds, f.Content)
		}
		back.APIs = append(back.APIs, rd.APIs...)
		back.HTTPAPIs = append(back.HTTPAPIs, rd.HTTPAPIs...)
	}
	return spec.ToDocument(d, spec.DocOptions{NoSources: true}), spec.ToDocument(back, spec.DocOptions{NoSources: true})
}

func TestRoundTripExamples(t *testing.T) {
	for _, ex := range gentest.Examples(t) {
		for _, g := range []generators.Generator{New(), NewSwagger()} {
			for _, format := range []string{"yaml", "json"} {
				t.Run(ex.Name+"/"+g.Name()+"/"+format, func(t *testing.T) {
					if g.Name() == "swagger" && len(ex.Desc.HTTPAPIs) > 0 {
						_, err := g.Generate(ex.Desc, generators.Options{Format: format})
						var unsupported *generators.UnsupportedError
						if !errors.As(err, &unsupported) {
							t.Fatalf("swagger on an HTTP API: %v, want a refusal", err)
						}
						return
					}
					want, got := roundTrip(t, ex.Desc, g, format)
					if d := cmp.Diff(want, got); d != "" {
						t.Errorf("model changed through %s (-want +got):\n%s", g.Name(), d)
					}
				})
			}
		}
	}
}

func jsonOf(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

// TestRoundTripRandom is the property: for random valid descriptions, the
// openapi and swagger outputs read back to the same model.
func TestRoundTripRandom(t *testing.T) {
	for seed := range uint64(40) {
		r := rand.New(rand.NewPCG(seed, 7))
		d := gentest.Random(r)
		if ds := spec.Validate(d); ds.HasErrors() {
			t.Fatalf("seed %d: the random description is invalid: %v\n%s", seed, ds, jsonOf(spec.ToDocument(d, spec.DocOptions{NoSources: true})))
		}
		for _, g := range []generators.Generator{New(), NewSwagger()} {
			format := []string{"yaml", "json"}[seed%2]
			want, got := roundTrip(t, d, g, format)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("seed %d: model changed through %s %s (-want +got):\n%s", seed, g.Name(), format, diff)
			}
		}
	}
}

// TestRoundTripRandomHTTP is the same property for HTTP APIs through the
// openapi target (Swagger cannot say them).
func TestRoundTripRandomHTTP(t *testing.T) {
	for seed := range uint64(60) {
		r := rand.New(rand.NewPCG(seed, 15))
		d := gentest.RandomHTTP(r)
		if ds := spec.Validate(d); ds.HasErrors() {
			t.Fatalf("seed %d: the random description is invalid: %v\n%s", seed, ds, jsonOf(spec.ToDocument(d, spec.DocOptions{NoSources: true})))
		}
		format := []string{"yaml", "json"}[seed%2]
		want, got := roundTrip(t, d, New(), format)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("seed %d: model changed through openapi %s (-want +got):\n%s", seed, format, diff)
		}
	}
}
