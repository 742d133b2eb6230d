package live_test

import (
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"

	"github.com/portcullis-dev/portcullis/live"
)

func localClient(t *testing.T, url string) *apigateway.Client {
	t.Helper()
	off := live.DefaultLimits().Scaled(0)
	return must(live.NewClient(ctx, live.Config{EndpointURL: url, Local: true, Limits: &off, MaxBackoff: 300 * time.Millisecond}))(t)
}

// TestNothingListening: a refused connection is not retried; the error
// names the URL and, on loopback, the local gateway.
func TestNothingListening(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close() // nothing listens there now
	start := time.Now()
	_, err = localClient(t, url).GetRestApis(ctx, &apigateway.GetRestApisInput{})
	took := time.Since(start)
	var ue *live.UnreachableError
	if !errors.As(err, &ue) {
		t.Fatalf("err = %v, want an UnreachableError", err)
	}
	for _, want := range []string{"GetRestApis", url, "connection refused", "portcullis local serve", "--local"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if took > time.Second {
		t.Errorf("took %v: a refused connection must not be retried", took)
	}
}

// TestGivesUpOnNonAPIGatewayAnswers: a server that answers an operation
// with an HTML 500 (moto's NotImplemented) is tried a few times, not for
// minutes, and the error says what it answered. Throttling is still
// retried past that bound.
func TestGivesUpOnNonAPIGatewayAnswers(t *testing.T) {
	var calls, throttles atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPatch {
			calls.Add(1)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(500)
			_, _ = w.Write([]byte("<!doctype html>\n<title>500 Internal Server Error</title>"))
			return
		}
		if throttles.Add(1) <= 3 {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-Amzn-ErrorType", "TooManyRequestsException")
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(429)
			_, _ = w.Write([]byte(`{"message":"Too Many Requests"}`))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"item":[]}`))
	}))
	defer srv.Close()
	c := localClient(t, srv.URL)

	start := time.Now()
	_, err := c.UpdateMethod(ctx, &apigateway.UpdateMethodInput{RestApiId: aws.String("a"), ResourceId: aws.String("r"), HttpMethod: aws.String("GET")})
	took := time.Since(start)
	var ge *live.GaveUpError
	if !errors.As(err, &ge) || !ge.NotAPIGateway || ge.Status != 500 {
		t.Fatalf("err = %v, want a GaveUpError for a non-API-Gateway 500", err)
	}
	for _, want := range []string{"UpdateMethod", "HTTP 500", "text/html", "does not implement"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if n := calls.Load(); n != 3 {
		t.Errorf("UpdateMethod sent %d times, want 3", n)
	}
	if took > 10*time.Second {
		t.Errorf("gave up after %v", took)
	}

	// Three throttles in a row, more than the bound for other failures:
	// still retried to success.
	if _, err := c.GetRestApis(ctx, &apigateway.GetRestApisInput{}); err != nil {
		t.Errorf("throttled call: %v", err)
	}
}

// TestNotImplementedAnswer404: an HTML 404 (moto's answer for an
// operation it lacks) is sent once and reported as an operation the server
// does not implement, not as a body the SDK could not decode.
func TestNotImplementedAnswer404(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(404)
		_, _ = io.WriteString(w, "<!doctype html>\n<title>404 Not Found</title>")
	}))
	defer srv.Close()
	c := localClient(t, srv.URL)
	_, err := c.CreateDeployment(ctx, &apigateway.CreateDeploymentInput{RestApiId: aws.String("a"), StageName: aws.String("s")})
	var ge *live.GaveUpError
	if !errors.As(err, &ge) || !ge.NotAPIGateway || ge.Status != 404 {
		t.Fatalf("err = %v, want a GaveUpError for a non-API-Gateway 404", err)
	}
	for _, want := range []string{"CreateDeployment", "failed: the server answered HTTP 404", "text/html", "does not implement"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("sent %d times, want 1", n)
	}
}

// TestNoCredentials: with nothing in the chain, NewClient says so in one
// line, names what it tried and how to pass credentials, and the SDK's
// instance-metadata chatter stays off stderr.
func TestNoCredentials(t *testing.T) {
	home := t.TempDir()
	for k, v := range map[string]string{
		"HOME": home, "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "",
		"AWS_CONFIG_FILE": home + "/none", "AWS_SHARED_CREDENTIALS_FILE": home + "/none",
		"AWS_WEB_IDENTITY_TOKEN_FILE": "", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "",
		"AWS_EC2_METADATA_DISABLED": "", "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:1",
	} {
		t.Setenv(k, v)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := os.Stderr
	os.Stderr = w
	start := time.Now()
	_, err = live.NewClient(ctx, live.Config{Region: "us-east-1"})
	took := time.Since(start)
	os.Stderr = stderr
	w.Close()
	noise, _ := io.ReadAll(r)
	if err == nil {
		t.Fatal("NewClient succeeded without credentials")
	}
	msg := err.Error()
	for _, want := range []string{"no AWS credentials", "AWS_ACCESS_KEY_ID", "--profile", "instance role", "--local"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not mention %q", msg, want)
		}
	}
	if strings.Contains(msg, "\n") || strings.Contains(strings.ToLower(msg), "imds") {
		t.Errorf("error is not one plain line: %q", msg)
	}
	if len(noise) > 0 {
		t.Errorf("stderr: %s", noise)
	}
	if took > 6*time.Second {
		t.Errorf("took %v", took)
	}
}
