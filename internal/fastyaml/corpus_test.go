package fastyaml

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"

	"github.com/portcullis-dev/portcullis/internal/synth"
)

// corpusDirs are the project's own YAML and JSON files: examples, spec and
// generator testdata and goldens, policies.
var corpusDirs = []string{"examples", "spec", "generators", "policies"}

func corpus(t testing.TB) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for _, dir := range corpusDirs {
		root := filepath.Join("..", "..", dir)
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			switch strings.ToLower(filepath.Ext(path)) {
			case ".yaml", ".yml", ".json":
				b, err := os.ReadFile(path)
				if err != nil {
					return err
				}
				files[path] = b
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(files) < 20 {
		t.Fatalf("found only %d corpus files", len(files))
	}
	return files
}

// TestCorpus checks every YAML and JSON file of the project: either
// ok=false or the tree yaml/v4 builds.
func TestCorpus(t *testing.T) {
	files := corpus(t)
	fast := 0
	var slow []string
	for path, b := range files {
		if differ(t, string(b)) {
			fast++
		} else {
			slow = append(slow, path)
		}
	}
	t.Logf("fast-pathed %d of %d files; fell back on %v", fast, len(files), slow)
	if fast*10 < len(files)*8 {
		t.Errorf("fast-pathed only %d of %d files", fast, len(files))
	}
}

// TestExports checks documents in the shapes API Gateway exports (YAML with
// a leading "---", sequences at their key's column, every string
// double-quoted, long ones wrapped with escaped line breaks; JSON with
// " : " separators and "[ {" openers): they must take the fast path.
func TestExports(t *testing.T) {
	for _, name := range []string{"export.swagger.yaml", "export.oas30.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if !differ(t, string(b)) {
			t.Errorf("%s: not fast-pathed", name)
		}
	}
}

// jsonOf renders a YAML document as indented JSON, as API Gateway exports
// descriptions.
func jsonOf(t testing.TB, src []byte) []byte {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(src, &v); err != nil {
		t.Fatal(err)
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSynth checks that synthetic descriptions of several sizes, in YAML
// and in JSON, take the fast path and match yaml/v4.
func TestSynth(t *testing.T) {
	for _, routes := range []int{1, 7, 60, 500} {
		src := synth.OpenAPI(routes, 3)
		for _, doc := range [][]byte{src, jsonOf(t, src)} {
			if !differ(t, string(doc)) {
				t.Errorf("%d routes: not fast-pathed", routes)
			}
		}
	}
}
