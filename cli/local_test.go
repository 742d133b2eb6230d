package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// testSigV4 is shaped like the Authorization header every AWS client
// sends; the gateway refuses control-plane calls without one.
const testSigV4 = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/apigateway/aws4_request, SignedHeaders=host, Signature=00"

// serveLocal runs `local serve` in the background until the returned stop
// is called; it returns the endpoint and the captured stdout.
func serveLocal(t *testing.T, state string) (endpoint string, stop func() string) {
	t.Helper()
	dir := t.TempDir()
	var out, errOut syncBuffer
	ios := &IOStreams{Out: &out, ErrOut: &errOut, Getenv: func(string) string { return "" }}
	ready := make(chan string, 1)
	o := &localServeOptions{Addr: "127.0.0.1:0", State: state, Region: "us-east-1", ready: func(u string) { ready <- u }}
	o.Issuers.KeyFile = filepath.Join(dir, "issuer-key.pem")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- o.run(ctx, ios) }()
	select {
	case endpoint = <-ready:
	case err := <-done:
		t.Fatalf("serve ended early: %v\n%s", err, errOut.String())
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not start")
	}
	return endpoint, func() string {
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("serve: %v", err)
		}
		return out.String()
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestLocalServeKeepsStateAcrossRestarts(t *testing.T) {
	state := filepath.Join(t.TempDir(), "gw.json")
	endpoint, stop := serveLocal(t, state)
	req, _ := http.NewRequest("POST", endpoint+"/restapis", strings.NewReader(`{"name":"kept"}`))
	req.Header.Set("Authorization", testSigV4)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var api struct{ ID, RootResourceID string }
	_ = json.NewDecoder(resp.Body).Decode(&api)
	resp.Body.Close()
	if resp.StatusCode != 201 || api.ID == "" {
		t.Fatalf("CreateRestApi: %d %+v", resp.StatusCode, api)
	}
	method := endpoint + "/restapis/" + api.ID + "/resources/" + api.RootResourceID + "/methods/GET"
	for _, call := range []struct{ verb, url, body string }{
		{"PUT", method, `{"authorizationType":"NONE"}`},
		{"PUT", method + "/integration", `{"type":"MOCK"}`},
		{"POST", endpoint + "/restapis/" + api.ID + "/deployments", `{"stageName":"dev"}`},
	} {
		req, _ := http.NewRequest(call.verb, call.url, strings.NewReader(call.body))
		req.Header.Set("Authorization", testSigV4)
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 201 {
			t.Fatalf("%s %s: %v %v", call.verb, call.url, err, resp)
		}
		resp.Body.Close()
	}
	banner := stop()
	for _, want := range []string{"listening on " + endpoint, "State: " + state, "--endpoint-url " + endpoint, "/_user_request_/"} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, banner)
		}
	}

	endpoint, stop = serveLocal(t, state)
	defer func() {
		if banner := stop(); !strings.Contains(banner, endpoint+"/restapis/"+api.ID+"/dev/_user_request_/") {
			t.Errorf("the banner does not list the deployed stage:\n%s", banner)
		}
	}()
	req, _ = http.NewRequest("GET", endpoint+"/restapis/"+api.ID, nil)
	req.Header.Set("Authorization", testSigV4)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("after restart GetRestApi = %d, want 200", resp.StatusCode)
	}
}

func TestServeWarnsWhenExposed(t *testing.T) {
	for addr, warn := range map[string]bool{
		"127.0.0.1:4567": false, "localhost:4567": false, "[::1]:4567": false,
		":4567": true, "0.0.0.0:4567": true, "[::]:4567": true, "192.168.1.5:4567": true,
	} {
		var b bytes.Buffer
		warnIfExposed(&b, addr)
		if got := strings.Contains(b.String(), "WARNING: --addr "+addr+" is not a loopback address"); got != warn {
			t.Errorf("%s: warning %v, want %v: %q", addr, got, warn, b.String())
		}
	}
}

// TestStoppingServeKeepsAnApplyLocalLock reproduces the review's case:
// `local serve --state` runs on the state directory's file while `apply
// --local` locks a method that was open; stopping serve must not write
// its older copy back (which re-opened the method), and a later plan
// finds nothing to do.
func TestStoppingServeKeepsAnApplyLocalLock(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("PORTCULLIS_STATE_DIR", dir)
	src := t.TempDir()
	const locked = `api "lock" {
  region = "us-east-1"
  authorizer "c" {
    user_pool_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Lock"]
  }
  route "GET /items" {
    authorizer = authorizer.c
    integration {
      type = "MOCK"
    }
  }
  stage "dev" {}
}
`
	open := strings.Replace(locked, "authorizer = authorizer.c", "public = true\n    reason = \"not yet\"", 1)
	write := func(body string) string {
		p := filepath.Join(src, "lock.hcl")
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	path := write(open)
	if out, errOut, code := runCLI(t, "apply", "--local", "--auto-approve", path); code != ExitOK {
		t.Fatalf("apply (open): %d\n%s\n%s", code, out, errOut)
	}
	_, stop := serveLocal(t, filepath.Join(dir, "state.json"))
	write(locked)
	if out, errOut, code := runCLI(t, "apply", "--local", "--auto-approve", path); code != ExitOK {
		t.Fatalf("apply (lock) while serve runs: %d\n%s\n%s", code, out, errOut)
	}
	stop()
	if out, errOut, code := runCLI(t, "plan", "--local", "--exit-code", path); code != ExitOK {
		t.Fatalf("after serve stopped, the plan is not empty (the lock was undone): %d\n%s\n%s", code, out, errOut)
	}
}
