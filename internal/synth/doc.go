// Package synth writes large synthetic descriptions (HCL and OpenAPI) for
// benchmarks: N routes spread over paths, M Cognito authorizers, a mix of
// scoped, unscoped and public routes. Deterministic for a given size.
package synth
