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
