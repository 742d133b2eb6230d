// Package cdk writes an AWS CDK v2 app in TypeScript: one construct file
// per API (a RestApi, or an imported one when the description names an
// existing API id, with a CognitoUserPoolsAuthorizer per authorizer over
// UserPool.fromUserPoolArn, every method with its authorization type,
// authorizer and scopes, an unauthenticated CORS preflight per path, the
// gateway responses, and a deployment whose logical ID follows the auth
// configuration; or an HttpApi, or an imported one for an existing api_id,
// with its JWT authorizers, routes, integrations and stages), plus app.ts,
// cdk.json and tsconfig.json so that the folder synthesizes as is.
//
// TypeScript is written by string building; every string literal is JSON
// encoded, which is always a valid TypeScript literal, so no description can
// inject code. The package does not run tsc or the CDK (the peer tests in
// generators/equivalence do).
package cdk
