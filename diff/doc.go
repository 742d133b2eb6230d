// Package diff compares a description (*spec.API, what should be) with a
// live API (*state.State, what is) and returns typed Changes: each names
// what changes (an authorizer, a resource, a method, an integration, a
// gateway response, the stage), every field's old and new value for
// people, and the exact payload apply sends (patch operations, put
// bodies), so a saved plan can be applied without recomputing anything.
//
// What is managed, and only that: the authorizers the description names;
// for each described route its method's authorizationType, authorizerId,
// authorizationScopes and identity-header request parameter, and its
// integration only when one is declared; the CORS preflight methods and
// gateway responses when cors is set. Live methods the description does not
// mention are left alone and reported, unless Prune asks to delete them.
//
// Ordering is plan's job; the calls are apply's; drift renders the same
// Changes as findings.
package diff
