package live

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/apigateway"
)

// API is the slice of the API Gateway client Portcullis calls: read and
// write. *apigateway.Client satisfies it; tests may pass a fake.
type API interface {
	Reader
	Writer
}

// Reader is the read-only part of API: everything plan, drift and import
// need. A scheduled drift job's credentials need only apigateway:GET.
type Reader interface {
	GetRestApi(ctx context.Context, in *apigateway.GetRestApiInput, opts ...func(*apigateway.Options)) (*apigateway.GetRestApiOutput, error)
	GetRestApis(ctx context.Context, in *apigateway.GetRestApisInput, opts ...func(*apigateway.Options)) (*apigateway.GetRestApisOutput, error)
	GetResources(ctx context.Context, in *apigateway.GetResourcesInput, opts ...func(*apigateway.Options)) (*apigateway.GetResourcesOutput, error)
	GetAuthorizers(ctx context.Context, in *apigateway.GetAuthorizersInput, opts ...func(*apigateway.Options)) (*apigateway.GetAuthorizersOutput, error)
	GetGatewayResponses(ctx context.Context, in *apigateway.GetGatewayResponsesInput, opts ...func(*apigateway.Options)) (*apigateway.GetGatewayResponsesOutput, error)
	GetStages(ctx context.Context, in *apigateway.GetStagesInput, opts ...func(*apigateway.Options)) (*apigateway.GetStagesOutput, error)
	GetDeployment(ctx context.Context, in *apigateway.GetDeploymentInput, opts ...func(*apigateway.Options)) (*apigateway.GetDeploymentOutput, error)
	GetExport(ctx context.Context, in *apigateway.GetExportInput, opts ...func(*apigateway.Options)) (*apigateway.GetExportOutput, error)
}

// Writer is every write Portcullis makes.
type Writer interface {
	CreateRestApi(ctx context.Context, in *apigateway.CreateRestApiInput, opts ...func(*apigateway.Options)) (*apigateway.CreateRestApiOutput, error)
	PutRestApi(ctx context.Context, in *apigateway.PutRestApiInput, opts ...func(*apigateway.Options)) (*apigateway.PutRestApiOutput, error)
	CreateResource(ctx context.Context, in *apigateway.CreateResourceInput, opts ...func(*apigateway.Options)) (*apigateway.CreateResourceOutput, error)
	DeleteResource(ctx context.Context, in *apigateway.DeleteResourceInput, opts ...func(*apigateway.Options)) (*apigateway.DeleteResourceOutput, error)
	PutMethod(ctx context.Context, in *apigateway.PutMethodInput, opts ...func(*apigateway.Options)) (*apigateway.PutMethodOutput, error)
	UpdateMethod(ctx context.Context, in *apigateway.UpdateMethodInput, opts ...func(*apigateway.Options)) (*apigateway.UpdateMethodOutput, error)
	DeleteMethod(ctx context.Context, in *apigateway.DeleteMethodInput, opts ...func(*apigateway.Options)) (*apigateway.DeleteMethodOutput, error)
	PutMethodResponse(ctx context.Context, in *apigateway.PutMethodResponseInput, opts ...func(*apigateway.Options)) (*apigateway.PutMethodResponseOutput, error)
	PutIntegration(ctx context.Context, in *apigateway.PutIntegrationInput, opts ...func(*apigateway.Options)) (*apigateway.PutIntegrationOutput, error)
	PutIntegrationResponse(ctx context.Context, in *apigateway.PutIntegrationResponseInput, opts ...func(*apigateway.Options)) (*apigateway.PutIntegrationResponseOutput, error)
	CreateAuthorizer(ctx context.Context, in *apigateway.CreateAuthorizerInput, opts ...func(*apigateway.Options)) (*apigateway.CreateAuthorizerOutput, error)
	UpdateAuthorizer(ctx context.Context, in *apigateway.UpdateAuthorizerInput, opts ...func(*apigateway.Options)) (*apigateway.UpdateAuthorizerOutput, error)
	DeleteAuthorizer(ctx context.Context, in *apigateway.DeleteAuthorizerInput, opts ...func(*apigateway.Options)) (*apigateway.DeleteAuthorizerOutput, error)
	PutGatewayResponse(ctx context.Context, in *apigateway.PutGatewayResponseInput, opts ...func(*apigateway.Options)) (*apigateway.PutGatewayResponseOutput, error)
	DeleteGatewayResponse(ctx context.Context, in *apigateway.DeleteGatewayResponseInput, opts ...func(*apigateway.Options)) (*apigateway.DeleteGatewayResponseOutput, error)
	CreateDeployment(ctx context.Context, in *apigateway.CreateDeploymentInput, opts ...func(*apigateway.Options)) (*apigateway.CreateDeploymentOutput, error)
	UpdateStage(ctx context.Context, in *apigateway.UpdateStageInput, opts ...func(*apigateway.Options)) (*apigateway.UpdateStageOutput, error)
}

var _ API = (*apigateway.Client)(nil)
