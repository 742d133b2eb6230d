package probe

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/smithy-go"

	"github.com/portcullis-dev/portcullis/spec"
)

// InvokeURL is the stage's URL on AWS [DG:how-to-call-api].
func InvokeURL(apiID, region, stage string) string {
	return "https://" + apiID + ".execute-api." + region + ".amazonaws.com/" + stage
}

// LocalInvokeURL is the stage's URL on the local gateway (or LocalStack)
// at endpoint: the path-style form both serve.
func LocalInvokeURL(endpoint, apiID, stage string) string {
	return strings.TrimRight(endpoint, "/") + "/restapis/" + apiID + "/" + stage + "/_user_request_"
}

// StageAPI is what finding a stage needs from API Gateway.
type StageAPI interface {
	GetRestApis(ctx context.Context, in *apigateway.GetRestApisInput, optFns ...func(*apigateway.Options)) (*apigateway.GetRestApisOutput, error)
	GetStage(ctx context.Context, in *apigateway.GetStageInput, optFns ...func(*apigateway.Options)) (*apigateway.GetStageOutput, error)
}

// FindAPI returns the live id of the described API: its rest_api_id when
// set, else the one API with its name. The stage must exist.
func FindAPI(ctx context.Context, c StageAPI, api *spec.API, stage string) (string, error) {
	id := api.RestAPIID
	if id == "" {
		var matches []string
		p := apigateway.NewGetRestApisPaginator(c, &apigateway.GetRestApisInput{Limit: aws.Int32(500)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return "", fmt.Errorf("listing REST APIs: %w", err)
			}
			for _, a := range page.Items {
				if aws.ToString(a.Name) == api.Name {
					matches = append(matches, aws.ToString(a.Id))
				}
			}
		}
		switch len(matches) {
		case 0:
			return "", fmt.Errorf("no REST API named %q: apply the description first, or set rest_api_id", api.Name)
		case 1:
			id = matches[0]
		default:
			return "", fmt.Errorf("%d REST APIs are named %q (%s): set rest_api_id to say which", len(matches), api.Name, strings.Join(matches, ", "))
		}
	}
	if _, err := c.GetStage(ctx, &apigateway.GetStageInput{RestApiId: aws.String(id), StageName: aws.String(stage)}); err != nil {
		var ae smithy.APIError
		if errors.As(err, &ae) && ae.ErrorCode() == "NotFoundException" {
			return "", fmt.Errorf("REST API %s (%s) has no stage %q: deploy it first", id, api.Name, stage)
		}
		return "", fmt.Errorf("reading stage %q of REST API %s: %w", stage, id, err)
	}
	return id, nil
}
