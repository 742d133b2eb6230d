// Package fastpath is the one switch over Portcullis's fast paths: code
// that re-implements a library's behaviour for speed (a YAML reader, the
// OpenAPI paths read without kin-openapi, a YAML writer, an HCL token
// writer and the verified-token cache), each standing in for a slow twin that remains the reference and
// handles everything the fast one declines.
//
// Setting PORTCULLIS_SLOWPATHS turns them off: "1" (or "all") turns every
// one off; a comma-separated list of names (yaml-reader, openapi-paths,
// yaml-writer, hcl-writer, signature-cache) turns off only those. Any other value turns every
// one off, since the slow twins are the reference. Output must be
// byte-identical either way; scripts/test runs the whole suite once more
// with PORTCULLIS_SLOWPATHS=1, and each fast path has a fuzz target
// against its twin. docs/benchmarks.md records what each one saves.
//
// What it does not own: the fast paths themselves, which stay beside their
// twins (internal/fastyaml, spec/oasspec/direct.go,
// generators/internal/tree/yaml.go, generators/terraform/tokens.go,
// tokens/sigcache.go).
package fastpath
