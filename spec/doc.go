// Package spec owns Portcullis's one model of an API's auth surface: for a
// REST API (v1, API), its Cognito (and, when read from a live API, Lambda)
// authorizers, its routes with their authorization, CORS, gateway responses
// and stages; for an HTTP API (v2, HTTPAPI), its JWT authorizers, route keys
// with their authorization and scopes, CORS configuration, integrations and
// auto-deploying stages.
//
// Every reader (HCL, OpenAPI, the live API) produces a *Description; every
// writer (generators, apply, import) and every checker (validation, policies,
// drift, probe) consumes one. Elements carry their source Range so that any
// diagnostic, from whichever stage, can point at the line that caused it.
//
// The package also owns Diagnostics (findings as values) and the versioned
// JSON Document that `portcullis show --format json` prints and that user
// policies receive as input. It does not read files: see spec/load and the
// readers spec/hclspec and spec/oasspec.
package spec
