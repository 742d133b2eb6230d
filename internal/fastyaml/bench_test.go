//go:build unix

package fastyaml

import (
	"testing"

	"go.yaml.in/yaml/v4"

	"github.com/portcullis-dev/portcullis/internal/cputime"
	"github.com/portcullis-dev/portcullis/internal/synth"
)

// BenchmarkParse compares Parse with yaml.Unmarshal into a yaml.Node on the
// 10,000-route synthetic description, in YAML and rendered as indented
// JSON. Besides wall time it reports cpu-ns/op, the CPU time of the whole
// process (garbage collection included) per operation: on a machine
// shared with other builds that is the steadier number.
func BenchmarkParse(b *testing.B) {
	src := synth.OpenAPI(10000, 10)
	for _, format := range []struct {
		name string
		src  []byte
	}{{"yaml", src}, {"json", jsonOf(b, src)}} {
		b.Run(format.name+"/fastyaml", func(b *testing.B) {
			measure(b, format.src, func() {
				if _, ok := Parse(format.src); !ok {
					b.Fatal("not fast-pathed")
				}
			})
		})
		b.Run(format.name+"/yamlv4", func(b *testing.B) {
			measure(b, format.src, func() {
				var n yaml.Node
				if err := yaml.Unmarshal(format.src, &n); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

func measure(b *testing.B, src []byte, op func()) {
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	start := cputime.Process()
	for b.Loop() {
		op()
	}
	b.ReportMetric(float64(cputime.Process()-start)/float64(b.N), "cpu-ns/op")
}
