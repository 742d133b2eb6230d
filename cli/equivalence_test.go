package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/registry"
	"github.com/portcullis-dev/portcullis/spec"
)

const checkGeneratorsHCL = `api "a" {
  region = "us-east-1"
  authorizer "cognito" {
    user_pool_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Abc"]
    ttl_seconds    = 0
  }
  route "GET /items" {
    authorizer = authorizer.cognito
    scopes     = ["items/read"]
  }
  stage "prod" {}
}
`

// tampered is a generator whose output says something else than the
// description: it rewrites every "items/read" scope as "items/write".
type tampered struct{ generators.Generator }

func (t tampered) Generate(d *spec.Description, o generators.Options) ([]generators.File, error) {
	files, err := t.Generator.Generate(d, o)
	for i := range files {
		files[i].Content = bytes.ReplaceAll(files[i].Content, []byte("items/read"), []byte("items/write"))
	}
	return files, err
}

// checkGenerators runs check-generators on the description above with
// the generator of target tampered, and returns the exit code, stdout and
// stderr.
func checkGenerators(t *testing.T, target string, env map[string]string) (int, string, string) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "api.hcl")
	if err := os.WriteFile(path, []byte(checkGeneratorsHCL), 0o644); err != nil {
		t.Fatal(err)
	}
	real := generatorLookup
	t.Cleanup(func() { generatorLookup = real })
	generatorLookup = func(name string) (generators.Generator, bool) {
		g, ok := registry.Lookup(name)
		if ok && name == target {
			return tampered{g}, true
		}
		return g, ok
	}
	var out, errOut bytes.Buffer
	ios := &IOStreams{Out: &out, ErrOut: &errOut, Getenv: func(k string) string { return env[k] }, Environ: func() []string { return nil }}
	code := MainContext(context.Background(), []string{"check-generators", path}, ios)
	return code, out.String(), errOut.String()
}

// A generated output that disagrees with the description is a finding:
// exit 1, the output and the difference named, the others still ok.
func TestCheckGeneratorsDisagreementExitsOne(t *testing.T) {
	code, out, errOut := checkGenerators(t, "sam", nil)
	if code != ExitFindings {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, ExitFindings, out, errOut)
	}
	for _, want := range []string{
		`x  sam                       api "a" differs from the description:`,
		"GET /items: scopes [items/write], want [items/read]",
		`ok cloudformation `,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "ok sam ") {
		t.Errorf("the tampered output passes:\n%s", out)
	}
	// The untampered registry agrees: the difference is the tampering's.
	if code, out, _ := checkGenerators(t, "none", nil); code != 0 {
		t.Fatalf("untampered: exit %d\n%s", code, out)
	}
}

// Progress: a line per output on stderr when asked (PORTCULLIS_PROGRESS=1
// or a terminal), the disagreeing one marked; nothing when stderr is not
// a terminal and nobody asked; never on stdout.
func TestCheckGeneratorsProgress(t *testing.T) {
	_, out, errOut := checkGenerators(t, "terraform", map[string]string{"PORTCULLIS_PROGRESS": "1"})
	for _, want := range []string{
		"[1/10] cloudformation: agrees\n",
		"[3/10] sam: agrees\n",
		"[7/10] terraform: DIFFERS\n",
		"[9/10] serverless (sls package): skipped\n",
		"[10/10] cdk (synth): skipped\n",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(out, "[1/10]") {
		t.Errorf("progress on stdout:\n%s", out)
	}
	if _, _, errOut := checkGenerators(t, "none", nil); errOut != "" {
		t.Errorf("progress without a terminal or PORTCULLIS_PROGRESS:\n%s", errOut)
	}
}
