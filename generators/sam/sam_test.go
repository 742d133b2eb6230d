package sam

import (
	"testing"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/internal/gentest"
)

func TestGolden(t *testing.T) {
	gentest.Golden(t, New(), generators.Options{})
}
