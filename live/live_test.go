package live_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"

	"github.com/portcullis-dev/portcullis/emulator"
	"github.com/portcullis-dev/portcullis/live"
	"github.com/portcullis-dev/portcullis/live/livetest"
	"github.com/portcullis-dev/portcullis/spec"
)

var ctx = context.Background()

func must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// TestPagingBeyond500 reads an API with more resources and authorizers
// than one page (500) holds.
func TestPagingBeyond500(t *testing.T) {
	env := livetest.New(t, livetest.Options{Emulator: emulator.Options{Limits: emulator.Limits{ResourcesPerAPI: 700, AuthorizersPerAPI: 600}}})
	c := env.Client
	api := must(c.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String("big")}))(t)
	for i := range 620 {
		must(c.CreateResource(ctx, &apigateway.CreateResourceInput{RestApiId: api.Id, ParentId: api.RootResourceId, PathPart: aws.String(fmt.Sprintf("r%03d", i))}))(t)
	}
	for i := range 510 {
		must(c.CreateAuthorizer(ctx, &apigateway.CreateAuthorizerInput{RestApiId: api.Id, Name: aws.String(fmt.Sprintf("a%03d", i)),
			Type: types.AuthorizerTypeCognitoUserPools, ProviderARNs: []string{"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_X"},
			IdentitySource: aws.String(spec.DefaultIdentitySource)}))(t)
	}
	env.E.ResetCalls()
	s := must(live.Read(ctx, c, *api.Id, live.ReadOptions{}))(t)
	if len(s.Resources) != 621 {
		t.Errorf("read %d resources, want 621 (620 + root)", len(s.Resources))
	}
	if len(s.Authorizers) != 510 {
		t.Errorf("read %d authorizers, want 510", len(s.Authorizers))
	}
	if n := env.Count("GetResources"); n != 2 {
		t.Errorf("GetResources calls = %d, want 2 pages of 500", n)
	}
	if n := env.Count("GetAuthorizers"); n != 2 {
		t.Errorf("GetAuthorizers calls = %d, want 2 pages of 500", n)
	}
	// A missing TTL reads as API Gateway applies it: 300.
	if a := s.Authorizers[0]; a.TTLSeconds != 300 || !a.TTLUnset {
		t.Errorf("unset TTL read as %d (unset=%v), want 300", a.TTLSeconds, a.TTLUnset)
	}
}

func TestFindByName(t *testing.T) {
	env := livetest.New(t, livetest.Options{})
	c := env.Client
	a := must(c.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String("one")}))(t)
	if id, _ := must2(live.Find(ctx, c, live.Target{Name: "one"}))(t); id != *a.Id {
		t.Errorf("found %s, want %s", id, *a.Id)
	}
	must(c.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String("one")}))(t)
	if _, _, err := live.Find(ctx, c, live.Target{Name: "one"}); err == nil {
		t.Error("two APIs with one name must be an error, not a guess")
	}
	if s, err := live.ReadFor(ctx, c, &spec.API{Name: "absent"}, live.ReadOptions{}); s != nil || err != nil {
		t.Errorf("an API named only by name that does not exist yet reads as nil, nil; got %v, %v", s, err)
	}
	if _, err := live.ReadFor(ctx, c, &spec.API{Name: "x", RestAPIID: "abcdefghij"}, live.ReadOptions{}); err == nil {
		t.Error("a rest_api_id that does not exist must be an error")
	}
}

func must2[A, B any](a A, b B, err error) func(testing.TB) (A, B) {
	return func(t testing.TB) (A, B) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return a, b
	}
}

// TestEndpointFromEnvironment: AWS_ENDPOINT_URL_API_GATEWAY points the
// client at another endpoint, as it does the AWS CLI.
func TestEndpointFromEnvironment(t *testing.T) {
	env := livetest.New(t, livetest.Options{})
	t.Setenv("AWS_ENDPOINT_URL_API_GATEWAY", env.URL)
	t.Setenv("AWS_REGION", "eu-west-1")
	c := must(live.NewClient(ctx, live.Config{Local: true}))(t)
	env.E.ResetCalls()
	must(c.GetRestApis(ctx, &apigateway.GetRestApisInput{}))(t)
	if env.Count("GetRestApis") != 1 {
		t.Fatal("the client did not use AWS_ENDPOINT_URL_API_GATEWAY")
	}
	if r := c.Options().Region; r != "eu-west-1" {
		t.Errorf("region %q, want the chain's eu-west-1", r)
	}
	// --region wins over the chain.
	c = must(live.NewClient(ctx, live.Config{Local: true, Region: "ap-south-1"}))(t)
	if r := c.Options().Region; r != "ap-south-1" {
		t.Errorf("region %q, want ap-south-1", r)
	}
}

// TestRetryAfterHonoured: a throttled answer's Retry-After (whole
// seconds) is waited out, though the SDK alone would retry sooner.
func TestRetryAfterHonoured(t *testing.T) {
	env := livetest.New(t, livetest.Options{MaxAttempts: 3, MaxBackoff: 5 * time.Second,
		Emulator: emulator.Options{Faults: emulator.Faults{Inject: []emulator.Injection{{Operation: "GetRestApis", Nth: 1, Status: 429}}}}})
	start := time.Now()
	must(env.Client.GetRestApis(ctx, &apigateway.GetRestApisInput{}))(t)
	if d := time.Since(start); d < time.Second {
		t.Errorf("retried after %v, before the 1 s Retry-After", d)
	}
	if calls := env.E.Calls(); len(calls) != 2 || calls[0].Status != 429 {
		t.Errorf("want a 429 then a success, got %+v", calls)
	}
}

// TestPacer: the client-side buckets hold calls to an operation's rate.
func TestPacer(t *testing.T) {
	l := live.Limits{Overall: 1000, Burst: 1, PerOp: map[string]live.Rate{"CreateDeployment": {N: 1, Per: 50 * time.Millisecond}}}
	p := live.NewPacer(l)
	start := time.Now()
	for range 4 {
		if err := p.Wait(ctx, "CreateDeployment"); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d < 140*time.Millisecond {
		t.Errorf("4 CreateDeployment waits took %v, want >= 150ms at 1 per 50ms", d)
	}
	start = time.Now()
	for range 4 {
		if err := p.Wait(ctx, "UpdateMethod"); err != nil {
			t.Fatal(err)
		}
	}
	// Well under the 150 ms a 50 ms quota would take, with room for a
	// loaded CI machine under -race.
	if d := time.Since(start); d > 120*time.Millisecond {
		t.Errorf("UpdateMethod has no quota of its own but waited %v", d)
	}
	scaled := live.DefaultLimits().Scaled(0.01)
	if r := scaled.PerOp["CreateDeployment"]; r.Per != 50*time.Millisecond {
		t.Errorf("scaled CreateDeployment interval %v, want 50ms", r.Per)
	}
}

// TestProfile: --profile reads the shared config's profile (its region
// and credentials), as the AWS CLI does.
func TestProfile(t *testing.T) {
	env := livetest.New(t, livetest.Options{})
	dir := t.TempDir()
	cfg := dir + "/config"
	creds := dir + "/credentials"
	if err := os.WriteFile(cfg, []byte("[profile ci]\nregion = eu-central-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(creds, []byte("[ci]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CONFIG_FILE", cfg)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	c := must(live.NewClient(ctx, live.Config{Profile: "ci", EndpointURL: env.URL}))(t)
	if r := c.Options().Region; r != "eu-central-1" {
		t.Errorf("region %q, want the profile's eu-central-1", r)
	}
	got := must(c.Options().Credentials.Retrieve(ctx))(t)
	if got.AccessKeyID != "AKIDPROFILE" {
		t.Errorf("credentials from %q, want the profile's", got.Source)
	}
	must(c.GetRestApis(ctx, &apigateway.GetRestApisInput{}))(t)
	if _, err := live.NewClient(ctx, live.Config{Profile: "absent", EndpointURL: env.URL}); err == nil {
		t.Error("an unknown profile must be an error")
	}
}
