package terraform

import (
	"fmt"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/spec"
)

type gen struct{}

// New returns the terraform generator.
func New() generators.Generator { return gen{} }

func (gen) Name() string    { return "terraform" }
func (gen) Summary() string { return "terraform (in progress)" }

func (gen) Generate(d *spec.Description, opts generators.Options) ([]generators.File, error) {
	return nil, fmt.Errorf("the terraform generator is not finished yet")
}
