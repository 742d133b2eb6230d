package state_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// plainData are the packages that work on the model and the read state
// only. They must build without the AWS SDK: live (and apply, probe and the
// cli wiring above it) is the one edge that talks to AWS.
var plainData = []string{
	"./state",
	"./spec/...",
	"./diff",
	"./plan",
	"./drift",
	"./importer",
	"./policies/...",
	"./generators/...",
	"./report",
	"./restapi",
}

func TestPlainDataHasNoSDK(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	// -f prints each dependency with the package that brought it in, so a
	// failure names the import to cut.
	args := append([]string{"list", "-deps", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`}, plainData...)
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("go list: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}
	pkgs := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		pkgs++
		if strings.HasPrefix(f[0], "github.com/aws/") {
			continue // reported at the importer below
		}
		for _, imp := range f[1:] {
			if strings.HasPrefix(imp, "github.com/aws/aws-sdk-go-v2") || strings.HasPrefix(imp, "github.com/aws/smithy-go") {
				t.Errorf("%s imports %s: plain-data packages must not reach the AWS SDK", f[0], imp)
			}
		}
	}
	// A pattern that matched nothing would make the check vacuous.
	if pkgs < 50 {
		t.Fatalf("go list -deps listed only %d packages; the patterns no longer match the tree", pkgs)
	}
}
