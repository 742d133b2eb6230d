// Package emulator is an in-process Amazon API Gateway (REST, v1) that
// speaks the real REST-JSON wire protocol, so the AWS SDK for Go, the AWS
// CLI and Portcullis's own apply, drift and probe commands can run against
// it without an AWS account.
//
// It owns the control plane (RestApis, Resources, Methods, Integrations,
// method and integration responses, Authorizers, Deployments, Stages,
// GatewayResponses, OpenAPI import and export), AWS's quotas, faults on
// demand (throttling at the documented account rates scaled by a factor,
// injected errors, "fail the n-th call"), a call log, an admin endpoint
// under /_portcullis/, and state persistence to a JSON file. The data
// plane (dataplane*.go) serves deployed stages from the immutable Snapshot
// each deployment captured; state.go is the contract between the two.
//
// It does not emulate models, request validators, API keys, usage plans,
// documentation parts, custom domains or VPC links: calls to those answer
// 404 like an unknown route.
package emulator
