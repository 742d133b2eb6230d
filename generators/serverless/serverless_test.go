package serverless_test

import (
	"testing"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/internal/gentest"
	"github.com/portcullis-dev/portcullis/generators/serverless"
)

func TestGolden(t *testing.T) {
	gentest.Golden(t, serverless.New(), generators.Options{})
}
