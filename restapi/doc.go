// Package restapi is the REST API shape a description implies, derived
// once from the model so that every generator and apply agree: the resource tree with
// stable names, every method including the unauthenticated CORS preflights
// and default integrations for routes that declare none, the method request
// parameters (identity header, path parameters), the method responses an
// integration's mappings need, and a hash of the auth-relevant
// configuration that changes whenever a redeploy is needed. It does not
// encode anything and calls nothing: generators decide the format, and
// diff/apply compare it with the live API.
package restapi
