package openapi

import (
	"testing"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/internal/gentest"
)

func TestGolden(t *testing.T) {
	for _, g := range []generators.Generator{New(), NewSwagger()} {
		t.Run(g.Name(), func(t *testing.T) {
			gentest.Golden(t, g, generators.Options{})
		})
	}
}
