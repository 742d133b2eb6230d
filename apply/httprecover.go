package apply

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	v2types "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/portcullis-dev/portcullis/spec"
)

// HTTP API creates are no more idempotent than REST ones (recover.go):
// after an ambiguous failure apply looks for what it asked for, the API
// by name, an authorizer by name, a route by its key, a stage by its
// name, an integration by what it calls (one this apply does not already
// know), a deployment by being what the stage serves, made since apply
// started, with apply's description.

// v2Pages lists every page of one apigatewayv2 list call.
func v2Pages[T any](ctx context.Context, list func(ctx context.Context, token *string) ([]T, *string, error)) ([]T, error) {
	var all []T
	var token *string
	for {
		items, next, err := list(ctx, token)
		if err != nil {
			return nil, err
		}
		all = append(all, items...)
		if next == nil || *next == "" {
			return all, nil
		}
		token = next
	}
}

const v2Page = "500"

func (r *httpRun) findAPI(ctx context.Context, name string) (bool, error) {
	apis, err := v2Pages(ctx, func(ctx context.Context, token *string) ([]v2types.Api, *string, error) {
		out, err := r.c.GetApis(ctx, &apigatewayv2.GetApisInput{MaxResults: aws.String(v2Page), NextToken: token})
		if err != nil {
			return nil, nil, err
		}
		return out.Items, out.NextToken, nil
	})
	if err != nil {
		return false, err
	}
	var ids []string
	for _, a := range apis {
		if aws.ToString(a.Name) == name && a.ProtocolType == v2types.ProtocolTypeHttp {
			ids = append(ids, aws.ToString(a.ApiId))
		}
	}
	switch len(ids) {
	case 0:
		return false, nil
	case 1:
		r.hr.APIID = ids[0]
		return true, nil
	}
	return false, &DuplicateError{Kind: "HTTP API", Name: name, IDs: ids, Fix: fmt.Sprintf(
		"set api_id = %q in the description to manage that one (the other stays untouched), or delete the extra one with `aws apigatewayv2 delete-api --api-id %s`, then run apply again", ids[0], ids[len(ids)-1])}
}

// findAuthorizer looks for the authorizer by name. API Gateway keeps
// names unique in an API, so one found may be someone else's made
// meanwhile: it is adopted only if it checks tokens as asked, else routes
// would trust another issuer.
func (r *httpRun) findAuthorizer(ctx context.Context, az *spec.JWTAuthorizer) (bool, error) {
	name := az.Name
	azs, err := v2Pages(ctx, func(ctx context.Context, token *string) ([]v2types.Authorizer, *string, error) {
		out, err := r.c.GetAuthorizers(ctx, &apigatewayv2.GetAuthorizersInput{ApiId: r.id(), MaxResults: aws.String(v2Page), NextToken: token})
		if err != nil {
			return nil, nil, err
		}
		return out.Items, out.NextToken, nil
	})
	if err != nil {
		return false, err
	}
	var ids []string
	var found v2types.Authorizer
	for _, a := range azs {
		if aws.ToString(a.Name) == name {
			ids, found = append(ids, aws.ToString(a.AuthorizerId)), a
		}
	}
	switch len(ids) {
	case 0:
		return false, nil
	case 1:
		if found.JwtConfiguration == nil || aws.ToString(found.JwtConfiguration.Issuer) != az.Issuer ||
			!slices.Equal(found.JwtConfiguration.Audience, az.Audiences) || !slices.Equal(found.IdentitySource, identitySources(az)) {
			return false, fmt.Errorf("authorizer %q (%s) exists but does not check tokens as asked (someone else made it): run plan and apply again to bring it in line, or delete it with `aws apigatewayv2 delete-authorizer --api-id %s --authorizer-id %s`",
				name, ids[0], r.hr.APIID, ids[0])
		}
		r.authorizers[name] = ids[0]
		return true, nil
	}
	var cmds []string
	for _, id := range ids[1:] {
		cmds = append(cmds, fmt.Sprintf("aws apigatewayv2 delete-authorizer --api-id %s --authorizer-id %s", r.hr.APIID, id))
	}
	return false, &DuplicateError{Kind: "authorizer", Name: name, IDs: ids, Fix: fmt.Sprintf(
		"keep one and delete the others (no route uses them yet), e.g. `%s`, then run apply again", strings.Join(cmds, "` and `"))}
}

// findIntegration looks for an integration with what key asked for that
// is neither in the state apply began from nor already adopted: only
// such a one can be the lost call's.
func (r *httpRun) findIntegration(ctx context.Context, key string, in *spec.HTTPIntegration, method *string) (bool, error) {
	its, err := v2Pages(ctx, func(ctx context.Context, token *string) ([]v2types.Integration, *string, error) {
		out, err := r.c.GetIntegrations(ctx, &apigatewayv2.GetIntegrationsInput{ApiId: r.id(), MaxResults: aws.String(v2Page), NextToken: token})
		if err != nil {
			return nil, nil, err
		}
		return out.Items, out.NextToken, nil
	})
	if err != nil {
		return false, err
	}
	known := map[string]bool{}
	if r.have != nil && r.have.APIID == r.hr.APIID {
		for id := range r.have.Integrations {
			known[id] = true
		}
	}
	for _, id := range r.integrations {
		known[id] = true
	}
	var ids []string
	for _, it := range its {
		id := aws.ToString(it.IntegrationId)
		if !known[id] && string(it.IntegrationType) == in.Type && aws.ToString(it.IntegrationUri) == in.URI &&
			(method == nil || aws.ToString(it.IntegrationMethod) == *method) &&
			(in.PayloadFormatVersion == "" || aws.ToString(it.PayloadFormatVersion) == in.PayloadFormatVersion) {
			ids = append(ids, id)
		}
	}
	switch len(ids) {
	case 0:
		return false, nil
	case 1:
		r.integrations[key] = ids[0]
		return true, nil
	}
	return false, &DuplicateError{Kind: "integration", Name: in.Type + " " + in.URI, IDs: ids, Fix: fmt.Sprintf(
		"delete the extra one with `aws apigatewayv2 delete-integration --api-id %s --integration-id %s`, then run apply again", r.hr.APIID, ids[len(ids)-1])}
}

// findRoute looks for the route key (API Gateway keeps keys unique). One
// found is adopted only if it is authorized as asked: a route someone
// else made with other settings is reported, and the next plan updates it.
func (r *httpRun) findRoute(ctx context.Context, key string, typ v2types.AuthorizationType, azID *string, target *string) (bool, error) {
	routes, err := v2Pages(ctx, func(ctx context.Context, token *string) ([]v2types.Route, *string, error) {
		out, err := r.c.GetRoutes(ctx, &apigatewayv2.GetRoutesInput{ApiId: r.id(), MaxResults: aws.String(v2Page), NextToken: token})
		if err != nil {
			return nil, nil, err
		}
		return out.Items, out.NextToken, nil
	})
	if err != nil {
		return false, err
	}
	i := slices.IndexFunc(routes, func(rt v2types.Route) bool { return aws.ToString(rt.RouteKey) == key })
	if i < 0 {
		return false, nil
	}
	rt := routes[i]
	if rt.AuthorizationType != typ || aws.ToString(rt.AuthorizerId) != aws.ToString(azID) || aws.ToString(rt.Target) != aws.ToString(target) {
		return false, fmt.Errorf("route %s (%s) exists but is not what apply asked for (authorization %s, authorizer %q, target %q): someone else made it; run plan and apply again to bring it in line",
			key, aws.ToString(rt.RouteId), rt.AuthorizationType, aws.ToString(rt.AuthorizerId), aws.ToString(rt.Target))
	}
	return true, nil
}

func (r *httpRun) findStage(ctx context.Context, name string) (bool, error) {
	st, err := r.stage(ctx, name)
	return st != nil, err
}

func (r *httpRun) stage(ctx context.Context, name string) (*v2types.Stage, error) {
	stages, err := v2Pages(ctx, func(ctx context.Context, token *string) ([]v2types.Stage, *string, error) {
		out, err := r.c.GetStages(ctx, &apigatewayv2.GetStagesInput{ApiId: r.id(), MaxResults: aws.String(v2Page), NextToken: token})
		if err != nil {
			return nil, nil, err
		}
		return out.Items, out.NextToken, nil
	})
	if err != nil {
		return nil, err
	}
	for i := range stages {
		if aws.ToString(stages[i].StageName) == name {
			return &stages[i], nil
		}
	}
	return nil, nil
}

// findDeployment: CreateDeployment with a stage name makes the deployment
// and points the stage at it in one call, so a deployment the stage
// serves, made since started with this apply's description, is the lost
// call's.
func (r *httpRun) findDeployment(ctx context.Context, stage, description string, started time.Time) (bool, error) {
	st, err := r.stage(ctx, stage)
	if err != nil || st == nil || st.DeploymentId == nil {
		return false, err
	}
	d, err := r.c.GetDeployment(ctx, &apigatewayv2.GetDeploymentInput{ApiId: r.id(), DeploymentId: st.DeploymentId})
	if err != nil {
		return false, err
	}
	// Creation times are whole seconds.
	if d.CreatedDate != nil && !d.CreatedDate.Before(started.Truncate(time.Second)) && aws.ToString(d.Description) == description {
		r.hr.DeploymentID = aws.ToString(d.DeploymentId)
		return true, nil
	}
	return false, nil
}
