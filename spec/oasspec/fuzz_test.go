package oasspec

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/portcullis-dev/portcullis/spec"
)

// FuzzRead: no document may panic the reader or validation.
func FuzzRead(f *testing.F) {
	for _, glob := range []string{"../../examples/*/*.yaml", "../../examples/*/*.json", "../load/testdata/errors/*.yaml", "../load/testdata/errors/*.json", "../load/testdata/aws-httpapi/*.yaml", "../load/testdata/aws-httpapi/*.json"} {
		files, _ := filepath.Glob(glob)
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte(`{"swagger":"2.0","info":{"title":"t","version":"1"},"paths":{"/a":{"get":{"security":[{"p":["x"]}]}}}}`))
	// HTTP APIs: a jwt scheme, /$default, CORS with odd values.
	f.Add([]byte(`{"openapi":"3.0.1","info":{"title":"t","version":"1"},"x-amazon-apigateway-cors":{"allowOrigins":"*","maxAge":"x"},"components":{"securitySchemes":{"j":{"type":"oauth2","flows":{},"x-amazon-apigateway-authorizer":{"type":"jwt","identitySource":["a",1],"jwtConfiguration":{"issuer":7,"audience":"a"}}}}},"paths":{"/$default":{"x-amazon-apigateway-any-method":{"isDefaultRoute":true,"security":[{"j":["s"]}],"x-amazon-apigateway-integration":{"type":"aws_proxy","payloadFormatVersion":2}}}}}`))
	f.Fuzz(func(t *testing.T, src []byte) {
		d, diags := Read("f.yaml", src, Options{})
		if !diags.HasErrors() {
			spec.Validate(d)
		}
	})
}
