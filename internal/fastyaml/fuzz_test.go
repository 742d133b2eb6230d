package fastyaml

import (
	"os"
	"path/filepath"
	"testing"

	"go.yaml.in/yaml/v4"

	"github.com/portcullis-dev/portcullis/internal/synth"
)

// FuzzParse holds the fast path to its promise: whenever it takes a
// document, yaml/v4 accepts it too and builds the same tree, and the
// conversions both ways agree with it; and it never panics (parse, unlike
// Parse, lets a panic through).
func FuzzParse(f *testing.F) {
	for _, src := range fast {
		f.Add([]byte(src))
	}
	for _, src := range slow {
		f.Add([]byte(src))
	}
	for _, b := range corpus(f) {
		f.Add(b)
	}
	for _, name := range []string{"export.swagger.yaml", "export.oas30.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	small := synth.OpenAPI(3, 2)
	f.Add(small)
	f.Add(jsonOf(f, small))
	f.Fuzz(func(t *testing.T, src []byte) {
		got, ok := parse(src)
		if !ok {
			return
		}
		var want yaml.Node
		if err := yaml.Unmarshal(src, &want); err != nil {
			t.Fatalf("%q: fast path took a document yaml/v4 rejects: %v", src, err)
		}
		if err := same(got, &want); err != nil {
			t.Fatalf("%q: %v", src, err)
		}
	})
}
