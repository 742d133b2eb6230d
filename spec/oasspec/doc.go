// Package oasspec reads OpenAPI 3.0 and Swagger 2.0 documents (JSON or YAML)
// with API Gateway's x-amazon-apigateway-* extensions into the spec model,
// the way API Gateway's importer reads them: Cognito security schemes,
// per-operation security with scopes (root-level security is ignored, with a
// warning), integrations, gateway responses, servers/basePath. CORS
// preflight mocks are folded back into the model's CORS setting. Positions
// come from kin-openapi's origin tracking. External $refs stay off unless
// the caller allows local files; nothing is ever fetched from the network.
package oasspec
