package openapi

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/internal/gentest"
)

// BenchmarkRedoclyLint times Redocly (peers/redocly) linting the OpenAPI
// written for the 1,500-method description, to put the generators' own
// times in proportion:
//
//	go test ./generators/openapi -run '^$' -bench RedoclyLint -benchtime=3x
func BenchmarkRedoclyLint(b *testing.B) {
	bin := filepath.Join(gentest.Root(b), "peers", "redocly", "node_modules", ".bin", "redocly")
	if _, err := os.Stat(bin); err != nil {
		if os.Getenv("CI") != "" {
			b.Fatalf("redocly is not installed (run npm ci in peers/redocly): %v", err)
		}
		b.Skip("redocly is not installed; run npm ci in peers/redocly")
	}
	files, err := New().Generate(gentest.Synthetic(300), generators.Options{Source: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	p := filepath.Join(b.TempDir(), files[0].Path)
	if err := os.WriteFile(p, files[0].Content, 0o644); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		cmd := exec.Command(bin, "lint", p)
		cmd.Env = append(os.Environ(), "REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("redocly lint: %v\n%s", err, out)
		}
	}
}
