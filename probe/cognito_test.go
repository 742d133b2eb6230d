package probe

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/portcullis-dev/portcullis/internal/peertest"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/spec/load"
	"github.com/portcullis-dev/portcullis/tokens"
)

const (
	peerPoolID  = "us-east-1_ProbePeer"
	peerPoolARN = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/" + peerPoolID
)

// peerUser creates an app client and a user with a permanent password, as
// an administrator would, and returns the client id.
func peerUser(t *testing.T, base, user, pass string) string {
	t.Helper()
	ctx := context.Background()
	c := cip.New(cip.Options{Region: "us-east-1", BaseEndpoint: aws.String(base),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	client, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(peerPoolID), ClientName: aws.String("web")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(peerPoolID), Username: aws.String(user),
		MessageAction:  ciptypes.MessageActionTypeSuppress,
		UserAttributes: []ciptypes.AttributeType{{Name: aws.String("email"), Value: aws.String(user)}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(peerPoolID), Username: aws.String(user),
		Password: aws.String(pass), Permanent: true}); err != nil {
		t.Fatal(err)
	}
	return aws.ToString(client.UserPoolClient.ClientId)
}

// TestCognitoLocalIssuesTheTokens: a real Cognito peer signs the user in
// (through SignIn, as `probe --username` does) and its tokens drive the
// matrix against the local gateway, which takes the pool's keys from the
// peer: ID token admitted where no scopes are set and refused where they
// are, access token admitted with a matching scope, refused without one.
func TestCognitoLocalIssuesTheTokens(t *testing.T) {
	base := peertest.CognitoLocal(t, peerPoolID, peerPoolARN)
	user, pass := "alice@example.com", "Corr3ct-Horse!"
	clientID := peerUser(t, base, user, pass)

	ctx := context.Background()
	if _, err := SignIn(ctx, NewCognitoClient("us-east-1", base), clientID, user, "wrong-password"); err == nil {
		t.Fatal("a wrong password signed in")
	}
	sup, err := SignIn(ctx, NewCognitoClient("us-east-1", base), clientID, user, pass)
	if err != nil {
		t.Fatal(err)
	}

	d, ds := load.Load("testdata/peer.hcl", load.Options{})
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	issuers := map[string]string{}
	if err := tokens.ParseMappings("*="+base+"/{pool}", issuers); err != nil {
		t.Fatal(err)
	}
	g := startGateway(t, issuers)
	id := g.importAndDeploy(t, d, "prod")
	ds, res, err := Run(ctx, Options{API: d.APIs[0], BaseURL: LocalInvokeURL(g.endpoint, id, "prod"), Tokens: sup})
	if err != nil {
		t.Fatal(err)
	}
	if ds.HasErrors() || ds.Count(spec.SeverityWarning) > 0 {
		t.Fatalf("findings with cognito-local's tokens:\n%s\n%v", matrixJSON(res), ds)
	}
	want := map[string]map[CheckName]int{
		"GET /profile": {CheckNoToken: 401, CheckForged: 401, CheckIDToken: 200, CheckBearer: 200},
		"GET /account": {CheckNoToken: 401, CheckForged: 401, CheckIDToken: 401, CheckAccessToken: 200},
		"GET /reports": {CheckNoToken: 401, CheckIDToken: 401, CheckAccessToken: 401},
		"GET /health":  {CheckNoToken: 200},
	}
	for key, checks := range want {
		row := findRow(t, res, key)
		for name, status := range checks {
			if c := row.Check(name); c == nil || c.Status != status {
				t.Errorf("%s %s: %+v, want %d\n%s", key, name, c, status, matrixJSON(res))
			}
		}
	}
	// The forged token carries cognito-local's kid and issuer, so the
	// gateway refused its signature, not an unknown key or issuer.
	logs := g.logged()
	if n := strings.Count(logs, "token signature is invalid"); n != 3 || strings.Contains(logs, "issuer") && strings.Contains(logs, "is not pool") {
		t.Errorf("want the forged token refused for its signature on each of the 3 Cognito routes (%d):\n%s", n, logs)
	}
	if !has(codes(ds)[""], CodeAdmissionUnknown) || !strings.Contains(fmt.Sprint(ds), "reports/read") {
		t.Errorf("GET /reports: admission must be reported unproven for want of the scope: %v", ds)
	}
}
