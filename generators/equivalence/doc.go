// Package equivalence proves that every generator says the same thing about
// auth. It reads each output back (our CloudFormation, SAM and
// serverless.yml as written, our OpenAPI and Swagger, the Terraform HCL,
// and, when the peer tools are installed, the CloudFormation that `sls
// package` and CDK synthesis produce) into one comparable Surface per API: for each method (verb and
// path) the authorization type, the authorizer (pools, identity source, TTL
// with API Gateway's 300 s default, audience check) and the scopes; and the
// gateway responses (type, status, CORS headers). Each Surface must equal
// the one the model itself gives.
//
// What is not auth is ignored on purpose: integrations, the CDK's account
// and role resources, Serverless's functions and log groups. Preflights are
// the one tolerated extra: an OPTIONS method the description does not list
// must be unauthenticated (browsers send no token), and is otherwise left
// out of the comparison.
//
// The readers are independent of the generators: they read the formats as
// the tools define them (CloudFormation's Ref and GetAtt, SAM's default
// authorizer rules, Terraform references resolved by hand), so a generator
// that writes the wrong thing is caught rather than mirrored. peers.go runs
// the external tools; it never reaches a network or AWS. The reports are
// plain data: views.CheckGeneratorsText and the JSON document render them.
package equivalence
