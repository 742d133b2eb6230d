package spec

// OpenAPI extensions. API Gateway's own are read and written as AWS
// documents them; Portcullis's x-portcullis-* extensions carry what OpenAPI
// cannot otherwise say, so that a description survives a round trip through
// OpenAPI unchanged. API Gateway's importer ignores unknown x- extensions.
const (
	ExtAuthType          = "x-amazon-apigateway-authtype"
	ExtAuthorizer        = "x-amazon-apigateway-authorizer"
	ExtIntegration       = "x-amazon-apigateway-integration"
	ExtGatewayResponses  = "x-amazon-apigateway-gateway-responses"
	ExtAnyMethod         = "x-amazon-apigateway-any-method"
	ExtAPIKeySource      = "x-amazon-apigateway-api-key-source"
	ExtRequestValidators = "x-amazon-apigateway-request-validators"
	// Root, HTTP APIs only: the API's corsConfiguration {allowOrigins,
	// allowMethods, allowHeaders, exposeHeaders, maxAge, allowCredentials}.
	ExtCORSConfiguration = "x-amazon-apigateway-cors"

	// Root: "HTTP" for an HTTP API (v2), "REST" for a REST API. Without
	// it, a document is read as an HTTP API when it says something only
	// HTTP APIs have (a jwt authorizer, x-amazon-apigateway-cors, a
	// /$default path, an integration's payloadFormatVersion).
	ExtProtocol = "x-portcullis-protocol"
	// Root: the existing HTTP API's id (v2's x-portcullis-rest-api-id).
	ExtAPIID = "x-portcullis-api-id"

	// Root: the API's region and existing id (also read from servers).
	ExtRegion    = "x-portcullis-region"
	ExtRestAPIID = "x-portcullis-rest-api-id"
	// Root: the name of the security scheme routes inherit in the HCL
	// form (informational; OpenAPI repeats security on every operation).
	ExtDefaultAuthorizer = "x-portcullis-default-authorizer"
	// Root: the cors block, verbatim: {allow_origins, allow_methods,
	// allow_headers, expose_headers, allow_credentials, max_age_seconds}.
	// Without it, CORS is inferred from the OPTIONS preflight mocks.
	ExtCORS = "x-portcullis-cors"
	// Root: [{name, description, variables}] (HTTP APIs add auto_deploy),
	// the stages. Without it the stage is the server URL's basePath.
	ExtStages = "x-portcullis-stages"
	// Operation: true when the route is deliberately public.
	ExtPublic = "x-portcullis-public"
	// Operation: why the route is public.
	ExtPublicReason = "x-portcullis-public-reason"
	// Operation: path parameter examples {name: value} for probes.
	ExtExamples = "x-portcullis-examples"
	// Operation or security scheme: [{rule, reason}] suppressions.
	ExtIgnore = "x-portcullis-ignore"
	// Operation: true when the x-amazon-apigateway-integration was made up
	// by a generator (the description declared none), so readers drop it.
	ExtGeneratedIntegration = "x-portcullis-generated-integration"
	// Operation: the auth type for AWS_IAM/CUSTOM methods when no scheme says it.
	ExtAuthTypeOverride = "x-portcullis-auth-type"
)
