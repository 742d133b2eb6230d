package hclspec

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/portcullis-dev/portcullis/spec"
)

// Per input, the reader gets this much time and memory; scripts/test runs
// the target for a fixed number of executions.
const (
	fuzzTime  = 2 * time.Second
	fuzzAlloc = 256 << 20
)

// FuzzRead: no input may panic the reader; every error has a summary;
// each input is read within the time and memory budget; and the limit
// scanner never misses nesting the HCL lexer sees (it may only be
// stricter).
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
	f.Add([]byte(`api "x" { description = format("%-3000000000s", "x") }`))
	f.Add([]byte("api \"x\" { description = <<EOT\n${\"(((\"}\nEOT\n}"))
	// HTTP APIs: $default, an identity source list, a derived issuer.
	f.Add([]byte(`http_api "h" { authorizer "a" { user_pool_id = "us-east-1_X" audiences = ["c"] identity_source = ["$request.header.A", "$x"] } route "$default" { authorizer = authorizer.a } stage "$default" { auto_deploy = true } }`))
	f.Add([]byte(`http_api "h" { route "$default GET /" {} route "ANY /{proxy+}" { integration { type = "HTTP_PROXY" } } }`))
	f.Fuzz(func(t *testing.T, src []byte) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		d, diags := Read(map[string][]byte{"f.hcl": src}, []VarValue{{Name: "x", Raw: "1"}})
		if !diags.HasErrors() {
			diags = append(diags, spec.Validate(d)...)
		}
		el := time.Since(start)
		runtime.ReadMemStats(&after)
		for _, d := range diags {
			if d.Summary == "" {
				t.Fatalf("diagnostic without a summary: %#v", d)
			}
		}
		if el > fuzzTime {
			t.Fatalf("read took %v (budget %v)", el, fuzzTime)
		}
		if a := after.TotalAlloc - before.TotalAlloc; a > fuzzAlloc {
			t.Fatalf("read allocated %d MB (budget %d MB)", a>>20, fuzzAlloc>>20)
		}
		if lexDepth(src) > MaxNesting && !checkLimits(src, "f.hcl", hcl.InitialPos).HasErrors() {
			t.Fatalf("the lexer nests deeper than %d and the scanner let it through", MaxNesting)
		}
	})
}

// lexDepth is the deepest nesting of the tokens HCL's lexer produces.
func lexDepth(src []byte) int {
	toks, _ := hclsyntax.LexConfig(src, "f.hcl", hcl.InitialPos)
	depth, most := 0, 0
	for _, t := range toks {
		switch t.Type {
		case hclsyntax.TokenOParen, hclsyntax.TokenOBrack, hclsyntax.TokenOBrace,
			hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
			depth++
			most = max(most, depth)
		case hclsyntax.TokenCParen, hclsyntax.TokenCBrack, hclsyntax.TokenCBrace, hclsyntax.TokenTemplateSeqEnd:
			depth = max(depth-1, 0)
		}
	}
	return most
}
