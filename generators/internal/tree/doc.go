// Package tree is the ordered document that the JSON and YAML generators
// build: maps keep insertion order, so output order is decided by the
// generator (API Gateway's and CloudFormation's conventional order) and is
// the same for JSON and YAML. It owns encoding only; what goes into a
// document is the generators' business. YAML is written directly with
// the quoting and layout rules of the go.yaml.in/yaml/v4 encoder, which
// stays the fallback and the tests' reference (yaml.go).
package tree
