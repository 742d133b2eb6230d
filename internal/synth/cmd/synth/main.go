// Command synth writes a synthetic description for benchmarks:
//
//	go run ./internal/synth/cmd/synth -routes 10000 -format openapi > big.yaml
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/portcullis-dev/portcullis/internal/synth"
)

func main() {
	routes := flag.Int("routes", 10000, "number of routes")
	authorizers := flag.Int("authorizers", 10, "number of authorizers")
	format := flag.String("format", "hcl", "hcl, openapi (YAML) or openapi-json; http-hcl or http-openapi for an HTTP API (v2)")
	flag.Parse()
	var out []byte
	switch *format {
	case "hcl":
		out = synth.HCL(*routes, *authorizers)
	case "openapi":
		out = synth.OpenAPI(*routes, *authorizers)
	case "openapi-json":
		out = synth.OpenAPIJSON(*routes, *authorizers)
	case "http-hcl":
		out = synth.HTTPHCL(*routes, *authorizers)
	case "http-openapi":
		out = synth.HTTPOpenAPI(*routes, *authorizers)
	default:
		fmt.Fprintln(os.Stderr, "synth: -format must be hcl, openapi, openapi-json, http-hcl or http-openapi")
		os.Exit(2)
	}
	os.Stdout.Write(out)
}
