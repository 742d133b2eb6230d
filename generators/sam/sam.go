package sam

import (
	"fmt"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/spec"
)

type gen struct{}

// New returns the sam generator.
func New() generators.Generator { return gen{} }

func (gen) Name() string    { return "sam" }
func (gen) Summary() string { return "sam (in progress)" }

func (gen) Generate(d *spec.Description, opts generators.Options) ([]generators.File, error) {
	return nil, fmt.Errorf("the sam generator is not finished yet")
}
