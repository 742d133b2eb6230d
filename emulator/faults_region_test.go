package emulator

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"
)

// AWS's control-plane limits are per account and region, so one region's
// calls never throttle another's; an injection may name its region; the
// call log records the region each call was signed for.
func TestFaultsPerRegion(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	e := New(Options{Now: clock.Now})
	_, srv := newCP(t, e)
	east := sdkClient(srv.URL, srv.Client())
	west := apigateway.New(east.Options(), func(o *apigateway.Options) { o.Region = "eu-west-1" })

	// GetResources: 5 every 2 s, burst 5. The sixth in a region is
	// throttled; the first in another region is not.
	e.SetFaults(Faults{Throttle: 1})
	for i := 0; i < 5; i++ {
		_, err := east.GetResources(bg, &apigateway.GetResourcesInput{RestApiId: aws.String("x")})
		wantAPIError[*types.NotFoundException](t, err, "GetResources within the burst")
	}
	_, err := east.GetResources(bg, &apigateway.GetResourcesInput{RestApiId: aws.String("x")})
	wantAPIError[*types.TooManyRequestsException](t, err, "sixth GetResources in us-east-1")
	_, err = west.GetResources(bg, &apigateway.GetResourcesInput{RestApiId: aws.String("x")})
	wantAPIError[*types.NotFoundException](t, err, "first GetResources in eu-west-1")

	e.SetFaults(Faults{Inject: []Injection{{Operation: "GetRestApis", Region: "eu-west-1", Status: 403, ErrorType: "AccessDeniedException"}}})
	check(east.GetRestApis(bg, &apigateway.GetRestApisInput{}))(t)
	_, err = west.GetRestApis(bg, &apigateway.GetRestApisInput{})
	if err == nil {
		t.Fatal("the eu-west-1 injection did not fire")
	}
	log := e.Calls()
	if last := log[len(log)-1]; last.Region != "eu-west-1" || last.Status != 403 {
		t.Errorf("last call %+v", last)
	}
	if prev := log[len(log)-2]; prev.Region != "us-east-1" || prev.Status != 200 {
		t.Errorf("previous call %+v", prev)
	}
}
