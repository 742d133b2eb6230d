package load

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/portcullis-dev/portcullis/spec"
)

var markerRe = regexp.MustCompile(`(ERROR|WARNING): ([a-z0-9-]+)`)

// TestErrorMarkers loads every file under testdata/errors and compares the
// diagnostics with the inline markers: each "ERROR: code" comment must be
// matched by a diagnostic of that code starting on its line, and every
// diagnostic must be marked.
func TestErrorMarkers(t *testing.T) {
	files, _ := filepath.Glob("testdata/errors/*")
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]bool{}
			for i, line := range strings.Split(string(src), "\n") {
				for _, m := range markerRe.FindAllStringSubmatch(line, -1) {
					want[fmt.Sprintf("%d %s %s", i+1, strings.ToLower(m[1]), m[2])] = true
				}
			}
			_, diags := Load(f, Options{})
			got := map[string]bool{}
			for _, d := range diags {
				if d.Range == nil {
					t.Errorf("diagnostic without a range: %v", d)
					continue
				}
				if d.Range.Filename != f {
					t.Errorf("diagnostic in %q, want %q: %v", d.Range.Filename, f, d)
				}
				got[fmt.Sprintf("%d %s %s", d.Range.Start.Line, d.Severity, d.Code)] = true
			}
			for k := range want {
				if !got[k] {
					t.Errorf("missing diagnostic: line %s", k)
				}
			}
			for k := range got {
				if !want[k] {
					t.Errorf("unexpected diagnostic: line %s (all: %s)", k, dump(diags))
				}
			}
		})
	}
}

func dump(ds spec.Diagnostics) string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Error())
	}
	sort.Strings(out)
	return "\n  " + strings.Join(out, "\n  ")
}

// TestTodoHCLAndOpenAPIAgree is the promise of one model: the HCL and the
// OpenAPI form of the todo example give the same document.
func TestTodoHCLAndOpenAPIAgree(t *testing.T) {
	h, hd := Load("../../examples/todo/todo.hcl", Options{})
	o, od := Load("../../examples/todo/todo.openapi.yaml", Options{})
	if len(hd)+len(od) > 0 {
		t.Fatalf("diagnostics: %s %s", dump(hd), dump(od))
	}
	hj := mustJSON(t, spec.ToDocument(h, spec.DocOptions{NoSources: true}))
	oj := mustJSON(t, spec.ToDocument(o, spec.DocOptions{NoSources: true}))
	if hj != oj {
		t.Fatalf("models differ:\nHCL:\n%s\nOpenAPI:\n%s", hj, oj)
	}
	if len(h.APIs) != 1 || len(h.APIs[0].Routes) != 5 {
		t.Fatalf("unexpected model: %s", hj)
	}
}

// The same promise for HTTP APIs.
func TestHTTPAPIHCLAndOpenAPIAgree(t *testing.T) {
	h, hd := Load("../../examples/http-api/http-api.hcl", Options{})
	o, od := Load("../../examples/http-api/http-api.openapi.yaml", Options{})
	if len(hd)+len(od) > 0 {
		t.Fatalf("diagnostics: %s %s", dump(hd), dump(od))
	}
	hj := mustJSON(t, spec.ToDocument(h, spec.DocOptions{NoSources: true}))
	oj := mustJSON(t, spec.ToDocument(o, spec.DocOptions{NoSources: true}))
	if hj != oj {
		t.Fatalf("models differ:\nHCL:\n%s\nOpenAPI:\n%s", hj, oj)
	}
	if len(h.HTTPAPIs) != 1 || len(h.HTTPAPIs[0].Routes) != 5 || len(h.APIs) != 0 {
		t.Fatalf("unexpected model: %s", hj)
	}
}

// Every example is a fixture: it must load and validate clean.
func TestExamplesLoadClean(t *testing.T) {
	dirs, _ := filepath.Glob("../../examples/*")
	n := 0
	for _, dir := range dirs {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			p := filepath.Join(dir, e.Name())
			if KindOf(p) == KindUnknown || e.IsDir() {
				continue
			}
			if KindOf(p) == KindOpenAPI && !looksLikeOpenAPI(p) {
				continue
			}
			n++
			d, diags := Load(p, Options{})
			if diags.HasErrors() {
				t.Errorf("%s: %s", p, dump(diags))
				continue
			}
			if (len(d.APIs) == 0 || len(d.APIs[0].Routes) == 0) && (len(d.HTTPAPIs) == 0 || len(d.HTTPAPIs[0].Routes) == 0) {
				t.Errorf("%s: no routes", p)
			}
		}
	}
	if n < 5 {
		t.Fatalf("only %d example files found", n)
	}
}

func looksLikeOpenAPI(p string) bool {
	b, err := os.ReadFile(p)
	return err == nil && (strings.Contains(string(b), "openapi") || strings.Contains(string(b), "swagger"))
}

// A directory of .hcl files is one description: variables declared in one
// file are visible in another, and a route in one file may use an
// authorizer from another.
func TestDirectoryIsOneDescription(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("variables.hcl", `variable "pool" {
  default = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Dir"
}`)
	write("api.hcl", `api "dir" {
  authorizer "a" {
    user_pool_arns = [var.pool]
  }
  route "GET /x" {
    authorizer = authorizer.a
  }
}`)
	write("README.md", "not a description")
	d, diags := Load(dir, Options{})
	if diags.HasErrors() {
		t.Fatal(dump(diags))
	}
	if got := d.APIs[0].Authorizers[0].UserPoolARNs[0]; !strings.HasSuffix(got, "_Dir") {
		t.Fatalf("variable from another file not applied: %s", got)
	}
	if len(d.Files) != 2 {
		t.Fatalf("want 2 source files kept for snippets, got %d", len(d.Files))
	}
}

func TestOversizedInputRefused(t *testing.T) {
	p := filepath.Join(t.TempDir(), "huge.yaml")
	if err := os.WriteFile(p, make([]byte, MaxFileBytes+1), 0o644); err != nil {
		t.Fatal(err)
	}
	_, diags := Load(p, Options{})
	if !diags.HasErrors() || !strings.Contains(diags[0].Detail, "larger than 10 MiB") {
		t.Fatalf("want a size refusal, got %s", dump(diags))
	}
}
