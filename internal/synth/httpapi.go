package synth

import (
	"fmt"
	"strings"
)

// The HTTP API (v2) twins of HCL and OpenAPI: the same routes and mix
// (scoped, unscoped, public), JWT authorizers on Cognito pools instead of
// Cognito user pool authorizers, the API's CORS configuration, Lambda
// proxy integrations with payload 2.0 and an auto-deploying $default
// stage.

func poolID(j int) string { return fmt.Sprintf("us-east-1_Pool%d", j) }

// HTTPHCL returns an http_api description with the given number of routes
// and authorizers.
func HTTPHCL(routes, authorizers int) []byte {
	var b strings.Builder
	b.WriteString("http_api \"synthetic\" {\n  region = \"us-east-1\"\n")
	for j := 0; j < authorizers; j++ {
		fmt.Fprintf(&b, "  authorizer \"a%d\" {\n    user_pool_id = %q\n    audiences = [\"client%d\"]\n  }\n", j, poolID(j), j)
	}
	b.WriteString("  default_authorizer = authorizer.a0\n  cors {\n    allow_origins = [\"https://app.example.com\"]\n    allow_headers = [\"authorization\"]\n  }\n")
	for i := 0; i < routes; i++ {
		fmt.Fprintf(&b, "  route \"%s %s\" {\n", verbs[i%len(verbs)], routePath(i))
		switch {
		case i%50 == 49:
			b.WriteString("    public = true\n    reason = \"synthetic public route\"\n")
		case i%3 == 0:
			fmt.Fprintf(&b, "    authorizer = authorizer.a%d\n    scopes = [\"api/read\", \"api/write\"]\n", i%authorizers)
		default:
			fmt.Fprintf(&b, "    authorizer = authorizer.a%d\n", i%authorizers)
		}
		b.WriteString("    integration {\n      type = \"AWS_PROXY\"\n      uri = \"arn:aws:lambda:us-east-1:123456789012:function:synthetic\"\n    }\n  }\n")
	}
	b.WriteString("  stage \"$default\" {\n    auto_deploy = true\n  }\n}\n")
	return []byte(b.String())
}

// HTTPOpenAPI returns the same HTTP API as an OpenAPI 3.0 YAML document.
func HTTPOpenAPI(routes, authorizers int) []byte {
	var b strings.Builder
	b.WriteString("openapi: 3.0.1\ninfo:\n  title: synthetic\n  version: \"1\"\n")
	b.WriteString("x-portcullis-region: us-east-1\nx-portcullis-stages:\n  - {name: $default, auto_deploy: true}\n")
	b.WriteString("x-amazon-apigateway-cors:\n  allowOrigins: [\"https://app.example.com\"]\n  allowHeaders: [authorization]\n")
	b.WriteString("paths:\n")
	order, byPath := groupByPath(routes)
	for _, p := range order {
		fmt.Fprintf(&b, "  %s:\n", p)
		for _, i := range byPath[p] {
			fmt.Fprintf(&b, "    %s:\n", strings.ToLower(verbs[i%len(verbs)]))
			fmt.Fprintf(&b, "      operationId: op%d\n", i)
			if strings.Contains(p, "{id}") {
				b.WriteString("      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n")
			}
			switch {
			case i%50 == 49:
				b.WriteString("      x-portcullis-public: true\n      x-portcullis-public-reason: synthetic public route\n      security: []\n")
			case i%3 == 0:
				fmt.Fprintf(&b, "      security:\n        - a%d: [api/read, api/write]\n", i%authorizers)
			default:
				fmt.Fprintf(&b, "      security:\n        - a%d: []\n", i%authorizers)
			}
			b.WriteString("      responses:\n        \"200\":\n          description: OK\n")
			b.WriteString("      x-amazon-apigateway-integration:\n        type: aws_proxy\n        httpMethod: POST\n        uri: arn:aws:lambda:us-east-1:123456789012:function:synthetic\n        payloadFormatVersion: \"2.0\"\n")
		}
	}
	b.WriteString("components:\n  securitySchemes:\n")
	for j := 0; j < authorizers; j++ {
		fmt.Fprintf(&b, "    a%d:\n      type: openIdConnect\n      openIdConnectUrl: https://cognito-idp.us-east-1.amazonaws.com/%s/.well-known/openid-configuration\n", j, poolID(j))
		fmt.Fprintf(&b, "      x-amazon-apigateway-authorizer:\n        type: jwt\n        identitySource: $request.header.Authorization\n        jwtConfiguration:\n          issuer: https://cognito-idp.us-east-1.amazonaws.com/%s\n          audience: [client%d]\n", poolID(j), j)
	}
	return []byte(b.String())
}
