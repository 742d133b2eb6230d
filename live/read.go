package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	"github.com/aws/smithy-go"

	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/state"
)

// pageSize is API Gateway's maximum page (limit) for every paged list.
const pageSize = 500

// ErrNotFound is returned by Find when no API matches.
var ErrNotFound = errors.New("REST API not found")

// Target names the API to manage: by id when known, else by name.
type Target struct {
	RestAPIID string
	Name      string
}

// Find resolves t to a REST API id. A name that matches several APIs is an
// error: guessing would write to the wrong API.
func Find(ctx context.Context, c Reader, t Target) (id, name string, err error) {
	if t.RestAPIID != "" {
		out, err := c.GetRestApi(ctx, &apigateway.GetRestApiInput{RestApiId: aws.String(t.RestAPIID)})
		if err != nil {
			if IsNotFound(err) {
				return "", "", fmt.Errorf("%w: no REST API with id %s", ErrNotFound, t.RestAPIID)
			}
			return "", "", fmt.Errorf("GetRestApi %s: %w", t.RestAPIID, err)
		}
		return t.RestAPIID, aws.ToString(out.Name), nil
	}
	var ids []string
	var pos *string
	for {
		out, err := c.GetRestApis(ctx, &apigateway.GetRestApisInput{Limit: aws.Int32(pageSize), Position: pos})
		if err != nil {
			return "", "", fmt.Errorf("GetRestApis: %w", err)
		}
		for _, a := range out.Items {
			if aws.ToString(a.Name) == t.Name {
				ids = append(ids, aws.ToString(a.Id))
			}
		}
		if out.Position == nil || *out.Position == "" {
			break
		}
		pos = out.Position
	}
	switch len(ids) {
	case 0:
		return "", "", fmt.Errorf("%w: no REST API named %q", ErrNotFound, t.Name)
	case 1:
		return ids[0], t.Name, nil
	}
	sort.Strings(ids)
	return "", "", fmt.Errorf("%d REST APIs are named %q (%s): set rest_api_id = %q in the description to say which, or delete the extra one (`aws apigateway delete-rest-api --rest-api-id %s`)",
		len(ids), t.Name, strings.Join(ids, ", "), ids[0], ids[len(ids)-1])
}

// ReadOptions choose how much to read.
type ReadOptions struct {
	// DeployedStages lists the stages whose deployment is inspected
	// (apisummary and export); nil reads every stage's.
	DeployedStages []string
	// SkipExport skips GetExport (the deployment's apisummary is still read).
	SkipExport bool
}

// Read reads the API id with read-only calls: GetRestApi, GetResources
// (embed=methods, paged by 500), GetAuthorizers (paged; the Go SDK has no
// paginator for it), GetGatewayResponses (paged), GetStages, and per
// inspected stage GetDeployment (embed=apisummary) and GetExport.
func Read(ctx context.Context, c Reader, id string, opt ReadOptions) (*state.State, error) {
	api, err := c.GetRestApi(ctx, &apigateway.GetRestApiInput{RestApiId: aws.String(id)})
	if err != nil {
		return nil, fmt.Errorf("GetRestApi %s: %w", id, err)
	}
	s := &state.State{RestAPIID: id, RootResourceID: aws.ToString(api.RootResourceId), Resources: map[string]*state.Resource{},
		GatewayResponses: map[string]*spec.GatewayResponse{}, Stages: map[string]*state.Stage{}}

	pages := apigateway.NewGetResourcesPaginator(c, &apigateway.GetResourcesInput{
		RestApiId: aws.String(id), Embed: []string{"methods"}, Limit: aws.Int32(pageSize)})
	for pages.HasMorePages() {
		out, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("GetResources: %w", err)
		}
		for _, r := range out.Items {
			res := &state.Resource{ID: aws.ToString(r.Id), ParentID: aws.ToString(r.ParentId), Path: aws.ToString(r.Path), Methods: map[string]*state.Method{}}
			for verb, m := range r.ResourceMethods {
				res.Methods[verb] = methodOf(verb, m)
			}
			s.Resources[res.Path] = res
			if res.Path == "/" && s.RootResourceID == "" {
				s.RootResourceID = res.ID
			}
		}
	}

	var pos *string
	for {
		out, err := c.GetAuthorizers(ctx, &apigateway.GetAuthorizersInput{RestApiId: aws.String(id), Limit: aws.Int32(pageSize), Position: pos})
		if err != nil {
			return nil, fmt.Errorf("GetAuthorizers: %w", err)
		}
		for _, a := range out.Items {
			s.Authorizers = append(s.Authorizers, authorizerOf(a))
		}
		if out.Position == nil || *out.Position == "" {
			break
		}
		pos = out.Position
	}

	pos = nil
	for {
		out, err := c.GetGatewayResponses(ctx, &apigateway.GetGatewayResponsesInput{RestApiId: aws.String(id), Limit: aws.Int32(pageSize), Position: pos})
		if err != nil {
			return nil, fmt.Errorf("GetGatewayResponses: %w", err)
		}
		for _, g := range out.Items {
			if g.DefaultResponse {
				continue
			}
			s.GatewayResponses[string(g.ResponseType)] = &spec.GatewayResponse{Type: string(g.ResponseType),
				StatusCode: aws.ToString(g.StatusCode), ResponseParameters: g.ResponseParameters, ResponseTemplates: g.ResponseTemplates}
		}
		if out.Position == nil || *out.Position == "" {
			break
		}
		pos = out.Position
	}

	stages, err := c.GetStages(ctx, &apigateway.GetStagesInput{RestApiId: aws.String(id)})
	if err != nil {
		return nil, fmt.Errorf("GetStages: %w", err)
	}
	for _, st := range stages.Item {
		s.Stages[aws.ToString(st.StageName)] = &state.Stage{Name: aws.ToString(st.StageName), DeploymentID: aws.ToString(st.DeploymentId),
			Description: aws.ToString(st.Description), Variables: st.Variables}
	}
	s.BuildModel(aws.ToString(api.Name), aws.ToString(api.Description))

	for _, name := range slices.Sorted(maps.Keys(s.Stages)) {
		st := s.Stages[name]
		if opt.DeployedStages != nil && !slices.Contains(opt.DeployedStages, name) || st.DeploymentID == "" {
			continue
		}
		d, err := readDeployed(ctx, c, id, st, !opt.SkipExport)
		if err != nil {
			return nil, err
		}
		st.Deployed = d
	}
	return s, nil
}

func readDeployed(ctx context.Context, c Reader, id string, st *state.Stage, export bool) (*state.Deployed, error) {
	out, err := c.GetDeployment(ctx, &apigateway.GetDeploymentInput{RestApiId: aws.String(id), DeploymentId: aws.String(st.DeploymentID), Embed: []string{"apisummary"}})
	if err != nil {
		return nil, fmt.Errorf("GetDeployment %s (stage %s): %w", st.DeploymentID, st.Name, err)
	}
	d := &state.Deployed{DeploymentID: st.DeploymentID, Description: aws.ToString(out.Description)}
	// AWS always answers embed=apisummary with the summary ({} for a
	// deployment without methods); a server that ignores embed (moto)
	// leaves the field out, and that says nothing about the methods.
	if out.ApiSummary == nil {
		d.Unknowns = append(d.Unknowns, state.Unknown{Operation: "GetDeployment",
			Missing: fmt.Sprintf("deployment %s of stage %s came without the apiSummary that embed=apisummary asks for", st.DeploymentID, st.Name)})
	} else {
		d.Auth = map[string]string{}
		for path, verbs := range out.ApiSummary {
			for verb, m := range verbs {
				d.Auth[verb+" "+path] = aws.ToString(m.AuthorizationType)
			}
		}
	}
	if !export {
		return d, nil
	}
	ex, err := c.GetExport(ctx, &apigateway.GetExportInput{RestApiId: aws.String(id), StageName: aws.String(st.Name),
		ExportType: aws.String("oas30"), Parameters: map[string]string{"extensions": "apigateway"}})
	if err != nil {
		// The apisummary alone still shows auth-type changes; an export
		// the caller may not be allowed to read should not fail a plan.
		d.Unknowns = append(d.Unknowns, state.Unknown{Operation: "GetExport", Missing: fmt.Sprintf("stage %s could not be exported (%v)", st.Name, err)})
		return d, nil
	}
	sec, pools, why := parseExport(ex.Body)
	if why != "" {
		d.Unknowns = append(d.Unknowns, state.Unknown{Operation: "GetExport", Missing: fmt.Sprintf("the export of stage %s (oas30, extensions=apigateway) %s", st.Name, why)})
		return d, nil
	}
	d.Security, d.Pools = sec, pools
	return d, nil
}

// parseExport extracts, per operation, the security requirement and, per
// scheme, the pool ARNs of an OAS 3 export with API Gateway extensions.
// why says what made the export unusable ("" when it is usable): only
// such an export tells an operation without security (open) from one a
// server left out (moto answers Swagger 2.0 without security or
// extensions, whatever was asked).
func parseExport(body []byte) (sec map[string]string, pools map[string][]string, why string) {
	var doc struct {
		OpenAPI    string                                `json:"openapi"`
		Swagger    string                                `json:"swagger"`
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			SecuritySchemes map[string]struct {
				Authorizer struct {
					ProviderARNs []string `json:"providerARNs"`
				} `json:"x-amazon-apigateway-authorizer"`
			} `json:"securitySchemes"`
		} `json:"components"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, nil, "is not JSON"
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		if doc.Swagger != "" {
			return nil, nil, "is Swagger " + doc.Swagger + ", not the OpenAPI 3 asked for"
		}
		return nil, nil, "is not OpenAPI 3"
	}
	sec = map[string]string{}
	integrations, ops := 0, 0
	for path, pathOps := range doc.Paths {
		for verb, raw := range pathOps {
			v := strings.ToUpper(verb)
			if verb == "x-amazon-apigateway-any-method" {
				v = "ANY"
			} else if strings.HasPrefix(verb, "x-") || verb == "parameters" || verb == "servers" {
				continue
			}
			var op struct {
				Security    []map[string][]string `json:"security"`
				Integration json.RawMessage       `json:"x-amazon-apigateway-integration"`
			}
			_ = json.Unmarshal(raw, &op)
			ops++
			if len(op.Integration) > 0 {
				integrations++
			}
			sec[v+" "+path] = securityKey(op.Security)
		}
	}
	// Every deployed method has an integration, so an export with the
	// extensions shows one on every operation.
	if ops > 0 && integrations == 0 {
		return nil, nil, "has no x-amazon-apigateway-integration on any operation: the server ignored extensions=apigateway"
	}
	pools = map[string][]string{}
	for name, s := range doc.Components.SecuritySchemes {
		arns := append([]string(nil), s.Authorizer.ProviderARNs...)
		sort.Strings(arns)
		pools[name] = arns
	}
	return sec, pools, ""
}

// securityKey renders an operation's security as "name scope,scope"
// ("" when it has none).
func securityKey(reqs []map[string][]string) string {
	for _, req := range reqs {
		for name, scopes := range req {
			return state.SecurityKey(name, scopes)
		}
	}
	return ""
}

func methodOf(verb string, m types.Method) *state.Method {
	out := &state.Method{HTTPMethod: verb, AuthorizationType: aws.ToString(m.AuthorizationType), AuthorizerID: aws.ToString(m.AuthorizerId),
		Scopes: append([]string(nil), m.AuthorizationScopes...), RequestParameters: m.RequestParameters}
	if out.AuthorizationType == "" {
		out.AuthorizationType = spec.AuthNone
	}
	sort.Strings(out.Scopes)
	for code := range m.MethodResponses {
		out.Responses = append(out.Responses, code)
	}
	sort.Strings(out.Responses)
	if in := m.MethodIntegration; in != nil && in.Type != "" {
		si := &spec.Integration{Type: string(in.Type), URI: aws.ToString(in.Uri), HTTPMethod: aws.ToString(in.HttpMethod),
			PassthroughBehavior: aws.ToString(in.PassthroughBehavior), RequestTemplates: in.RequestTemplates,
			RequestParameters: in.RequestParameters}
		if in.TimeoutInMillis != 0 && in.TimeoutInMillis != 29000 {
			si.TimeoutMillis = int(in.TimeoutInMillis)
		}
		for _, code := range slices.Sorted(maps.Keys(in.IntegrationResponses)) {
			r := in.IntegrationResponses[code]
			si.Responses = append(si.Responses, spec.IntegrationResponse{Pattern: aws.ToString(r.SelectionPattern),
				StatusCode: aws.ToString(r.StatusCode), ResponseParameters: r.ResponseParameters, ResponseTemplates: r.ResponseTemplates})
		}
		out.Integration = si
	}
	return out
}

func authorizerOf(a types.Authorizer) *state.Authorizer {
	out := &state.Authorizer{Authorizer: spec.Authorizer{
		Name: aws.ToString(a.Name), Type: string(a.Type), ID: aws.ToString(a.Id),
		UserPoolARNs:         append([]string(nil), a.ProviderARNs...),
		IdentitySource:       aws.ToString(a.IdentitySource),
		ValidationExpression: aws.ToString(a.IdentityValidationExpression),
	}}
	sort.Strings(out.UserPoolARNs)
	// API Gateway omits the TTL when none was given and then caches for
	// 300 s; Terraform reads it the same way.
	if a.AuthorizerResultTtlInSeconds == nil {
		out.TTLSeconds = spec.DefaultTTLSeconds
		out.TTLUnset = true
	} else {
		out.TTLSeconds = int(*a.AuthorizerResultTtlInSeconds)
	}
	return out
}

// IsNotFound reports whether err is API Gateway's NotFoundException.
func IsNotFound(err error) bool { return errorCode(err) == "NotFoundException" }

// IsConflict reports whether err is API Gateway's ConflictException.
func IsConflict(err error) bool { return errorCode(err) == "ConflictException" }

// IsBadRequest reports API Gateway's BadRequestException.
func IsBadRequest(err error) bool { return errorCode(err) == "BadRequestException" }

// IsThrottle reports whether err is a throttling or temporary answer a
// caller may retry after waiting.
func IsThrottle(err error) bool {
	switch errorCode(err) {
	case "TooManyRequestsException", "LimitExceededException", "ServiceUnavailableException":
		return true
	}
	return false
}

func errorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// ReadFor finds and reads the API a description names. It returns nil
// and no error when the description names the API only by name and no
// API has it yet (apply then creates it); a rest_api_id that does not
// exist is an error, since creating another API would not be what the
// description means.
func ReadFor(ctx context.Context, c Reader, want *spec.API, opt ReadOptions) (*state.State, error) {
	id, _, err := Find(ctx, c, Target{RestAPIID: want.RestAPIID, Name: want.Name})
	if err != nil {
		if errors.Is(err, ErrNotFound) && want.RestAPIID == "" {
			return nil, nil
		}
		return nil, err
	}
	return Read(ctx, c, id, opt)
}

// ForStage reads only the deployment of the stage a command targets
// (flag, else the description's first stage; none when neither), so a plan
// costs two reads per stage it checks, not per stage the API has.
func ForStage(want *spec.API, flag string) ReadOptions {
	switch {
	case flag != "":
		return ReadOptions{DeployedStages: []string{flag}}
	case len(want.Stages) > 0:
		return ReadOptions{DeployedStages: []string{want.Stages[0].Name}}
	}
	return ReadOptions{DeployedStages: []string{}}
}
