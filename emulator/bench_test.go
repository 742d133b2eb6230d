package emulator

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"
)

// benchAPI builds an API of n resources, each with a Cognito GET method and
// a MOCK integration, and returns the client, API id and one resource id.
func benchAPI(b *testing.B, e *Emulator, n int) (*apigateway.Client, string, string) {
	c, _ := newCP(b, e)
	id := aws.ToString(check(c.CreateRestApi(bg, &apigateway.CreateRestApiInput{Name: aws.String("bench")}))(b).Id)
	root := rootID(b, c, id)
	az := check(c.CreateAuthorizer(bg, &apigateway.CreateAuthorizerInput{RestApiId: &id, Name: aws.String("p"),
		Type: types.AuthorizerTypeCognitoUserPools, ProviderARNs: []string{testPoolARN}, IdentitySource: aws.String("method.request.header.Authorization")}))(b)
	var last string
	for i := 1; i < n; i++ {
		r := check(c.CreateResource(bg, &apigateway.CreateResourceInput{RestApiId: &id, ParentId: &root, PathPart: aws.String(fmt.Sprint("r", i))}))(b)
		check(c.PutMethod(bg, &apigateway.PutMethodInput{RestApiId: &id, ResourceId: r.Id, HttpMethod: aws.String("GET"),
			AuthorizationType: aws.String("COGNITO_USER_POOLS"), AuthorizerId: az.Id, AuthorizationScopes: []string{"a/read"}}))(b)
		check(c.PutIntegration(bg, &apigateway.PutIntegrationInput{RestApiId: &id, ResourceId: r.Id, HttpMethod: aws.String("GET"), Type: types.IntegrationTypeMock}))(b)
		last = aws.ToString(r.Id)
	}
	return c, id, last
}

// benchPatch alternates adding and removing a scope: a write whose cost
// does not grow with b.N.
func benchPatch(b *testing.B, c *apigateway.Client, id, res string) {
	ops := [2]types.Op{types.OpAdd, types.OpRemove}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, err := c.UpdateMethod(bg, &apigateway.UpdateMethodInput{RestApiId: &id, ResourceId: &res, HttpMethod: aws.String("GET"),
			PatchOperations: []types.PatchOperation{{Op: ops[i%2], Path: aws.String("/authorizationScopes"), Value: aws.String("a/write")}}})
		if err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUpdateMethodInMemory(b *testing.B) {
	c, id, res := benchAPI(b, New(Options{}), 300)
	benchPatch(b, c, id, res)
}

// BenchmarkUpdateMethodPersisted writes the 300-resource state file after
// every call, as `local serve --state` and --local do.
func BenchmarkUpdateMethodPersisted(b *testing.B) {
	e := check(Open(filepath.Join(b.TempDir(), "state.json"), Options{}))(b)
	c, id, res := benchAPI(b, e, 300)
	benchPatch(b, c, id, res)
}

func BenchmarkGetMethod(b *testing.B) {
	c, id, res := benchAPI(b, New(Options{}), 300)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.GetMethod(bg, &apigateway.GetMethodInput{RestApiId: &id, ResourceId: &res, HttpMethod: aws.String("GET")}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGetResourcesEmbed500 is drift's read: one page of a full API.
func BenchmarkGetResourcesEmbed500(b *testing.B) {
	c, id, _ := benchAPI(b, New(Options{}), 300)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, err := c.GetResources(bg, &apigateway.GetResourcesInput{RestApiId: &id, Embed: []string{"methods"}, Limit: aws.Int32(500)})
		if err != nil || len(out.Items) != 300 {
			b.Fatal(err, len(out.Items))
		}
	}
}

func BenchmarkCreateDeployment300(b *testing.B) {
	c, id, _ := benchAPI(b, New(Options{}), 300)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.CreateDeployment(bg, &apigateway.CreateDeploymentInput{RestApiId: &id, StageName: aws.String("s")}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGetMethodParallel is many clients reading at once (RLock).
func BenchmarkGetMethodParallel(b *testing.B) {
	c, id, res := benchAPI(b, New(Options{}), 300)
	b.ReportAllocs()
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.GetMethod(bg, &apigateway.GetMethodInput{RestApiId: &id, ResourceId: &res, HttpMethod: aws.String("GET")}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
