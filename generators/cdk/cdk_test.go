package cdk_test

import (
	"testing"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/cdk"
	"github.com/portcullis-dev/portcullis/generators/internal/gentest"
)

func TestGolden(t *testing.T) {
	gentest.Golden(t, cdk.New(), generators.Options{})
}
