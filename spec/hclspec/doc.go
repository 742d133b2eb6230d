// Package hclspec reads Portcullis HCL descriptions (variable and api
// blocks, see docs/spec.md) into the spec model. It resolves var.* with the
// values given, keeps authorizer.* references as traversals so a typo is an
// error at its position, and records the range of every block and attribute.
// It decodes; it does not judge: semantic checks live in spec.Validate.
package hclspec
