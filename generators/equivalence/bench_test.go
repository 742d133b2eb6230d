package equivalence_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/equivalence"
	"github.com/portcullis-dev/portcullis/generators/internal/gentest"
	"github.com/portcullis-dev/portcullis/generators/registry"
)

// BenchmarkRedoclyLint times one `redocly lint` of the OpenAPI generated for
// API Gateway's default quota (300 resources, 1,500 methods), next to
// BenchmarkGenerate in generators/registry.
//
//	go test ./generators/equivalence -run '^$' -bench RedoclyLint -benchtime 5x
func BenchmarkRedoclyLint(b *testing.B) {
	dir := filepath.Join(gentest.Root(b), "peers", "redocly")
	r := &equivalence.Redocly{Dir: dir}
	if err := r.Available(); err != nil {
		if os.Getenv("CI") != "" || !errors.Is(err, equivalence.ErrNotInstalled) {
			b.Fatal(err)
		}
		b.Skip(err)
	}
	g, _ := registry.Lookup("openapi")
	for _, format := range []string{"yaml", "json"} {
		files, err := g.Generate(gentest.Synthetic(300), generators.Options{Source: "bench", Format: format})
		if err != nil {
			b.Fatal(err)
		}
		p := filepath.Join(b.TempDir(), files[0].Path)
		if err := os.WriteFile(p, files[0].Content, 0o644); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("methods=1500/%s", format), func(b *testing.B) {
			for b.Loop() {
				problems, err := r.Lint(context.Background(), filepath.Join(dir, "redocly.yaml"), p)
				if err != nil {
					b.Fatal(err)
				}
				for _, pr := range problems {
					if pr.Severity == "error" {
						b.Fatalf("%s", pr)
					}
				}
			}
		})
	}
}

// BenchmarkCheck times the equivalence check without peers (generate every
// target, read each back, compare) at 1,500 and 10,000 methods.
//
//	go test ./generators/equivalence -run '^$' -bench Check -benchtime 3x
func BenchmarkCheck(b *testing.B) {
	for _, size := range []int{300, 2000} {
		d := gentest.Synthetic(size)
		in := []equivalence.Input{{Name: "bench", Desc: d}}
		b.Run(fmt.Sprintf("methods=%d", len(d.APIs[0].Routes)), func(b *testing.B) {
			for b.Loop() {
				for _, r := range equivalence.Check(context.Background(), in, equivalence.Options{}) {
					if !r.OK {
						b.Fatal(text(r))
					}
				}
			}
		})
	}
}
