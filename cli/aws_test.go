package cli

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/portcullis-dev/portcullis/emulator"
	"github.com/portcullis-dev/portcullis/workflow"
)

// TestEndpointURLOnLoopback: --endpoint-url at a local gateway needs no
// AWS credentials and no region.
func TestEndpointURLOnLoopback(t *testing.T) {
	srv := httptest.NewServer(emulator.New(emulator.Options{}).Handler())
	defer srv.Close()
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_CONFIG_FILE", "/dev/null")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	sess, err := workflow.Connect(context.Background(), workflow.Endpoint{EndpointURL: srv.URL}, "")
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if sess.Region != "us-east-1" {
		t.Errorf("region %q, want us-east-1 for a local gateway", sess.Region)
	}
	if _, err := sess.Client.Options().Credentials.Retrieve(context.Background()); err != nil {
		t.Errorf("no credentials for a loopback endpoint: %v", err)
	}
	for _, c := range []struct {
		url  string
		want bool
	}{{"http://127.0.0.1:4567", true}, {"http://localhost:4566", true}, {"http://[::1]:1", true}, {"https://apigateway.us-east-1.amazonaws.com", false}, {"", false},
		// A remote URL that merely contains a local-looking string is remote:
		// probe would send it built-in tokens and no rate limit.
		{"https://evil.example/.execute-api.localhost/dev", false},
		{"https://x.execute-api.localhost.evil.example/dev", false},
		{"http://127.0.0.1:x@evil.example/dev", false},
		{"http://abc.execute-api.localhost:4567/dev", true}} {
		if got := localTarget(c.url); got != c.want {
			t.Errorf("localTarget(%q) = %v", c.url, got)
		}
	}
}
