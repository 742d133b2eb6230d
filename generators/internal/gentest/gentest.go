package gentest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"go.yaml.in/yaml/v4"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/spec/load"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// Example is one description under examples/.
type Example struct {
	Name string // the folder name: "todo"
	Path string // examples/todo, relative to the module root
	Desc *spec.Description
}

// Root is the module root (the folder holding go.mod).
func Root(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test's folder")
		}
		dir = parent
	}
}

// Examples loads every folder under examples/ that loads without errors.
// A folder that fails to load fails the test: examples are fixtures.
func Examples(t testing.TB) []Example {
	t.Helper()
	root := Root(t)
	entries, err := os.ReadDir(filepath.Join(root, "examples"))
	if err != nil {
		t.Fatal(err)
	}
	var out []Example
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		rel := filepath.Join("examples", e.Name())
		if !holdsDescription(filepath.Join(root, rel)) {
			continue // documentation, CI configuration, ...
		}
		d, ds := load.Load(filepath.Join(root, rel), load.Options{})
		if ds.HasErrors() {
			t.Fatalf("example %s does not load: %v", rel, ds)
		}
		out = append(out, Example{Name: e.Name(), Path: rel, Desc: d})
	}
	if len(out) == 0 {
		t.Fatal("no examples under examples/")
	}
	return out
}

func holdsDescription(dir string) bool {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !e.IsDir() && load.KindOf(e.Name()) != load.KindUnknown {
			return true
		}
	}
	return false
}

// Golden generates every example with g and compares each file with
// testdata/<example>/<target>[-<format>]/<file> in the calling package's
// folder; -update
// rewrites them. Stale golden files (for outputs no longer produced) fail
// too, so a rename does not leave orphans behind.
func Golden(t *testing.T, g generators.Generator, opts generators.Options) {
	t.Helper()
	for _, ex := range Examples(t) {
		t.Run(ex.Name, func(t *testing.T) {
			o := opts
			o.Source = filepath.ToSlash(ex.Path)
			files, err := g.Generate(ex.Desc, o)
			var unsupported *generators.UnsupportedError
			if errors.As(err, &unsupported) {
				files, err = nil, nil // no output is the golden output
			}
			if err != nil {
				t.Fatal(err)
			}
			sub := g.Name()
			if o.Format != "" {
				sub += "-" + o.Format
			}
			dir := filepath.Join("testdata", ex.Name, sub)
			if *update {
				_ = os.RemoveAll(dir)
			}
			want := map[string]bool{}
			for _, f := range files {
				p := filepath.Join(dir, filepath.FromSlash(f.Path))
				want[p] = true
				if *update {
					if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(p, f.Content, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				b, err := os.ReadFile(p)
				if err != nil {
					t.Fatalf("%v (run go test -update to create it)", err)
				}
				if !bytes.Equal(b, f.Content) {
					t.Errorf("%s differs from the generated output (run go test -update and review the diff):\n%s", p, FirstDiff(b, f.Content))
				}
			}
			_ = filepath.WalkDir(dir, func(p string, de os.DirEntry, err error) error {
				if err == nil && !de.IsDir() && !want[p] {
					t.Errorf("%s is not generated any more (run go test -update)", p)
				}
				return nil
			})
		})
	}
}

// FirstDiff describes the first line where a and b differ.
func FirstDiff(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n  golden:    %q\n  generated: %q", i+1, x, y)
		}
	}
	return "(same lines, different bytes)"
}

// Parse checks that content parses with its format's parser, chosen by the
// file extension, and for OpenAPI and Swagger documents that kin-openapi
// validates them. It returns the decoded JSON/YAML value (nil for HCL and
// others).
func Parse(name string, content []byte) (any, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json":
		var v any
		if err := json.Unmarshal(content, &v); err != nil {
			return nil, err
		}
		return v, validateOpenAPI(v)
	case ".yaml", ".yml":
		var v any
		if err := yaml.Unmarshal(content, &v); err != nil {
			return nil, err
		}
		// Round-trip through JSON so that maps are map[string]any.
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("YAML that JSON cannot hold: %w", err)
		}
		var j any
		if err := json.Unmarshal(b, &j); err != nil {
			return nil, err
		}
		return j, validateOpenAPI(j)
	case ".tf", ".hcl":
		_, diags := hclsyntax.ParseConfig(content, name, hcl.InitialPos)
		if diags.HasErrors() {
			return nil, diags
		}
		return nil, nil
	}
	return nil, nil
}

func validateOpenAPI(v any) error {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	b, _ := json.Marshal(greedyAsKin(m))
	ctx := context.Background()
	switch {
	case m["openapi"] != nil:
		doc, err := openapi3.NewLoader().LoadFromData(b)
		if err != nil {
			return fmt.Errorf("kin-openapi load: %w", err)
		}
		if err := doc.Validate(ctx); err != nil {
			return fmt.Errorf("kin-openapi validate: %w", err)
		}
	case m["swagger"] != nil:
		var doc2 openapi2.T
		if err := json.Unmarshal(b, &doc2); err != nil {
			return fmt.Errorf("kin-openapi swagger load: %w", err)
		}
		doc3, err := openapi2conv.ToV3(&doc2)
		if err != nil {
			return fmt.Errorf("kin-openapi swagger convert: %w", err)
		}
		if err := doc3.Validate(ctx); err != nil {
			return fmt.Errorf("kin-openapi validate (as OAS 3): %w", err)
		}
	}
	return nil
}

// greedyAsKin returns a copy of an OpenAPI document in which the path
// parameter of a greedy segment ({proxy+}) is named as kin-openapi expects
// ("proxy+"). API Gateway names it "proxy", in its own exports too, and
// that is what the generators write; kin-openapi would otherwise reject
// every greedy path.
func greedyAsKin(doc map[string]any) map[string]any {
	b, _ := json.Marshal(doc)
	var c map[string]any
	_ = json.Unmarshal(b, &c)
	paths, _ := c["paths"].(map[string]any)
	for p, item := range paths {
		greedy := map[string]bool{}
		for _, seg := range strings.Split(p, "/") {
			if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "+}") {
				greedy[seg[1:len(seg)-2]] = true
			}
		}
		if len(greedy) == 0 {
			continue
		}
		ops, _ := item.(map[string]any)
		for k, op := range ops {
			if k == "x-amazon-apigateway-any-method" {
				continue // not an operation to kin-openapi
			}
			om, ok := op.(map[string]any)
			if !ok || k == "parameters" || strings.HasPrefix(k, "x-") {
				continue
			}
			params, _ := om["parameters"].([]any)
			declared := map[string]bool{}
			for _, x := range params {
				pm, _ := x.(map[string]any)
				if name, _ := pm["name"].(string); pm["in"] == "path" && greedy[name] {
					pm["name"] = name + "+"
					declared[name] = true
				}
			}
			// The generators leave a greedy parameter undeclared where no
			// mapping needs it (Redocly rejects both spellings).
			for name := range greedy {
				if !declared[name] {
					p := map[string]any{"name": name + "+", "in": "path", "required": true, "type": "string"}
					if c["openapi"] != nil {
						delete(p, "type")
						p["schema"] = map[string]any{"type": "string"}
					}
					params = append(params, p)
				}
			}
			om["parameters"] = params
		}
	}
	return c
}

// SortedPaths lists generated file paths, sorted.
func SortedPaths(files []generators.File) []string {
	var out []string
	for _, f := range files {
		out = append(out, f.Path)
	}
	sort.Strings(out)
	return out
}
