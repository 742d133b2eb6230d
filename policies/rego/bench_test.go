package rego

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/portcullis-dev/portcullis/internal/cputime"
	"github.com/portcullis-dev/portcullis/policies"
	"github.com/portcullis-dev/portcullis/spec"
)

// bigDescription is n routes, one in twenty drawing each kind of finding
// the benchmark policies look for.
func bigDescription(n int) *spec.Description {
	at := func(line int) spec.Range {
		return hcl.Range{Filename: "big.hcl", Start: hcl.Pos{Line: line, Column: 3}, End: hcl.Pos{Line: line, Column: 20}}
	}
	a := &spec.API{Name: "big", Region: "us-east-1", Range: at(1), Ranges: spec.Ranges{}}
	a.Authorizers = []*spec.Authorizer{{Name: "pool", Type: spec.AuthorizerCognito, IdentitySource: spec.DefaultIdentitySource,
		UserPoolARNs: []string{"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Big"}, TTLSeconds: 300, Range: at(2), Ranges: spec.Ranges{}}}
	verbs := []string{"GET", "POST", "PUT", "DELETE"}
	for i := 0; i < n; i++ {
		r := &spec.Route{Method: verbs[i%4], Path: fmt.Sprintf("/r%d/items/{id}", i/4), AuthType: spec.AuthCognito,
			Authorizer: "pool", Scopes: []string{"big/read"}, Range: at(10 + i), Ranges: spec.Ranges{"key": at(10 + i)}}
		switch i % 20 {
		case 1:
			r.Scopes = nil
		case 2:
			r.Scopes = []string{"other/read"}
		case 3:
			r.AuthType, r.Authorizer, r.Scopes, r.Public, r.Reason = spec.AuthNone, "", nil, true, "why"
		}
		a.Routes = append(a.Routes, r)
	}
	a.Sort()
	return &spec.Description{APIs: []*spec.API{a}}
}

// Three user rules over a 10,000-route model: evaluation only (the policy
// is prepared once per run), input conversion and finding mapping included.
func BenchmarkRego10k(b *testing.B) {
	ctx := context.Background()
	e, diags, err := Load(ctx, Options{Paths: []string{"testdata/bench"}})
	if err != nil || diags.HasErrors() {
		b.Fatal(err, diags)
	}
	d := bigDescription(10000)
	b.ReportAllocs()
	var n int
	cpu := cputime.Process()
	for b.Loop() {
		fs, err := e.Eval(ctx, d)
		if err != nil {
			b.Fatal(err)
		}
		n = len(fs)
	}
	b.ReportMetric(float64(cputime.Process()-cpu)/float64(b.N)/1e6, "cpu-ms/op")
	b.ReportMetric(float64(n), "findings")
}

// Load, compile and evaluate once, as one `validate --policy` run does.
func BenchmarkRegoLoadAndEval10k(b *testing.B) {
	ctx := context.Background()
	d := bigDescription(10000)
	cpu := cputime.Process()
	for b.Loop() {
		e, _, err := Load(ctx, Options{Paths: []string{"testdata/bench"}})
		if err != nil {
			b.Fatal(err)
		}
		fs, err := e.Eval(ctx, d)
		if err != nil {
			b.Fatal(err)
		}
		policies.Finish(d, fs)
	}
	b.ReportMetric(float64(cputime.Process()-cpu)/float64(b.N)/1e6, "cpu-ms/op")
}

func TestBenchPolicies(t *testing.T) {
	ctx := context.Background()
	e, diags, err := Load(ctx, Options{Paths: []string{"testdata/bench"}})
	if err != nil || diags.HasErrors() {
		t.Fatal(err, diags)
	}
	fs, err := e.Eval(ctx, bigDescription(200))
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, f := range fs {
		count[f.Code]++
		if f.Route == nil || f.Range == nil {
			t.Errorf("finding %q not mapped to its route", f.Summary)
		}
	}
	// i%20==1 on writes (3 of 4 verbs cycle with i%4: i=1 is POST, 21 is POST, ...).
	if count["rego:deny"] != 20 || count["rego:warn"] != 10 {
		t.Errorf("findings = %v", count)
	}
}
