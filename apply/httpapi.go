package apply

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	v2types "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/portcullis-dev/portcullis/diff"
	"github.com/portcullis-dev/portcullis/live"
	"github.com/portcullis-dev/portcullis/plan"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/state"
)

// HTTPWriter is the part of the apigatewayv2 client apply uses.
type HTTPWriter interface {
	CreateApi(context.Context, *apigatewayv2.CreateApiInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.CreateApiOutput, error)
	UpdateApi(context.Context, *apigatewayv2.UpdateApiInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.UpdateApiOutput, error)
	DeleteCorsConfiguration(context.Context, *apigatewayv2.DeleteCorsConfigurationInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.DeleteCorsConfigurationOutput, error)
	CreateAuthorizer(context.Context, *apigatewayv2.CreateAuthorizerInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.CreateAuthorizerOutput, error)
	UpdateAuthorizer(context.Context, *apigatewayv2.UpdateAuthorizerInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.UpdateAuthorizerOutput, error)
	DeleteAuthorizer(context.Context, *apigatewayv2.DeleteAuthorizerInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.DeleteAuthorizerOutput, error)
	CreateIntegration(context.Context, *apigatewayv2.CreateIntegrationInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.CreateIntegrationOutput, error)
	UpdateIntegration(context.Context, *apigatewayv2.UpdateIntegrationInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.UpdateIntegrationOutput, error)
	CreateRoute(context.Context, *apigatewayv2.CreateRouteInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.CreateRouteOutput, error)
	UpdateRoute(context.Context, *apigatewayv2.UpdateRouteInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.UpdateRouteOutput, error)
	DeleteRoute(context.Context, *apigatewayv2.DeleteRouteInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.DeleteRouteOutput, error)
	CreateStage(context.Context, *apigatewayv2.CreateStageInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.CreateStageOutput, error)
	UpdateStage(context.Context, *apigatewayv2.UpdateStageInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.UpdateStageOutput, error)
	CreateDeployment(context.Context, *apigatewayv2.CreateDeploymentInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.CreateDeploymentOutput, error)

	// The reads that look for what a create whose answer was lost made
	// (httprecover.go).
	GetApis(context.Context, *apigatewayv2.GetApisInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.GetApisOutput, error)
	GetAuthorizers(context.Context, *apigatewayv2.GetAuthorizersInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.GetAuthorizersOutput, error)
	GetIntegrations(context.Context, *apigatewayv2.GetIntegrationsInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.GetIntegrationsOutput, error)
	GetRoutes(context.Context, *apigatewayv2.GetRoutesInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.GetRoutesOutput, error)
	GetStages(context.Context, *apigatewayv2.GetStagesInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.GetStagesOutput, error)
	GetDeployment(context.Context, *apigatewayv2.GetDeploymentInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.GetDeploymentOutput, error)
}

// HTTPResult is what an HTTP API apply did.
type HTTPResult struct {
	APIID string `json:"api_id"`
	// Calls counts the write calls made.
	Calls        int    `json:"calls"`
	DeploymentID string `json:"deployment_id"`
	AutoDeploy   bool   `json:"auto_deploy"`
	// Recovered lists the creates whose answer was lost and whose object
	// apply found and adopted instead of creating it again.
	Recovered []string `json:"recovered,omitempty"`
}

// Summary is one line for logs.
func (r HTTPResult) Summary() string {
	s := fmt.Sprintf("%d write call(s)", r.Calls)
	switch {
	case r.DeploymentID != "":
		s += ", deployment " + r.DeploymentID
	case r.AutoDeploy:
		s += ", no deployment (the stage deploys itself: auto-deploy)"
	default:
		s += ", no deployment"
	}
	return s
}

type httpRun struct {
	run
	c            HTTPWriter
	have         *state.HTTPAPI
	authorizers  map[string]string // name -> id
	integrations map[string]string // "new:N" -> id
	hr           HTTPResult
}

// HTTP applies an HTTP API plan: one call per change, in the plan's order,
// each create sent once (live.CreateOnceV2) and, after an ambiguous
// failure, looked for before it is sent again. A failure stops at once and
// leaves no deployment; running apply again continues.
func HTTP(ctx context.Context, c HTTPWriter, p *plan.HTTPPlan, have *state.HTTPAPI, opt Options) (HTTPResult, error) {
	if opt.Progress == nil {
		opt.Progress = noProgress{}
	}
	r := &httpRun{run: run{ctx: ctx, opt: opt, total: len(p.Changes)}, c: c, have: have,
		authorizers: map[string]string{}, integrations: map[string]string{}}
	r.hr.APIID, r.hr.AutoDeploy = p.APIID, p.AutoDeploy
	if have != nil {
		for _, a := range have.Authorizers {
			if _, dup := r.authorizers[a.Name]; !dup {
				r.authorizers[a.Name] = a.ID
			}
		}
	}
	opt.Progress.Begin(len(p.Changes))
	defer opt.Progress.End()
	for _, ch := range p.Changes {
		if err := r.httpChange(p, ch); err != nil {
			r.hr.Calls, r.hr.Recovered = r.res.Calls, r.res.Recovered
			return r.hr, err
		}
	}
	r.hr.Calls, r.hr.Recovered = r.res.Calls, r.res.Recovered
	return r.hr, nil
}

func (r *httpRun) id() *string { return aws.String(r.hr.APIID) }

func corsInput(c *spec.CORS) *v2types.Cors {
	if c == nil {
		return nil
	}
	out := &v2types.Cors{AllowOrigins: c.AllowOrigins, AllowMethods: c.AllowMethods, AllowHeaders: c.AllowHeaders, ExposeHeaders: c.ExposeHeaders}
	if c.AllowCredentials {
		out.AllowCredentials = aws.Bool(true)
	}
	if c.MaxAgeSeconds != 0 {
		out.MaxAge = aws.Int32(int32(c.MaxAgeSeconds))
	}
	return out
}

func identitySources(a *spec.JWTAuthorizer) []string {
	if len(a.IdentitySources) == 0 {
		return []string{spec.DefaultJWTIdentitySource}
	}
	return a.IdentitySources
}

func (r *httpRun) target(ref string) *string {
	if ref == "" {
		return nil
	}
	if id, ok := r.integrations[ref]; ok {
		ref = id
	}
	return aws.String("integrations/" + ref)
}

func (r *httpRun) routeAuth(rt *spec.HTTPRoute) (v2types.AuthorizationType, *string, []string, error) {
	switch rt.AuthType {
	case spec.AuthJWT:
		id, ok := r.authorizers[rt.Authorizer]
		if !ok {
			return "", nil, nil, fmt.Errorf("route %s: authorizer %q has no id (it was neither found nor created)", rt.Key, rt.Authorizer)
		}
		return v2types.AuthorizationTypeJwt, aws.String(id), rt.Scopes, nil
	case spec.AuthIAM:
		return v2types.AuthorizationTypeAwsIam, nil, nil, nil
	}
	return v2types.AuthorizationTypeNone, nil, nil, nil
}

func (r *httpRun) httpChange(p *plan.HTTPPlan, ch diff.HTTPChange) error {
	what := ch.Address
	switch ch.Kind {
	case diff.KindHTTPAPI:
		if ch.Action == diff.Create {
			return r.create("CreateApi", what, func(ctx context.Context) error {
				out, err := r.c.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String(ch.API.Name), ProtocolType: v2types.ProtocolTypeHttp,
					Description: nonEmpty(ch.API.Description), CorsConfiguration: corsInput(ch.CORS)}, live.CreateOnceV2)
				if err == nil {
					r.hr.APIID = aws.ToString(out.ApiId)
				}
				return err
			}, func(ctx context.Context) (bool, error) { return r.findAPI(ctx, ch.API.Name) })
		}
		return r.call("UpdateApi", what, func(ctx context.Context) error {
			_, err := r.c.UpdateApi(ctx, &apigatewayv2.UpdateApiInput{ApiId: r.id(), Description: aws.String(ch.API.Description)})
			return err
		})
	case diff.KindCORS:
		if ch.Action == diff.Delete {
			return r.call("DeleteCorsConfiguration", what, func(ctx context.Context) error {
				_, err := r.c.DeleteCorsConfiguration(ctx, &apigatewayv2.DeleteCorsConfigurationInput{ApiId: r.id()})
				return err
			})
		}
		return r.call("UpdateApi", what, func(ctx context.Context) error {
			_, err := r.c.UpdateApi(ctx, &apigatewayv2.UpdateApiInput{ApiId: r.id(), CorsConfiguration: corsInput(ch.CORS)})
			return err
		})
	case diff.KindJWTAuthorize:
		az := ch.Authorizer
		switch ch.Action {
		case diff.Create:
			return r.create("CreateAuthorizer", what, func(ctx context.Context) error {
				out, err := r.c.CreateAuthorizer(ctx, &apigatewayv2.CreateAuthorizerInput{ApiId: r.id(), Name: aws.String(az.Name),
					AuthorizerType: v2types.AuthorizerTypeJwt, IdentitySource: identitySources(az),
					JwtConfiguration: &v2types.JWTConfiguration{Issuer: aws.String(az.Issuer), Audience: az.Audiences}}, live.CreateOnceV2)
				if err == nil {
					r.authorizers[az.Name] = aws.ToString(out.AuthorizerId)
				}
				return err
			}, func(ctx context.Context) (bool, error) { return r.findAuthorizer(ctx, az) })
		case diff.Update:
			return r.call("UpdateAuthorizer", what, func(ctx context.Context) error {
				_, err := r.c.UpdateAuthorizer(ctx, &apigatewayv2.UpdateAuthorizerInput{ApiId: r.id(), AuthorizerId: aws.String(ch.ID),
					IdentitySource:   identitySources(az),
					JwtConfiguration: &v2types.JWTConfiguration{Issuer: aws.String(az.Issuer), Audience: az.Audiences}})
				return err
			})
		}
		return r.call("DeleteAuthorizer", what, func(ctx context.Context) error {
			_, err := r.c.DeleteAuthorizer(ctx, &apigatewayv2.DeleteAuthorizerInput{ApiId: r.id(), AuthorizerId: aws.String(ch.ID)})
			return err
		})
	case diff.KindHTTPIntegr:
		in := ch.Integration
		method := nonEmpty(in.Method)
		if in.Type == spec.IntegrationAWSProxy {
			method = aws.String("POST")
		}
		var timeout *int32
		if in.TimeoutMillis > 0 {
			timeout = aws.Int32(int32(in.TimeoutMillis))
		}
		if ch.Action == diff.Create {
			return r.create("CreateIntegration", what, func(ctx context.Context) error {
				out, err := r.c.CreateIntegration(ctx, &apigatewayv2.CreateIntegrationInput{ApiId: r.id(), IntegrationType: v2types.IntegrationType(in.Type),
					IntegrationUri: aws.String(in.URI), IntegrationMethod: method, PayloadFormatVersion: nonEmpty(in.PayloadFormatVersion),
					TimeoutInMillis: timeout}, live.CreateOnceV2)
				if err == nil {
					r.integrations[ch.Key] = aws.ToString(out.IntegrationId)
				}
				return err
			}, func(ctx context.Context) (bool, error) { return r.findIntegration(ctx, ch.Key, in, method) })
		}
		return r.call("UpdateIntegration", what, func(ctx context.Context) error {
			_, err := r.c.UpdateIntegration(ctx, &apigatewayv2.UpdateIntegrationInput{ApiId: r.id(), IntegrationId: aws.String(ch.ID),
				IntegrationType: v2types.IntegrationType(in.Type), IntegrationUri: aws.String(in.URI), IntegrationMethod: method,
				PayloadFormatVersion: nonEmpty(in.PayloadFormatVersion), TimeoutInMillis: timeout})
			return err
		})
	case diff.KindRoute:
		if ch.Action == diff.Delete {
			return r.call("DeleteRoute", what, func(ctx context.Context) error {
				_, err := r.c.DeleteRoute(ctx, &apigatewayv2.DeleteRouteInput{ApiId: r.id(), RouteId: aws.String(ch.ID)})
				return err
			})
		}
		typ, azID, scopes, err := r.routeAuth(ch.Route)
		if err != nil {
			return &Error{Change: what, Op: "CreateRoute", Done: r.res.Calls, Total: r.total, Err: err}
		}
		if ch.Action == diff.Create {
			// The authorization goes in the same call: the route never
			// exists open, even on an auto-deploying stage.
			return r.create("CreateRoute", what, func(ctx context.Context) error {
				_, err := r.c.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{ApiId: r.id(), RouteKey: aws.String(ch.Route.Key),
					AuthorizationType: typ, AuthorizerId: azID, AuthorizationScopes: scopes, Target: r.target(ch.IntegrationRef),
					OperationName: nonEmpty(ch.Route.OperationName)}, live.CreateOnceV2)
				return err
			}, func(ctx context.Context) (bool, error) {
				return r.findRoute(ctx, ch.Route.Key, typ, azID, r.target(ch.IntegrationRef))
			})
		}
		in := &apigatewayv2.UpdateRouteInput{ApiId: r.id(), RouteId: aws.String(ch.ID), AuthorizationType: typ, AuthorizerId: azID,
			AuthorizationScopes: scopes, Target: r.target(ch.IntegrationRef)}
		if scopes == nil {
			// An empty list clears scopes left from before.
			in.AuthorizationScopes = []string{}
		}
		if azID == nil {
			in.AuthorizerId = aws.String("")
		}
		return r.call("UpdateRoute", what, func(ctx context.Context) error {
			_, err := r.c.UpdateRoute(ctx, in)
			return err
		})
	case diff.KindHTTPStage:
		st := ch.Stage
		if ch.Action == diff.Create {
			return r.create("CreateStage", what, func(ctx context.Context) error {
				_, err := r.c.CreateStage(ctx, &apigatewayv2.CreateStageInput{ApiId: r.id(), StageName: aws.String(st.Name),
					AutoDeploy: aws.Bool(st.AutoDeploy), Description: nonEmpty(st.Description), StageVariables: st.Variables}, live.CreateOnceV2)
				return err
			}, func(ctx context.Context) (bool, error) { return r.findStage(ctx, st.Name) })
		}
		return r.call("UpdateStage", what, func(ctx context.Context) error {
			// UpdateStage merges stage variables: one the description no
			// longer has is removed by setting it to "" (as the Terraform
			// provider does).
			vars := map[string]string{}
			if r.have != nil && r.have.Stages[st.Name] != nil {
				for k := range r.have.Stages[st.Name].Variables {
					vars[k] = ""
				}
			}
			maps.Copy(vars, st.Variables)
			_, err := r.c.UpdateStage(ctx, &apigatewayv2.UpdateStageInput{ApiId: r.id(), StageName: aws.String(st.Name),
				AutoDeploy: aws.Bool(st.AutoDeploy), Description: aws.String(st.Description), StageVariables: vars})
			return err
		})
	case diff.KindDeployment:
		started, description := time.Now(), "portcullis apply: "+strings.TrimSpace(p.API)
		for _, f := range ch.Fields {
			if f.Name == "description" {
				description = f.New // deploy --description
			}
		}
		return r.create("CreateDeployment", what, func(ctx context.Context) error {
			out, err := r.c.CreateDeployment(ctx, &apigatewayv2.CreateDeploymentInput{ApiId: r.id(), StageName: aws.String(p.Stage),
				Description: aws.String(description)}, live.CreateOnceV2)
			if err == nil {
				r.hr.DeploymentID = aws.ToString(out.DeploymentId)
			}
			return err
		}, func(ctx context.Context) (bool, error) { return r.findDeployment(ctx, p.Stage, description, started) })
	}
	return fmt.Errorf("apply: unknown HTTP API change %s %s", ch.Action, ch.Kind)
}
