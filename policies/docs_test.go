package policies

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files and docs/rules")

const docsDir = "../docs/rules"

// The docs in docs/rules are generated from the registry; CI fails when
// someone changes a rule without regenerating them.
func TestDocsCurrent(t *testing.T) {
	files := DocFiles()
	if *update {
		if err := os.MkdirAll(docsDir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, text := range files {
			if err := os.WriteFile(filepath.Join(docsDir, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(docsDir, name))
		if err != nil {
			t.Errorf("docs/rules/%s missing: run `go generate ./policies`", name)
			continue
		}
		if diff := cmp.Diff(want, string(got)); diff != "" {
			t.Errorf("docs/rules/%s is stale: run `go generate ./policies` (-want +got):\n%s", name, diff)
		}
	}
	entries, err := os.ReadDir(docsDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if _, ok := files[e.Name()]; !ok && strings.HasPrefix(e.Name(), IDPrefix) {
			t.Errorf("docs/rules/%s documents no registered rule: run `go generate ./policies`", e.Name())
		}
	}
}

func TestTextShowsExamples(t *testing.T) {
	r := Lookup("PCA004")
	txt := r.Text(true)
	for _, want := range []string{"PCA004  authorized-cors-preflight  (error)", "WHY\n", "RESOLUTION\n", "BAD EXAMPLE (hcl, policies/examples/PCA004/bad.hcl)", `route "OPTIONS /orders"`} {
		if !strings.Contains(txt, want) {
			t.Errorf("Text() lacks %q:\n%s", want, txt)
		}
	}
	if strings.Contains(r.Text(false), "EXAMPLE") {
		t.Error("Text(false) prints examples")
	}
}
