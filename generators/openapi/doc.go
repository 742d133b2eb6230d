// Package openapi writes the targets "openapi" (OpenAPI 3.0) and "swagger"
// (Swagger 2.0): one document per API that API Gateway's ImportRestApi and
// PutRestApi accept as is, with the x-amazon-apigateway-* extensions for
// Cognito authorizers, integrations and gateway responses, security on
// every operation (API Gateway ignores root-level security), CORS preflight
// mocks, and the x-portcullis-* extensions (spec/extensions.go) that carry
// what OpenAPI cannot otherwise say, so that spec/oasspec reads the output
// back to the same model. It builds the document as an ordered tree (key
// order is part of the output) and never uses text templates.
package openapi
