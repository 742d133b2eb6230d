package cdk

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/cloudformation"
	"github.com/portcullis-dev/portcullis/restapi"
	"github.com/portcullis-dev/portcullis/spec"
)

// An HTTP API is an apigwv2.HttpApi (aws-cdk-lib/aws-apigatewayv2) with
// its corsPreflight, one HttpUserPoolAuthorizer per authorizer that names
// a user pool (the CDK derives the same issuer from it) or HttpJwtAuthorizer
// per issuer (aws-cdk-lib/aws-apigatewayv2-authorizers), one HttpRoute per
// route with its scopes, integrations from aws-apigatewayv2-integrations,
// and the stages as CfnStage (the CDK's HttpStage cannot set stage
// variables). A route without a described integration must get one through
// props.integrations: the construct refuses to synthesize otherwise.
//
// An existing API (api_id) is imported with HttpApi.fromHttpApiAttributes,
// as the REST construct imports a rest_api_id: routes, authorizers,
// integrations (with their Lambda permissions) and the deployments bind to
// an imported IHttpApi. Its stages are its own (see the cloudformation
// package's note): none is created, and each described stage without
// auto-deploy gets a CfnDeployment with its stageName, which points the
// existing stage at it. Its CORS configuration cannot bind either:
// it is a property of the Api resource the stack does not own, so the
// construct says so in a comment (apply sets it) instead of refusing.

func (x api) region() string {
	if x.h != nil {
		return x.h.Region
	}
	return x.a.Region
}

func httpConstruct(x api, opts generators.Options) ([]byte, error) {
	a := x.h
	stages, err := cloudformation.HTTPStages(a, opts.Stage)
	if err != nil {
		return nil, err
	}
	existing := a.APIID != ""
	azVar := map[string]string{}
	var azNames []string
	for _, az := range a.Authorizers {
		azNames = append(azNames, az.Name)
	}
	for n, v := range restapi.Unique(azNames, func(n string) string { return "auth" + restapi.Pascal(n) }, "") {
		azVar[n] = v
	}
	used := map[string]bool{}
	for _, r := range a.Routes {
		switch r.AuthType {
		case spec.AuthNone, spec.AuthIAM:
		case spec.AuthJWT:
			az := a.AuthorizerByName(r.Authorizer)
			if az == nil || az.Type != spec.AuthorizerJWT {
				return nil, fmt.Errorf("cdk: route %s uses authorizer %q, which is not a JWT authorizer of http_api %q", r.Key, r.Authorizer, a.Name)
			}
			used[az.Name] = true
		default:
			return nil, fmt.Errorf("cdk: route %s uses %s authorization, which Portcullis does not generate for the CDK", r.Key, r.AuthType)
		}
	}
	var keys []string
	for _, r := range a.Routes {
		keys = append(keys, r.Key)
	}
	ids := restapi.Unique(keys, func(k string) string {
		m, p, _ := spec.ParseRouteKey(k)
		if m == "" {
			return "Default"
		}
		return restapi.Pascal(strings.ToLower(m)) + restapi.PathPascal(p)
	}, "")

	w := &writer{}
	w.f(0, "")
	w.f(0, "export interface %sProps {", x.class)
	w.f(1, "/** Integrations that replace the described ones, by route key (\"GET /items\", \"$default\"). */")
	w.f(1, "readonly integrations?: { readonly [routeKey: string]: apigwv2.HttpRouteIntegration };")
	w.f(0, "}")
	w.f(0, "")
	w.f(0, "export class %s extends Construct {", x.class)
	if existing {
		w.f(1, "public readonly api: apigwv2.IHttpApi;")
	} else {
		w.f(1, "public readonly api: apigwv2.HttpApi;")
	}
	w.f(0, "")
	w.f(1, "constructor(scope: Construct, id: string, props: %sProps = {}) {", x.class)
	w.f(2, "super(scope, id);")
	w.f(2, "const integration = (route: string, described?: apigwv2.HttpRouteIntegration): apigwv2.HttpRouteIntegration => {")
	w.f(3, "const i = props.integrations?.[route] ?? described;")
	w.f(3, "if (!i) throw new Error(`route ${route} has no integration in the description: pass it in props.integrations`);")
	w.f(3, "return i;")
	w.f(2, "};")
	if existing {
		w.f(2, "const api = apigwv2.HttpApi.fromHttpApiAttributes(this, \"Api\", { httpApiId: %s });", q(a.APIID))
		if a.CORS != nil {
			corsNote(w, a)
		}
	} else {
		newHTTPAPI(w, a)
	}
	w.f(2, "this.api = api;")
	for _, az := range a.Authorizers {
		if !used[az.Name] {
			continue // the CDK writes an authorizer only when a route uses it
		}
		v := azVar[az.Name]
		if region, ok := spec.IsCognitoPoolID(az.UserPoolID); ok {
			pv := "pool" + strings.TrimPrefix(v, "auth")
			w.f(2, "const %s = cognito.UserPool.fromUserPoolId(this, %s, %s);", pv, q("Pool"+strings.TrimPrefix(v, "auth")), q(az.UserPoolID))
			w.f(2, "const %s = new authorizers.HttpUserPoolAuthorizer(%s, %s, {", v, q(az.Name), pv)
			w.f(3, "authorizerName: %s,", q(az.Name))
			var clients []string
			for i, aud := range az.Audiences {
				clients = append(clients, fmt.Sprintf("cognito.UserPoolClient.fromUserPoolClientId(this, %s, %s)", q(fmt.Sprintf("Client%s%d", strings.TrimPrefix(v, "auth"), i)), q(aud)))
			}
			w.f(3, "userPoolClients: [%s],", strings.Join(clients, ", "))
			w.f(3, "userPoolRegion: %s,", q(region))
			w.f(3, "identitySource: %s,", qlist(az.IdentitySources))
			w.f(2, "});")
			continue
		}
		w.f(2, "const %s = new authorizers.HttpJwtAuthorizer(%s, %s, {", v, q(az.Name), q(az.Issuer))
		w.f(3, "authorizerName: %s,", q(az.Name))
		w.f(3, "jwtAudience: %s,", qlist(az.Audiences))
		w.f(3, "identitySource: %s,", qlist(az.IdentitySources))
		w.f(2, "});")
	}
	w.f(2, "const routes: apigwv2.HttpRoute[] = [];")
	for _, r := range a.Routes {
		id := ids[r.Key]
		key := "apigwv2.HttpRouteKey.DEFAULT"
		if !r.IsDefault() {
			key = fmt.Sprintf("apigwv2.HttpRouteKey.with(%s, apigwv2.HttpMethod.%s)", q(r.Path), r.Method)
		}
		described := ""
		if in := r.Integration; in != nil {
			switch in.Type {
			case spec.IntegrationAWSProxy:
				pf := "VERSION_2_0"
				if in.PayloadFormatVersion == spec.PayloadFormat10 {
					pf = "VERSION_1_0"
				}
				described = fmt.Sprintf("new integrations.HttpLambdaIntegration(%s, lambda.Function.fromFunctionArn(this, %s, %s), { payloadFormatVersion: apigwv2.PayloadFormatVersion.%s })",
					q("Integration"+id), q("Function"+id), q(generators.LambdaFunctionARN(in.URI)), pf)
			case spec.IntegrationHTTPProxy:
				described = fmt.Sprintf("new integrations.HttpUrlIntegration(%s, %s, { method: apigwv2.HttpMethod.%s })", q("Integration"+id), q(in.URI), in.Method)
			}
		}
		w.f(2, "routes.push(new apigwv2.HttpRoute(this, %s, {", q("Route"+id))
		w.f(3, "httpApi: api,")
		w.f(3, "routeKey: %s,", key)
		if described != "" {
			w.f(3, "integration: integration(%s, %s),", q(r.Key), described)
		} else {
			w.f(3, "integration: integration(%s),", q(r.Key))
		}
		switch r.AuthType {
		case spec.AuthJWT:
			w.f(3, "authorizer: %s,", azVar[r.Authorizer])
			if len(r.Scopes) > 0 {
				w.f(3, "authorizationScopes: %s,", qlist(r.Scopes))
			}
		case spec.AuthIAM:
			w.f(3, "authorizer: new authorizers.HttpIamAuthorizer(),")
		}
		w.f(2, "}));")
	}
	if existing {
		existingStageDeployments(w, a, stages)
	} else {
		newStages(w, a, stages)
	}
	w.f(1, "}")
	w.f(0, "}")

	h := &writer{}
	header(h, opts)
	h.f(0, "//")
	h.f(0, "// AWS CDK v2 construct for http_api %s: its routes with their JWT authorizers", comment(q(a.Name)))
	if existing {
		h.f(0, "// and scopes, added to the existing HTTP API %s and deployed to its stages. Pass your", comment(a.APIID))
		h.f(0, "// own integrations through props.integrations, keyed by route key (\"GET /items\").")
	} else {
		h.f(0, "// and scopes, the CORS configuration API Gateway answers preflights with, and")
		h.f(0, "// the stages. Pass your own integrations through props.integrations, keyed by")
		h.f(0, "// route key (\"GET /items\").")
	}
	// tsconfig's noUnusedLocals refuses an import nothing uses.
	body := w.b.Bytes()
	var core []string
	for _, name := range []string{"Duration", "RemovalPolicy"} {
		if bytes.Contains(body, []byte(name+".")) {
			core = append(core, name)
		}
	}
	if len(core) > 0 {
		h.f(0, `import { %s } from "aws-cdk-lib";`, strings.Join(core, ", "))
	}
	h.f(0, `import * as apigwv2 from "aws-cdk-lib/aws-apigatewayv2";`)
	for _, imp := range [][3]string{{"authorizers", "aws-apigatewayv2-authorizers", "Http"}, {"integrations", "aws-apigatewayv2-integrations", "Http"}, {"cognito", "aws-cognito", "UserPool"}, {"lambda", "aws-lambda", "Function"}} {
		if bytes.Contains(body, []byte(imp[0]+"."+imp[2])) {
			h.f(0, "import * as %s from %s;", imp[0], q("aws-cdk-lib/"+imp[1]))
		}
	}
	h.f(0, `import { Construct } from "constructs";`)
	return append(h.b.Bytes(), w.b.Bytes()...), nil
}

// newStages writes the stages of an API the construct creates, and one
// deployment for those that do not deploy themselves.
func newStages(w *writer, a *spec.HTTPAPI, stages []*spec.HTTPStage) {
	deployment := ""
	for _, s := range stages {
		if !s.AutoDeploy && deployment == "" {
			deployment = "Deployment" + generators.HTTPAuthHash(a)[:12]
			w.f(2, "// A new deployment whenever the routes or authorizers change, so the stage really redeploys.")
			w.f(2, "const deployment = new apigwv2.CfnDeployment(this, %s, { apiId: api.apiId });", q(deployment))
			w.f(2, "routes.forEach((r) => deployment.node.addDependency(r));")
		}
	}
	for _, s := range stages {
		name := s.Name
		if name == spec.DefaultStageName {
			name = "Default"
		}
		w.f(2, "new apigwv2.CfnStage(this, %s, {", q("Stage"+restapi.Pascal(name)))
		w.f(3, "apiId: api.apiId,")
		w.f(3, "stageName: %s,", q(s.Name))
		if s.AutoDeploy {
			w.f(3, "autoDeploy: true,")
		} else {
			w.f(3, "deploymentId: deployment.ref,")
		}
		if s.Description != "" {
			w.f(3, "description: %s,", q(s.Description))
		}
		if len(s.Variables) > 0 {
			w.f(3, "stageVariables: %s,", qmap(s.Variables))
		}
		w.f(2, "});")
	}
}

// existingStageDeployments deploys the routes to the existing API's
// described stages that do not deploy themselves, as the CloudFormation
// output does, and says what happens on the others.
func existingStageDeployments(w *writer, a *spec.HTTPAPI, stages []*spec.HTTPStage) {
	for _, line := range strings.Split(generators.Wrap(generators.ExistingHTTPStagesNote(a, stages), 96), "\n") {
		w.f(2, "// %s", comment(line))
	}
	for _, s := range stages {
		if s.AutoDeploy {
			continue
		}
		id := cloudformation.HTTPStageDeployment(a, s.Name)
		v := "deployment" + strings.TrimPrefix(id, "Deployment"+generators.HTTPAuthHash(a)[:12])
		w.f(2, "// Kept when it leaves the stack: the stage is not the stack's and keeps pointing at it.")
		w.f(2, "const %s = new apigwv2.CfnDeployment(this, %s, { apiId: api.apiId, stageName: %s });", v, q(id), q(s.Name))
		w.f(2, "%s.applyRemovalPolicy(RemovalPolicy.RETAIN);", v)
		w.f(2, "routes.forEach((r) => %s.node.addDependency(r));", v)
	}
}

// newHTTPAPI writes the HttpApi the construct creates, with its CORS
// configuration (API Gateway answers preflights from it).
func newHTTPAPI(w *writer, a *spec.HTTPAPI) {
	w.f(2, "const api = new apigwv2.HttpApi(this, \"Api\", {")
	w.f(3, "apiName: %s,", q(a.Name))
	if a.Description != "" {
		w.f(3, "description: %s,", q(a.Description))
	}
	w.f(3, "createDefaultStage: false,")
	if c := a.CORS; c != nil {
		w.f(3, "corsPreflight: {")
		w.f(4, "allowOrigins: %s,", qlist(c.AllowOrigins))
		if len(c.AllowMethods) > 0 {
			var ms []string
			for _, m := range c.AllowMethods {
				if m == "*" {
					m = "ANY"
				}
				ms = append(ms, "apigwv2.CorsHttpMethod."+m)
			}
			w.f(4, "allowMethods: [%s],", strings.Join(ms, ", "))
		}
		if len(c.AllowHeaders) > 0 {
			w.f(4, "allowHeaders: %s,", qlist(c.AllowHeaders))
		}
		if len(c.ExposeHeaders) > 0 {
			w.f(4, "exposeHeaders: %s,", qlist(c.ExposeHeaders))
		}
		if c.AllowCredentials {
			w.f(4, "allowCredentials: true,")
		}
		if c.MaxAgeSeconds > 0 {
			w.f(4, "maxAge: Duration.seconds(%d),", c.MaxAgeSeconds)
		}
		w.f(3, "},")
	}
	w.f(2, "});")
}

// corsNote says why an imported API's CORS configuration is not in the
// code, and what the description asks for. CORS belongs to the Api
// resource, which the stack does not own: CloudFormation cannot change an
// API it did not create, and the CDK offers corsPreflight on new APIs only.
func corsNote(w *writer, a *spec.HTTPAPI) {
	c := a.CORS
	w.f(2, "// CORS is a property of the existing API %s, which this stack does not own, so the", comment(a.APIID))
	w.f(2, "// description's configuration is not set here: `portcullis apply` sets it, or")
	w.f(2, "// `aws apigatewayv2 update-api --api-id %s --cors-configuration` with", comment(a.APIID))
	w.f(2, "//   allowOrigins %s", comment(qlist(c.AllowOrigins)))
	for _, f := range []struct {
		name string
		v    []string
	}{{"allowMethods", c.AllowMethods}, {"allowHeaders", c.AllowHeaders}, {"exposeHeaders", c.ExposeHeaders}} {
		if len(f.v) > 0 {
			w.f(2, "//   %s %s", f.name, comment(qlist(f.v)))
		}
	}
	if c.AllowCredentials {
		w.f(2, "//   allowCredentials true")
	}
	if c.MaxAgeSeconds > 0 {
		w.f(2, "//   maxAge %d", c.MaxAgeSeconds)
	}
}
