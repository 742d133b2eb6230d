package emulator_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"

	"github.com/portcullis-dev/portcullis/emulator"
)

// The SDK's own client drives the emulator through BaseEndpoint; faults
// make it answer as a busy account would.
func Example() {
	e := emulator.New(emulator.Options{})
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()
	c := apigateway.NewFromConfig(aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
	}, func(o *apigateway.Options) {
		o.BaseEndpoint = aws.String(srv.URL)
		o.Retryer = aws.NopRetryer{}
	})
	ctx := context.Background()

	api, _ := c.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String("todo")})
	_, err := c.GetRestApi(ctx, &apigateway.GetRestApiInput{RestApiId: aws.String("nope")})
	var nf *types.NotFoundException
	fmt.Println(len(aws.ToString(api.Id)), errors.As(err, &nf))

	// CreateRestApi is allowed once every 3 s per account.
	e.SetFaults(emulator.Faults{Throttle: 1})
	_, err = c.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String("a")})
	fmt.Println(err == nil)
	_, err = c.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String("b")})
	var tm *types.TooManyRequestsException
	fmt.Println(errors.As(err, &tm), aws.ToString(tm.RetryAfterSeconds))
	fmt.Println(e.CountCalls("CreateRestApi"))
	// Output:
	// 10 true
	// true
	// true 3
	// 2
}
