// Package cloudformation writes the target "cloudformation": one template
// per API (JSON or YAML) with the RestApi (or parameters naming an existing
// one), a Resource per path segment with logical IDs derived from the path,
// Cognito Authorizers, every Method with its authorization, scopes, request
// parameters and integration, unauthenticated CORS preflight mocks,
// GatewayResponses, a Deployment whose logical ID embeds a hash of the
// auth-relevant configuration (so a changed authorizer or scope creates a
// new deployment and the stage really redeploys), and the Stages.
//
// A template over CloudFormation's own quotas (500 resources, 1 MB) is
// still written, with a warning naming the way out (limits.go): an API at
// API Gateway's default quota needs about 4,000 resources.
package cloudformation
