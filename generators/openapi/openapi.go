package openapi

import (
	"fmt"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/spec"
)

type gen struct{ swagger bool }

// New returns the OpenAPI 3.0 generator.
func New() generators.Generator { return gen{} }

// NewSwagger returns the Swagger 2.0 generator.
func NewSwagger() generators.Generator { return gen{swagger: true} }

func (g gen) Name() string {
	if g.swagger {
		return "swagger"
	}
	return "openapi"
}
func (gen) Summary() string { return "in progress" }

func (gen) Generate(d *spec.Description, opts generators.Options) ([]generators.File, error) {
	return nil, fmt.Errorf("not finished yet")
}
