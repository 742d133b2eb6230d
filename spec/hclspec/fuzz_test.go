package hclspec

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzRead: no input may panic the reader; every error has a position.
func FuzzRead(f *testing.F) {
	for _, glob := range []string{"../../examples/*/*.hcl", "../load/testdata/errors/*.hcl"} {
		files, _ := filepath.Glob(glob)
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte(`api "x" { route "GET /{a+}/b" { authorizer = authorizer.x.y } }`))
	f.Fuzz(func(t *testing.T, src []byte) {
		_, diags := Read(map[string][]byte{"f.hcl": src}, []VarValue{{Name: "x", Raw: "1"}})
		for _, d := range diags {
			if d.Summary == "" {
				t.Fatalf("diagnostic without a summary: %#v", d)
			}
		}
	})
}
