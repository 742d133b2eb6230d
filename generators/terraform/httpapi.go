package terraform

import (
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/restapi"
	"github.com/portcullis-dev/portcullis/spec"
)

// HTTP APIs become aws_apigatewayv2_* resources: the api (protocol HTTP,
// with its cors_configuration), one authorizer per JWT authorizer, one
// integration and one route per route, and the stages. An auto-deploying
// stage needs no deployment, so the file converges in one apply; a stage
// without auto-deploy gets an aws_apigatewayv2_deployment whose trigger
// is the digest of the routes, integrations and authorizers, as for REST
// APIs.
//
// An existing API (api_id) already has its stages, so the stages described
// for it are ones it has (`portcullis apply` creates a missing one) and the
// file creates none: creating one the API has fails with ConflictException.
// On an auto-deploying stage the routes are live as they are created. A
// stage without auto-deploy must be pointed at a new deployment, and the
// provider's aws_apigatewayv2_deployment cannot name a stage (unlike
// CloudFormation's StageName), so an import block adopts the existing
// stage and the file sets its deployment_id. With no stage described,
// nothing is deployed.

// HTTPFile builds the Terraform file of one HTTP API.
func HTTPFile(a *spec.HTTPAPI, stages []*spec.HTTPStage, source string) []byte {
	if out, ok := writeHTTP(&tokenDoc{}, a, stages, source); ok {
		return out
	}
	out, _ := writeHTTP(&hclDoc{}, a, stages, source)
	return out
}

type httpWriter struct {
	a           *spec.HTTPAPI
	api         string
	doc         doc
	body        body
	apiID       hcl.Traversal
	authorizers map[string]string
}

func (w *httpWriter) chunk() { w.body = w.doc.chunk() }

func writeHTTP(d doc, a *spec.HTTPAPI, stages []*spec.HTTPStage, source string) ([]byte, bool) {
	w := &httpWriter{a: a, api: ident(a.Name), doc: d}
	w.chunk()
	w.body.comment(generators.Header(source, "terraform"))
	w.body.newline()
	w.api2()
	w.authorizerBlocks()
	routes := w.routeBlocks()
	w.stages(routes, stages)
	return d.bytes()
}

func (w *httpWriter) api2() {
	w.chunk()
	if w.a.APIID != "" {
		b := w.body.block("variable", w.api+"_api_id")
		b.raw("type", hclwrite.TokensForIdentifier("string"))
		b.str("description", "The existing HTTP API these resources are added to.")
		b.str("default", w.a.APIID)
		w.body.newline()
		w.apiID = ref("var", w.api+"_api_id")
		return
	}
	b := w.body.block("resource", "aws_apigatewayv2_api", w.api)
	b.str("name", w.a.Name)
	b.str("protocol_type", "HTTP")
	if w.a.Description != "" {
		b.str("description", w.a.Description)
	}
	if c := w.a.CORS; c != nil {
		cb := b.block("cors_configuration")
		cb.value("allow_origins", strSet(c.AllowOrigins))
		if len(c.AllowMethods) > 0 {
			cb.value("allow_methods", strSet(c.AllowMethods))
		}
		if len(c.AllowHeaders) > 0 {
			cb.value("allow_headers", strSet(c.AllowHeaders))
		}
		if len(c.ExposeHeaders) > 0 {
			cb.value("expose_headers", strSet(c.ExposeHeaders))
		}
		if c.AllowCredentials {
			cb.value("allow_credentials", cty.True)
		}
		if c.MaxAgeSeconds != 0 {
			cb.value("max_age", cty.NumberIntVal(int64(c.MaxAgeSeconds)))
		}
	}
	w.body.newline()
	w.apiID = ref("aws_apigatewayv2_api", w.api, "id")
}

// strSet writes a list the provider stores as a set: sorted, so that the
// file reads like what `terraform show` prints.
func strSet(s []string) cty.Value { return strList(sortedCopy(s)) }

func (w *httpWriter) authorizerBlocks() {
	w.authorizers = map[string]string{}
	var names []string
	for _, az := range w.a.Authorizers {
		names = append(names, az.Name)
	}
	unique := restapi.Unique(names, func(s string) string { return ident(s) }, "_")
	for _, az := range w.a.Authorizers {
		w.chunk()
		name := w.api + "_" + unique[az.Name]
		w.authorizers[az.Name] = name
		b := w.body.block("resource", "aws_apigatewayv2_authorizer", name)
		b.traversal("api_id", w.apiID)
		b.str("name", az.Name)
		b.str("authorizer_type", az.Type)
		b.value("identity_sources", strSet(az.IdentitySources))
		if az.Type == spec.AuthorizerJWT {
			jb := b.block("jwt_configuration")
			jb.str("issuer", az.Issuer)
			jb.value("audience", strSet(az.Audiences))
		}
		w.body.newline()
	}
}

func (w *httpWriter) routeBlocks() (routes []hcl.Traversal) {
	var keys []string
	for _, r := range w.a.Routes {
		keys = append(keys, r.Key)
	}
	unique := restapi.Unique(keys, func(k string) string {
		m, p, _ := spec.ParseRouteKey(k)
		if m == "" {
			return "default"
		}
		return part(m, restapi.PathSnake(p))
	}, "_")
	for _, r := range w.a.Routes {
		w.chunk()
		name := w.api + "_" + unique[r.Key]
		var target hclwrite.Tokens
		if in := r.Integration; in != nil {
			b := w.body.block("resource", "aws_apigatewayv2_integration", name)
			b.traversal("api_id", w.apiID)
			b.str("integration_type", in.Type)
			b.str("integration_uri", in.URI)
			b.str("integration_method", integrationMethod(in))
			b.str("payload_format_version", in.PayloadFormatVersion)
			if in.TimeoutMillis != 0 {
				b.value("timeout_milliseconds", cty.NumberIntVal(int64(in.TimeoutMillis)))
			}
			w.body.newline()
			target = hclwrite.TokensForFunctionCall("join", hclwrite.TokensForValue(cty.StringVal("/")),
				hclwrite.TokensForTuple([]hclwrite.Tokens{hclwrite.TokensForValue(cty.StringVal("integrations")),
					w.doc.ref(ref("aws_apigatewayv2_integration", name, "id"))}))
		}
		b := w.body.block("resource", "aws_apigatewayv2_route", name)
		b.traversal("api_id", w.apiID)
		b.str("route_key", r.Key)
		b.str("authorization_type", r.AuthType)
		if _, ok := w.authorizers[r.Authorizer]; ok && r.AuthType != spec.AuthNone {
			b.traversal("authorizer_id", ref("aws_apigatewayv2_authorizer", w.authorizers[r.Authorizer], "id"))
		}
		if len(r.Scopes) > 0 {
			b.value("authorization_scopes", strSet(r.Scopes))
		}
		if target != nil {
			b.raw("target", target)
		}
		w.body.newline()
		routes = append(routes, ref("aws_apigatewayv2_route", name))
	}
	return routes
}

func (w *httpWriter) stages(routes []hcl.Traversal, stages []*spec.HTTPStage) {
	if w.a.APIID != "" {
		var manual []*spec.HTTPStage
		for _, s := range stages {
			if !s.AutoDeploy {
				manual = append(manual, s)
			}
		}
		w.chunk()
		w.body.comment(generators.Wrap(generators.ExistingHTTPStagesNote(w.a, stages), 100))
		if len(manual) == 0 {
			return
		}
		w.body.newline()
		stages = manual
	} else if len(stages) == 0 {
		stages = []*spec.HTTPStage{{Name: spec.DefaultStageName, AutoDeploy: true}}
	}
	deployment := false
	for _, s := range stages {
		deployment = deployment || !s.AutoDeploy
	}
	w.chunk()
	if deployment {
		w.deployment(routes)
	}
	for i, s := range stages {
		n := s.Name
		if n == spec.DefaultStageName {
			n = "default"
		}
		name := w.api + "_" + part(n)
		if w.a.APIID != "" {
			w.body.comment("The existing API's stage " + s.Name + ", adopted so that it serves the new deployment. Terraform now\nowns it: `terraform state rm aws_apigatewayv2_stage." + name + "` before a destroy keeps it.")
			ib := w.body.block("import")
			ib.traversal("to", ref("aws_apigatewayv2_stage", name))
			ib.raw("id", hclwrite.TokensForFunctionCall("join", hclwrite.TokensForValue(cty.StringVal("/")),
				hclwrite.TokensForTuple([]hclwrite.Tokens{w.doc.ref(w.apiID), hclwrite.TokensForValue(cty.StringVal(s.Name))})))
			w.body.newline()
		}
		sb := w.body.block("resource", "aws_apigatewayv2_stage", name)
		sb.traversal("api_id", w.apiID)
		sb.str("name", s.Name)
		if s.AutoDeploy {
			sb.value("auto_deploy", cty.True)
		} else {
			sb.traversal("deployment_id", ref("aws_apigatewayv2_deployment", w.api, "id"))
		}
		if s.Description != "" {
			sb.str("description", s.Description)
		}
		if len(s.Variables) > 0 {
			sb.value("stage_variables", strMap(s.Variables))
		}
		if i < len(stages)-1 {
			w.body.newline()
		}
	}
}

// deployment is the deployment the stages without auto-deploy serve. Its
// trigger is the digest of the described routes, integrations and
// authorizers, not of the whole resources: the provider reads attributes
// the file leaves unset back as [] or {}, which
// would ask for a new deployment after every first apply.
func (w *httpWriter) deployment(routes []hcl.Traversal) {
	w.body.comment("A new deployment whenever a described route, integration or authorizer changes (the\ndigest of their configuration), for the stages that do not deploy themselves.")
	b := w.body.block("resource", "aws_apigatewayv2_deployment", w.api)
	b.traversal("api_id", w.apiID)
	b.value("triggers", cty.MapVal(map[string]cty.Value{"redeployment": cty.StringVal(generators.HTTPAuthHash(w.a))}))
	b.block("lifecycle").value("create_before_destroy", cty.True)
	var deps []hclwrite.Tokens
	for _, t := range routes {
		deps = append(deps, w.doc.ref(t))
	}
	if len(deps) > 0 {
		b.raw("depends_on", tuple(deps))
	}
	w.body.newline()
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

// integrationMethod is what API Gateway calls the backend with: POST for
// Lambda, the route's method (ANY) or a fixed one for HTTP_PROXY.
func integrationMethod(in *spec.HTTPIntegration) string {
	if in.Type == spec.IntegrationAWSProxy {
		return "POST"
	}
	return in.Method
}
