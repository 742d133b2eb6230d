package generators

import "github.com/portcullis-dev/portcullis/spec"

// Generator writes the configuration for one deployment tool.
type Generator interface {
	// Name is the --target value ("openapi", "terraform", ...).
	Name() string
	// Summary is one line for `generate --list`.
	Summary() string
	// Generate renders every API in d. It must be deterministic.
	Generate(d *spec.Description, opts Options) ([]File, error)
}

// Options are the knobs every generator understands.
type Options struct {
	// Source names the description the output came from, for header
	// comments ("examples/todo").
	Source string
	// Format selects an encoding where a target offers several ("json",
	// "yaml"); "" means the target's default.
	Format string
	// Stage selects the stage to target ("" = the first stage described).
	Stage string
}

// File is one generated file, relative to the output directory.
type File struct {
	Path    string
	Content []byte
	// Warnings are limits of the target's own that the file exceeds and
	// the model cannot know about (a CloudFormation template over 500
	// resources deploys nowhere). They never stop generation.
	Warnings spec.Diagnostics
}
