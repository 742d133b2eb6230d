package registry

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"path"
	"strings"
	"testing"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/internal/gentest"
	"github.com/portcullis-dev/portcullis/spec"
)

func TestRegistryIsSortedAndUnique(t *testing.T) {
	for i, g := range all {
		if g.Name() == "" || g.Summary() == "" {
			t.Errorf("generator %d has no name or summary", i)
		}
		if i > 0 && all[i-1].Name() >= g.Name() {
			t.Errorf("registry not sorted or not unique: %q before %q", all[i-1].Name(), g.Name())
		}
		if got, ok := Lookup(g.Name()); !ok || got.Name() != g.Name() {
			t.Errorf("Lookup(%q) failed", g.Name())
		}
	}
	if _, ok := Lookup("no-such-target"); ok {
		t.Error("Lookup found an unknown target")
	}
}

// TestEveryGeneratorOnEveryExample checks, for every target and example,
// in every format the target offers: output is byte-identical across runs
// and across separately loaded copies of the description (map order must
// not leak), paths are clean and unique, and every file parses with its
// format's parser (kin-openapi validation for OpenAPI and Swagger).
func TestEveryGeneratorOnEveryExample(t *testing.T) {
	first := gentest.Examples(t)
	second := gentest.Examples(t)
	for _, g := range All() {
		for i, ex := range first {
			for _, format := range []string{"", "json", "yaml"} {
				opts := generators.Options{Source: ex.Path, Format: format}
				a, err := g.Generate(ex.Desc, opts)
				if err != nil {
					if format != "" && strings.Contains(err.Error(), "not offered") {
						continue
					}
					var unsupported *generators.UnsupportedError
					if errors.As(err, &unsupported) && len(ex.Desc.HTTPAPIs) > 0 {
						continue // a target that cannot say HTTP APIs says so
					}
					t.Errorf("%s on %s (format %q): %v", g.Name(), ex.Name, format, err)
					continue
				}
				b, err := g.Generate(second[i].Desc, opts)
				if err != nil {
					t.Fatal(err)
				}
				if len(a) == 0 {
					t.Errorf("%s on %s wrote nothing", g.Name(), ex.Name)
				}
				if len(a) != len(b) {
					t.Fatalf("%s on %s: %d files, then %d", g.Name(), ex.Name, len(a), len(b))
				}
				seen := map[string]bool{}
				for j := range a {
					p := a[j].Path
					if a[j].Path != b[j].Path || !bytes.Equal(a[j].Content, b[j].Content) {
						t.Errorf("%s on %s: %s is not deterministic", g.Name(), ex.Name, p)
					}
					if seen[p] || p != path.Clean(p) || path.IsAbs(p) || strings.HasPrefix(p, "..") {
						t.Errorf("%s on %s: bad or duplicate path %q", g.Name(), ex.Name, p)
					}
					seen[p] = true
					if _, err := gentest.Parse(p, a[j].Content); err != nil {
						t.Errorf("%s on %s: %s does not parse: %v", g.Name(), ex.Name, p, err)
					}
				}
			}
		}
	}
}

func TestUnknownStageIsAnError(t *testing.T) {
	ex := gentest.Examples(t)[0]
	for _, g := range All() {
		if _, err := g.Generate(ex.Desc, generators.Options{Stage: "no-such-stage"}); err == nil {
			t.Errorf("%s accepted an unknown stage", g.Name())
		}
	}
}

// TestEveryGeneratorOnRandomDescriptions runs every target over random
// valid descriptions: no errors, deterministic bytes, output that parses.
func TestEveryGeneratorOnRandomDescriptions(t *testing.T) {
	for seed := range gentest.Seeds(25) {
		d := gentest.Random(rand.New(rand.NewPCG(seed, 11)))
		if ds := spec.Validate(d); ds.HasErrors() {
			t.Fatalf("seed %d: invalid random description: %v", seed, ds)
		}
		for _, g := range All() {
			a, err := g.Generate(d, generators.Options{Source: "random"})
			if err != nil {
				t.Errorf("seed %d: %s: %v", seed, g.Name(), err)
				continue
			}
			b, _ := g.Generate(d, generators.Options{Source: "random"})
			for i := range a {
				if !bytes.Equal(a[i].Content, b[i].Content) {
					t.Errorf("seed %d: %s: %s is not deterministic", seed, g.Name(), a[i].Path)
				}
				if _, err := gentest.Parse(a[i].Path, a[i].Content); err != nil {
					t.Errorf("seed %d: %s: %s does not parse: %v", seed, g.Name(), a[i].Path, err)
				}
			}
		}
	}
}
