package terraform

import (
	"math/rand/v2"
	"testing"

	"github.com/portcullis-dev/portcullis/generators/internal/gentest"
	"github.com/portcullis-dev/portcullis/spec"
)

// sameAsHCLWrite fails t unless the token writer writes a's file, byte for
// byte, as hclwrite's Body and formatter write it, and reports whether it
// wrote it at all (rather than leave it to hclwrite).
func sameAsHCLWrite(t *testing.T, a *spec.API) bool {
	t.Helper()
	want, _ := write(&hclDoc{}, a, a.Stages, "test.hcl")
	got, ok := write(&tokenDoc{}, a, a.Stages, "test.hcl")
	if ok && string(got) != string(want) {
		t.Fatalf("api %s: the token writer differs from hclwrite: %s\nhclwrite:\n%s\ntokens:\n%s", a.Name, gentest.FirstDiff(want, got), want, got)
	}
	return ok
}

// TestTokensMatchHCLWrite compares the two writers on the examples, on
// random descriptions and on the benchmark's description.
func TestTokensMatchHCLWrite(t *testing.T) {
	var apis []*spec.API
	for _, ex := range gentest.Examples(t) {
		apis = append(apis, ex.Desc.APIs...)
	}
	for seed := range gentest.Seeds(40) {
		apis = append(apis, gentest.Random(rand.New(rand.NewPCG(seed, 7))).APIs...)
	}
	apis = append(apis, gentest.Synthetic(40).APIs...)
	declined := 0
	for _, a := range apis {
		if !sameAsHCLWrite(t, a) {
			declined++
		}
	}
	if declined > len(apis)/10 {
		t.Fatalf("the token writer declined %d of %d APIs", declined, len(apis))
	}
}

// TestTokensDecline: names to align that are not ASCII go to hclwrite,
// which measures them in grapheme clusters.
func TestTokensDecline(t *testing.T) {
	d := gentest.Synthetic(2)
	a := d.APIs[0]
	a.Stages[0].Variables = map[string]string{"ünïcode": "✓", "plain": "x"}
	if sameAsHCLWrite(t, a) {
		t.Fatal("a non-ASCII map key to align must be left to hclwrite")
	}
	got := File(a, a.Stages, "test.hcl")
	want, _ := write(&hclDoc{}, a, a.Stages, "test.hcl")
	if string(got) != string(want) {
		t.Fatalf("File must fall back to hclwrite:\n%s", got)
	}
}

// TestTokensDeclineLateContent: content for a block after its parent moved
// on goes inside that block in hclwrite's tree; the token stream has
// closed it, so it declines.
func TestTokensDeclineLateContent(t *testing.T) {
	d := &tokenDoc{}
	top := d.chunk()
	inner := top.block("resource", "a", "b")
	inner.str("x", "1")
	top.newline()
	inner.str("y", "2")
	if _, ok := d.bytes(); ok {
		t.Fatal("content for a closed block must be left to hclwrite")
	}
	d = &tokenDoc{}
	top = d.chunk()
	outer := top.block("resource", "a", "b")
	outer.block("lifecycle").str("x", "1")
	outer.str("after", "2")
	got, ok := d.bytes()
	want := "resource \"a\" \"b\" {\n  lifecycle {\n    x = \"1\"\n  }\n  after = \"2\"\n}\n"
	if !ok || string(got) != want {
		t.Fatalf("got %q, %v; want %q", got, ok, want)
	}
}

// FuzzTokens holds the token writer to hclwrite on random descriptions
// carrying the fuzzer's strings wherever the model takes free text: names,
// descriptions, templates, URIs, validation expressions, stage variables
// (whose keys are aligned) and the header's source path.
// go test ./generators/terraform -run '^$' -fuzz FuzzTokens
func FuzzTokens(f *testing.F) {
	for _, s := range []string{"", "x", "a b", "ünïcode", "✓", "${x}", "%{if}", "\"", "\\", "\n", "\t", "#", "//", "/*", "<<EOF", "\x00", "\u200d", "e\u0301", "日本"} {
		f.Add(uint64(len(s)), s, "k"+s)
	}
	f.Fuzz(func(t *testing.T, seed uint64, s, key string) {
		a := gentest.Random(rand.New(rand.NewPCG(seed, 7))).APIs[0]
		a.Description = s
		for i, az := range a.Authorizers {
			if i == 0 {
				az.ValidationExpression = s
			}
		}
		for _, r := range a.Routes {
			if in := r.Integration; in != nil {
				in.URI = s
				in.RequestTemplates = map[string]string{key: s, "application/json": s}
				break
			}
		}
		for _, g := range a.GatewayResponses {
			g.ResponseTemplates = map[string]string{key: s}
		}
		for _, st := range a.Stages {
			st.Variables = map[string]string{key: s, "a": "b"}
		}
		want, _ := write(&hclDoc{}, a, a.Stages, s)
		got, ok := write(&tokenDoc{}, a, a.Stages, s)
		if ok && string(got) != string(want) {
			t.Fatalf("the token writer differs from hclwrite: %s\nhclwrite:\n%s\ntokens:\n%s", gentest.FirstDiff(want, got), want, got)
		}
	})
}
