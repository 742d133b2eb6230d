package emulator

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/portcullis-dev/portcullis/tokens"
)

// cognitoLocal runs the pinned cognito-local peer (peers/cognito-local) on
// a free loopback port, with a pool seeded under a real-looking id and ARN,
// and returns its base URL.
func cognitoLocal(t *testing.T, poolID, poolARN string) string {
	t.Helper()
	start, _ := filepath.Abs("../peers/cognito-local/node_modules/cognito-local/lib/bin/start.js")
	node, err := exec.LookPath("node")
	if _, serr := os.Stat(start); err != nil || serr != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("cognito-local peer missing (run npm ci in peers/cognito-local): node %v, %v", err, serr)
		}
		t.Skipf("cognito-local peer not installed (npm ci in peers/cognito-local)")
	}
	dir := t.TempDir() // cognito-local stores plaintext passwords here
	db := filepath.Join(dir, ".cognito", "db")
	if err := os.MkdirAll(db, 0o700); err != nil {
		t.Fatal(err)
	}
	seed := fmt.Sprintf(`{"Users":{},"Options":{"Id":%q,"Arn":%q,"UsernameAttributes":["email"]}}`, poolID, poolARN)
	if err := os.WriteFile(filepath.Join(db, poolID+".json"), []byte(seed), 0o600); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()

	cmd := exec.Command(node, start)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOST=127.0.0.1", fmt.Sprintf("PORT=%d", port))
	var logs strings.Builder
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := http.Get(base + "/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return base
			}
		}
		select {
		case <-done:
			t.Fatalf("cognito-local exited: %s", logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("cognito-local did not become healthy: %v\n%s", err, logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// signIn creates an app client and a user in the pool and signs in with
// USER_PASSWORD_AUTH through the AWS SDK, returning the ID and access tokens.
func signIn(t *testing.T, base, poolID string) (idTok, accessTok string) {
	t.Helper()
	ctx := context.Background()
	c := cip.New(cip.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(base),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDLOCAL", "local-secret", ""),
	})
	client, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("web")})
	if err != nil {
		t.Fatal(err)
	}
	user, pass := "alice@example.com", "Corr3ct-Horse!"
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(poolID), Username: aws.String(user),
		MessageAction:  ciptypes.MessageActionTypeSuppress,
		UserAttributes: []ciptypes.AttributeType{{Name: aws.String("email"), Value: aws.String(user)}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(poolID), Username: aws.String(user),
		Password: aws.String(pass), Permanent: true}); err != nil {
		t.Fatal(err)
	}
	out, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: ciptypes.AuthFlowTypeUserPasswordAuth, ClientId: client.UserPoolClient.ClientId,
		AuthParameters: map[string]string{"USERNAME": user, "PASSWORD": pass}})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.AuthenticationResult.IdToken), aws.ToString(out.AuthenticationResult.AccessToken)
}

func tamper(t *testing.T, tok string) string {
	parts := strings.Split(tok, ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	payload = []byte(strings.Replace(string(payload), `"email":"alice@example.com"`, `"email":"admin@example.com"`, 1))
	return parts[0] + "." + base64.RawURLEncoding.EncodeToString(payload) + "." + parts[2]
}

// TestCognitoLocalTokensOnTheDataPlane is the acceptance test: a
// token from a real Cognito peer passes a protected route; tampered,
// expired, ID-token-on-scoped-route and missing tokens get 401.
func TestCognitoLocalTokensOnTheDataPlane(t *testing.T) {
	const (
		poolID  = "us-east-1_Peer1"
		poolARN = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/" + poolID
	)
	base := cognitoLocal(t, poolID, poolARN)
	idTok, accessTok := signIn(t, base, poolID)

	issuers := map[string]string{}
	if err := tokens.ParseMappings("*="+base+"/{pool}", issuers); err != nil {
		t.Fatal(err)
	}
	r, err := tokens.NewResolver(tokens.ResolverConfig{Issuers: issuers, Local: issuerForTest(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var skew atomic.Int64 // the gateway's clock runs ahead by this much
	v := &tokens.Verifier{Resolver: r, Now: func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }}

	// The API is built through the control plane with the SDK, as apply
	// would build it.
	e := New(Options{DataPlane: DataPlaneOptions{Verifier: v}})
	url, err := e.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	c := sdkClient(url, http.DefaultClient)
	id := aws.ToString(check(c.CreateRestApi(bg, &apigateway.CreateRestApiInput{Name: aws.String("peer")}))(t).Id)
	items := aws.ToString(check(c.CreateResource(bg, &apigateway.CreateResourceInput{RestApiId: &id, ParentId: aws.String(rootID(t, c, id)), PathPart: aws.String("items")}))(t).Id)
	az := check(c.CreateAuthorizer(bg, &apigateway.CreateAuthorizerInput{RestApiId: &id, Name: aws.String("peer-pool"),
		Type: types.AuthorizerTypeCognitoUserPools, ProviderARNs: []string{poolARN},
		IdentitySource: aws.String("method.request.header.Authorization"), AuthorizerResultTtlInSeconds: aws.Int32(0)}))(t)
	method := func(verb string, scopes []string, template string) {
		check(c.PutMethod(bg, &apigateway.PutMethodInput{RestApiId: &id, ResourceId: &items, HttpMethod: &verb,
			AuthorizationType: aws.String("COGNITO_USER_POOLS"), AuthorizerId: az.Id, AuthorizationScopes: scopes}))(t)
		putMock(t, c, id, items, verb, nil, template)
	}
	method("GET", nil, `{"user":"$context.authorizer.claims['cognito:username']"}`)
	// cognito-local access tokens carry only this scope.
	method("PUT", []string{"aws.cognito.signin.user.admin"}, `{"put":"$context.authorizer.claims.username"}`)
	method("POST", []string{"todo/write"}, `{"post":true}`)
	check(c.CreateDeployment(bg, &apigateway.CreateDeploymentInput{RestApiId: &id, StageName: aws.String("prod")}))(t)

	call := func(method, path, tok string) (int, string) {
		req, _ := http.NewRequest(method, url+"/restapis/"+id+"/prod/_user_request_"+path, nil)
		if tok != "" {
			req.Header.Set("Authorization", tok)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	check := func(name, method, path, tok string, status int, body string) {
		t.Helper()
		got, b := call(method, path, tok)
		if got != status || (body != "" && b != body) {
			t.Errorf("%s: %d %s, want %d %s", name, got, b, status, body)
		}
	}
	check("ID token on an unscoped route", "GET", "/items", idTok, 200, `{"user":"`+claim(t, idTok, "cognito:username")+`"}`)
	check("access token with the route's scope", "PUT", "/items", accessTok, 200, `{"put":"`+claim(t, accessTok, "username")+`"}`)
	check("no token", "GET", "/items", "", 401, unauthorized)
	check("tampered ID token", "GET", "/items", tamper(t, idTok), 401, unauthorized)
	check("ID token on a scoped route", "PUT", "/items", idTok, 401, unauthorized)
	check("access token on an unscoped route", "GET", "/items", accessTok, 401, unauthorized)
	check("access token without the route's custom scope", "POST", "/items", accessTok, 401, unauthorized)
	builtIn, _ := issuerForTest(t).Mint(tokens.MintOptions{Pool: poolARN, Username: "mallory"})
	check("built-in issuer token for a pool mapped to cognito-local", "GET", "/items", builtIn, 401, unauthorized)

	skew.Store(int64(25 * time.Hour)) // cognito-local tokens live 24 h
	check("expired ID token", "GET", "/items", idTok, 401, `{"message":"The incoming token has expired"}`)
	check("expired access token", "PUT", "/items", accessTok, 401, `{"message":"The incoming token has expired"}`)
}

func claim(t *testing.T, tok, name string) string {
	payload, err := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(payload, &m); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(m[name])
}
