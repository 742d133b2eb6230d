// Package restapi is the REST API shape every generator writes, derived
// once from the model so that all targets agree: the resource tree with
// stable names, every method including the unauthenticated CORS preflights
// and default integrations for routes that declare none, the method request
// parameters (identity header, path parameters), the method responses an
// integration's mappings need, and a hash of the auth-relevant
// configuration that changes whenever a redeploy is needed. It does not
// encode anything; targets decide the format.
package restapi
