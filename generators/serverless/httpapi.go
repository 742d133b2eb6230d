package serverless

import (
	"fmt"
	"strings"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/cloudformation"
	"github.com/portcullis-dev/portcullis/generators/internal/tree"
	"github.com/portcullis-dev/portcullis/restapi"
	"github.com/portcullis-dev/portcullis/spec"
)

// An HTTP API becomes a service with provider.httpApi: its JWT authorizers
// (type jwt, identitySource, issuerUrl, audience), its CORS, and one
// httpApi event per Lambda route naming the authorizer and scopes
// (https://www.serverless.com/framework/docs/providers/aws/events/http-api).
// Serverless attaches httpApi events to functions only: one function per
// Lambda the description integrates with, and a placeholder for the routes
// the description gives no integration (the user's code goes there).
//
// HTTP_PROXY routes have no function to belong to, so they are
// CloudFormation in resources.Resources: an AWS::ApiGatewayV2::Integration
// and Route each, on the API Serverless creates (logical ID HttpApi) and
// with the authorizer it creates for provider.httpApi.authorizers
// (HttpApiAuthorizer + the name as Serverless normalizes it; naming.js in
// the framework). Serverless compiles the API, its $default stage and the
// authorizers only when some function has an httpApi event; without one
// the service writes them itself (the API and stage under Serverless's
// logical IDs, the authorizers as below).
//
// An existing API (api_id) is provider.httpApi.id. Serverless refuses
// authorizers and CORS for it, so the authorizers are
// AWS::ApiGatewayV2::Authorizer resources (PortcullisAuthorizer + the name
// in Pascal case) on that id, which events name by authorizer.id, and the
// CORS configuration stays with the API (the header says so). Serverless deploys HTTP APIs to the auto-deploying $default
// stage.

// Logical IDs Serverless v3 gives what it compiles for provider.httpApi.
const (
	slsHTTPAPI   = "HttpApi"
	slsHTTPStage = "HttpApiStage"
)

// slsAuthorizerID is the logical ID Serverless gives the authorizer it
// compiles from provider.httpApi.authorizers.NAME
// (getHttpApiAuthorizerLogicalId: "-" becomes Dash, "_" Underscore, and the
// first letter is upper-cased).
func slsAuthorizerID(name string) string {
	n := strings.NewReplacer("-", "Dash", "_", "Underscore").Replace(name)
	if n != "" {
		n = strings.ToUpper(n[:1]) + n[1:]
	}
	return "HttpApiAuthorizer" + n
}

type httpFunction struct {
	key, handler, lambda string
	routes               []*spec.HTTPRoute
}

func renderHTTP(a *spec.HTTPAPI, opts generators.Options) ([]byte, error) {
	for _, az := range a.Authorizers {
		if az.Type != spec.AuthorizerJWT {
			return nil, fmt.Errorf("serverless: authorizer %q of http_api %q is a %s authorizer; Portcullis writes JWT authorizers only", az.Name, a.Name, az.Type)
		}
	}
	existing := a.APIID != ""
	funcs, proxied := httpFunctions(a)
	// Serverless compiles provider.httpApi only when an event uses it.
	compiled := len(funcs) > 0
	root := mapping("service", serviceName(a.Name), "frameworkVersion", "3", "configValidationMode", "error")
	provider := mapping("name", "aws", "runtime", placeholderRuntime)
	if a.Region != "" {
		provider.Set("region", a.Region)
	}
	resources := mapping()
	var apiID any = cloudformation.Ref(slsHTTPAPI)
	// authorizerRef is what events (authorizer.id) and routes
	// (AuthorizerId) of an existing or uncompiled API name an authorizer by.
	authorizerRef := map[string]any{}
	switch {
	case existing:
		apiID = a.APIID
		provider.Set("httpApi", mapping("id", a.APIID))
	case compiled:
		httpAPI := mapping("name", a.Name)
		if c := a.CORS; c != nil {
			httpAPI.Set("cors", slsCORS(c))
		}
		if len(a.Authorizers) > 0 {
			azs := mapping()
			for _, az := range a.Authorizers {
				azs.Set(az.Name, mapping("type", "jwt", "identitySource", az.IdentitySource(), "issuerUrl", az.Issuer,
					"audience", tree.Strings(az.Audiences)))
				authorizerRef[az.Name] = cloudformation.Ref(slsAuthorizerID(az.Name))
			}
			httpAPI.Set("authorizers", azs)
		}
		provider.Set("httpApi", httpAPI)
	default:
		props := mapping("Name", a.Name, "ProtocolType", "HTTP")
		props.SetNonZero("Description", a.Description)
		if a.CORS != nil {
			props.Set("CorsConfiguration", cloudformation.CORSConfiguration(a.CORS))
		}
		resources.Set(slsHTTPAPI, mapping("Type", "AWS::ApiGatewayV2::Api", "Properties", props))
		resources.Set(slsHTTPStage, mapping("Type", "AWS::ApiGatewayV2::Stage", "Properties",
			mapping("ApiId", apiID, "StageName", spec.DefaultStageName, "AutoDeploy", true)))
	}
	if existing || !compiled {
		ids := restapi.Unique(authorizerNames(a), func(n string) string { return "PortcullisAuthorizer" + restapi.Pascal(n) }, "")
		for _, az := range a.Authorizers {
			resources.Set(ids[az.Name], authorizerResource(apiID, az))
			authorizerRef[az.Name] = cloudformation.Ref(ids[az.Name])
		}
	}
	root.Set("provider", provider)

	if len(funcs) > 0 {
		fnodes := mapping()
		for _, f := range funcs {
			events := tree.List{}
			for _, r := range f.routes {
				ev, err := httpAPIEvent(a, r, existing, authorizerRef)
				if err != nil {
					return nil, err
				}
				events = append(events, mapping("httpApi", ev))
			}
			fnodes.Set(f.key, mapping("handler", f.handler, "events", events))
		}
		root.Set("functions", fnodes)
	}

	names := cloudformation.NewHTTPNames(a)
	for _, r := range proxied {
		var azID any
		switch r.AuthType {
		case spec.AuthNone, spec.AuthIAM:
		case spec.AuthJWT:
			azID = authorizerRef[r.Authorizer]
			if azID == nil {
				return nil, fmt.Errorf("serverless: route %s uses authorizer %q, which http_api %q does not declare", r.Key, r.Authorizer, a.Name)
			}
		default:
			return nil, fmt.Errorf("serverless: route %s uses %s authorization, which Portcullis does not generate for Serverless", r.Key, r.AuthType)
		}
		resources.Set(names.Integration(r.Key), mapping("Type", "AWS::ApiGatewayV2::Integration",
			"Properties", cloudformation.HTTPIntegrationProperties(apiID, r.Integration)))
		props := cloudformation.HTTPRouteProperties(apiID, r, azID).Set("Target", cloudformation.HTTPTarget(names.Integration(r.Key)))
		resources.Set(names.Route(r.Key), mapping("Type", "AWS::ApiGatewayV2::Route", "Properties", props))
	}
	if resources.Len() > 0 {
		root.Set("resources", mapping("Resources", resources))
	}

	var b strings.Builder
	b.WriteString(generators.Header(opts.Source, "serverless") + "\n")
	fmt.Fprintf(&b, "Serverless Framework v3 service for http_api %q: `sls print` checks it, `sls package` writes its CloudFormation.\n", a.Name)
	if len(funcs) > 0 {
		b.WriteString("\nReplace the placeholder handlers (and provider.runtime) with your code:\n")
		for _, f := range funcs {
			what := "routes without an integration in the description"
			if f.lambda != "" {
				what = "Lambda " + f.lambda + " in the description"
			}
			fmt.Fprintf(&b, "  functions.%s.handler: %s (%s)\n", f.key, f.handler, what)
		}
	}
	if len(proxied) > 0 {
		b.WriteString("\nHTTP_PROXY routes are CloudFormation in resources.Resources: Serverless attaches httpApi events to functions only.\n")
	}
	if !existing && !compiled {
		b.WriteString("\nNo route has a function, so Serverless compiles no HTTP API: the API, its $default stage and its authorizers are in resources.Resources too.\n")
	}
	if existing {
		fmt.Fprintf(&b, "\nServerless makes no deployment of the existing API %s: the routes are live on a stage with auto-deploy, else after the next deployment (`portcullis apply` makes one).\n", a.APIID)
	}
	if existing && a.CORS != nil {
		fmt.Fprintf(&b, "\nThe CORS configuration belongs to the existing API %s, which Serverless does not configure: `portcullis apply` sets it.\n", a.APIID)
	}
	if vars := variableLike(root); len(vars) > 0 {
		fmt.Fprintf(&b, "\nServerless resolves ${...} in every string as a variable, and these values from the description contain one: %s. Check them after `sls print`.\n", strings.Join(vars, ", "))
	}
	return tree.FoldedYAML(root, strings.TrimRight(b.String(), "\n")), nil
}

func authorizerNames(a *spec.HTTPAPI) []string {
	var out []string
	for _, az := range a.Authorizers {
		out = append(out, az.Name)
	}
	return out
}

// authorizerResource is a JWT authorizer as CloudFormation, for an API
// whose authorizers Serverless does not compile.
func authorizerResource(apiID any, az *spec.JWTAuthorizer) *tree.Map {
	return mapping("Type", "AWS::ApiGatewayV2::Authorizer", "Properties", mapping(
		"ApiId", apiID, "Name", az.Name, "AuthorizerType", spec.AuthorizerJWT,
		"IdentitySource", tree.Strings(az.IdentitySources),
		"JwtConfiguration", mapping("Issuer", az.Issuer, "Audience", tree.Strings(az.Audiences))))
}

func slsCORS(c *spec.CORS) *tree.Map {
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
	return cors
}

// httpFunctions groups the routes that become httpApi events by the Lambda
// function their integration names (a placeholder for routes without an
// integration), and returns the HTTP_PROXY routes apart.
func httpFunctions(a *spec.HTTPAPI) (funcs []*httpFunction, proxied []*spec.HTTPRoute) {
	byKey := map[string]*httpFunction{}
	for _, r := range a.Routes {
		key, lambda := placeholderFunc, ""
		if in := r.Integration; in != nil {
			if in.Type == spec.IntegrationHTTPProxy {
				proxied = append(proxied, r)
				continue
			}
			if n := generators.LambdaName(in.URI); in.Type == spec.IntegrationAWSProxy && n != "" {
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
	for _, k := range restapi.SortedKeys(byKey) {
		funcs = append(funcs, byKey[k])
	}
	return funcs, proxied
}

// httpAPIEvent is a route's httpApi event: "*" is Serverless's word for
// ANY and, as the path too, for $default. On an existing API the
// authorizer is named by its resource (authorizer.id), since Serverless
// keeps no authorizers of its own there.
func httpAPIEvent(a *spec.HTTPAPI, r *spec.HTTPRoute, existing bool, authorizerRef map[string]any) (*tree.Map, error) {
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
		if existing {
			id := authorizerRef[r.Authorizer]
			if id == nil {
				return nil, fmt.Errorf("serverless: route %s uses authorizer %q, which http_api %q does not declare", r.Key, r.Authorizer, a.Name)
			}
			auth = mapping("id", id)
		}
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
