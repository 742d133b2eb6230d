// Package emulator is an in-process Amazon API Gateway (REST APIs, and
// HTTP APIs in v2_*.go) that
// speaks the real REST-JSON wire protocol, so the AWS SDK for Go, the AWS
// CLI and Portcullis's own apply, drift and probe commands run against it
// without an AWS account.
//
// # What it owns
//
// The control plane: RestApis (create, get, list, update, delete,
// PutRestApi in merge/overwrite mode and ImportRestApi from OpenAPI 3.0 or
// Swagger 2.0, JSON or YAML, with Cognito security schemes, per-operation
// security and scopes, x-amazon-apigateway-integration and
// -gateway-responses), Resources, Methods, Integrations, method and
// integration responses, Authorizers, Deployments (each an immutable deep
// copy of the working configuration, see Snapshot), Stages,
// GatewayResponses, GetExport (oas30/swagger, JSON or YAML, with
// extensions=integrations|authorizers|apigateway),
// FlushStageAuthorizersCache and TestInvokeAuthorizer (Cognito authorizers,
// checked with the data plane's verifier). Answers use AWS's status codes, the
// X-Amzn-ErrorType header and {"message": ...} bodies, so the SDK decodes
// typed errors (NotFoundException, ConflictException, ...). AWS's quotas
// are enforced (Limits raises the ones AWS Support can raise).
//
// Regions are kept apart as on AWS: an API belongs to the region of the
// SigV4 credential scope that created it, and a request signed for another
// region neither lists nor finds it (an unsigned request is in
// Options.Region). API ids are unique across regions, so the data plane
// finds a stage by id alone. Wire shapes follow what AWS sends, not what
// Portcullis's model assumes: the emulator imports nothing from spec/, and
// spells enum values with the SDK's types.
//
// Faults on demand, for testing callers: throttling at the documented
// per-account rates scaled by a factor, each region on its own buckets
// as on AWS (429 TooManyRequestsException with
// Retry-After, plus X-Portcullis-Retry-After-Ms since scaled delays are
// below a second), injected errors for an operation (in one region or
// all), and "fail the n-th call". Set them with Options.Faults or SetFaults, or at runtime over the
// admin endpoint, which also serves the call log (every admin request
// carries X-Portcullis-Admin: 1, see guard.go):
//
//	GET|PUT|DELETE /_portcullis/faults   Faults as JSON
//	GET|DELETE     /_portcullis/calls    {"calls":[{operation,region,method,path,status,write,time}]}
//	DELETE         /_portcullis/state    delete every API
//	GET            /_portcullis/health
//
// Persistence: Open keeps the state in a JSON file, loaded at start and
// replaced atomically after every change, and reloaded before a request
// when another process has replaced it (so a running `local serve` sees
// what an `apply --local` wrote); New keeps it in memory.
// StartLocal is what `--local` uses: a server on 127.0.0.1 with its state
// in .portcullis/state.json of a working directory.
//
// Guards (guard.go): requests whose Host is not a loopback name are
// refused, control-plane calls need a SigV4-shaped Authorization header,
// admin calls the X-Portcullis-Admin header, and preflights to either are
// refused, so a web page cannot drive the gateway (docs/security.md).
//
// The data plane (dataplane*.go) serves deployed stages at
// /restapis/{id}/{stage}/_user_request_/{path} and on
// Host: {id}.execute-api.localhost; state.go is the contract between it
// and the control plane.
//
// HTTP APIs (API Gateway v2, v2_*.go): the apigatewayv2 control plane
// under /v2/apis (APIs with CORS, JWT authorizers, integrations, routes,
// stages with autoDeploy, deployments, ExportApi OAS30, ImportApi and
// ReimportApi of OpenAPI 3.0 (v2_import.go), tags) and a data
// plane at the same invoke URLs ($default served at the Host form's root)
// with the JWT authorizer's semantics (tokens.Verifier.VerifyJWT), CORS
// preflights answered by the gateway, and AWS's route priority.
// docs/local-gateway.md ("HTTP APIs") lists what is emulated and the
// choices made where AWS's documentation is silent.
//
// # What it does not do
//
// Models, request validators, API keys and usage plans, documentation
// parts, custom domains, VPC links, canaries and TestInvokeMethod are not
// emulated (their routes answer 404 NotFoundException), nor is
// TestInvokeAuthorizer for Lambda authorizers (400); tags are accepted and
// dropped. Two processes changing one state file at the same moment are
// not queued: the one whose write finds a newer file gets 409 and retries.
package emulator
