package cdk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/restapi"
	"github.com/portcullis-dev/portcullis/spec"
)

type gen struct{}

// New returns the cdk generator.
func New() generators.Generator { return gen{} }

func (gen) Name() string { return "cdk" }
func (gen) Summary() string {
	return "AWS CDK v2 TypeScript construct per API (RestApi with CognitoUserPoolsAuthorizer, or HttpApi with HttpJwtAuthorizer/HttpUserPoolAuthorizer; scopes, CORS) and app.ts"
}

// RootResourcePlaceholder is what app.ts passes for an existing API's root
// resource id when ROOT_RESOURCE_ID is not set: the description does not
// know it, and synthesis does not need the real value.
const RootResourcePlaceholder = "REPLACE_WITH_ROOT_RESOURCE_ID"

// api is one API's names in the generated code.
type api struct {
	a     *spec.API
	h     *spec.HTTPAPI // instead of a, for an HTTP API
	file  string        // "todo-api" (no extension)
	class string        // "TodoApi"
	stack string        // "TodoApiStack"
}

// Generate writes <api>-api.ts per API, app.ts, cdk.json and tsconfig.json.
func (gen) Generate(d *spec.Description, opts generators.Options) ([]generators.File, error) {
	if _, err := generators.PickFormat(opts.Format, "typescript"); err != nil {
		return nil, err
	}
	names := names(d)
	var apis []api
	var out []generators.File
	for _, a := range d.APIs {
		x := names[a.Name]
		src, err := construct(x, opts)
		if err != nil {
			return nil, err
		}
		apis = append(apis, x)
		out = append(out, generators.File{Path: x.file + ".ts", Content: src})
	}
	for _, a := range d.HTTPAPIs {
		x := names[a.Name]
		src, err := httpConstruct(x, opts)
		if err != nil {
			return nil, err
		}
		apis = append(apis, x)
		out = append(out, generators.File{Path: x.file + ".ts", Content: src, Warnings: generators.ExistingAPICORS(a, opts.Source, "cdk")})
	}
	out = append(out,
		generators.File{Path: "app.ts", Content: app(apis, opts)},
		generators.File{Path: "cdk.json", Content: []byte(cdkJSON)},
		generators.File{Path: "tsconfig.json", Content: []byte(tsconfigJSON)},
	)
	return out, nil
}

// names gives every API its file, class and stack names, unique within d.
func names(d *spec.Description) map[string]api {
	var list []string
	for _, a := range d.APIs {
		list = append(list, a.Name)
	}
	for _, a := range d.HTTPAPIs {
		list = append(list, a.Name)
	}
	files := restapi.Unique(list, func(n string) string {
		w := restapi.Words(strings.ToLower(n))
		return strings.Join(append(w, "api"), "-")
	}, "-")
	classes := restapi.Unique(list, func(n string) string {
		c := restapi.Pascal(n)
		if c == "" || c[0] >= '0' && c[0] <= '9' {
			c = "Portcullis" + c
		}
		return c + "Api"
	}, "")
	out := map[string]api{}
	for _, a := range d.APIs {
		out[a.Name] = api{a: a, file: files[a.Name], class: classes[a.Name], stack: classes[a.Name] + "Stack"}
	}
	for _, a := range d.HTTPAPIs {
		out[a.Name] = api{h: a, file: files[a.Name], class: classes[a.Name], stack: classes[a.Name] + "Stack"}
	}
	return out
}

// StackNames maps each API's name to the name of the stack app.ts puts it
// in (the synthesized template is <stack>.template.json).
func StackNames(d *spec.Description) map[string]string {
	out := map[string]string{}
	for n, x := range names(d) {
		out[n] = x.stack
	}
	return out
}

const cdkJSON = `{
  "app": "npx ts-node --prefer-ts-exts app.ts"
}
`

const tsconfigJSON = `{
  "compilerOptions": {
    "target": "ES2022",
    "module": "commonjs",
    "lib": ["es2022"],
    "types": ["node"],
    "strict": true,
    "noUnusedLocals": true,
    "skipLibCheck": true,
    "declaration": false
  },
  "include": ["*.ts"]
}
`

// q writes s as a TypeScript string literal. A JSON string is one, and
// JSON encoding escapes quotes, backslashes and control characters, so no
// value from a description can end the literal early.
func q(s string) string {
	if plainASCII(s) {
		return `"` + s + `"` // what the encoder writes for it, quickly
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

// plainASCII reports that s is printable ASCII without quotes or
// backslashes: a JSON string of it is s in double quotes.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7E || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

func qlist(ss []string) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = q(s)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// qmap writes a string map as an object literal with sorted, quoted keys.
func qmap(m map[string]string) string {
	if len(m) == 0 {
		return "{}"
	}
	var parts []string
	for _, k := range restapi.SortedKeys(m) {
		parts = append(parts, q(k)+": "+q(m[k]))
	}
	return "{ " + strings.Join(parts, ", ") + " }"
}

func qbools(m map[string]bool) string {
	var parts []string
	for _, k := range restapi.SortedKeys(m) {
		parts = append(parts, fmt.Sprintf("%s: %t", q(k), m[k]))
	}
	return "{ " + strings.Join(parts, ", ") + " }"
}

// comment makes s safe inside a // line comment or a /** */ block.
func comment(s string) string {
	return strings.NewReplacer("\n", " ", "\r", " ", "\u2028", " ", "\u2029", " ", "*/", "* /").Replace(s)
}

type writer struct{ b bytes.Buffer }

func (w *writer) f(indent int, format string, args ...any) {
	w.b.WriteString(strings.Repeat("  ", indent))
	fmt.Fprintf(&w.b, format, args...)
	w.b.WriteByte('\n')
}

var passthrough = map[string]string{"WHEN_NO_MATCH": "WHEN_NO_MATCH", "WHEN_NO_TEMPLATES": "WHEN_NO_TEMPLATES", "NEVER": "NEVER"}

func construct(x api, opts generators.Options) ([]byte, error) {
	a := x.a
	st, err := restapi.PickStage(a, opts.Stage)
	if err != nil {
		return nil, err
	}
	methods := restapi.Methods(a)
	existing := a.RestAPIID != ""

	// Only authorizers some method uses are written: the CDK refuses to
	// synthesize an authorizer that is attached to no API.
	used := map[string]bool{}
	for _, m := range methods {
		if m.Authorizer != nil {
			if m.AuthType != spec.AuthCognito || m.Authorizer.Type != spec.AuthorizerCognito {
				return nil, fmt.Errorf("cdk: route %s uses %s authorization with authorizer %q; Portcullis generates Cognito authorizers only", m.Key(), m.AuthType, m.Authorizer.Name)
			}
			used[m.Authorizer.Name] = true
		} else if m.AuthType == spec.AuthCognito || m.AuthType == spec.AuthCustom {
			return nil, fmt.Errorf("cdk: route %s uses %s authorization but names no authorizer", m.Key(), m.AuthType)
		}
	}
	var usedNames []string
	for _, az := range a.Authorizers {
		if used[az.Name] {
			usedNames = append(usedNames, az.Name)
		}
	}
	authVar := restapi.Unique(usedNames, func(n string) string { return "auth" + restapi.Pascal(n) }, "")
	// Only paths with methods get a variable; resourceForPath creates the
	// intermediate resources.
	var paths []string
	for _, p := range a.Paths() {
		if p != "/" {
			paths = append(paths, p)
		}
	}
	resVar := restapi.Unique(paths, func(p string) string { return "res" + restapi.PathPascal(p) }, "")
	resVar["/"] = "api.root"

	w := &writer{}
	w.f(0, "")
	w.f(0, "export interface %sProps {", x.class)
	w.f(1, "/** Integrations that replace the described ones, by route key (\"GET /items\"). */")
	w.f(1, "readonly integrations?: { readonly [routeKey: string]: apigateway.Integration };")
	if existing {
		w.f(1, "/** The root resource id of API %s (aws apigateway get-resources). */", comment(a.RestAPIID))
		w.f(1, "readonly rootResourceId: string;")
	}
	w.f(0, "}")
	w.f(0, "")
	w.f(0, "export class %s extends Construct {", x.class)
	propsDefault := " = {}"
	if existing {
		w.f(1, "public readonly api: apigateway.IRestApi;")
		propsDefault = ""
	} else {
		w.f(1, "public readonly api: apigateway.RestApi;")
	}
	w.f(0, "")
	w.f(1, "constructor(scope: Construct, id: string, props: %sProps%s) {", x.class, propsDefault)
	w.f(2, "super(scope, id);")
	w.f(2, "const integration = (route: string, described: apigateway.IntegrationProps): apigateway.Integration =>")
	w.f(3, "props.integrations?.[route] ?? new apigateway.Integration(described);")
	hash := q(restapi.AuthHash(a))
	if existing {
		w.f(2, "const api = apigateway.RestApi.fromRestApiAttributes(this, \"Api\", { restApiId: %s, rootResourceId: props.rootResourceId });", q(a.RestAPIID))
		w.f(2, "const methods: apigateway.Method[] = [];")
	} else {
		w.f(2, "const api = new apigateway.RestApi(this, \"Api\", {")
		w.f(3, "restApiName: %s,", q(a.Name))
		if a.Description != "" {
			w.f(3, "description: %s,", q(a.Description))
		}
		w.f(3, "cloudWatchRole: false,")
		w.f(3, "deployOptions: {")
		w.f(4, "stageName: %s,", q(restapi.StageName(st)))
		if st != nil && st.Description != "" {
			w.f(4, "description: %s,", q(st.Description))
		}
		if st != nil && len(st.Variables) > 0 {
			w.f(4, "variables: %s,", qmap(st.Variables))
		}
		w.f(3, "},")
		w.f(2, "});")
		w.f(2, "// A new deployment whenever the auth configuration changes, so the stage really redeploys.")
		w.f(2, "api.latestDeployment?.addToLogicalId({ portcullisAuth: %s });", hash)
	}
	w.f(2, "this.api = api;")

	for _, name := range usedNames {
		az := a.AuthorizerByName(name)
		v := authVar[name]
		w.f(0, "")
		w.f(2, "const %s = new apigateway.CognitoUserPoolsAuthorizer(this, %s, {", v, q("Authorizer"+restapi.Pascal(name)))
		w.f(3, "authorizerName: %s,", q(az.Name))
		w.f(3, "cognitoUserPools: [")
		for i, arn := range az.UserPoolARNs {
			w.f(4, "cognito.UserPool.fromUserPoolArn(this, %s, %s),", q(fmt.Sprintf("Authorizer%sPool%d", restapi.Pascal(name), i)), q(arn))
		}
		w.f(3, "],")
		w.f(3, "identitySource: %s,", q(az.IdentitySource))
		w.f(3, "resultsCacheTtl: Duration.seconds(%d),", az.TTLSeconds)
		w.f(2, "});")
		if az.ValidationExpression != "" {
			w.f(2, "(%s.node.defaultChild as apigateway.CfnAuthorizer).identityValidationExpression = %s;", v, q(az.ValidationExpression))
		}
	}

	w.f(0, "")
	for _, p := range paths {
		w.f(2, "const %s = api.root.resourceForPath(%s);", resVar[p], q(p))
	}
	// The verbs on each path, for the preflights' allowed methods: one
	// pass over the routes rather than one per preflight.
	verbsOn := map[string][]string{}
	for _, r := range a.Routes {
		verbsOn[r.Path] = append(verbsOn[r.Path], r.Method)
	}
	for _, v := range verbsOn {
		sort.Strings(v)
	}
	for _, m := range methods {
		res := resVar[m.Path]
		push := ""
		if existing {
			push = "methods.push("
		}
		if m.Preflight {
			c := a.CORS
			w.f(2, "%s%s.addCorsPreflight({", push, res)
			w.f(3, "allowOrigins: %s,", qlist(c.AllowOrigins))
			w.f(3, "allowHeaders: %s,", qlist(c.AllowHeadersOrDefault()))
			w.f(3, "allowMethods: %s,", qlist(restapi.AllowMethods(c, verbsOn[m.Path])))
			if c.AllowCredentials {
				w.f(3, "allowCredentials: true,")
			}
			if c.MaxAgeSeconds > 0 {
				w.f(3, "maxAge: Duration.seconds(%d),", c.MaxAgeSeconds)
			}
			w.f(2, "})%s;", closing(existing))
			continue
		}
		in := m.Integration
		if m.DefaultIntegration {
			w.f(2, "// %s", restapi.DefaultIntegrationNote)
		}
		w.f(2, "%s%s.addMethod(%s, integration(%s, {", push, res, q(m.Verb), q(m.Key()))
		w.f(3, "type: apigateway.IntegrationType.%s,", in.Type)
		if in.HTTPMethod != "" {
			w.f(3, "integrationHttpMethod: %s,", q(strings.ToUpper(in.HTTPMethod)))
		}
		if in.URI != "" {
			w.f(3, "uri: %s,", q(in.URI))
		}
		integrationOptions(w, in)
		w.f(2, "}), {")
		switch m.AuthType {
		case spec.AuthNone:
			w.f(3, "authorizationType: apigateway.AuthorizationType.NONE,")
		case spec.AuthIAM:
			w.f(3, "authorizationType: apigateway.AuthorizationType.IAM,")
		case spec.AuthCognito:
			w.f(3, "authorizationType: apigateway.AuthorizationType.COGNITO,")
			w.f(3, "authorizer: %s,", authVar[m.Authorizer.Name])
			if len(m.Scopes) > 0 {
				w.f(3, "authorizationScopes: %s,", qlist(m.Scopes))
			}
		default:
			return nil, fmt.Errorf("cdk: route %s uses %s authorization, which Portcullis does not generate for the CDK", m.Key(), m.AuthType)
		}
		if m.Route != nil && m.Route.OperationName != "" {
			w.f(3, "operationName: %s,", q(m.Route.OperationName))
		}
		if len(m.RequestParameters) > 0 {
			w.f(3, "requestParameters: %s,", qbools(m.RequestParameters))
		}
		if mrs := restapi.MethodResponses(in); len(mrs) > 0 {
			w.f(3, "methodResponses: [")
			for _, mr := range mrs {
				if len(mr.Headers) == 0 {
					w.f(4, "{ statusCode: %s },", q(mr.StatusCode))
					continue
				}
				hs := map[string]bool{}
				for _, h := range mr.Headers {
					hs["method.response.header."+h] = true
				}
				w.f(4, "{ statusCode: %s, responseParameters: %s },", q(mr.StatusCode), qbools(hs))
			}
			w.f(3, "],")
		}
		w.f(2, "})%s;", closing(existing))
	}

	if len(a.GatewayResponses) > 0 {
		w.f(0, "")
	}
	for _, g := range a.GatewayResponses {
		id := q("GatewayResponse" + restapi.Pascal(g.Type))
		headers, other := map[string]string{}, false
		for k, v := range g.ResponseParameters {
			if h, ok := strings.CutPrefix(k, "gatewayresponse.header."); ok {
				headers[h] = v
			} else {
				other = true
			}
		}
		if other {
			// GatewayResponse takes headers only; path and query string
			// parameters need the CloudFormation resource.
			w.f(2, "new apigateway.CfnGatewayResponse(this, %s, {", id)
			w.f(3, "restApiId: api.restApiId,")
			w.f(3, "responseType: %s,", q(g.Type))
			if g.StatusCode != "" {
				w.f(3, "statusCode: %s,", q(g.StatusCode))
			}
			w.f(3, "responseParameters: %s,", qmap(g.ResponseParameters))
			if len(g.ResponseTemplates) > 0 {
				w.f(3, "responseTemplates: %s,", qmap(g.ResponseTemplates))
			}
			w.f(2, "});")
			continue
		}
		if existing {
			w.f(2, "new apigateway.GatewayResponse(this, %s, {", id)
			w.f(3, "restApi: api,")
		} else {
			w.f(2, "api.addGatewayResponse(%s, {", id)
		}
		w.f(3, "type: apigateway.ResponseType.of(%s),", q(g.Type))
		if g.StatusCode != "" {
			w.f(3, "statusCode: %s,", q(g.StatusCode))
		}
		if len(headers) > 0 {
			w.f(3, "responseHeaders: %s,", qmap(headers))
		}
		if len(g.ResponseTemplates) > 0 {
			w.f(3, "templates: %s,", qmap(g.ResponseTemplates))
		}
		w.f(2, "});")
	}

	if existing {
		w.f(0, "")
		w.f(2, "// The API exists already: deploy it once every method is in place, and again")
		w.f(2, "// whenever the auth configuration changes.")
		w.f(2, "const deployment = new apigateway.Deployment(this, \"Deployment\", { api });")
		w.f(2, "deployment.addToLogicalId({ portcullisAuth: %s });", hash)
		w.f(2, "for (const m of methods) deployment.node.addDependency(m);")
		w.f(2, "new apigateway.Stage(this, \"Stage\", {")
		w.f(3, "deployment,")
		w.f(3, "stageName: %s,", q(restapi.StageName(st)))
		if st != nil && st.Description != "" {
			w.f(3, "description: %s,", q(st.Description))
		}
		if st != nil && len(st.Variables) > 0 {
			w.f(3, "variables: %s,", qmap(st.Variables))
		}
		w.f(2, "});")
	}
	w.f(1, "}")
	w.f(0, "}")

	// The imports depend on what the body uses: tsc refuses unused ones.
	h := &writer{}
	header(h, opts)
	h.f(0, "//")
	h.f(0, "// AWS CDK v2 construct for api %s: its methods with their Cognito", comment(q(a.Name)))
	h.f(0, "// authorizers and scopes, CORS preflights without authorization, and gateway")
	h.f(0, "// responses. Pass your own integrations through props.integrations, keyed by")
	h.f(0, "// route (\"GET /items\").")
	if bytes.Contains(w.b.Bytes(), []byte("Duration.")) {
		h.f(0, `import { Duration } from "aws-cdk-lib";`)
	}
	h.f(0, `import * as apigateway from "aws-cdk-lib/aws-apigateway";`)
	if len(usedNames) > 0 {
		h.f(0, `import * as cognito from "aws-cdk-lib/aws-cognito";`)
	}
	h.f(0, `import { Construct } from "constructs";`)
	return append(h.b.Bytes(), w.b.Bytes()...), nil
}

func header(w *writer, opts generators.Options) {
	for _, l := range strings.Split(generators.Header(opts.Source, "cdk"), "\n") {
		w.f(0, "// %s", comment(l))
	}
}

func closing(existing bool) string {
	if existing {
		return ")"
	}
	return ""
}

func integrationOptions(w *writer, in *spec.Integration) {
	pb := passthrough[strings.ToUpper(in.PassthroughBehavior)]
	if pb == "" && len(in.RequestTemplates) == 0 && len(in.RequestParameters) == 0 && len(in.Responses) == 0 && in.TimeoutMillis == 0 {
		return
	}
	w.f(3, "options: {")
	if pb != "" {
		w.f(4, "passthroughBehavior: apigateway.PassthroughBehavior.%s,", pb)
	}
	if len(in.RequestTemplates) > 0 {
		w.f(4, "requestTemplates: %s,", qmap(in.RequestTemplates))
	}
	if len(in.RequestParameters) > 0 {
		w.f(4, "requestParameters: %s,", qmap(in.RequestParameters))
	}
	if in.TimeoutMillis > 0 {
		w.f(4, "timeout: Duration.millis(%d),", in.TimeoutMillis)
	}
	if len(in.Responses) > 0 {
		w.f(4, "integrationResponses: [")
		for _, r := range restapi.SortedResponses(in.Responses) {
			parts := []string{"statusCode: " + q(r.StatusCode)}
			if r.Pattern != "" && r.Pattern != "default" {
				parts = append(parts, "selectionPattern: "+q(r.Pattern))
			}
			if len(r.ResponseParameters) > 0 {
				parts = append(parts, "responseParameters: "+qmap(r.ResponseParameters))
			}
			if len(r.ResponseTemplates) > 0 {
				parts = append(parts, "responseTemplates: "+qmap(r.ResponseTemplates))
			}
			w.f(5, "{ %s },", strings.Join(parts, ", "))
		}
		w.f(4, "],")
	}
	w.f(3, "},")
}

// app is the CDK app: one stack per API, in the API's region.
func app(apis []api, opts generators.Options) []byte {
	w := &writer{}
	header(w, opts)
	w.f(0, "// The CDK app: `npx cdk synth` (or compile with tsc and run `node app.js`).")
	w.f(0, `import { App, Stack } from "aws-cdk-lib";`)
	for _, x := range apis {
		w.f(0, "import { %s } from %s;", x.class, q("./"+x.file))
	}
	w.f(0, "")
	w.f(0, "const app = new App();")
	for i, x := range apis {
		region := "process.env.CDK_DEFAULT_REGION"
		if r := x.region(); r != "" {
			region = q(r)
		}
		sv := fmt.Sprintf("stack%d", i)
		w.f(0, "const %s = new Stack(app, %s, { env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: %s } });", sv, q(x.stack), region)
		if x.a != nil && x.a.RestAPIID != "" {
			w.f(0, "new %s(%s, %s, { rootResourceId: process.env.ROOT_RESOURCE_ID ?? %s });", x.class, sv, q(x.class), q(RootResourcePlaceholder))
		} else {
			w.f(0, "new %s(%s, %s);", x.class, sv, q(x.class))
		}
	}
	w.f(0, "app.synth();")
	return w.b.Bytes()
}
