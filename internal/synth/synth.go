package synth

import (
	"encoding/json"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v4"
)

// route i lives on path /r{i/5}/{id}-ish paths: five verbs per resource
// keeps the resource count at routes/5*2, the shape of a real API.
var verbs = []string{"GET", "POST", "PUT", "PATCH", "DELETE"}

func routePath(i int) string {
	if (i/len(verbs))%2 == 0 {
		return fmt.Sprintf("/res%d", i/(2*len(verbs)))
	}
	return fmt.Sprintf("/res%d/{id}", i/(2*len(verbs)))
}

func poolARN(j int) string {
	return fmt.Sprintf("arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Pool%d", j)
}

// HCL returns a description with the given number of routes and authorizers.
func HCL(routes, authorizers int) []byte {
	var b strings.Builder
	b.WriteString("api \"synthetic\" {\n  region = \"us-east-1\"\n")
	for j := 0; j < authorizers; j++ {
		fmt.Fprintf(&b, "  authorizer \"a%d\" {\n    user_pool_arns = [%q]\n    ttl_seconds = 300\n  }\n", j, poolARN(j))
	}
	b.WriteString("  default_authorizer = authorizer.a0\n  cors {\n    allow_origins = [\"https://app.example.com\"]\n  }\n")
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
		b.WriteString("    integration {\n      type = \"HTTP_PROXY\"\n      uri = \"https://backend.example.com/\"\n      http_method = \"ANY\"\n    }\n  }\n")
	}
	b.WriteString("  stage \"prod\" {}\n}\n")
	return []byte(b.String())
}

// OpenAPI returns the same description as an OpenAPI 3.0 YAML document.
func OpenAPI(routes, authorizers int) []byte {
	var b strings.Builder
	b.WriteString("openapi: 3.0.1\ninfo:\n  title: synthetic\n  version: \"1\"\n")
	b.WriteString("servers:\n  - url: https://{restApiId}.execute-api.us-east-1.amazonaws.com/{basePath}\n    variables:\n      restApiId: {default: example}\n      basePath: {default: prod}\n")
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
				b.WriteString("      x-portcullis-public: true\n      x-portcullis-public-reason: synthetic public route\n")
			case i%3 == 0:
				fmt.Fprintf(&b, "      security:\n        - a%d: [api/read, api/write]\n", i%authorizers)
			default:
				fmt.Fprintf(&b, "      security:\n        - a%d: []\n", i%authorizers)
			}
			b.WriteString("      responses:\n        \"200\":\n          description: OK\n")
			b.WriteString("      x-amazon-apigateway-integration:\n        type: http_proxy\n        httpMethod: ANY\n        uri: https://backend.example.com/\n")
		}
	}
	b.WriteString("components:\n  securitySchemes:\n")
	for j := 0; j < authorizers; j++ {
		fmt.Fprintf(&b, "    a%d:\n      type: apiKey\n      name: Authorization\n      in: header\n      x-amazon-apigateway-authtype: cognito_user_pools\n", j)
		fmt.Fprintf(&b, "      x-amazon-apigateway-authorizer:\n        type: cognito_user_pools\n        providerARNs: [%q]\n        authorizerResultTtlInSeconds: 300\n", poolARN(j))
	}
	return []byte(b.String())
}

// OpenAPIJSON returns the OpenAPI document as indented JSON, the way API
// Gateway's GetExport writes it.
func OpenAPIJSON(routes, authorizers int) []byte {
	var v any
	if err := yaml.Unmarshal(OpenAPI(routes, authorizers), &v); err != nil {
		panic(err) // OpenAPI writes valid YAML; a failure here is a bug in it
	}
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		panic(err)
	}
	return append(out, '\n')
}

// groupByPath groups the routes' indexes by path, paths in order of first use,
// as an OpenAPI document lists them.
func groupByPath(routes int) (order []string, ops map[string][]int) {
	ops = map[string][]int{}
	for i := 0; i < routes; i++ {
		p := routePath(i)
		if _, ok := ops[p]; !ok {
			order = append(order, p)
		}
		ops[p] = append(ops[p], i)
	}
	return order, ops
}
