package serverless_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/equivalence"
	"github.com/portcullis-dev/portcullis/generators/internal/gentest"
	"github.com/portcullis-dev/portcullis/generators/serverless"
	"github.com/portcullis-dev/portcullis/internal/peertest"
	"github.com/portcullis-dev/portcullis/spec"
)

// TestSlsPrintAcceptsEveryOutput runs `sls print` (the output sets
// configValidationMode: error, so a schema problem fails it) on the service
// written for every example, two at a time. `sls package`, which validates
// the same way, runs on the examples and the fixtures in
// generators/equivalence, where its CloudFormation is compared.
func TestSlsPrintAcceptsEveryOutput(t *testing.T) {
	peertest.Long(t)
	sls := &equivalence.Serverless{Dir: filepath.Join(gentest.Root(t), "peers", "serverless")}
	if err := sls.Available(); err != nil {
		if os.Getenv("CI") != "" || !errors.Is(err, equivalence.ErrNotInstalled) {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	defer sls.Close()
	descs := map[string]*spec.Description{}
	for _, ex := range gentest.Examples(t) {
		descs[ex.Path] = ex.Desc
	}
	work := t.TempDir()
	var services []string
	i := 0
	for name, d := range descs {
		files, err := serverless.New().Generate(d, generators.Options{Source: name})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, f := range files {
			p := filepath.Join(work, fmt.Sprint(i), filepath.FromSlash(f.Path))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, f.Content, 0o644); err != nil {
				t.Fatal(err)
			}
			services = append(services, filepath.Dir(p))
		}
		i++
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for _, dir := range services {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if _, err := sls.Print(context.Background(), dir); err != nil {
				t.Errorf("sls print refused %s: %v", dir, err)
			}
		}()
	}
	wg.Wait()
}
