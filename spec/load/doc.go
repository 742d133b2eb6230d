// Package load turns a path (a file or a directory) into a *spec.Description:
// it picks the reader (HCL or OpenAPI) by extension and content, resolves
// variables from the environment, var files and --var flags, refuses oversized
// input, and runs structural validation. Commands call Load and nothing else.
package load
