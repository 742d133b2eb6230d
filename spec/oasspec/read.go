package oasspec

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/portcullis-dev/portcullis/spec"
)

// Options tune Read.
type Options struct {
	// AllowExternalRefs lets $refs read local files under the document's
	// folder; never URLs.
	AllowExternalRefs bool
}

// Read decodes one OpenAPI document.
func Read(name string, src []byte, opts Options) (*spec.Description, spec.Diagnostics) {
	d := &spec.Description{Files: map[string][]byte{name: src}}
	return d, spec.Diagnostics{spec.Errorf("not-implemented", hcl.Range{Filename: name}, "OpenAPI reading is not implemented yet", "")}
}
