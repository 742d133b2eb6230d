package emulator

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/portcullis-dev/portcullis/internal/peertest"
	"github.com/portcullis-dev/portcullis/tokens"
)

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
	base := peertest.CognitoLocal(t, poolID, poolARN)
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
