package cloudformation

import (
	"fmt"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/spec"
)

type gen struct{}

// New returns the cloudformation generator.
func New() generators.Generator { return gen{} }

func (gen) Name() string    { return "cloudformation" }
func (gen) Summary() string { return "cloudformation (in progress)" }

func (gen) Generate(d *spec.Description, opts generators.Options) ([]generators.File, error) {
	return nil, fmt.Errorf("the cloudformation generator is not finished yet")
}
