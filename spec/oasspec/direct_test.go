package oasspec

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v4"

	"github.com/portcullis-dev/portcullis/internal/synth"
)

// readBoth reads src with the direct path reading and with kin-openapi
// decoding everything; it reports whether the direct reading was used and
// fails on any difference in the model or the findings.
func readBoth(t *testing.T, name string, src []byte) (direct bool) {
	t.Helper()
	defer func() { directPaths = true }()
	directPaths = false
	want, wantDiags := Read(name, src, Options{})
	directPaths = true
	got, gotDiags := Read(name, src, Options{})
	if wantDiags.HasErrors() && !gotDiags.HasErrors() {
		// The documented difference: a malformed field the reader skips
		// is kin-openapi's error only. Anything else must agree.
		for _, d := range wantDiags {
			if d.Code != "parse-error" {
				t.Fatalf("%s: kin-openapi reports %s %q, the direct reading nothing", name, d.Code, d.Summary)
			}
		}
		return usedDirect(src)
	}
	if diff := cmp.Diff(wantDiags, gotDiags); diff != "" {
		t.Fatalf("%s: findings differ (-kin +direct):\n%s", name, diff)
	}
	if diff := cmp.Diff(want.APIs, got.APIs); diff != "" {
		t.Fatalf("%s: models differ (-kin +direct):\n%s", name, diff)
	}
	return usedDirect(src)
}

func usedDirect(src []byte) bool {
	var n yaml.Node
	if yaml.Unmarshal(src, &n) != nil || len(n.Content) == 0 || n.Content[0].Kind != yaml.MappingNode {
		return false
	}
	rest, paths := withoutPaths(n.Content[0])
	if rest == nil {
		return false
	}
	_, ok := readPaths(paths)
	return ok
}

func TestDirectPathsReadLikeKin(t *testing.T) {
	var files []string
	for _, glob := range []string{
		"../../examples/*/*.yaml", "../../examples/*/*.json",
		"../load/testdata/errors/*.yaml", "../load/testdata/errors/*.json",
		"../../generators/openapi/testdata/*/openapi/*",
		"../../policies/examples/*/*.yaml",
	} {
		m, _ := filepath.Glob(glob)
		files = append(files, m...)
	}
	if len(files) < 20 {
		t.Fatalf("only %d documents found", len(files))
	}
	direct := 0
	for _, p := range files {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(src), "openapi:") && !strings.Contains(string(src), `"openapi"`) {
			continue
		}
		if readBoth(t, p, src) {
			direct++
		} else {
			t.Logf("%s: read by kin-openapi alone", p)
		}
	}
	// Our own documents use nothing the direct reading refuses.
	if direct < len(files)/2 {
		t.Fatalf("the direct reading took only %d of %d documents", direct, len(files))
	}
	for _, n := range []int{1, 50, 700} {
		if !readBoth(t, "synth.yaml", synth.OpenAPI(n, 3)) {
			t.Fatalf("synthetic document with %d routes not read directly", n)
		}
	}
}

// Whatever the direct reading cannot take exactly is left to kin-openapi.
func TestDirectPathsFallBack(t *testing.T) {
	head := "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n"
	for name, body := range map[string]string{
		"ref":              "    get:\n      responses:\n        '200': {$ref: '#/components/responses/ok'}\n",
		"alias":            "    get: &op\n      operationId: x\n      responses: {}\n  /b:\n    get: *op\n",
		"number id":        "    get:\n      operationId: 1\n      responses: {}\n",
		"unknown field":    "    get:\n      operationid: x\n      responses: {}\n",
		"null security":    "    get:\n      security:\n      responses: {}\n",
		"duplicate key":    "    get:\n      operationId: x\n      operationId: y\n      responses: {}\n",
		"int key in ext":   "    get:\n      x-amazon-apigateway-integration:\n        responses:\n          200: {statusCode: '200'}\n",
		"path item ref":    "    $ref: '#/x'\n",
		"scalar responses": "    get:\n      responses: 5\n",
	} {
		src := []byte(head + body)
		if usedDirect(src) {
			t.Errorf("%s: read directly", name)
		}
		readBoth(t, name, src)
	}
}

// FuzzDirectPaths: the direct reading and kin-openapi agree on any document
// kin-openapi accepts.
func FuzzDirectPaths(f *testing.F) {
	for _, glob := range []string{"../../examples/*/*.yaml", "../../examples/*/*.json", "../../generators/openapi/testdata/*/openapi/*"} {
		m, _ := filepath.Glob(glob)
		for _, p := range m {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add(synth.OpenAPI(3, 2))
	f.Fuzz(func(t *testing.T, src []byte) {
		readBoth(t, "f.yaml", src)
	})
}
