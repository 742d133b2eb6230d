package cloudformation

import (
	"github.com/portcullis-dev/portcullis/spec"
)

// CloudFormation's own quotas on one template (AWS CloudFormation User
// Guide, "CloudFormation quotas"; cfn-lint's E3010 and E1002). An API at
// API Gateway's default quota (300 resources, 1,500 methods) is about
// 4,000 CloudFormation resources, so a large API must be split into nested
// stacks, or described as one RestApi whose Body is the OpenAPI document
// (the sam and openapi targets), to deploy at all.
const (
	MaxResources     = 500
	MaxTemplateBytes = 1_000_000 // from S3; 51,200 bytes inline
)

// Limits warns when a template for a exceeds CloudFormation's quotas.
// resources is the number of resources in it (0 when the caller does not
// count them) and size its encoded length.
func Limits(a *spec.API, target string, resources, size int) spec.Diagnostics {
	var ds spec.Diagnostics
	if resources > MaxResources {
		ds = append(ds, spec.Warnf("cloudformation-resources", a.Range, "Template over CloudFormation's resource limit",
			"The %s template for %q has %d resources; CloudFormation accepts at most %d per template. Split it into nested stacks, or deploy the API from its OpenAPI document (--target sam, or an AWS::ApiGateway::RestApi whose Body is --target openapi's output), which is one resource.",
			target, a.Name, resources, MaxResources))
	}
	if size > MaxTemplateBytes {
		ds = append(ds, spec.Warnf("cloudformation-template-size", a.Range, "Template over CloudFormation's size limit",
			"The %s template for %q is %d bytes; CloudFormation accepts templates up to %d bytes (uploaded to S3; 51,200 inline). Split the API into nested stacks, or try --format json, which is smaller.",
			target, a.Name, size, MaxTemplateBytes))
	}
	return ds
}
