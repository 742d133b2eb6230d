// Package live is Portcullis's thin edge to Amazon API Gateway's control
// plane: it sets up the SDK client the AWS way (default credential chain,
// profiles, region, endpoint overrides), paces calls under API Gateway's
// documented account rate limits, retries throttled calls honouring
// Retry-After, and reads a live REST API into a *state.State whose Model is
// the same *spec.API every other edge uses. The state types live in package
// state so the packages that only compare and plan need not link the SDK.
//
// It owns no decisions: what to change is diff's job, the order is plan's,
// the writes are apply's. Everything above this package is plain data and
// is tested without a network; this package is tested against the
// in-process emulator over the real SDK.
package live
