package cloudformation

import (
	"strings"
	"testing"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/internal/gentest"
)

// An API at API Gateway's default quota is far over CloudFormation's 500
// resources per template, and the generated file says so; the examples fit
// (their only warnings say what an existing API keeps: its CORS).
func TestLimits(t *testing.T) {
	for _, ex := range gentest.Examples(t) {
		files, err := New().Generate(ex.Desc, generators.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if ws := f.Warnings; len(ws) > 0 && (len(ws) > 1 || ws[0].Code != generators.CodeExistingAPICORS) {
				t.Errorf("%s: %v", ex.Name, f.Warnings)
			}
		}
	}
	files, err := New().Generate(gentest.Synthetic(300), generators.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ws := files[0].Warnings
	if len(ws) != 2 || ws[0].Code != "cloudformation-resources" || ws[1].Code != "cloudformation-template-size" {
		t.Fatalf("warnings: %v", ws)
	}
	if !strings.Contains(ws[0].Detail, "has 2107 resources") {
		t.Errorf("resource warning: %q", ws[0].Detail)
	}
	// A described API's warning points at its api block.
	a := gentest.Examples(t)[0].Desc.APIs[0]
	if got := Limits(a, "cloudformation", MaxResources+1, 0); len(got) != 1 || got[0].Range == nil || got[0].Range.Start.Line == 0 {
		t.Errorf("warning without a position: %v", got)
	}
	if got := Limits(gentest.Synthetic(1).APIs[0], "sam", 0, MaxTemplateBytes+1); len(got) != 1 || got[0].Code != "cloudformation-template-size" {
		t.Errorf("size alone: %v", got)
	}
}
