package probe

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/tokens"
)

func mintFor(t *testing.T, o tokens.MintOptions) string {
	t.Helper()
	if o.Pool == "" {
		o.Pool = testPool
	}
	if o.Username == "" {
		o.Username = "alice"
	}
	tok, err := issuer(t).Mint(o)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestParseTokenFile(t *testing.T) {
	id := mintFor(t, tokens.MintOptions{})
	access := mintFor(t, tokens.MintOptions{Scopes: []string{"shop/read"}})
	expired, err := issuer(t).MintBad(tokens.BadExpired, tokens.MintOptions{Pool: testPool, Username: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	cases := map[string]string{
		"snake case JSON":  `{"id_token": "` + id + `", "access_token": "` + access + `", "expired_token": "` + expired + `"}`,
		"initiate-auth":    `{"ChallengeParameters": {}, "AuthenticationResult": {"AccessToken": "` + access + `", "ExpiresIn": 3600, "TokenType": "Bearer", "IdToken": "` + id + `"}}` + "\n",
		"one per line":     "# tokens for the probe\n" + access + "\n\n" + expired + "\n" + id + "\n",
		"CRLF line ending": id + "\r\n" + access + "\r\n",
	}
	for name, text := range cases {
		t.Run(name, func(t *testing.T) {
			s, err := ParseTokenFile([]byte(text), now)
			if err != nil {
				t.Fatal(err)
			}
			if s.ID != id || s.Access != access {
				t.Errorf("ID or access token not found")
			}
			if strings.Contains(text, expired) && s.Expired != expired {
				t.Errorf("expired token not found")
			}
		})
	}
	bad := map[string]string{
		"not a JWT":        id + "\nsecret-password-not-a-jwt\n",
		"empty":            "\n# nothing\n",
		"JSON without any": `{"token": "x"}`,
		"broken JSON":      `{"id_token": "` + id + `"`,
	}
	for name, text := range bad {
		t.Run(name, func(t *testing.T) {
			_, err := ParseTokenFile([]byte(text), now)
			if err == nil {
				t.Fatal("accepted")
			}
			if strings.Contains(err.Error(), "secret-password") || strings.Contains(err.Error(), "eyJ") {
				t.Errorf("the error echoes the file's content: %v", err)
			}
		})
	}
}

func TestForgedTokenIsWellFormedAndInvalid(t *testing.T) {
	pool, _ := tokens.ParsePool(testPool)
	now := time.Now()
	tok := forge(pool, AccessToken, []string{"shop/read"}, issuer(t).KeyID(), "", now)
	c, err := peek(tok)
	if err != nil {
		t.Fatalf("not a JWT: %v", err)
	}
	if c.Iss != pool.CognitoIssuer() || c.Use != "access" || c.Kid != issuer(t).KeyID() || c.expired(now) || c.Scopes[0] != "shop/read" {
		t.Errorf("forged claims %+v", c)
	}
	r, err := tokens.NewResolver(tokens.ResolverConfig{Local: issuer(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	v := &tokens.Verifier{Resolver: r}
	if _, err := v.Verify(context.Background(), tok, tokens.Rules{PoolARNs: []string{testPool}, Scopes: []string{"shop/read"}}); err == nil {
		t.Error("the gateway's verifier accepts the forged token")
	}
}

func TestExpectation(t *testing.T) {
	az := &spec.Authorizer{Name: "pool", UserPoolARNs: []string{testPool}}
	scoped := &spec.Route{Method: "GET", Path: "/a", Scopes: []string{"shop/read"}}
	plain := &spec.Route{Method: "GET", Path: "/b"}
	now := time.Now()
	peekT := func(tok string) claims {
		c, err := peek(tok)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	id := peekT(mintFor(t, tokens.MintOptions{ClientID: "web"}))
	access := peekT(mintFor(t, tokens.MintOptions{Scopes: []string{"shop/read"}}))
	otherScope := peekT(mintFor(t, tokens.MintOptions{Scopes: []string{"shop/write"}}))
	cases := []struct {
		name   string
		c      claims
		r      *spec.Route
		az     *spec.Authorizer
		admit  bool
		scoped bool
	}{
		{"ID token, no scopes", id, plain, az, true, false},
		{"ID token, scopes", id, scoped, az, false, true},
		{"access token, scopes", access, scoped, az, true, false},
		{"access token, no scopes", access, plain, az, false, false},
		{"access token, other scope", otherScope, scoped, az, false, true},
		{"foreign pool", id, plain, &spec.Authorizer{UserPoolARNs: []string{"us-east-1_Other"}}, false, false},
		{"validation expression matches", id, plain, &spec.Authorizer{UserPoolARNs: []string{testPool}, ValidationExpression: "we.*"}, true, false},
		{"validation expression differs", id, plain, &spec.Authorizer{UserPoolARNs: []string{testPool}, ValidationExpression: "mobile"}, false, false},
		{"validation expression, access token", access, scoped, &spec.Authorizer{UserPoolARNs: []string{testPool}, ValidationExpression: ".*"}, false, false},
		{"no authorizer", id, plain, nil, false, false},
	}
	for _, c := range cases {
		admit, why, sc := expectation(c.c, c.r, c.az, now)
		if admit != c.admit || sc != c.scoped {
			t.Errorf("%s: admit=%v scoped=%v (%s), want admit=%v scoped=%v", c.name, admit, sc, why, c.admit, c.scoped)
		}
		if !admit && why == "" {
			t.Errorf("%s: a refusal without a reason", c.name)
		}
	}
	if admit, why, _ := expectation(id, plain, az, now.Add(2*time.Hour)); admit || !strings.Contains(why, "expired") {
		t.Errorf("an expired token: %v %s", admit, why)
	}
}

func TestMintedFollowsTheRoute(t *testing.T) {
	m := &Minted{Issuer: issuer(t)}
	az := &spec.Authorizer{UserPoolARNs: []string{testPool}, ValidationExpression: "webclient"}
	scoped := &spec.Route{Scopes: []string{"shop/read", "shop/admin"}}
	ctx := context.Background()
	acc, err := m.Token(ctx, scoped, az, AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := peek(acc)
	if c.Use != "access" || strings.Join(c.Scopes, " ") != "shop/read shop/admin" {
		t.Errorf("access token %+v", c)
	}
	id, _ := m.Token(ctx, &spec.Route{}, az, IDToken)
	if c, _ := peek(id); c.Use != "id" || c.Aud != "webclient" {
		t.Errorf("ID token %+v: a literal validation expression must be its aud", c)
	}
	exp, _ := m.Token(ctx, scoped, az, ExpiredToken)
	if c, _ := peek(exp); !c.expired(time.Now()) || c.Use != "access" {
		t.Errorf("expired token %+v", c)
	}
	if tok, err := m.Token(ctx, scoped, nil, IDToken); tok != "" || err != nil {
		t.Errorf("no authorizer: %q, %v", tok, err)
	}
}

type fakeCognito struct {
	out *cip.InitiateAuthOutput
	err error
	in  *cip.InitiateAuthInput
}

func (f *fakeCognito) InitiateAuth(_ context.Context, in *cip.InitiateAuthInput, _ ...func(*cip.Options)) (*cip.InitiateAuthOutput, error) {
	f.in = in
	return f.out, f.err
}

func TestSignIn(t *testing.T) {
	ctx := context.Background()
	f := &fakeCognito{out: &cip.InitiateAuthOutput{AuthenticationResult: &types.AuthenticationResultType{IdToken: aws.String("ID"), AccessToken: aws.String("ACCESS")}}}
	s, err := SignIn(ctx, f, "client", "alice", "pw")
	if err != nil || s.ID != "ID" || s.Access != "ACCESS" {
		t.Fatalf("%+v %v", s, err)
	}
	if f.in.AuthFlow != types.AuthFlowTypeUserPasswordAuth || f.in.AuthParameters["USERNAME"] != "alice" || aws.ToString(f.in.ClientId) != "client" {
		t.Errorf("request %+v", f.in)
	}
	f.out = &cip.InitiateAuthOutput{ChallengeName: types.ChallengeNameTypeNewPasswordRequired}
	if _, err := SignIn(ctx, f, "client", "alice", "pw"); err == nil || !strings.Contains(err.Error(), "NEW_PASSWORD_REQUIRED") {
		t.Errorf("challenge: %v", err)
	}
	f.out, f.err = nil, &types.NotAuthorizedException{Message: aws.String("Incorrect username or password.")}
	_, err = SignIn(ctx, f, "client", "alice", "hunter2")
	if err == nil || !strings.Contains(err.Error(), "NotAuthorizedException") || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("refused: %v", err)
	}
	f.err = errors.New("dial tcp: refused")
	if _, err := SignIn(ctx, f, "client", "alice", "hunter2"); err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("network: %v", err)
	}
	if _, err := SignIn(ctx, f, "", "alice", "pw"); err == nil {
		t.Error("no client id accepted")
	}
}

func TestRedact(t *testing.T) {
	tok := mintFor(t, tokens.MintOptions{})
	parts := strings.Split(tok, ".")
	for _, s := range []string{tok, "Bearer " + tok, parts[0] + "." + parts[1][:20], `{"t":"` + tok[:40] + `"}`} {
		if got := redact(s); strings.Contains(got, "eyJ") || strings.Contains(got, parts[1][:20]) {
			t.Errorf("redact left a token behind: %q", got)
		}
	}
	if got := redact(`{"message":"Unauthorized"}`); got != `{"message":"Unauthorized"}` {
		t.Errorf("redact changed a plain message: %q", got)
	}
}

func TestAudForValidationExpressions(t *testing.T) {
	for expr, want := range map[string]string{
		"":                                "",
		"abc123":                          "abc123",
		"^4s7ga1bc0example0client0id$":    "4s7ga1bc0example0client0id",
		"^(3abc4defadminapp|5ghireport)$": "3abc4defadminapp",
		"^(?:one|two)$":                   "one",
		"^client-[0-9]+$":                 "",
		"([":                              "",
	} {
		if got := audFor(expr); got != want {
			t.Errorf("audFor(%q) = %q, want %q", expr, got, want)
		}
	}
}
