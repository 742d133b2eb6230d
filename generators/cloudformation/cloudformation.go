package cloudformation

import (
	"fmt"
	"strings"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/internal/tree"
	"github.com/portcullis-dev/portcullis/restapi"
	"github.com/portcullis-dev/portcullis/spec"
)

type gen struct{}

// New returns the CloudFormation generator.
func New() generators.Generator { return gen{} }

func (gen) Name() string { return "cloudformation" }
func (gen) Summary() string {
	return "AWS CloudFormation template with AWS::ApiGateway::* (REST) or AWS::ApiGatewayV2::* (HTTP API) resources (YAML or JSON)"
}

// Formats are the encodings offered; the first is the default.
func (gen) Formats() []string { return []string{"yaml", "json"} }

// Generate writes NAME.cloudformation.yaml (or .json) per API.
func (g gen) Generate(d *spec.Description, opts generators.Options) ([]generators.File, error) {
	format, err := generators.PickFormat(opts.Format, g.Formats()...)
	if err != nil {
		return nil, err
	}
	var out []generators.File
	for _, a := range d.APIs {
		stages, err := Stages(a, opts.Stage)
		if err != nil {
			return nil, err
		}
		t := Template(a, stages, opts.Source)
		content := tree.Encode(t, format, generators.Header(opts.Source, g.Name()))
		resources := 0
		if r, ok := t.Get("Resources").(*tree.Map); ok {
			resources = r.Len()
		}
		out = append(out, generators.File{Path: generators.FileName(a.Name) + ".cloudformation." + format, Content: content,
			Warnings: Limits(a, g.Name(), resources, len(content))})
	}
	for _, a := range d.HTTPAPIs {
		stages, err := HTTPStages(a, opts.Stage)
		if err != nil {
			return nil, err
		}
		content := tree.Encode(HTTPTemplate(a, stages, opts.Source), format, generators.Header(opts.Source, g.Name()))
		out = append(out, generators.File{Path: generators.FileName(a.Name) + ".cloudformation." + format, Content: content,
			Warnings: generators.ExistingAPICORS(a, opts.Source, g.Name())})
	}
	return out, nil
}

// Stages are the stages to write: the one --stage names, else all.
func Stages(a *spec.API, name string) ([]*spec.Stage, error) {
	if name == "" {
		return a.Stages, nil
	}
	s, err := restapi.PickStage(a, name)
	if err != nil {
		return nil, err
	}
	return []*spec.Stage{s}, nil
}

// Ref is {"Ref": name}.
func Ref(name string) *tree.Map { return tree.NewMap().Set("Ref", name) }

// GetAtt is {"Fn::GetAtt": [name, attr]}.
func GetAtt(name, attr string) *tree.Map {
	return tree.NewMap().Set("Fn::GetAtt", tree.List{name, attr})
}

// Names are the logical IDs of a template, derived from the model so that
// they stay stable when unrelated routes change.
type Names struct {
	resources   map[string]string
	authorizers map[string]string
}

// NewNames derives the logical IDs for a.
func NewNames(a *spec.API) *Names {
	n := &Names{}
	paths := []string{"/"}
	for _, r := range restapi.Resources(a) {
		paths = append(paths, r.Path)
	}
	n.resources = restapi.Unique(paths, restapi.PathPascal, "")
	var azs []string
	for _, az := range a.Authorizers {
		azs = append(azs, az.Name)
	}
	n.authorizers = restapi.Unique(azs, restapi.Pascal, "")
	return n
}

// Resource is the logical ID of the resource at path.
func (n *Names) Resource(path string) string { return "Resource" + n.resources[path] }

// Method is the logical ID of a method.
func (n *Names) Method(path, verb string) string {
	return "Method" + n.resources[path] + restapi.Pascal(strings.ToLower(verb))
}

// Authorizer is the logical ID of an authorizer.
func (n *Names) Authorizer(name string) string { return "Authorizer" + n.authorizers[name] }

// GatewayResponse is the logical ID of a gateway response.
func GatewayResponse(typ string) string {
	return "GatewayResponse" + restapi.Pascal(strings.ToLower(typ))
}

// Deployment is the logical ID of the deployment for an auth hash
// (restapi.AuthHash).
func Deployment(hash string) string { return "Deployment" + hash[:12] }

// Stage is the logical ID of a stage.
func Stage(name string) string { return "Stage" + restapi.Pascal(name) }

// Template builds the template of one API.
func Template(a *spec.API, stages []*spec.Stage, source string) *tree.Map {
	n := NewNames(a)
	t := tree.NewMap().Set("AWSTemplateFormatVersion", "2010-09-09")
	t.Set("Description", description(a, source))

	var apiID, rootID any
	params := tree.NewMap()
	res := tree.NewMap()
	if a.RestAPIID != "" {
		params.Set("RestApiId", tree.NewMap().Set("Type", "String").Set("Default", a.RestAPIID).
			Set("Description", "The existing REST API this template adds to."))
		params.Set("RootResourceId", tree.NewMap().Set("Type", "String").
			Set("Description", "The id of the existing API's root resource (/): aws apigateway get-resources --rest-api-id "+a.RestAPIID+" --query \"items[?path=='/'].id\""))
		apiID, rootID = Ref("RestApiId"), Ref("RootResourceId")
	} else {
		props := tree.NewMap().Set("Name", a.Name).SetNonZero("Description", a.Description)
		res.Set("RestApi", tree.NewMap().Set("Type", "AWS::ApiGateway::RestApi").Set("Properties", props))
		apiID, rootID = Ref("RestApi"), GetAtt("RestApi", "RootResourceId")
	}
	for _, az := range a.Authorizers {
		if az.Type != spec.AuthorizerCognito {
			params.Set(n.Authorizer(az.Name)+"Uri", tree.NewMap().Set("Type", "String").
				Set("Description", fmt.Sprintf("The Lambda invocation URI of the %s authorizer %q (not part of the description).", az.Type, az.Name)))
		}
	}
	if params.Len() > 0 {
		t.Set("Parameters", params)
	}

	for _, az := range a.Authorizers {
		p := tree.NewMap().Set("Name", az.Name).Set("RestApiId", apiID).Set("Type", az.Type)
		if az.Type == spec.AuthorizerCognito {
			p.Set("ProviderARNs", tree.Strings(az.UserPoolARNs))
		} else {
			p.Set("AuthorizerUri", Ref(n.Authorizer(az.Name)+"Uri"))
		}
		p.Set("IdentitySource", az.IdentitySource)
		p.SetNonZero("IdentityValidationExpression", az.ValidationExpression)
		p.Set("AuthorizerResultTtlInSeconds", az.TTLSeconds)
		res.Set(n.Authorizer(az.Name), tree.NewMap().Set("Type", "AWS::ApiGateway::Authorizer").Set("Properties", p))
	}

	resourceID := func(path string) any {
		if path == "/" {
			return rootID
		}
		return Ref(n.Resource(path))
	}
	for _, r := range restapi.Resources(a) {
		p := tree.NewMap().Set("RestApiId", apiID).Set("ParentId", resourceID(r.Parent)).Set("PathPart", r.Segment)
		res.Set(n.Resource(r.Path), tree.NewMap().Set("Type", "AWS::ApiGateway::Resource").Set("Properties", p))
	}

	var dependsOn tree.List
	for _, m := range restapi.Methods(a) {
		id := n.Method(m.Path, m.Verb)
		dependsOn = append(dependsOn, id)
		res.Set(id, method(&m, n, apiID, resourceID(m.Path)))
	}
	for _, g := range a.GatewayResponses {
		p := tree.NewMap().Set("RestApiId", apiID).Set("ResponseType", g.Type)
		p.SetNonZero("StatusCode", g.StatusCode)
		p.SetNonZero("ResponseParameters", tree.SortedMap(g.ResponseParameters))
		p.SetNonZero("ResponseTemplates", tree.SortedMap(g.ResponseTemplates))
		id := GatewayResponse(g.Type)
		dependsOn = append(dependsOn, id)
		res.Set(id, tree.NewMap().Set("Type", "AWS::ApiGateway::GatewayResponse").Set("Properties", p))
	}

	hash := restapi.AuthHash(a)
	dep := Deployment(hash)
	res.Set(dep, tree.NewMap().Set("Type", "AWS::ApiGateway::Deployment").SetNonZero("DependsOn", dependsOn).
		Set("Properties", tree.NewMap().Set("RestApiId", apiID).
			Set("Description", "Portcullis auth configuration "+hash[:12]+": a new deployment whenever authorizers, methods, scopes or gateway responses change")))
	for _, s := range stages {
		p := tree.NewMap().Set("RestApiId", apiID).Set("StageName", s.Name).Set("DeploymentId", Ref(dep))
		p.SetNonZero("Description", s.Description)
		p.SetNonZero("Variables", tree.SortedMap(s.Variables))
		res.Set(Stage(s.Name), tree.NewMap().Set("Type", "AWS::ApiGateway::Stage").Set("Properties", p))
	}
	t.Set("Resources", res)

	outputs := tree.NewMap().Set("RestApiId", tree.NewMap().Set("Value", apiID))
	for _, s := range stages {
		url := tree.NewMap().Set("Fn::Sub", tree.List{"https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/" + s.Name, tree.NewMap().Set("Api", apiID)})
		outputs.Set("InvokeUrl"+restapi.Pascal(s.Name), tree.NewMap().Set("Value", url))
	}
	t.Set("Outputs", outputs)
	return t
}

func description(a *spec.API, source string) string {
	s := "API " + a.Name
	if a.Description != "" {
		s += ": " + a.Description
	}
	s += ". Generated by Portcullis"
	if source != "" {
		s += " from " + source
	}
	s += "; do not edit by hand."
	if len(s) > 1024 { // CloudFormation's limit
		s = s[:1024]
	}
	return s
}

func method(m *restapi.Method, n *Names, apiID, resourceID any) *tree.Map {
	p := tree.NewMap().Set("RestApiId", apiID).Set("ResourceId", resourceID).Set("HttpMethod", m.Verb)
	p.Set("AuthorizationType", m.AuthType)
	if m.Authorizer != nil {
		p.Set("AuthorizerId", Ref(n.Authorizer(m.Authorizer.Name)))
	}
	p.SetNonZero("AuthorizationScopes", tree.Strings(m.Scopes))
	if m.Route != nil {
		p.SetNonZero("OperationName", m.Route.OperationName)
	}
	if len(m.RequestParameters) > 0 {
		rp := tree.NewMap()
		for _, k := range restapi.SortedKeys(m.RequestParameters) {
			rp.Set(k, m.RequestParameters[k])
		}
		p.Set("RequestParameters", rp)
	}
	p.Set("Integration", integration(m.Integration))
	var mrs tree.List
	for _, mr := range restapi.MethodResponses(m.Integration) {
		x := tree.NewMap().Set("StatusCode", mr.StatusCode)
		if len(mr.Headers) > 0 {
			hs := tree.NewMap()
			for _, h := range mr.Headers {
				hs.Set("method.response.header."+h, false)
			}
			x.Set("ResponseParameters", hs)
		}
		mrs = append(mrs, x)
	}
	p.SetNonZero("MethodResponses", mrs)
	r := tree.NewMap().Set("Type", "AWS::ApiGateway::Method").Set("Properties", p)
	if m.DefaultIntegration {
		r.Set("Metadata", tree.NewMap().Set("Portcullis", restapi.DefaultIntegrationNote))
	}
	if m.Preflight {
		r.Set("Metadata", tree.NewMap().Set("Portcullis", "CORS preflight, generated: unauthenticated because browsers send no token with it."))
	}
	return r
}

func integration(in *spec.Integration) *tree.Map {
	m := tree.NewMap().Set("Type", in.Type)
	m.SetNonZero("IntegrationHttpMethod", in.HTTPMethod)
	m.SetNonZero("Uri", in.URI)
	m.SetNonZero("PassthroughBehavior", in.PassthroughBehavior)
	m.SetNonZero("RequestParameters", tree.SortedMap(in.RequestParameters))
	m.SetNonZero("RequestTemplates", tree.SortedMap(in.RequestTemplates))
	m.SetNonZero("TimeoutInMillis", in.TimeoutMillis)
	var rs tree.List
	for _, r := range restapi.SortedResponses(in.Responses) {
		x := tree.NewMap()
		if r.Pattern != "" && r.Pattern != "default" {
			x.Set("SelectionPattern", r.Pattern)
		}
		x.Set("StatusCode", r.StatusCode)
		x.SetNonZero("ResponseParameters", tree.SortedMap(r.ResponseParameters))
		if r.ResponseTemplates != nil {
			x.Set("ResponseTemplates", tree.SortedMap(r.ResponseTemplates))
		}
		rs = append(rs, x)
	}
	m.SetNonZero("IntegrationResponses", rs)
	return m
}
