package oasspec

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/portcullis-dev/portcullis/spec"
)

// FuzzRead: no document may panic the reader or validation.
func FuzzRead(f *testing.F) {
	for _, glob := range []string{"../../examples/*/*.yaml", "../../examples/*/*.json", "../load/testdata/errors/*.yaml", "../load/testdata/errors/*.json"} {
		files, _ := filepath.Glob(glob)
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte(`{"swagger":"2.0","info":{"title":"t","version":"1"},"paths":{"/a":{"get":{"security":[{"p":["x"]}]}}}}`))
	f.Fuzz(func(t *testing.T, src []byte) {
		d, diags := Read("f.yaml", src, Options{})
		if !diags.HasErrors() {
			spec.Validate(d)
		}
	})
}
