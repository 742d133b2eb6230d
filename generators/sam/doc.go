// Package sam writes the target "sam": an AWS SAM template per API with one
// AWS::Serverless::Api. SAM creates methods only from the events of
// AWS::Serverless::Function resources or from an inline DefinitionBody, and
// its Auth and GatewayResponses properties work only with the latter
// (samtranslator's api_generator: "Auth works only with inline Swagger
// specified in 'DefinitionBody' property"). A description names existing
// backends rather than function code, so the routes go in DefinitionBody
// (the Swagger 2.0 document of the swagger target, SAM dialect) and the
// authorization in Auth: Authorizers (UserPoolArn, Identity.Header,
// ValidationExpression, ReauthorizeEvery), DefaultAuthorizer,
// AddDefaultAuthorizerToCorsPreflight: false, per-operation security with
// scopes, and security NONE where SAM must not apply the default.
package sam
