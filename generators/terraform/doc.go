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
package terraform
