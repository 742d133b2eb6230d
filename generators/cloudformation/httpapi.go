package cloudformation

import (
	"strings"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/internal/tree"
	"github.com/portcullis-dev/portcullis/restapi"
	"github.com/portcullis-dev/portcullis/spec"
)

// HTTP APIs become AWS::ApiGatewayV2::* resources: the Api (ProtocolType
// HTTP, with its CorsConfiguration), one Authorizer per JWT authorizer,
// one Integration and one Route per route, and the Stage. An auto-deploying
// stage deploys itself; any other gets a Deployment named after a hash of
// the routes and authorizers, so that a change to them is a new deployment
// (as for REST APIs). Lambda permissions are not written: they are about
// the function, not the gateway's auth.
//
// An existing API (api_id) already has its stages: creating one it has
// fails with ConflictException, and a stage the stack created would be
// deleted with the stack. So the stages a description gives an existing
// API are stages it has (`portcullis apply` creates a missing one), and
// the template creates none: on an auto-deploying stage the routes are
// live as they are created; a stage without auto-deploy gets a Deployment
// whose StageName points the existing stage at it ("The name of an
// existing stage to associate with the deployment",
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-apigatewayv2-deployment.html).
// With no stage described, nothing is deployed: the routes are live at
// once on an auto-deploying stage, else after the next deployment.

// HTTPNames are the logical IDs of an HTTP API template.
type HTTPNames struct {
	routes, authorizers map[string]string
}

// NewHTTPNames derives the logical IDs for a.
func NewHTTPNames(a *spec.HTTPAPI) *HTTPNames {
	var keys, azs []string
	for _, r := range a.Routes {
		keys = append(keys, r.Key)
	}
	for _, az := range a.Authorizers {
		azs = append(azs, az.Name)
	}
	return &HTTPNames{routes: restapi.Unique(keys, routeKeyPascal, ""), authorizers: restapi.Unique(azs, restapi.Pascal, "")}
}

func routeKeyPascal(key string) string {
	m, p, _ := spec.ParseRouteKey(key)
	if m == "" {
		return "Default"
	}
	return restapi.Pascal(strings.ToLower(m)) + restapi.PathPascal(p)
}

// Route is the logical ID of a route.
func (n *HTTPNames) Route(key string) string { return "Route" + n.routes[key] }

// Integration is the logical ID of a route's integration.
func (n *HTTPNames) Integration(key string) string { return "Integration" + n.routes[key] }

// Authorizer is the logical ID of an authorizer.
func (n *HTTPNames) Authorizer(name string) string { return "Authorizer" + n.authorizers[name] }

// HTTPStages are the stages to write: the one --stage names, else all,
// else, for an API the output creates, an auto-deploying $default stage
// (an API without a stage serves nothing). An existing API's stages are
// its own: none is made up for it.
func HTTPStages(a *spec.HTTPAPI, name string) ([]*spec.HTTPStage, error) {
	if name != "" {
		s, err := generators.PickHTTPStage(a, name)
		if err != nil {
			return nil, err
		}
		return []*spec.HTTPStage{s}, nil
	}
	if len(a.Stages) == 0 && a.APIID == "" {
		return []*spec.HTTPStage{{Name: spec.DefaultStageName, AutoDeploy: true}}, nil
	}
	return a.Stages, nil
}

// CORSConfiguration is the Api's CorsConfiguration property.
func CORSConfiguration(c *spec.CORS) *tree.Map {
	m := tree.NewMap().Set("AllowOrigins", tree.Strings(c.AllowOrigins))
	m.SetNonZero("AllowMethods", tree.Strings(c.AllowMethods))
	m.SetNonZero("AllowHeaders", tree.Strings(c.AllowHeaders))
	m.SetNonZero("ExposeHeaders", tree.Strings(c.ExposeHeaders))
	m.SetNonZero("AllowCredentials", c.AllowCredentials)
	m.SetNonZero("MaxAge", c.MaxAgeSeconds)
	return m
}

// HTTPRouteProperties are an AWS::ApiGatewayV2::Route's properties but its
// Target; authorizerID is what AuthorizerId says (nil = none).
func HTTPRouteProperties(apiID any, r *spec.HTTPRoute, authorizerID any) *tree.Map {
	props := tree.NewMap().Set("ApiId", apiID).Set("RouteKey", r.Key).Set("AuthorizationType", r.AuthType)
	if authorizerID != nil {
		props.Set("AuthorizerId", authorizerID)
	}
	if len(r.Scopes) > 0 {
		props.Set("AuthorizationScopes", tree.Strings(r.Scopes))
	}
	return props
}

// HTTPIntegrationProperties are an AWS::ApiGatewayV2::Integration's
// properties. A Lambda proxy is always invoked with POST.
func HTTPIntegrationProperties(apiID any, in *spec.HTTPIntegration) *tree.Map {
	ip := tree.NewMap().Set("ApiId", apiID).Set("IntegrationType", in.Type).Set("IntegrationUri", in.URI)
	if in.Type == spec.IntegrationHTTPProxy {
		ip.Set("IntegrationMethod", in.Method)
	} else {
		ip.Set("IntegrationMethod", "POST")
	}
	return ip.Set("PayloadFormatVersion", in.PayloadFormatVersion).SetNonZero("TimeoutInMillis", in.TimeoutMillis)
}

// HTTPTarget is a route's Target: integrations/ID of the integration
// resource named.
func HTTPTarget(integration string) *tree.Map {
	return tree.NewMap().Set("Fn::Join", tree.List{"/", tree.List{"integrations", Ref(integration)}})
}

// HTTPTemplate builds the template of one HTTP API.
func HTTPTemplate(a *spec.HTTPAPI, stages []*spec.HTTPStage, source string) *tree.Map {
	n := NewHTTPNames(a)
	t := tree.NewMap().Set("AWSTemplateFormatVersion", "2010-09-09")
	from := "a Portcullis description"
	if source != "" {
		from = source
	}
	desc := "HTTP API " + a.Name + " with its JWT authorizers, generated by Portcullis from " + from + "."
	if a.APIID != "" {
		desc += " " + generators.ExistingHTTPStagesNote(a, stages)
	}
	t.Set("Description", desc)
	params := tree.NewMap()
	res := tree.NewMap()
	var apiID any
	if a.APIID != "" {
		params.Set("ApiId", tree.NewMap().Set("Type", "String").Set("Default", a.APIID).
			Set("Description", "The existing HTTP API this template adds to."))
		apiID = Ref("ApiId")
	} else {
		props := tree.NewMap().Set("Name", a.Name).Set("ProtocolType", "HTTP").SetNonZero("Description", a.Description)
		if a.CORS != nil {
			props.Set("CorsConfiguration", CORSConfiguration(a.CORS))
		}
		res.Set("HttpApi", tree.NewMap().Set("Type", "AWS::ApiGatewayV2::Api").Set("Properties", props))
		apiID = Ref("HttpApi")
	}
	for _, az := range a.Authorizers {
		props := tree.NewMap().Set("ApiId", apiID).Set("Name", az.Name).Set("AuthorizerType", az.Type).
			Set("IdentitySource", tree.Strings(az.IdentitySources))
		if az.Type == spec.AuthorizerJWT {
			props.Set("JwtConfiguration", tree.NewMap().Set("Issuer", az.Issuer).Set("Audience", tree.Strings(az.Audiences)))
		}
		res.Set(n.Authorizer(az.Name), tree.NewMap().Set("Type", "AWS::ApiGatewayV2::Authorizer").Set("Properties", props))
	}
	var routes tree.List
	for _, r := range a.Routes {
		var azID any
		if az := a.AuthorizerByName(r.Authorizer); az != nil && r.AuthType != spec.AuthNone {
			azID = Ref(n.Authorizer(az.Name))
		}
		props := HTTPRouteProperties(apiID, r, azID)
		if in := r.Integration; in != nil {
			res.Set(n.Integration(r.Key), tree.NewMap().Set("Type", "AWS::ApiGatewayV2::Integration").Set("Properties", HTTPIntegrationProperties(apiID, in)))
			props.Set("Target", HTTPTarget(n.Integration(r.Key)))
		}
		res.Set(n.Route(r.Key), tree.NewMap().Set("Type", "AWS::ApiGatewayV2::Route").Set("Properties", props))
		routes = append(routes, n.Route(r.Key))
	}
	if a.APIID != "" {
		existingStageDeployments(res, a, stages, apiID, routes)
	} else {
		newStages(res, a, stages, apiID, routes)
	}
	if params.Len() > 0 {
		t.Set("Parameters", params)
	}
	t.Set("Resources", res)
	return t
}

// newStages writes the stages of an API the template creates, and one
// Deployment for those that do not deploy themselves.
func newStages(res *tree.Map, a *spec.HTTPAPI, stages []*spec.HTTPStage, apiID any, routes tree.List) {
	dep := ""
	for _, s := range stages {
		if !s.AutoDeploy && dep == "" {
			dep = "Deployment" + generators.HTTPAuthHash(a)[:12]
			res.Set(dep, tree.NewMap().Set("Type", "AWS::ApiGatewayV2::Deployment").SetNonZero("DependsOn", routes).
				Set("Properties", tree.NewMap().Set("ApiId", apiID)))
		}
	}
	for _, s := range stages {
		p := tree.NewMap().Set("ApiId", apiID).Set("StageName", s.Name)
		if s.AutoDeploy {
			p.Set("AutoDeploy", true)
		} else {
			p.Set("DeploymentId", Ref(dep))
		}
		p.SetNonZero("Description", s.Description).SetNonZero("StageVariables", tree.SortedMap(s.Variables))
		res.Set(Stage(stageID(s.Name)), tree.NewMap().Set("Type", "AWS::ApiGatewayV2::Stage").Set("Properties", p))
	}
}

// existingStageDeployments deploys the routes to each described stage of
// an existing API that does not deploy itself: a Deployment with its
// StageName, named after the auth hash so that a change is a new
// deployment. It is retained when it leaves the template: the stage is not
// the stack's and keeps pointing at it.
func existingStageDeployments(res *tree.Map, a *spec.HTTPAPI, stages []*spec.HTTPStage, apiID any, routes tree.List) {
	for _, s := range stages {
		if s.AutoDeploy {
			continue
		}
		res.Set(HTTPStageDeployment(a, s.Name), tree.NewMap().Set("Type", "AWS::ApiGatewayV2::Deployment").
			Set("DeletionPolicy", "Retain").Set("UpdateReplacePolicy", "Retain").SetNonZero("DependsOn", routes).
			Set("Properties", tree.NewMap().Set("ApiId", apiID).Set("StageName", s.Name)))
	}
}

// HTTPStageDeployment is the logical ID of the Deployment an existing
// API's stage gets.
func HTTPStageDeployment(a *spec.HTTPAPI, stage string) string {
	return "Deployment" + generators.HTTPAuthHash(a)[:12] + restapi.Pascal(stageID(stage))
}

// stageID names $default "Default" rather than nothing.
func stageID(name string) string {
	if name == spec.DefaultStageName {
		return "Default"
	}
	return name
}
