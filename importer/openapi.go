package importer

import (
	"bytes"
	"fmt"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/openapi"
	"github.com/portcullis-dev/portcullis/spec"
)

// OpenAPI writes api as an OpenAPI 3.0 document (format "yaml" or "json")
// through the openapi generator, so every generator sees the same shape.
// An import is a description to edit, not generated output: the
// generator's "do not edit" header is replaced by header (YAML only; JSON
// has no comments).
func OpenAPI(api *spec.API, format string, header []string) ([]byte, error) {
	return openAPIOf(&spec.Description{APIs: []*spec.API{api}}, format, header)
}

// HTTPOpenAPI is OpenAPI for an HTTP API: the openapi generator's v2
// document (x-amazon-apigateway-authorizer type jwt,
// x-amazon-apigateway-cors).
func HTTPOpenAPI(api *spec.HTTPAPI, format string, header []string) ([]byte, error) {
	return openAPIOf(&spec.Description{HTTPAPIs: []*spec.HTTPAPI{api}}, format, header)
}

func openAPIOf(d *spec.Description, format string, header []string) ([]byte, error) {
	files, err := openapi.New().Generate(d, generators.Options{Format: format})
	if err != nil {
		return nil, err
	}
	if len(files) != 1 {
		return nil, fmt.Errorf("the openapi generator wrote %d files, want 1", len(files))
	}
	out := files[0].Content
	if format == "json" {
		return out, nil
	}
	for bytes.HasPrefix(out, []byte("#")) {
		i := bytes.IndexByte(out, '\n')
		if i < 0 {
			break
		}
		out = out[i+1:]
	}
	var b bytes.Buffer
	for _, h := range header {
		b.WriteString("# " + h + "\n")
	}
	b.Write(out)
	return b.Bytes(), nil
}
