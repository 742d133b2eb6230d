package registry

import (
	"sort"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/cdk"
	"github.com/portcullis-dev/portcullis/generators/client"
	"github.com/portcullis-dev/portcullis/generators/cloudformation"
	"github.com/portcullis-dev/portcullis/generators/openapi"
	"github.com/portcullis-dev/portcullis/generators/sam"
	"github.com/portcullis-dev/portcullis/generators/serverless"
	"github.com/portcullis-dev/portcullis/generators/terraform"
)

// all is the registry, sorted by target name.
var all = []generators.Generator{
	cdk.New(),
	client.New(),
	cloudformation.New(),
	openapi.New(),
	sam.New(),
	serverless.New(),
	openapi.NewSwagger(),
	terraform.New(),
}

// All returns every generator, sorted by name.
func All() []generators.Generator {
	out := append([]generators.Generator(nil), all...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out
}

// Lookup finds a generator by its --target name.
func Lookup(name string) (generators.Generator, bool) {
	for _, g := range all {
		if g.Name() == name {
			return g, true
		}
	}
	return nil, false
}

// Names lists the target names, sorted.
func Names() []string {
	var out []string
	for _, g := range All() {
		out = append(out, g.Name())
	}
	return out
}
