package cloudformation_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/cloudformation"
	"github.com/portcullis-dev/portcullis/generators/internal/gentest"
	"github.com/portcullis-dev/portcullis/generators/sam"
	"github.com/portcullis-dev/portcullis/internal/peertest"
	"github.com/portcullis-dev/portcullis/spec"
)

// TestCfnLint hands every CloudFormation (YAML and JSON) and SAM template
// generated for the examples and for random descriptions to cfn-lint, AWS's
// own template linter: its resource specification knows every property's
// name, type and allowed values, and it runs SAM templates through the SAM
// translator first, so a template it passes is one CloudFormation and SAM
// accept as written. cfn-lint comes with these machines' Python; under CI a
// missing cfn-lint fails the test.
func TestCfnLint(t *testing.T) {
	peertest.Long(t)
	lint, err := exec.LookPath("cfn-lint")
	if err != nil {
		peertest.Missing(t, "pip install cfn-lint", err)
	}
	dir := t.TempDir()
	var files []string
	write := func(name string, d *spec.Description, g generators.Generator, format string) {
		out, err := g.Generate(d, generators.Options{Source: name, Format: format})
		if err != nil {
			t.Fatalf("%s %s: %v", name, g.Name(), err)
		}
		for _, f := range out {
			p := filepath.Join(dir, name+"-"+g.Name()+format, f.Path)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, f.Content, 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, p)
		}
	}
	for _, ex := range gentest.Examples(t) {
		write(ex.Name, ex.Desc, cloudformation.New(), "")
		write(ex.Name, ex.Desc, cloudformation.New(), "json")
		write(ex.Name, ex.Desc, sam.New(), "")
	}
	for seed := range uint64(4) {
		d := gentest.Random(rand.New(rand.NewPCG(seed, 42)))
		if ds := spec.Validate(d); ds.HasErrors() {
			continue
		}
		name := fmt.Sprintf("random%d", seed)
		write(name, d, cloudformation.New(), "")
		write(name, d, sam.New(), "")
	}
	if len(files) < 20 {
		t.Fatalf("only %d templates", len(files))
	}
	// --format parseable: one finding per line, path:line:col:...:rule:message.
	out, err := exec.Command(lint, append([]string{"--format", "parseable"}, files...)...).CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Fatalf("cfn-lint on %d templates: %v\n%s", len(files), err, out)
	}
	t.Logf("cfn-lint passed %d templates", len(files))
}
