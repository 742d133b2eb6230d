package cli

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/portcullis-dev/portcullis/internal/schemas"
)

var updatePolicyGoldens = flag.Bool("update-policies", false, "rewrite cli/testdata/policies goldens")

// The SARIF that `validate --format sarif` writes for real findings (built-in
// rules with their help, a user policy, a suppression) matches the golden
// file and validates against the SARIF 2.1.0 schema.
func TestValidateSARIFGolden(t *testing.T) {
	var out, errOut bytes.Buffer
	ios := &IOStreams{Out: &out, ErrOut: &errOut, Getenv: func(string) string { return "" }, Environ: func() []string { return nil }}
	code := Main([]string{"validate", "testdata/policies/shop.hcl", "--policy", "testdata/policies/policy", "--format", "sarif"}, ios)
	if code != ExitFindings {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, ExitFindings, errOut.String())
	}
	p := filepath.Join("testdata", "policies", "shop.sarif.golden")
	if *updatePolicyGoldens {
		if err := os.WriteFile(p, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test ./cli -run SARIFGolden -update-policies)", err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Errorf("SARIF differs from %s (run with -update-policies and review):\n%s", p, out.String())
	}

	if err := schemas.SARIF(out.Bytes()); err != nil {
		t.Errorf("validate --format sarif output breaks the SARIF 2.1.0 schema:\n%v", err)
	}
}
