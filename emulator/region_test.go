package emulator

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"
)

// TestRegionsApart holds the emulator to AWS's (and moto's) behaviour:
// APIs belong to the region the request was signed for; an unsigned
// request belongs to Options.Region; a state file written before regions
// were kept puts its APIs there too.
func TestRegionsApart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	e, err := Open(path, Options{Region: "eu-central-1"})
	if err != nil {
		t.Fatal(err)
	}
	west, _ := newCP(t, e)
	west = apigateway.New(west.Options(), func(o *apigateway.Options) { o.Region = "us-west-2" })
	eu := apigateway.New(west.Options(), func(o *apigateway.Options) { o.Region = "eu-west-1" })

	made := check(west.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String("a")}))(t)
	if l := check(eu.GetRestApis(ctx, &apigateway.GetRestApisInput{}))(t); len(l.Items) != 0 {
		t.Errorf("eu-west-1 lists %d APIs created in us-west-2", len(l.Items))
	}
	if l := check(west.GetRestApis(ctx, &apigateway.GetRestApisInput{}))(t); len(l.Items) != 1 {
		t.Errorf("us-west-2 lists %d APIs, want 1", len(l.Items))
	}
	_, err = eu.GetResources(ctx, &apigateway.GetResourcesInput{RestApiId: made.Id})
	wantAPIError[*types.NotFoundException](t, err, "GetResources from another region")

	// Unsigned (curl, a browser) lands in Options.Region.
	if got := e.requestRegion(&http.Request{Header: http.Header{}}); got != "eu-central-1" {
		t.Errorf("unsigned request region = %q", got)
	}

	// The region survives the state file; an old file without one is read
	// into Options.Region.
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	e2 := check(Open(path, Options{}))(t)
	if a := e2.apis[*made.Id]; a == nil || a.Region != "us-west-2" {
		t.Fatalf("after reload: %+v", a)
	}
	old := filepath.Join(dir, "old.json")
	data := `{"version":` + strconv.Itoa(stateVersion) + `,"apis":[{"restApi":{"id":"oldapi","name":"old","rootResourceId":"r"},"resources":[{"id":"r","path":"/"}]}]}`
	if err := os.WriteFile(old, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	e3 := check(Open(old, Options{Region: "ap-south-1"}))(t)
	if a := e3.apis["oldapi"]; a == nil || a.Region != "ap-south-1" {
		t.Fatalf("old state file: %+v", a)
	}
}
