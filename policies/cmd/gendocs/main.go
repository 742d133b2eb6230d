// Command gendocs writes the rule documentation (docs/rules) from the
// policies registry: `go generate ./policies`.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/portcullis-dev/portcullis/policies"
)

func main() {
	out := flag.String("out", "docs/rules", "directory to write")
	flag.Parse()
	if err := write(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
}

// write replaces the generated pages in dir, removing pages of rules that
// no longer exist.
func write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	files := policies.DocFiles()
	old, err := filepath.Glob(filepath.Join(dir, policies.IDPrefix+"*.md"))
	if err != nil {
		return err
	}
	for _, p := range old {
		if _, keep := files[filepath.Base(p)]; !keep {
			if err := os.Remove(p); err != nil {
				return err
			}
		}
	}
	for name, text := range files {
		if strings.ContainsAny(name, `/\`) {
			return fmt.Errorf("bad doc file name %q", name)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}
