package client_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/portcullis-dev/portcullis/emulator"
	"github.com/portcullis-dev/portcullis/generators/internal/gentest"
	"github.com/portcullis-dev/portcullis/internal/peertest"
)

const (
	browserPool    = "us-east-1_Browser1"
	browserPoolARN = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/" + browserPool
	appOrigin      = "https://app.example.com"
)

// TestInTheBrowser is the seed end to end in a real browser: a React page
// served at https://app.example.com signs in with Amplify v6 against
// cognito-local and calls, through the generated client, an API applied to
// `portcullis local serve` (which trusts cognito-local's issuer). Every
// call is cross-origin, so Chromium enforces CORS; the page records what it
// could read, and the test fails on any check the page failed. The
// screenshot is kept ($PORTCULLIS_ARTIFACTS, else the test's temp folder's
// parent; the path is logged).
func TestInTheBrowser(t *testing.T) {
	chromium := peertest.Chromium(t)
	playwright := peertest.Require(t, "browser/node_modules/playwright-core/package.json")
	modules := filepath.Dir(filepath.Dir(playwright))
	esbuild := peertest.Require(t, "browser/node_modules/.bin/esbuild")
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	root := gentest.Root(t)
	work := t.TempDir()

	// cognito-local: an app client allowed USER_PASSWORD_AUTH (it serves no
	// SRP) and a user with a permanent password.
	cognito := peertest.CognitoLocal(t, browserPool, browserPoolARN)
	clientID, user, password := cognitoUser(t, cognito)

	// The portcullis binary, serving the local gateway with the pool mapped
	// to cognito-local's issuer.
	bin := filepath.Join(work, "portcullis")
	if out, err := exec.Command("go", "build", "-o", bin, filepath.Join(root, "cmd", "portcullis")).CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	gateway := startLocalServe(t, bin, work, cognito+"/{pool}")

	desc := filepath.Join(work, "api")
	src, err := os.ReadFile(filepath.Join("testdata", "browser", "api.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(desc, "api.hcl"), strings.NewReplacer("POOL_ARN", browserPoolARN, "POOL_ID", browserPool, "CLIENT_ID", clientID).Replace(string(src)))
	ids := map[string]string{}
	for _, name := range []string{"todo", "todo-nocors", "todo-http"} {
		run(t, work, bin, "apply", desc, "--api", name, "--endpoint-url", gateway, "--auto-approve")
	}
	for _, name := range []string{"todo", "todo-nocors"} {
		ids[name] = apiID(t, gateway, "/restapis", name)
	}
	httpID := apiID(t, gateway, "/v2/apis", "todo-http")
	gen := filepath.Join(work, "page", "gen")
	run(t, work, bin, "generate", desc, "--target", "client", "--out", gen)

	// The page, bundled for the browser with esbuild (no dev server).
	page := filepath.Join(work, "page", "src")
	appSrc, err := os.ReadFile(filepath.Join("testdata", "browser", "app.jsx"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(page, "app.jsx"), string(appSrc))
	if err := os.Symlink(modules, filepath.Join(work, "page", "node_modules")); err != nil {
		t.Fatal(err)
	}
	bundle := filepath.Join(work, "page", "app.js")
	run(t, page, esbuild, "app.jsx", "--bundle", "--format=esm", "--platform=browser", "--target=es2020",
		"--jsx=automatic", `--define:process.env.NODE_ENV="production"`, "--log-level=warning", "--outfile="+bundle)

	screenshot := artifact(t, "browser-todo.png")
	cfg := map[string]any{
		"chromium": chromium, "modules": modules, "origin": appOrigin, "bundle": bundle, "screenshot": screenshot,
		"page": map[string]any{
			"clientId": clientID, "username": user, "password": password, "cognitoURL": cognito,
			"todoId": ids["todo"], "todoURL": invokeURL(gateway, ids["todo"], "prod"), "nocorsURL": invokeURL(gateway, ids["todo-nocors"], "prod"),
			"httpURL": invokeURL(gateway, httpID, "$default"),
		},
	}
	cfgFile := filepath.Join(work, "run.json")
	b, _ := json.Marshal(cfg)
	writeFile(t, cfgFile, string(b))
	runner, err := filepath.Abs(filepath.Join("testdata", "browser", "run.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, runner, cfgFile)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("the page did not finish: %v\n%s\n%s", err, out, stderr.String())
	}
	var res struct {
		Checks []struct {
			Name, Want, Got string
			Pass            bool
		}
		Console []string
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("runner output: %v\n%s", err, out)
	}
	t.Logf("screenshot: %s", screenshot)
	if len(res.Checks) != 11 {
		t.Errorf("the page ran %d checks, want 11", len(res.Checks))
	}
	for _, c := range res.Checks {
		mark := "PASS"
		if !c.Pass {
			mark = "FAIL"
			t.Errorf("in the page: %s: want %s, got %s", c.Name, c.Want, c.Got)
		}
		t.Logf("%s  %-45s want %-32s got %s", mark, c.Name, c.Want, c.Got)
	}
	if t.Failed() {
		t.Logf("browser console:\n%s", strings.Join(res.Console, "\n"))
	}
}

// artifact is where a kept test artifact goes: $PORTCULLIS_ARTIFACTS, else
// testdata/artifacts (gitignored).
func artifact(t *testing.T, name string) string {
	t.Helper()
	dir := os.Getenv("PORTCULLIS_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("testdata", "artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p, err := filepath.Abs(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func cognitoUser(t *testing.T, base string) (clientID, user, password string) {
	t.Helper()
	ctx := context.Background()
	c := cip.New(cip.Options{Region: "us-east-1", BaseEndpoint: aws.String(base),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDLOCAL", "local-secret", "")})
	out, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(browserPool), ClientName: aws.String("web"),
		ExplicitAuthFlows: []ciptypes.ExplicitAuthFlowsType{ciptypes.ExplicitAuthFlowsTypeAllowUserPasswordAuth, ciptypes.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatal(err)
	}
	user, password = "alice@example.com", "Corr3ct-Horse!"
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(browserPool), Username: aws.String(user),
		MessageAction:  ciptypes.MessageActionTypeSuppress,
		UserAttributes: []ciptypes.AttributeType{{Name: aws.String("email"), Value: aws.String(user)}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(browserPool), Username: aws.String(user),
		Password: aws.String(password), Permanent: true}); err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.UserPoolClient.ClientId), user, password
}

// startLocalServe runs `portcullis local serve` on a free loopback port,
// trusting issuer for every pool, until the test ends.
func startLocalServe(t *testing.T, bin, dir, issuer string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "local", "serve", "--addr", addr, "--issuer", "*="+issuer, "--no-remote-jwks")
	cmd.Dir = dir
	endpoint := "http://" + addr
	peertest.Start(t, "local serve", cmd, 20*time.Second, func() bool {
		req, _ := http.NewRequest("GET", endpoint+"/_portcullis/health", nil)
		req.Header.Set(emulator.AdminHeader, "1")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return endpoint
}

func run(t *testing.T, dir, bin string, args ...string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_REGION=us-east-1", "NO_COLOR=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(bin), strings.Join(args, " "), err, out)
	}
}

// apiID finds an API's id on the gateway's control plane (list is
// /restapis or /v2/apis).
func apiID(t *testing.T, endpoint, list, name string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", endpoint+list, nil)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/apigateway/aws4_request, SignedHeaders=host, Signature=00")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var apis struct {
		Item  []struct{ ID, Name string }
		Items []struct {
			APIID string `json:"apiId"`
			Name  string
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&apis); err != nil {
		t.Fatal(err)
	}
	for _, a := range apis.Item {
		if a.Name == name {
			return a.ID
		}
	}
	for _, a := range apis.Items {
		if a.Name == name {
			return a.APIID
		}
	}
	t.Fatalf("API %s not on the gateway: %+v", name, apis)
	return ""
}

func invokeURL(endpoint, id, stage string) string {
	return fmt.Sprintf("%s/restapis/%s/%s/_user_request_", endpoint, id, stage)
}

func writeFile(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
