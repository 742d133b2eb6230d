package emulator

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	v2types "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/portcullis-dev/portcullis/internal/peertest"
	"github.com/portcullis-dev/portcullis/tokens"
)

const (
	v2PeerPool = "us-east-1_V2Peer"
	v2PeerARN  = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/" + v2PeerPool
)

// TestV2CognitoLocalTokens: cognito-local (a real Cognito peer) signs a
// user in, and its RS256 ID and access tokens meet the HTTP API JWT
// authorizer, both with the pool's Cognito issuer mapped to cognito-local
// and with cognito-local named directly as the issuer: the ID token
// passes on aud where no scopes are set and gets 403 where they are; the
// access token passes on client_id and on its one scope
// (aws.cognito.signin.user.admin), and gets 403 for another scope.
func TestV2CognitoLocalTokens(t *testing.T) {
	base := peertest.CognitoLocal(t, v2PeerPool, v2PeerARN)
	ctx := context.Background()
	idp := cip.New(cip.Options{Region: "us-east-1", BaseEndpoint: aws.String(base), Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	client, err := idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(v2PeerPool), ClientName: aws.String("spa")})
	if err != nil {
		t.Fatal(err)
	}
	clientID := aws.ToString(client.UserPoolClient.ClientId)
	user, pass := "bob@example.com", "Corr3ct-Horse!"
	if _, err := idp.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(v2PeerPool), Username: aws.String(user),
		MessageAction: ciptypes.MessageActionTypeSuppress, UserAttributes: []ciptypes.AttributeType{{Name: aws.String("email"), Value: aws.String(user)}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := idp.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(v2PeerPool), Username: aws.String(user), Password: aws.String(pass), Permanent: true}); err != nil {
		t.Fatal(err)
	}
	auth, err := idp.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: aws.String(clientID), AuthFlow: ciptypes.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": user, "PASSWORD": pass}})
	if err != nil {
		t.Fatal(err)
	}
	idTok, accessTok := aws.ToString(auth.AuthenticationResult.IdToken), aws.ToString(auth.AuthenticationResult.AccessToken)

	issuers := map[string]string{}
	if err := tokens.ParseMappings(v2PeerPool+"="+base+"/{pool}", issuers); err != nil {
		t.Fatal(err)
	}
	r, err := tokens.NewResolver(tokens.ResolverConfig{Issuers: issuers})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	e := New(Options{DataPlane: DataPlaneOptions{Verifier: &tokens.Verifier{Resolver: r}}})
	c, srv := newV2CP(t, e)

	for _, issuer := range []string{"https://cognito-idp.us-east-1.amazonaws.com/" + v2PeerPool, base + "/" + v2PeerPool} {
		api := check(c.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("peer"), ProtocolType: v2types.ProtocolTypeHttp}))(t)
		az := check(c.CreateAuthorizer(ctx, &apigatewayv2.CreateAuthorizerInput{ApiId: api.ApiId, Name: aws.String("pool"),
			AuthorizerType: v2types.AuthorizerTypeJwt, IdentitySource: []string{"$request.header.Authorization"},
			JwtConfiguration: &v2types.JWTConfiguration{Issuer: aws.String(issuer), Audience: []string{clientID}}}))(t)
		in := check(c.CreateIntegration(ctx, &apigatewayv2.CreateIntegrationInput{ApiId: api.ApiId, IntegrationType: v2types.IntegrationTypeAwsProxy,
			IntegrationUri: aws.String("arn:aws:lambda:us-east-1:123456789012:function:f"), PayloadFormatVersion: aws.String("2.0")}))(t)
		for key, scopes := range map[string][]string{"GET /profile": nil, "GET /account": {"aws.cognito.signin.user.admin"}, "GET /reports": {"reports/read"}} {
			check(c.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{ApiId: api.ApiId, RouteKey: aws.String(key), Target: aws.String("integrations/" + *in.IntegrationId),
				AuthorizationType: v2types.AuthorizationTypeJwt, AuthorizerId: az.AuthorizerId, AuthorizationScopes: scopes}))(t)
		}
		check(c.CreateStage(ctx, &apigatewayv2.CreateStageInput{ApiId: api.ApiId, StageName: aws.String("$default"), AutoDeploy: aws.Bool(true)}))(t)
		u := srv.URL + "/restapis/" + *api.ApiId + "/$default/_user_request_"
		for _, want := range []struct {
			path, tok string
			status    int
		}{
			{"/profile", idTok, 200}, {"/profile", accessTok, 200}, {"/profile", "Bearer " + accessTok, 200},
			{"/account", idTok, 403}, {"/account", accessTok, 200},
			{"/reports", accessTok, 403}, {"/reports", "", 401},
		} {
			resp, body := call(t, "GET", u+want.path, map[string]string{"Authorization": want.tok})
			if resp.StatusCode != want.status {
				t.Errorf("issuer %s, %s with %.12s...: %d %s, want %d", issuer, want.path, want.tok, resp.StatusCode, body, want.status)
			}
		}
	}
}
