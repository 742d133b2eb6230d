package serverless

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/internal/tree"
	"github.com/portcullis-dev/portcullis/restapi"
	"github.com/portcullis-dev/portcullis/spec"
)

type gen struct{}

// New returns the serverless generator.
func New() generators.Generator { return gen{} }

func (gen) Name() string { return "serverless" }
func (gen) Summary() string {
	return "Serverless Framework v3 serverless.yml: http events with Cognito authorizers (REST), httpApi events with JWT authorizers (HTTP API), scopes, CORS"
}

// Generate writes serverless.yml, or <api>/serverless.yml per API when the
// description has several (each is its own service).
func (gen) Generate(d *spec.Description, opts generators.Options) ([]generators.File, error) {
	if _, err := generators.PickFormat(opts.Format, "yaml"); err != nil {
		return nil, err
	}
	var out []generators.File
	paths := Paths(d)
	for _, a := range d.APIs {
		b, err := render(a, opts)
		if err != nil {
			return nil, err
		}
		out = append(out, generators.File{Path: paths[a.Name], Content: b})
	}
	for _, a := range d.HTTPAPIs {
		b, err := renderHTTP(a, opts)
		if err != nil {
			return nil, err
		}
		out = append(out, generators.File{Path: paths[a.Name], Content: b, Warnings: generators.ExistingAPICORS(a, opts.Source, "serverless")})
	}
	return out, nil
}

// Paths maps each API's name to the path of its serverless.yml.
func Paths(d *spec.Description) map[string]string {
	out := map[string]string{}
	names := apiNames(d)
	dirs := restapi.Unique(names, serviceName, "-")
	for _, n := range names {
		out[n] = "serverless.yml"
		if len(names) > 1 {
			out[n] = dirs[n] + "/serverless.yml"
		}
	}
	return out
}

func apiNames(d *spec.Description) []string {
	var out []string
	for _, a := range d.APIs {
		out = append(out, a.Name)
	}
	for _, a := range d.HTTPAPIs {
		out = append(out, a.Name)
	}
	return out
}

// Placeholder values the user replaces; the header comment says where.
const (
	placeholderRuntime = "nodejs20.x"
	placeholderFunc    = "routes"
	// rootResourcePlaceholder stands for the existing API's root resource
	// id, which the description does not know. `sls deploy
	// --param="restApiRootResourceId=..."` overrides it.
	rootResourcePlaceholder = "REPLACE_WITH_ROOT_RESOURCE_ID"
)

var (
	lambdaNameRe = regexp.MustCompile(`:function:([A-Za-z0-9_-]+)(?::[A-Za-z0-9_$-]+)?/invocations$`)
	badService   = regexp.MustCompile(`[^0-9A-Za-z-]+`)
	badStage     = regexp.MustCompile(`[^0-9A-Za-z-]+`)
)

// serviceName fits an API name to Serverless's service pattern
// ^[a-zA-Z][0-9a-zA-Z-]+$.
func serviceName(name string) string {
	s := strings.Trim(badService.ReplaceAllString(name, "-"), "-")
	if s == "" || !(s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z') {
		s = "api-" + s
	}
	if len(s) < 2 {
		s += "-api"
	}
	return strings.TrimRight(s, "-")
}

// function is one Serverless function and the routes it serves.
type function struct {
	key     string
	handler string
	lambda  string // the Lambda named in the description, "" for the placeholder
	methods []restapi.Method
}

func render(a *spec.API, opts generators.Options) ([]byte, error) {
	st, err := restapi.PickStage(a, opts.Stage)
	if err != nil {
		return nil, err
	}
	stage := restapi.StageName(st)
	var notes []string
	if s := strings.Trim(badStage.ReplaceAllString(stage, "-"), "-"); s != stage {
		notes = append(notes, fmt.Sprintf("Stage %q is written as %q: Serverless allows only letters, digits and '-' in stage names.", stage, s))
		stage = s
	}

	// The authorizers with several pools are CloudFormation resources that
	// events reference; one-pool authorizers are written inline, which is
	// how Serverless users write them.
	shared := map[string]string{}
	var sharedNames []string
	for _, az := range a.Authorizers {
		if len(az.UserPoolARNs) > 1 && az.Type == spec.AuthorizerCognito {
			sharedNames = append(sharedNames, az.Name)
		}
	}
	for name, id := range restapi.Unique(sharedNames, func(n string) string { return "PortcullisAuthorizer" + restapi.Pascal(n) }, "") {
		shared[name] = id
	}

	funcs, err := functions(a)
	if err != nil {
		return nil, err
	}

	var restAPIRef any = mapping("Ref", "ApiGatewayRestApi")
	root := mapping(
		"service", serviceName(a.Name),
		"frameworkVersion", "3",
		"configValidationMode", "error",
	)
	if a.RestAPIID != "" {
		root.Set("params", mapping("default", mapping(
			"restApiId", a.RestAPIID,
			"restApiRootResourceId", rootResourcePlaceholder,
		)))
		restAPIRef = "${param:restApiId}"
	}

	provider := mapping("name", "aws", "runtime", placeholderRuntime)
	if a.Region != "" {
		provider.Set("region", a.Region)
	}
	provider.Set("stage", stage)
	apiGW := mapping()
	if a.RestAPIID != "" {
		apiGW.Set("restApiId", "${param:restApiId}")
		apiGW.Set("restApiRootResourceId", "${param:restApiRootResourceId}")
	} else if a.Description != "" {
		apiGW.Set("description", a.Description)
	}
	if apiGW.Len() > 0 {
		provider.Set("apiGateway", apiGW)
	}
	root.Set("provider", provider)

	described := map[string]bool{}
	for _, r := range a.Routes {
		if r.Method == "OPTIONS" {
			described[r.Path] = true
		}
	}
	fnodes := mapping()
	for _, f := range funcs {
		events := tree.List{}
		for _, m := range f.methods {
			ev, err := httpEvent(a, m, shared, described)
			if err != nil {
				return nil, err
			}
			events = append(events, mapping("http", ev))
		}
		fnodes.Set(f.key, mapping("handler", f.handler, "events", events))
	}
	root.Set("functions", fnodes)

	resources := mapping()
	if len(funcs) > 0 {
		// Without an http event Serverless creates no ApiGatewayRestApi, and
		// these resources would reference nothing.
		for _, name := range sharedNames {
			az := a.AuthorizerByName(name)
			props := mapping(
				"Name", az.Name,
				"Type", spec.AuthorizerCognito,
				"RestApiId", restAPIRef,
				"ProviderARNs", tree.Strings(az.UserPoolARNs),
				"IdentitySource", az.IdentitySource,
				"AuthorizerResultTtlInSeconds", az.TTLSeconds,
			)
			if az.ValidationExpression != "" {
				props.Set("IdentityValidationExpression", az.ValidationExpression)
			}
			resources.Set(shared[name], mapping("Type", "AWS::ApiGateway::Authorizer", "Properties", props))
		}
		for _, g := range a.GatewayResponses {
			props := mapping("ResponseType", g.Type, "RestApiId", restAPIRef)
			if g.StatusCode != "" {
				props.Set("StatusCode", g.StatusCode)
			}
			if len(g.ResponseParameters) > 0 {
				props.Set("ResponseParameters", tree.SortedMap(g.ResponseParameters))
			}
			if len(g.ResponseTemplates) > 0 {
				props.Set("ResponseTemplates", tree.SortedMap(g.ResponseTemplates))
			}
			resources.Set("GatewayResponse"+restapi.Pascal(g.Type), mapping("Type", "AWS::ApiGateway::GatewayResponse", "Properties", props))
		}
	}
	if resources.Len() > 0 {
		root.Set("resources", mapping("Resources", resources))
	}

	if vars := variableLike(root); len(vars) > 0 {
		notes = append(notes, fmt.Sprintf("Serverless resolves ${...} in every string as a variable, and these values from the description contain one: %s. Check them after `sls print`.", strings.Join(vars, ", ")))
	}
	return tree.FoldedYAML(root, header(a, opts, funcs, notes)), nil
}

// functions groups the routes by the Lambda function their integration
// names; routes without one share a placeholder function.
func functions(a *spec.API) ([]*function, error) {
	byKey := map[string]*function{}
	for _, m := range restapi.Methods(a) {
		if m.Preflight {
			continue // Serverless writes the preflight itself from `cors`
		}
		key, lambda := placeholderFunc, ""
		if in := m.Route.Integration; in != nil && (in.Type == spec.IntegrationAWSProxy || in.Type == spec.IntegrationAWS) {
			if mm := lambdaNameRe.FindStringSubmatch(in.URI); mm != nil {
				key, lambda = mm[1], mm[1]
			}
		}
		f := byKey[key]
		if f == nil {
			f = &function{key: key, lambda: lambda, handler: "handlers/" + key + ".handler"}
			byKey[key] = f
		}
		f.methods = append(f.methods, m)
	}
	var out []*function
	for _, k := range restapi.SortedKeys(byKey) {
		out = append(out, byKey[k])
	}
	return out, nil
}

// httpEvent is the http event of a method. described holds the paths with
// an OPTIONS route of their own, which Serverless's cors must not shadow.
func httpEvent(a *spec.API, m restapi.Method, shared map[string]string, described map[string]bool) (*tree.Map, error) {
	r := m.Route
	path := strings.TrimPrefix(r.Path, "/")
	if path == "" {
		path = "/"
	}
	ev := mapping("path", path, "method", strings.ToLower(r.Method))
	if in := r.Integration; in != nil && in.Type == spec.IntegrationHTTPProxy {
		ev.Set("integration", "http-proxy")
		// Serverless sends the route's own verb to an HTTP proxy and drops
		// request.method with a warning; header() notes a differing verb.
		ev.Set("request", mapping("uri", in.URI))
	}
	switch r.AuthType {
	case spec.AuthNone:
	case spec.AuthIAM:
		ev.Set("authorizer", mapping("type", "AWS_IAM"))
	case spec.AuthCognito:
		az := m.Authorizer
		if az == nil || az.Type != spec.AuthorizerCognito {
			return nil, fmt.Errorf("serverless: route %s uses authorizer %q, which is not a Cognito authorizer of api %q", r.Key(), r.Authorizer, a.Name)
		}
		scopes := append([]string(nil), r.Scopes...)
		if id, ok := shared[az.Name]; ok {
			auth := mapping("type", spec.AuthorizerCognito, "authorizerId", mapping("Ref", id))
			if len(scopes) > 0 {
				auth.Set("scopes", tree.Strings(scopes))
			}
			ev.Set("authorizer", auth)
			break
		}
		auth := mapping(
			"name", az.Name,
			"type", spec.AuthorizerCognito,
			"arn", az.UserPoolARNs[0],
		)
		if len(scopes) > 0 {
			auth.Set("scopes", tree.Strings(scopes))
		}
		auth.Set("identitySource", az.IdentitySource)
		auth.Set("resultTtlInSeconds", az.TTLSeconds)
		if az.ValidationExpression != "" {
			auth.Set("identityValidationExpression", az.ValidationExpression)
		}
		ev.Set("authorizer", auth)
	default:
		return nil, fmt.Errorf("serverless: route %s uses %s authorization, which Portcullis does not generate for Serverless", r.Key(), r.AuthType)
	}
	if c := a.CORS; c != nil && !described[r.Path] {
		cors := mapping("origins", tree.Strings(c.AllowOrigins), "headers", tree.Strings(c.AllowHeadersOrDefault()))
		if len(c.AllowMethods) > 0 {
			cors.Set("methods", tree.Strings(restapi.AllowMethods(c, nil)))
		}
		cors.Set("allowCredentials", c.AllowCredentials)
		if c.MaxAgeSeconds > 0 {
			cors.Set("maxAge", c.MaxAgeSeconds)
		}
		ev.Set("cors", cors)
	}
	return ev, nil
}

func header(a *spec.API, opts generators.Options, funcs []*function, notes []string) string {
	var b strings.Builder
	b.WriteString(generators.Header(opts.Source, "serverless") + "\n")
	fmt.Fprintf(&b, "Serverless Framework v3 service for api %q: `sls print` checks it, `sls package` writes its CloudFormation.\n", a.Name)
	if len(funcs) > 0 {
		b.WriteString("\nReplace the placeholder handlers (and provider.runtime) with your code:\n")
		for _, f := range funcs {
			what := "routes without a Lambda integration"
			if f.lambda != "" {
				what = "Lambda " + f.lambda + " in the description"
			}
			fmt.Fprintf(&b, "  functions.%s.handler: %s (%s)\n", f.key, f.handler, what)
		}
	}
	if a.RestAPIID != "" {
		fmt.Fprintf(&b, "\nThe service adds to the existing API %s: pass its root resource id with\n", a.RestAPIID)
		b.WriteString("  sls deploy --param=\"restApiRootResourceId=$(aws apigateway get-resources --rest-api-id " + a.RestAPIID + " --query 'items[?path==`/`].id' --output text)\"\n")
	}
	for _, r := range a.Routes {
		if in := r.Integration; in != nil && in.Type == spec.IntegrationHTTPProxy && r.Method != "ANY" && in.HTTPMethod != "" && !strings.EqualFold(in.HTTPMethod, r.Method) {
			notes = append(notes, fmt.Sprintf("Route %s proxies with %s in the description; Serverless proxies with the route's own verb.", r.Key(), strings.ToUpper(in.HTTPMethod)))
		}
	}
	for _, n := range notes {
		b.WriteString("\n" + n + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// variableLike lists the string values holding "${" other than the
// ${param:...} references the generator writes itself.
func variableLike(v any) []string {
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			if strings.Contains(x, "${") && !strings.HasPrefix(x, "${param:") {
				out = append(out, strconv.Quote(x))
			}
		case *tree.Map:
			for _, k := range x.Keys() {
				walk(k)
				walk(x.Get(k))
			}
		case tree.List:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return out
}

// mapping builds a mapping from alternating keys and values.
func mapping(kv ...any) *tree.Map {
	m := tree.NewMap()
	for i := 0; i < len(kv); i += 2 {
		m.Set(kv[i].(string), kv[i+1])
	}
	return m
}
