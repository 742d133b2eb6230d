// Package serverless writes a Serverless Framework v3 service
// (serverless.yml) for each API: one `http` event per route with its
// Cognito authorizer, scopes and CORS, the 4XX/5XX gateway responses as
// CloudFormation resources, and `configValidationMode: error` so that
// `sls print` and `sls package` refuse a configuration they do not
// understand instead of warning and deploying it anyway.
//
// Serverless attaches every http event to a Lambda function, so a REST
// API's service has functions: one per Lambda function the description
// integrates with, and one placeholder for the other routes (HTTP and mock
// integrations included). An HTTP API's service (httpApi events) has a
// placeholder only for routes without any integration: its HTTP_PROXY
// routes are AWS::ApiGatewayV2::Integration and Route resources (see
// httpapi.go). The handlers are placeholders the user replaces; the header
// comment lists them. The package owns the YAML only: it does not run the
// Serverless Framework (generators/equivalence and the peer tests do).
package serverless
