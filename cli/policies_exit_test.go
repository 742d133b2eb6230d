package cli

import (
	"bytes"
	"testing"
)

// Exit codes of validate with policies: 0 clean, 1 findings at or above
// --fail-on, 2 could not run (a policy that is missing or does not compile).
func TestValidatePolicyExitCodes(t *testing.T) {
	const (
		clean  = "../policies/examples/PCA001/good.hcl"
		errors = "../policies/examples/PCA001/bad.hcl" // PCA001, error
		warns  = "../policies/examples/PCA003/bad.hcl" // PCA003, warning
		infos  = "../policies/examples/PCA010/bad.hcl" // PCA010, info
		ttl    = "../policies/examples/PCA012/bad.hcl" // PCA012 only with token_validity < 10m
		rego   = "../policies/rego/testdata/basic"     // deny fires on api.hcl
		api    = "../policies/rego/testdata/api/api.hcl"
	)
	for _, c := range []struct {
		args []string
		want int
	}{
		{[]string{clean}, ExitOK},
		{[]string{clean, "--fail-on", "info"}, ExitOK},
		{[]string{errors}, ExitFindings},
		{[]string{warns}, ExitOK},
		{[]string{warns, "--fail-on", "warning"}, ExitFindings},
		{[]string{infos, "--fail-on", "warning"}, ExitOK},
		{[]string{infos, "--fail-on", "info"}, ExitFindings},
		{[]string{ttl, "--fail-on", "warning"}, ExitOK},
		{[]string{ttl, "--fail-on", "warning", "--rule-option", "PCA012.token_validity=5m"}, ExitFindings},
		{[]string{api, "--policy", rego}, ExitFindings},
		{[]string{api, "--policy", rego, "--namespace", "nothing"}, ExitOK},        // PCA010 is info; the no-rules warning passes
		{[]string{api, "--policy", "../policies/rego/testdata/unsafe"}, ExitError}, // a policy that does not compile cannot judge
		{[]string{api, "--policy", "../policies/rego/testdata/missing"}, ExitError},
		{[]string{clean, "--fail-on", "never"}, ExitError},
		{[]string{clean, "--rule-option", "PCA999.x=1"}, ExitError},
		{[]string{clean, "--format", "xml"}, ExitError},
	} {
		var out, errOut bytes.Buffer
		ios := &IOStreams{Out: &out, ErrOut: &errOut, Getenv: func(string) string { return "" }, Environ: func() []string { return nil }}
		if got := Main(append([]string{"validate"}, c.args...), ios); got != c.want {
			t.Errorf("validate %v: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", c.args, got, c.want, out.String(), errOut.String())
		}
	}
}
