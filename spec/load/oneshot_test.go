package load

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/portcullis-dev/portcullis/spec"
)

// A reference to a missing security scheme is one more error: the bad
// path, the bad pool ARN and the TTL out of range come in the same run,
// for OpenAPI 3 and Swagger 2.0 alike, and the model stays judgeable so
// the policies report the open operation too.
func TestEveryOpenAPIErrorInOneRun(t *testing.T) {
	for _, name := range []string{"openapi.yaml", "swagger.yaml"} {
		t.Run(name, func(t *testing.T) {
			d, ds := Load(filepath.Join("testdata", "oneshot", name), Options{})
			codes := map[string]int{}
			for _, x := range ds {
				codes[x.Code]++
			}
			for _, want := range []string{"unknown-authorizer", "invalid-path", "invalid-pool-arn", "ttl-out-of-range"} {
				if codes[want] != 1 {
					t.Errorf("%s reported %d time(s), want once; all: %v", want, codes[want], codes)
				}
			}
			if !Judgeable(d, ds) {
				t.Fatal("the model is not judgeable")
			}
			for _, r := range d.APIs[0].Routes {
				if r.Path == "/items" && r.AuthType != spec.AuthCognito {
					t.Errorf("the operation with a missing scheme reads as %s, not protected", r.AuthType)
				}
			}
			for _, x := range ds {
				if x.Code == "ttl-out-of-range" && !strings.Contains(x.Detail, "authorizerResultTtlInSeconds is 9999") {
					t.Errorf("the TTL error names the HCL attribute on OpenAPI input: %s", x.Detail)
				}
			}
		})
	}
}

// A folder with HCL and an OpenAPI document reads the HCL and says that
// the OpenAPI document was not read.
func TestFolderSaysWhatItDoesNotRead(t *testing.T) {
	_, ds := Load(filepath.Join("..", "..", "examples", "todo"), Options{})
	for _, d := range ds {
		if d.Code == "files-not-read" && strings.Contains(d.Detail, "todo.openapi.yaml is not read") {
			return
		}
	}
	t.Errorf("the OpenAPI document beside todo.hcl was dropped silently: %v", ds)
}
