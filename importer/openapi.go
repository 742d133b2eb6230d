package importer

import (
	"fmt"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/openapi"
	"github.com/portcullis-dev/portcullis/spec"
)

// OpenAPI writes api as an OpenAPI 3.0 document (format "yaml" or "json")
// through the openapi generator, so every generator sees the same shape.
func OpenAPI(api *spec.API, format string) ([]byte, error) {
	files, err := openapi.New().Generate(&spec.Description{APIs: []*spec.API{api}}, generators.Options{Format: format, Source: "live API " + api.RestAPIID})
	if err != nil {
		return nil, err
	}
	if len(files) != 1 {
		return nil, fmt.Errorf("the openapi generator wrote %d files, want 1", len(files))
	}
	return files[0].Content, nil
}
