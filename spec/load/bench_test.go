package load

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/portcullis-dev/portcullis/internal/synth"
)

// The synthetic descriptions must load clean, or the benchmark measures
// error paths.
func TestSyntheticLoadsClean(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string][]byte{"s.hcl": synth.HCL(500, 10), "s.yaml": synth.OpenAPI(500, 10), "s.json": synth.OpenAPIJSON(500, 10)} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, src, 0o644); err != nil {
			t.Fatal(err)
		}
		d, diags := Load(p, Options{})
		if diags.HasErrors() {
			t.Fatalf("%s: %s", name, dump(diags))
		}
		if n := len(d.APIs[0].Routes); n != 500 {
			t.Fatalf("%s: %d routes", name, n)
		}
	}
	for name, src := range map[string][]byte{"h.hcl": synth.HTTPHCL(500, 10), "h.yaml": synth.HTTPOpenAPI(500, 10)} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, src, 0o644); err != nil {
			t.Fatal(err)
		}
		d, diags := Load(p, Options{})
		if diags.HasErrors() {
			t.Fatalf("%s: %s", name, dump(diags))
		}
		if n := len(d.HTTPAPIs[0].Routes); n != 500 {
			t.Fatalf("%s: %d routes", name, n)
		}
	}
}

func benchLoad(b *testing.B, name string, src []byte) {
	p := filepath.Join(b.TempDir(), name)
	if err := os.WriteFile(p, src, 0o644); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d, diags := Load(p, Options{})
		if diags.HasErrors() || len(d.APIs)+len(d.HTTPAPIs) != 1 {
			b.Fatal("bad load")
		}
		if len(d.APIs) == 1 && len(d.APIs[0].Routes) != 10000 || len(d.HTTPAPIs) == 1 && len(d.HTTPAPIs[0].Routes) != 10000 {
			b.Fatal("bad load")
		}
	}
}

// BenchmarkLoad10kHCL: load + validate 10,000 routes, 10 authorizers.
func BenchmarkLoad10kHCL(b *testing.B) { benchLoad(b, "big.hcl", synth.HCL(10000, 10)) }

// BenchmarkLoad10kOpenAPI: the same description as OpenAPI 3.0 YAML.
func BenchmarkLoad10kOpenAPI(b *testing.B) { benchLoad(b, "big.yaml", synth.OpenAPI(10000, 10)) }

// BenchmarkLoad10kOpenAPIJSON: the same as indented JSON, as GetExport writes it.
func BenchmarkLoad10kOpenAPIJSON(b *testing.B) {
	benchLoad(b, "big.json", synth.OpenAPIJSON(10000, 10))
}

// BenchmarkLoad10kHTTPHCL: load + validate a 10,000-route HTTP API (v2), 10
// JWT authorizers.
func BenchmarkLoad10kHTTPHCL(b *testing.B) { benchLoad(b, "big-http.hcl", synth.HTTPHCL(10000, 10)) }

// BenchmarkLoad10kHTTPOpenAPI: the same HTTP API as OpenAPI 3.0 YAML.
func BenchmarkLoad10kHTTPOpenAPI(b *testing.B) {
	benchLoad(b, "big-http.yaml", synth.HTTPOpenAPI(10000, 10))
}
