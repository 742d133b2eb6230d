package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	v2types "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/state"
)

// NewHTTPClient builds the apigatewayv2 (HTTP API) client for cfg, with
// the same credentials, retries and pacing as NewClient.
func NewHTTPClient(ctx context.Context, cfg Config) (*apigatewayv2.Client, error) {
	awsCfg, err := loadConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return apigatewayv2.NewFromConfig(awsCfg, func(o *apigatewayv2.Options) {
		if cfg.EndpointURL != "" {
			o.BaseEndpoint = aws.String(cfg.EndpointURL)
		}
	}), nil
}

// CreateOnceV2 is CreateOnce for the apigatewayv2 creates (CreateApi,
// CreateAuthorizer, CreateIntegration, CreateRoute, CreateStage,
// CreateDeployment).
func CreateOnceV2(o *apigatewayv2.Options) {
	if o.Retryer != nil {
		o.Retryer = refusedOnly{o.Retryer}
	}
}

// HTTPReader is the part of the apigatewayv2 client that reading uses.
type HTTPReader interface {
	GetApis(context.Context, *apigatewayv2.GetApisInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.GetApisOutput, error)
	GetApi(context.Context, *apigatewayv2.GetApiInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.GetApiOutput, error)
	GetAuthorizers(context.Context, *apigatewayv2.GetAuthorizersInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.GetAuthorizersOutput, error)
	GetAuthorizer(context.Context, *apigatewayv2.GetAuthorizerInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.GetAuthorizerOutput, error)
	GetIntegrations(context.Context, *apigatewayv2.GetIntegrationsInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.GetIntegrationsOutput, error)
	GetRoutes(context.Context, *apigatewayv2.GetRoutesInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.GetRoutesOutput, error)
	GetStages(context.Context, *apigatewayv2.GetStagesInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.GetStagesOutput, error)
	ExportApi(context.Context, *apigatewayv2.ExportApiInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.ExportApiOutput, error)
}

// pageSize is the largest page apigatewayv2 lists return (maxResults).
const v2PageSize = "500"

// FindHTTPAPI finds the HTTP API want names: by id when it has one, else
// by name among the region's HTTP APIs. id is "" when there is none;
// several with the name is an error.
func FindHTTPAPI(ctx context.Context, c HTTPReader, want *spec.HTTPAPI) (string, error) {
	if want.APIID != "" {
		out, err := c.GetApi(ctx, &apigatewayv2.GetApiInput{ApiId: aws.String(want.APIID)})
		if err != nil {
			if IsNotFound(err) {
				return "", fmt.Errorf("HTTP API %s (api_id) does not exist", want.APIID)
			}
			return "", err
		}
		return aws.ToString(out.ApiId), nil
	}
	var ids []string
	var token *string
	for {
		out, err := c.GetApis(ctx, &apigatewayv2.GetApisInput{MaxResults: aws.String(v2PageSize), NextToken: token})
		if err != nil {
			return "", err
		}
		for _, a := range out.Items {
			if aws.ToString(a.Name) == want.Name && a.ProtocolType == v2types.ProtocolTypeHttp {
				ids = append(ids, aws.ToString(a.ApiId))
			}
		}
		if token = out.NextToken; token == nil || *token == "" {
			break
		}
	}
	switch len(ids) {
	case 0:
		return "", nil
	case 1:
		return ids[0], nil
	}
	sort.Strings(ids)
	return "", fmt.Errorf("%d HTTP APIs are named %q (%s): set api_id in the description to pick one", len(ids), want.Name, strings.Join(ids, ", "))
}

// ReadHTTPAPI reads the HTTP API id: the API with its CORS, authorizers,
// integrations, routes and stages (seven list calls at most for an API of
// up to 500 routes), then, for each stage with a deployment, what the
// deployment serves (one ExportApi each; a gateway that cannot export
// leaves Deployed nil, and drift says it could not tell).
func ReadHTTPAPI(ctx context.Context, c HTTPReader, id, region string) (*state.HTTPAPI, error) {
	api, err := c.GetApi(ctx, &apigatewayv2.GetApiInput{ApiId: aws.String(id)})
	if err != nil {
		return nil, err
	}
	s := &state.HTTPAPI{APIID: id, Name: aws.ToString(api.Name), Description: aws.ToString(api.Description),
		Endpoint: aws.ToString(api.ApiEndpoint), CORS: corsOf(api.CorsConfiguration),
		Integrations: map[string]*state.HTTPIntegration{}, Stages: map[string]*state.HTTPStage{}}
	listErr := pages(func(tok *string) (*string, error) {
		out, err := c.GetAuthorizers(ctx, &apigatewayv2.GetAuthorizersInput{ApiId: aws.String(id), MaxResults: aws.String(v2PageSize), NextToken: tok})
		if err != nil {
			return nil, err
		}
		for _, a := range out.Items {
			s.Authorizers = append(s.Authorizers, authorizerOfV2(a.AuthorizerId, a.Name, a.AuthorizerType, a.IdentitySource, a.JwtConfiguration))
		}
		return out.NextToken, nil
	})
	if listErr != nil {
		var gu *GaveUpError
		if !errors.As(listErr, &gu) || !gu.NotAPIGateway {
			return nil, listErr
		}
		// moto 5.2.1 has GetAuthorizer but no GetAuthorizers: the
		// authorizers the routes use are read one by one below.
		s.AuthorizersUnlisted = true
	}
	if err := pages(func(tok *string) (*string, error) {
		out, err := c.GetIntegrations(ctx, &apigatewayv2.GetIntegrationsInput{ApiId: aws.String(id), MaxResults: aws.String(v2PageSize), NextToken: tok})
		if err != nil {
			return nil, err
		}
		for _, in := range out.Items {
			it := &state.HTTPIntegration{ID: aws.ToString(in.IntegrationId), HTTPIntegration: spec.HTTPIntegration{
				Type: string(in.IntegrationType), URI: aws.ToString(in.IntegrationUri), Method: aws.ToString(in.IntegrationMethod),
				PayloadFormatVersion: aws.ToString(in.PayloadFormatVersion)},
				ParameterMapping: len(in.RequestParameters) > 0 || len(in.ResponseParameters) > 0}
			if in.TimeoutInMillis != nil && *in.TimeoutInMillis != spec.DefaultHTTPTimeoutMillis {
				it.TimeoutMillis = int(*in.TimeoutInMillis)
			}
			spec.DefaultHTTPIntegration(&it.HTTPIntegration)
			s.Integrations[it.ID] = it
		}
		return out.NextToken, nil
	}); err != nil {
		return nil, err
	}
	if err := pages(func(tok *string) (*string, error) {
		out, err := c.GetRoutes(ctx, &apigatewayv2.GetRoutesInput{ApiId: aws.String(id), MaxResults: aws.String(v2PageSize), NextToken: tok})
		if err != nil {
			return nil, err
		}
		for _, r := range out.Items {
			s.Routes = append(s.Routes, &state.HTTPRoute{ID: aws.ToString(r.RouteId), Key: aws.ToString(r.RouteKey),
				AuthorizationType: string(r.AuthorizationType), AuthorizerID: aws.ToString(r.AuthorizerId),
				Scopes: append([]string(nil), r.AuthorizationScopes...), Target: aws.ToString(r.Target), OperationName: aws.ToString(r.OperationName)})
		}
		return out.NextToken, nil
	}); err != nil {
		return nil, err
	}
	if s.AuthorizersUnlisted {
		seen := map[string]bool{}
		for _, r := range s.Routes {
			if r.AuthorizerID == "" || seen[r.AuthorizerID] {
				continue
			}
			seen[r.AuthorizerID] = true
			a, err := c.GetAuthorizer(ctx, &apigatewayv2.GetAuthorizerInput{ApiId: aws.String(id), AuthorizerId: aws.String(r.AuthorizerID)})
			if err != nil {
				if IsNotFound(err) {
					continue
				}
				return nil, err
			}
			s.Authorizers = append(s.Authorizers, authorizerOfV2(a.AuthorizerId, a.Name, a.AuthorizerType, a.IdentitySource, a.JwtConfiguration))
		}
	}
	if err := pages(func(tok *string) (*string, error) {
		out, err := c.GetStages(ctx, &apigatewayv2.GetStagesInput{ApiId: aws.String(id), MaxResults: aws.String(v2PageSize), NextToken: tok})
		if err != nil {
			return nil, err
		}
		for _, st := range out.Items {
			s.Stages[aws.ToString(st.StageName)] = &state.HTTPStage{Name: aws.ToString(st.StageName), AutoDeploy: aws.ToBool(st.AutoDeploy),
				DeploymentID: aws.ToString(st.DeploymentId), Description: aws.ToString(st.Description), Variables: st.StageVariables}
		}
		return out.NextToken, nil
	}); err != nil {
		return nil, err
	}
	for _, st := range s.Stages {
		if st.DeploymentID == "" {
			continue
		}
		out, err := c.ExportApi(ctx, &apigatewayv2.ExportApiInput{ApiId: aws.String(id), Specification: aws.String("OAS30"),
			OutputType: aws.String("JSON"), StageName: aws.String(st.Name), IncludeExtensions: aws.Bool(true)})
		if err != nil {
			// moto has no ExportApi: the deployment's content stays unknown.
			continue
		}
		if auth, ok := exportedAuth(out.Body); ok {
			st.Deployed = &state.HTTPDeployed{DeploymentID: st.DeploymentID, Auth: auth}
		}
	}
	s.BuildModel(region)
	return s, nil
}

func authorizerOfV2(id, name *string, typ v2types.AuthorizerType, sources []string, jwt *v2types.JWTConfiguration) *state.HTTPAuthorizer {
	az := &state.HTTPAuthorizer{ID: aws.ToString(id), Name: aws.ToString(name), Type: string(typ), IdentitySources: append([]string(nil), sources...)}
	if jwt != nil {
		az.Issuer, az.Audiences = aws.ToString(jwt.Issuer), append([]string(nil), jwt.Audience...)
	}
	return az
}

func pages(f func(*string) (*string, error)) error {
	var tok *string
	for {
		next, err := f(tok)
		if err != nil {
			return err
		}
		if next == nil || *next == "" {
			return nil
		}
		tok = next
	}
}

func corsOf(c *v2types.Cors) *spec.CORS {
	if c == nil {
		return nil
	}
	out := &spec.CORS{AllowOrigins: c.AllowOrigins, AllowMethods: c.AllowMethods, AllowHeaders: c.AllowHeaders,
		ExposeHeaders: c.ExposeHeaders, AllowCredentials: aws.ToBool(c.AllowCredentials), MaxAgeSeconds: int(aws.ToInt32(c.MaxAge))}
	return out
}

// exportedAuth reads an OAS30 export's auth surface: route key ->
// state.RouteAuth of the operation's security (JWT when it names a scheme
// with a jwt x-amazon-apigateway-authorizer).
func exportedAuth(body []byte) (map[string]string, bool) {
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			SecuritySchemes map[string]struct {
				Authorizer *struct {
					Type string `json:"type"`
				} `json:"x-amazon-apigateway-authorizer"`
			} `json:"securitySchemes"`
		} `json:"components"`
	}
	if err := json.Unmarshal(body, &doc); err != nil || doc.Paths == nil {
		return nil, false
	}
	out := map[string]string{}
	for path, item := range doc.Paths {
		for verb, raw := range item {
			method := strings.ToUpper(verb)
			if verb == "x-amazon-apigateway-any-method" {
				method = "ANY"
			} else if strings.HasPrefix(verb, "x-") || verb == "parameters" {
				continue
			}
			key := method + " " + path
			if path == "/$default" {
				key = spec.DefaultRouteKey
			}
			var op struct {
				Security []map[string][]string `json:"security"`
			}
			_ = json.Unmarshal(raw, &op)
			auth := state.RouteAuth(spec.AuthNone, "", nil)
			for _, req := range op.Security {
				for name, scopes := range req {
					if sc, ok := doc.Components.SecuritySchemes[name]; ok && sc.Authorizer != nil && strings.EqualFold(sc.Authorizer.Type, "jwt") {
						auth = state.RouteAuth(spec.AuthJWT, name, scopes)
					}
				}
			}
			out[key] = auth
		}
	}
	return out, true
}
