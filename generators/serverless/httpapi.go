package serverless

import (
	"fmt"
	"strings"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/internal/tree"
	"github.com/portcullis-dev/portcullis/restapi"
	"github.com/portcullis-dev/portcullis/spec"
)

// An HTTP API becomes a service with provider.httpApi: its JWT authorizers
// (type jwt, identitySource, issuerUrl, audience), its CORS, and one
// httpApi event per route naming the authorizer and scopes
// (https://www.serverless.com/framework/docs/providers/aws/events/http-api).
// As for REST APIs, every event belongs to a function: one per Lambda the
// description integrates with, a placeholder for the rest (HTTP_PROXY
// routes included: Serverless attaches httpApi events to functions only).
// Serverless deploys HTTP APIs to the auto-deploying $default stage.

type httpFunction struct {
	key, handler, lambda string
	routes               []*spec.HTTPRoute
}

func renderHTTP(a *spec.HTTPAPI, opts generators.Options) ([]byte, error) {
	root := mapping("service", serviceName(a.Name), "frameworkVersion", "3", "configValidationMode", "error")
	provider := mapping("name", "aws", "runtime", placeholderRuntime)
	if a.Region != "" {
		provider.Set("region", a.Region)
	}
	httpAPI := mapping()
	if a.APIID != "" {
		httpAPI.Set("id", a.APIID)
	} else {
		httpAPI.Set("name", a.Name)
	}
	if c := a.CORS; c != nil && a.APIID == "" {
		cors := mapping("allowedOrigins", tree.Strings(c.AllowOrigins))
		if len(c.AllowHeaders) > 0 {
			cors.Set("allowedHeaders", tree.Strings(c.AllowHeaders))
		}
		if len(c.AllowMethods) > 0 {
			cors.Set("allowedMethods", tree.Strings(c.AllowMethods))
		}
		if len(c.ExposeHeaders) > 0 {
			cors.Set("exposedResponseHeaders", tree.Strings(c.ExposeHeaders))
		}
		if c.AllowCredentials {
			cors.Set("allowCredentials", true)
		}
		if c.MaxAgeSeconds > 0 {
			cors.Set("maxAge", c.MaxAgeSeconds)
		}
		httpAPI.Set("cors", cors)
	}
	if len(a.Authorizers) > 0 {
		azs := mapping()
		for _, az := range a.Authorizers {
			if az.Type != spec.AuthorizerJWT {
				return nil, fmt.Errorf("serverless: authorizer %q of http_api %q is a %s authorizer; Portcullis writes JWT authorizers only", az.Name, a.Name, az.Type)
			}
			azs.Set(az.Name, mapping("type", "jwt", "identitySource", az.IdentitySource(), "issuerUrl", az.Issuer,
				"audience", tree.Strings(az.Audiences)))
		}
		httpAPI.Set("authorizers", azs)
	}
	provider.Set("httpApi", httpAPI)
	root.Set("provider", provider)

	funcs := httpFunctions(a)
	fnodes := mapping()
	for _, f := range funcs {
		events := tree.List{}
		for _, r := range f.routes {
			ev, err := httpAPIEvent(a, r)
			if err != nil {
				return nil, err
			}
			events = append(events, mapping("httpApi", ev))
		}
		fnodes.Set(f.key, mapping("handler", f.handler, "events", events))
	}
	root.Set("functions", fnodes)

	var b strings.Builder
	b.WriteString(generators.Header(opts.Source, "serverless") + "\n")
	fmt.Fprintf(&b, "Serverless Framework v3 service for http_api %q: `sls print` checks it, `sls package` writes its CloudFormation.\n", a.Name)
	if len(funcs) > 0 {
		b.WriteString("\nReplace the placeholder handlers (and provider.runtime) with your code:\n")
		for _, f := range funcs {
			what := "routes without a Lambda integration (HTTP_PROXY routes become Lambda routes here)"
			if f.lambda != "" {
				what = "Lambda " + f.lambda + " in the description"
			}
			fmt.Fprintf(&b, "  functions.%s.handler: %s (%s)\n", f.key, f.handler, what)
		}
	}
	if vars := variableLike(root); len(vars) > 0 {
		fmt.Fprintf(&b, "\nServerless resolves ${...} in every string as a variable, and these values from the description contain one: %s. Check them after `sls print`.\n", strings.Join(vars, ", "))
	}
	return tree.FoldedYAML(root, strings.TrimRight(b.String(), "\n")), nil
}

func httpFunctions(a *spec.HTTPAPI) []*httpFunction {
	byKey := map[string]*httpFunction{}
	for _, r := range a.Routes {
		key, lambda := placeholderFunc, ""
		if in := r.Integration; in != nil && in.Type == spec.IntegrationAWSProxy {
			if n := generators.LambdaName(in.URI); n != "" {
				key, lambda = n, n
			}
		}
		f := byKey[key]
		if f == nil {
			f = &httpFunction{key: key, lambda: lambda, handler: "handlers/" + key + ".handler"}
			byKey[key] = f
		}
		f.routes = append(f.routes, r)
	}
	var out []*httpFunction
	for _, k := range restapi.SortedKeys(byKey) {
		out = append(out, byKey[k])
	}
	return out
}

// httpAPIEvent is a route's httpApi event: "*" is Serverless's word for
// ANY and, as the path too, for $default.
func httpAPIEvent(a *spec.HTTPAPI, r *spec.HTTPRoute) (*tree.Map, error) {
	method, path := strings.ToUpper(r.Method), r.Path
	if r.Method == "ANY" {
		method = "*"
	}
	if r.IsDefault() {
		method, path = "*", "*"
	}
	ev := mapping("method", method, "path", path)
	switch r.AuthType {
	case spec.AuthNone:
	case spec.AuthJWT:
		auth := mapping("name", r.Authorizer)
		if len(r.Scopes) > 0 {
			auth.Set("scopes", tree.Strings(r.Scopes))
		}
		ev.Set("authorizer", auth)
	case spec.AuthIAM:
		ev.Set("authorizer", mapping("type", "aws_iam"))
	default:
		return nil, fmt.Errorf("serverless: route %s uses %s authorization, which Portcullis does not generate for Serverless", r.Key, r.AuthType)
	}
	return ev, nil
}
