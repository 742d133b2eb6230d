package registry

import (
	"fmt"
	"testing"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/internal/gentest"
	"github.com/portcullis-dev/portcullis/spec"
)

// BenchmarkGenerate times every target on a description at API Gateway's
// default quota (300 resources, 1,500 methods) and on 2,000 resources
// (10,000 routes), to show that time grows linearly with the routes.
//
//	go test ./generators/registry -run '^$' -bench Generate -benchmem
func BenchmarkGenerate(b *testing.B) {
	for _, size := range []int{300, 2000} {
		d := gentest.Synthetic(size)
		if ds := spec.Validate(d); ds.HasErrors() {
			b.Fatal(ds)
		}
		routes := len(d.APIs[0].Routes)
		for _, g := range All() {
			b.Run(fmt.Sprintf("%s/routes=%d", g.Name(), routes), func(b *testing.B) {
				for b.Loop() {
					if _, err := g.Generate(d, generators.Options{Source: "bench"}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(routes), "ns/route")
			})
		}
		b.Run(fmt.Sprintf("all/routes=%d", routes), func(b *testing.B) {
			for b.Loop() {
				for _, g := range All() {
					if _, err := g.Generate(d, generators.Options{Source: "bench"}); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(routes), "ns/route")
		})
	}
}

// BenchmarkGenerateHTTP is BenchmarkGenerate for an HTTP API (v2) of the
// same shape at 1,500 routes, for every target that writes HTTP APIs
// (all but swagger): the figure to hold against BenchmarkGenerate's.
//
//	go test ./generators/registry -run '^$' -bench 'Generate(HTTP)?/.*routes=1500' -benchmem
func BenchmarkGenerateHTTP(b *testing.B) {
	d := gentest.SyntheticHTTP(300)
	if ds := spec.Validate(d); ds.HasErrors() {
		b.Fatal(ds)
	}
	routes := len(d.HTTPAPIs[0].Routes)
	var gens []generators.Generator
	for _, g := range All() {
		if _, err := g.Generate(d, generators.Options{Source: "bench"}); err == nil {
			gens = append(gens, g)
		}
	}
	for _, g := range gens {
		b.Run(fmt.Sprintf("%s/routes=%d", g.Name(), routes), func(b *testing.B) {
			for b.Loop() {
				if _, err := g.Generate(d, generators.Options{Source: "bench"}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(routes), "ns/route")
		})
	}
	b.Run(fmt.Sprintf("all/routes=%d", routes), func(b *testing.B) {
		for b.Loop() {
			for _, g := range gens {
				if _, err := g.Generate(d, generators.Options{Source: "bench"}); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(routes), "ns/route")
	})
}
