// Package policies checks a described API's auth semantics: the built-in
// rules (one per file, listed in the sorted registry in registry.go), the
// suppressions that silence them, and the rule documentation generated into
// docs/rules. Users' own Rego policies run in the sibling package
// policies/rego. Rules work on the model only, so one rule serves HCL,
// OpenAPI and a live API alike; reading and structural validation belong to
// spec, rendering to report, exit codes to cli.
package policies

//go:generate go run ./cmd/gendocs -out ../docs/rules
