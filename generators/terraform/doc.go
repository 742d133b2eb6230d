// Package terraform writes the target "terraform": one .tf file per API for
// the AWS provider, built with hclwrite (never string formatting):
// variables for the user pool ARNs (and the API id when the description
// manages an existing API), the REST API, a resource per path segment,
// Cognito authorizers, methods with their authorization, scopes and request
// parameters, integrations, CORS preflight mocks with their method and
// integration responses, gateway responses, a deployment whose triggers
// hash every authorizer, method, integration and gateway response (with
// create_before_destroy), and the stages. Every block name starts with the
// API's name, so several APIs can share one module.
//
// The file is hclwrite tokens laid out by hclwrite's formatting rules
// (tokens.go); hclwrite's own Body and formatter, which write the same
// bytes several times slower, are the fallback and the tests' reference
// (body.go).
package terraform
