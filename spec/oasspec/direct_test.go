package oasspec

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v4"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/openapi"
	"github.com/portcullis-dev/portcullis/internal/fastpath"
	"github.com/portcullis-dev/portcullis/internal/fastyaml"
	"github.com/portcullis-dev/portcullis/internal/synth"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/spec/hclspec"
)

// readBoth reads src with both fast paths (fastyaml's tree, converted to
// yaml/v4's only for what kin-openapi decodes, and the direct path
// reading) and with both slow twins (yaml/v4's tree, kin-openapi decoding
// everything); it reports whether the direct reading was used and fails on
// any difference in the model or the findings.
func readBoth(t *testing.T, name string, src []byte) (direct bool) {
	t.Helper()
	restorePaths := fastpath.Set(fastpath.OpenAPIPaths, false)
	restoreYAML := fastpath.Set(fastpath.YAMLReader, false)
	want, wantDiags := Read(name, src, Options{})
	fastpath.Set(fastpath.OpenAPIPaths, true)
	fastpath.Set(fastpath.YAMLReader, true)
	got, gotDiags := Read(name, src, Options{})
	restoreYAML()
	restorePaths()
	if hasParseError(wantDiags) && !hasParseError(gotDiags) {
		// The documented difference: a malformed field the reader skips
		// (a response that is not an object, say) is kin-openapi's error
		// only; the direct reading reads the authorization regardless.
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

func hasParseError(ds spec.Diagnostics) bool {
	for _, d := range ds {
		if d.Code == "parse-error" {
			return true
		}
	}
	return false
}

func usedDirect(src []byte) bool {
	var y yaml.Node
	if yaml.Unmarshal(src, &y) != nil || len(y.Content) == 0 || y.Content[0].Kind != yaml.MappingNode {
		return false
	}
	n := fastyaml.FromYAML(&y)
	rest, paths := withoutPaths(&n.Content()[0])
	if rest == nil {
		return false
	}
	read := readPaths
	for i := 0; i < len(rest.Content()); i += 2 {
		if rest.Content()[i].Value == "swagger" {
			read = readPathsV2
		}
	}
	_, ok := read(&n.Content()[0], paths)
	return ok
}

func TestDirectPathsReadLikeKin(t *testing.T) {
	var files []string
	for _, glob := range []string{
		"../../examples/*/*.yaml", "../../examples/*/*.json",
		"../load/testdata/errors/*.yaml", "../load/testdata/errors/*.json",
		"../../generators/openapi/testdata/*/openapi/*",
		"../../generators/openapi/testdata/*/swagger/*",
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
		if !strings.Contains(string(src), "openapi:") && !strings.Contains(string(src), `"openapi"`) &&
			!strings.Contains(string(src), "swagger:") && !strings.Contains(string(src), `"swagger"`) {
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
	// Swagger 2.0 as the swagger target writes it, with CORS preflights,
	// integrations and gateway responses.
	d, ds := hclspec.Read(map[string][]byte{"s.hcl": synth.HCL(700, 3)}, nil)
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	out, err := openapi.NewSwagger().Generate(d, generators.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !readBoth(t, "synth.swagger.yaml", out[0].Content) {
		t.Fatal("generated Swagger document not read directly")
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

// References the reader never follows (responses, bodies, schemas) and
// parameters by reference keep the direct reading, as long as they are
// local and resolve; the model is kin-openapi's.
func TestDirectPathsWithLocalRefs(t *testing.T) {
	oas := `openapi: 3.0.1
info: {title: t, version: '1'}
components:
  securitySchemes:
    pool:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authtype: cognito_user_pools
      x-amazon-apigateway-authorizer:
        type: cognito_user_pools
        providerARNs: [arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Abc]
  parameters:
    id: {name: id, in: path, required: true, schema: {$ref: '#/components/schemas/Id'}, example: it~em/1}
  schemas:
    Id: {type: string}
    Item: {type: object, properties: {id: {$ref: '#/components/schemas/Id'}}}
  responses:
    ok:
      description: ok
      content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}
paths:
  /items/{id}:
    get:
      operationId: getItem
      parameters: [{$ref: '#/components/parameters/id'}]
      security: [{pool: [items/read]}]
      responses:
        '200': {$ref: '#/components/responses/ok'}
        '404': {description: no, content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}}
      x-amazon-apigateway-integration: {type: mock}
`
	if !usedDirect([]byte(oas)) {
		t.Fatal("local references: not read directly")
	}
	readBoth(t, "refs.yaml", []byte(oas))
	got, ds := Read("refs.yaml", []byte(oas), Options{})
	if ds.HasErrors() || got.APIs[0].Routes[0].ParamExamples["id"] != "it~em/1" {
		t.Fatalf("example through a parameter reference: %v %v", ds, got.APIs[0].Routes[0].ParamExamples)
	}
	for name, broken := range map[string]string{
		"dangling":             strings.Replace(oas, "'200': {$ref: '#/components/responses/ok'}", "'200': {$ref: '#/components/responses/gone'}", 1),
		"external":             strings.Replace(oas, "'200': {$ref: '#/components/responses/ok'}", "'200': {$ref: 'other.yaml#/ok'}", 1),
		"parameter to nothing": strings.Replace(oas, "[{$ref: '#/components/parameters/id'}]", "[{$ref: '#/components/parameters/nope'}]", 1),
	} {
		if usedDirect([]byte(broken)) {
			t.Errorf("%s: read directly", name)
		}
		readBoth(t, name, []byte(broken))
	}

	sw := `swagger: '2.0'
info: {title: t, version: '1'}
securityDefinitions:
  pool: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: cognito_user_pools}
parameters:
  id: {name: id, in: path, required: true, type: string}
  body: {name: body, in: body, schema: {$ref: '#/definitions/Item'}}
definitions:
  Item: {type: object}
paths:
  /items/{id}:
    put:
      operationId: putItem
      parameters: [{$ref: '#/parameters/id'}, {$ref: '#/parameters/body'}]
      security: [{pool: []}]
      responses: {'200': {description: ok, schema: {$ref: '#/definitions/Item'}}}
`
	if !usedDirect([]byte(sw)) {
		t.Fatal("Swagger local references: not read directly")
	}
	readBoth(t, "refs.swagger.yaml", []byte(sw))
	twoBodies := strings.Replace(sw, "[{$ref: '#/parameters/id'}, {$ref: '#/parameters/body'}]", "[{$ref: '#/parameters/body'}, {$ref: '#/parameters/body'}]", 1)
	if usedDirect([]byte(twoBodies)) {
		t.Error("two body parameters by reference: read directly")
	}
	readBoth(t, "two bodies", []byte(twoBodies))
}

// The same for Swagger 2.0, whose conversion to OpenAPI 3 kin-openapi does.
func TestDirectPathsV2FallBack(t *testing.T) {
	head := "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n"
	for name, body := range map[string]string{
		"form data":  "    post:\n      parameters:\n        - {name: f, in: formData, type: string}\n      responses: {}\n",
		"two bodies": "    post:\n      parameters:\n        - {name: a, in: body, schema: {type: object}}\n        - {name: b, in: body, schema: {type: object}}\n      responses: {}\n",
		"param ref":  "    get:\n      parameters:\n        - $ref: '#/parameters/p'\n      responses: {}\n",
		"number id":  "    get:\n      operationId: 7\n      responses: {}\n",
		"oas3 field": "    get:\n      requestBody: {}\n      responses: {}\n",
	} {
		src := []byte(head + body)
		if usedDirect(src) {
			t.Errorf("%s: read directly", name)
		}
		readBoth(t, name, src)
	}
	ok := []byte(head + "    post:\n      operationId: p\n      security: [{pool: [a/b]}]\n      parameters:\n        - {name: b, in: body, schema: {type: object}}\n        - {name: q, in: query, type: string}\n      responses: {'200': {description: ok}}\n      x-amazon-apigateway-integration: {type: mock}\n")
	if !usedDirect(ok) {
		t.Error("a plain Swagger operation was not read directly")
	}
	readBoth(t, "plain", ok)
}

// FuzzDirectPaths: the fast paths (fastyaml's compact tree and the direct
// reading) and their slow twins (yaml/v4's tree and kin-openapi) agree on
// any document kin-openapi accepts.
func FuzzDirectPaths(f *testing.F) {
	for _, glob := range []string{"../../examples/*/*.yaml", "../../examples/*/*.json", "../../generators/openapi/testdata/*/*/*"} {
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
