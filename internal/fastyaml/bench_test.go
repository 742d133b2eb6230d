package fastyaml

import (
	"testing"

	"go.yaml.in/yaml/v4"

	"github.com/portcullis-dev/portcullis/internal/synth"
)

// BenchmarkParse compares Parse with yaml.Unmarshal into a yaml.Node on the
// 10,000-route synthetic description, in YAML and rendered as indented
// JSON.
func BenchmarkParse(b *testing.B) {
	src := synth.OpenAPI(10000, 10)
	for _, format := range []struct {
		name string
		src  []byte
	}{{"yaml", src}, {"json", jsonOf(b, src)}} {
		b.Run(format.name+"/fastyaml", func(b *testing.B) {
			b.SetBytes(int64(len(format.src)))
			b.ReportAllocs()
			for b.Loop() {
				if _, ok := Parse(format.src); !ok {
					b.Fatal("not fast-pathed")
				}
			}
		})
		b.Run(format.name+"/yamlv4", func(b *testing.B) {
			b.SetBytes(int64(len(format.src)))
			b.ReportAllocs()
			for b.Loop() {
				var n yaml.Node
				if err := yaml.Unmarshal(format.src, &n); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
