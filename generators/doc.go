// Package generators defines what a generator is: a pure function from the
// model (*spec.Description) to files for one deployment tool. Each target
// lives in its own sub-package (generators/openapi, generators/terraform,
// ...) and is listed once in generators/registry. Generators never touch the
// network or AWS; their output is deterministic byte for byte.
package generators
