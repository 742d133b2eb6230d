package probe

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"

	"github.com/portcullis-dev/portcullis/emulator"
	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/openapi"
	"github.com/portcullis-dev/portcullis/internal/cputime"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/tokens"
)

// benchAPI has n Cognito routes, every other one scoped, on n resources.
func benchAPI(n int) *spec.Description {
	api := &spec.API{
		Name: fmt.Sprintf("bench-%d", n), Region: "us-east-1",
		Authorizers:       []*spec.Authorizer{{Name: "pool", Type: spec.AuthorizerCognito, UserPoolARNs: []string{testPool}, IdentitySource: spec.DefaultIdentitySource, TTLSeconds: 300}},
		DefaultAuthorizer: "pool",
		Stages:            []*spec.Stage{{Name: "prod"}},
	}
	for i := 0; i < n; i++ {
		r := &spec.Route{Method: "GET", Path: fmt.Sprintf("/r%04d/{id}", i), AuthType: spec.AuthCognito, Authorizer: "pool",
			Integration: &spec.Integration{Type: spec.IntegrationMock}, ParamExamples: map[string]string{"id": "1"}}
		if i%2 == 0 {
			r.Scopes = []string{"bench/read"}
		}
		api.Routes = append(api.Routes, r)
	}
	api.Sort()
	return &spec.Description{APIs: []*spec.API{api}}
}

// benchGateway deploys d on an in-process local gateway whose quotas allow
// it (AWS's default is 300 resources per API).
func benchGateway(b *testing.B, d *spec.Description) string {
	r, err := tokens.NewResolver(tokens.ResolverConfig{Local: issuer(b)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(r.Close)
	e := emulator.New(emulator.Options{
		Limits:    emulator.Limits{ResourcesPerAPI: 5000},
		DataPlane: emulator.DataPlaneOptions{Verifier: &tokens.Verifier{Resolver: r}},
	})
	endpoint, err := e.Start("127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = e.Close() })
	c := apigateway.New(apigateway.Options{Region: "us-east-1", BaseEndpoint: aws.String(endpoint),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	files, err := openapi.New().Generate(d, generators.Options{Stage: "prod"})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	out, err := c.ImportRestApi(ctx, &apigateway.ImportRestApiInput{Body: files[0].Content})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := c.CreateDeployment(ctx, &apigateway.CreateDeploymentInput{RestApiId: out.Id, StageName: aws.String("prod")}); err != nil {
		b.Fatal(err)
	}
	return LocalInvokeURL(endpoint, aws.ToString(out.Id), "prod")
}

// BenchmarkProbe probes 250, 500 and 1,000 routes on the local gateway
// (6.5 requests per route, every token verified for real), unlimited and
// at --rps 500: time must grow linearly, and the limited runs must hold
// the rate. cpu-µs/request is the process's CPU time (probe and gateway
// both run in it) per request, which the machine's other load does not
// inflate as it does wall time.
func BenchmarkProbe(b *testing.B) {
	for _, n := range []int{250, 500, 1000} {
		b.Run(fmt.Sprintf("routes=%d", n), func(b *testing.B) {
			d := benchAPI(n)
			base := benchGateway(b, d)
			for _, rps := range []float64{0, 500} {
				b.Run(fmt.Sprintf("rps=%g", rps), func(b *testing.B) {
					src := &Minted{Issuer: issuer(b)}
					var reqs int
					var elapsed time.Duration
					cpu0 := cputime.Process()
					b.ResetTimer()
					for i := 0; i < b.N; i++ {
						ds, res, err := Run(context.Background(), Options{API: d.APIs[0], BaseURL: base, Tokens: src, RPS: rps})
						if err != nil {
							b.Fatal(err)
						}
						if ds.HasErrors() {
							b.Fatalf("findings: %v", ds[:1])
						}
						reqs += res.Requests
						elapsed += res.Elapsed
					}
					cpu := cputime.Process() - cpu0
					rate := float64(reqs) / elapsed.Seconds()
					b.ReportMetric(float64(cpu.Microseconds())/float64(reqs), "cpu-µs/request")
					b.ReportMetric(float64(reqs)/float64(b.N), "requests/op")
					b.ReportMetric(rate, "req/s")
					b.ReportMetric(float64(elapsed.Microseconds())/float64(reqs), "µs/request")
					if rps > 0 && rate > rps*1.02 {
						b.Errorf("%.0f requests/s at --rps %g", rate, rps)
					}
				})
			}
		})
	}
}
