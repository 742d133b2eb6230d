package plan_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/portcullis-dev/portcullis/plan"
	"github.com/portcullis-dev/portcullis/views"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestTextGolden pins the Terraform-style rendering.
func TestTextGolden(t *testing.T) {
	for name, p := range map[string]*plan.Plan{
		"prune.txt": plan.Make(described(), current(), plan.Options{Prune: true}),
		"new.txt":   plan.Make(described(), nil, plan.Options{}),
	} {
		var b bytes.Buffer
		if err := views.PlanText(&b, p, false); err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", name)
		if *update {
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./plan -update)", err)
		}
		if !bytes.Equal(want, b.Bytes()) {
			t.Errorf("%s differs (go test ./plan -update to accept):\n--- want\n%s\n--- got\n%s", name, want, b.Bytes())
		}
	}
}
