package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portcullis-dev/portcullis/tokens"
)

const probePool = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_CliProbe"

const probeHCL = `api "cli" {
  region = "us-east-1"
  authorizer "pool" {
    user_pool_arns = ["` + probePool + `"]
  }
  default_authorizer = authorizer.pool
  route "GET /me" {
    integration {
      type = "MOCK"
    }
  }
  route "GET /items" {
    scopes = ["items/read"]
    integration {
      type = "MOCK"
    }
  }
  route "GET /open" {
    integration {
      type = "MOCK"
    }
  }
  stage "prod" {}
}
`

// probeFixture is a fake stage that admits exactly the valid tokens (and
// everyone on /open when open is set), echoing the Authorization header
// back as a careless backend would, plus a fake Cognito that signs alice in.
type probeFixture struct {
	dir, gateway, cognito string
	id, access, password  string
}

func newProbeFixture(t *testing.T, open bool) *probeFixture {
	t.Helper()
	iss, err := tokens.GenerateIssuer()
	if err != nil {
		t.Fatal(err)
	}
	f := &probeFixture{dir: t.TempDir(), password: "s3cret-Passw0rd"}
	if f.id, err = iss.Mint(tokens.MintOptions{Pool: probePool, Username: "alice"}); err != nil {
		t.Fatal(err)
	}
	if f.access, err = iss.Mint(tokens.MintOptions{Pool: probePool, Username: "alice", Scopes: []string{"items/read"}}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(f.dir, "api.hcl"), []byte(probeHCL), 0o600); err != nil {
		t.Fatal(err)
	}
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		ok := (r.URL.Path == "/prod/me" && auth == f.id) || (r.URL.Path == "/prod/items" && auth == f.access) ||
			(r.URL.Path == "/prod/open" && (open || auth == f.id))
		if !ok {
			w.Header().Set("X-Amzn-ErrorType", "UnauthorizedException")
			w.WriteHeader(401)
			io.WriteString(w, `{"message":"Unauthorized"}`)
			return
		}
		json.NewEncoder(w).Encode(map[string]string{"you sent": r.Header.Get("Authorization")})
	}))
	t.Cleanup(gw.Close)
	f.gateway = gw.URL + "/prod"
	cog := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			AuthFlow       string
			ClientId       string
			AuthParameters map[string]string
		}
		_ = json.NewDecoder(r.Body).Decode(&in)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		if r.Header.Get("X-Amz-Target") != "AWSCognitoIdentityProviderService.InitiateAuth" || in.AuthFlow != "USER_PASSWORD_AUTH" ||
			in.ClientId != "webclient" || in.AuthParameters["USERNAME"] != "alice" || in.AuthParameters["PASSWORD"] != f.password {
			w.WriteHeader(400)
			io.WriteString(w, `{"__type":"NotAuthorizedException","message":"Incorrect username or password."}`)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"AuthenticationResult": map[string]any{"IdToken": f.id, "AccessToken": f.access, "ExpiresIn": 3600, "TokenType": "Bearer"}})
	}))
	t.Cleanup(cog.Close)
	f.cognito = cog.URL
	return f
}

func (f *probeFixture) run(t *testing.T, env map[string]string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	ios := &IOStreams{In: strings.NewReader(stdin), Out: &out, ErrOut: &errOut,
		Getenv:  func(k string) string { return env[k] },
		Environ: func() []string { return nil }}
	wd, _ := os.Getwd()
	if err := os.Chdir(f.dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	code = Main(append([]string{"probe", "api.hcl", "--base-url", f.gateway}, args...), ios)
	return code, out.String(), errOut.String()
}

// leaks fails when a token, its payload or the password shows up.
func (f *probeFixture) leaks(t *testing.T, where, text string) {
	t.Helper()
	for name, secret := range map[string]string{"ID token": f.id, "access token": f.access, "password": f.password} {
		if strings.Contains(text, secret) {
			t.Errorf("%s: the %s appears", where, name)
		}
		if parts := strings.Split(secret, "."); len(parts) == 3 && strings.Contains(text, parts[1]) {
			t.Errorf("%s: the %s's payload appears", where, name)
		}
	}
}

func TestProbeTokensFromEnvironmentNeverShow(t *testing.T) {
	f := newProbeFixture(t, false)
	env := map[string]string{"ID": f.id, "ACCESS": f.access}
	for _, format := range []string{"text", "json", "github", "sarif"} {
		code, out, errOut := f.run(t, env, "", "--id-token-env", "ID", "--access-token-env", "ACCESS", "--debug", "--format", format)
		if code != ExitOK {
			t.Fatalf("%s: exit %d\n%s\n%s", format, code, out, errOut)
		}
		f.leaks(t, format+" stdout", out)
		f.leaks(t, format+" stderr", errOut)
		if !strings.Contains(errOut, "<id-token redacted>") || !strings.Contains(errOut, `"you sent":"<redacted JWT>"`) {
			t.Errorf("%s: debug output does not show the redactions:\n%s", format, errOut)
		}
		if format == "text" && !strings.Contains(out, "GET /me") {
			t.Errorf("no table:\n%s", out)
		}
	}
}

func TestProbeSignsInWithThePasswordOnStdin(t *testing.T) {
	f := newProbeFixture(t, false)
	args := []string{"--username", "alice", "--client-id", "webclient", "--cognito-endpoint", f.cognito, "--debug"}
	code, out, errOut := f.run(t, nil, f.password+"\n", args...)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "GET /items  401       401      401     401       200           200     protected") {
		t.Errorf("the signed-in tokens did not prove admission:\n%s", out)
	}
	f.leaks(t, "stdout", out)
	f.leaks(t, "stderr", errOut)

	// --password-env, and a wrong password: exit 2, the password unsaid.
	code, out, errOut = f.run(t, map[string]string{"PW": "wrong-Passw0rd"}, "", append(args, "--password-env", "PW")...)
	if code != ExitError || !strings.Contains(errOut, "NotAuthorizedException") || strings.Contains(out+errOut, "wrong-Passw0rd") {
		t.Errorf("wrong password: exit %d\n%s\n%s", code, out, errOut)
	}
	code, _, errOut = f.run(t, nil, "", args...)
	if code != ExitError || !strings.Contains(errOut, "no password on stdin") {
		t.Errorf("no password: exit %d %s", code, errOut)
	}
}

func TestProbeExitsOneOnAnOpenRoute(t *testing.T) {
	f := newProbeFixture(t, true)
	code, out, errOut := f.run(t, map[string]string{"ID": f.id}, "", "--id-token-env", "ID")
	if code != ExitFindings {
		t.Fatalf("exit %d, want 1\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "[PC-P001] GET /open is OPEN") || !strings.Contains(out, "on api.hcl line 18") {
		t.Errorf("the open route is not reported with its place:\n%s", out)
	}
	f.leaks(t, "stdout", out)
}
