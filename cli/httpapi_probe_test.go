package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/portcullis-dev/portcullis/emulator"
)

// TestHTTPAPIProbeTokenSources: the v2 probe takes the v1 probe's token
// sources (environment variables, a token file, a Cognito sign-in) and limits (--rps,
// --concurrency, --timeout, --retries) on the local gateway, with tokens
// from `local token`; what each route should do with a supplied token is
// read from its claims, and no token is ever printed.
func TestHTTPAPIProbeTokenSources(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("PORTCULLIS_STATE_DIR", dir)
	hcl, _ := filepath.Abs("../examples/http-api/http-api.hcl")
	if out, errOut, code := runCLI(t, "apply", hcl, "--local", "--auto-approve"); code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", code, out, errOut)
	}
	const pool, client = "us-east-1_Example", "4example0client0id0spa0123"
	mint := func(args ...string) string {
		t.Helper()
		out, errOut, code := runCLI(t, append([]string{"local", "token", "--pool", pool, "--user", "alice"}, args...)...)
		if code != 0 {
			t.Fatalf("local token %v: exit %d\n%s", args, code, errOut)
		}
		return strings.TrimSpace(out)
	}
	access := mint("--client-id", client, "--scopes", "todo/read")
	id := mint("--client-id", client, "--token-use", "id")
	expired := mint("--client-id", client, "--scopes", "todo/read", "--bad", "expired")
	other := mint("--client-id", "someoneelse0client0id00000", "--scopes", "todo/read")
	secrets := []string{access, id, expired, other}
	noSecrets := func(what, s string) {
		t.Helper()
		for _, tok := range secrets {
			parts := strings.Split(tok, ".")
			if strings.Contains(s, parts[1]) || strings.Contains(s, parts[2]) || strings.Contains(s, "s3cret-Passw0rd") {
				t.Fatalf("%s prints a token:\n%s", what, s)
			}
		}
	}
	rows := func(out, c string) []string {
		return regexp.MustCompile(`(?m)^(\S+ \S+|\$default)\s+`+regexp.QuoteMeta(c)+`\s+\S+\s+\d+\s+(.*)$`).FindAllString(out, -1)
	}

	env := map[string]string{"V2_ACCESS": access, "V2_ID": id, "V2_EXPIRED": expired, "PORTCULLIS_STATE_DIR": dir}
	start := time.Now()
	out, errOut, code := runCLIEnv(env, "probe", hcl, "--local", "--access-token-env", "V2_ACCESS", "--id-token-env", "V2_ID",
		"--expired-token-env", "V2_EXPIRED", "--rps", "20", "--concurrency", "2", "--timeout", "5s", "--retries", "1")
	elapsed := time.Since(start)
	if code != 0 || !strings.Contains(out, " 0 not.") {
		t.Fatalf("probe with tokens from the environment: exit %d\n%s\n%s", code, out, errOut)
	}
	noSecrets("probe", out+errOut)
	// GET /items takes todo/read: admitted raw and with Bearer; POST
	// /items takes todo/write: the same token is Forbidden; every scoped
	// route refuses the ID token; every JWT route the expired and the
	// re-signed token.
	for _, want := range []string{
		`GET /items +access-token +GET +200 +ok`, `GET /items +bearer +GET +200 +ok`,
		`POST /items +access-token +POST +403 +ok`, `GET /items +id-token +GET +403 +ok`,
		`GET /items +expired +GET +401 +ok`, `GET /items +forged +GET +401 +ok`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("probe: no line %q\n%s", want, out)
		}
	}
	if n := len(rows(out, "expired")); n != 4 {
		t.Errorf("expired cases: %d, want one per JWT route (4)\n%s", n, out)
	}
	// --rps 20 holds: n requests take at least (n-1)/20 s.
	m := regexp.MustCompile(`(\d+) request\(s\)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no request count\n%s", out)
	}
	n, _ := strconv.Atoi(m[1])
	if min := time.Duration(n-1) * time.Second / 20; elapsed < min {
		t.Errorf("%d requests in %v with --rps 20, want at least %v", n, elapsed, min)
	}

	// A token file (the JSON initiate-auth prints) works the same; a
	// token for another app client is refused (401), which is what the
	// description says, so the probe is clean.
	tf := filepath.Join(t.TempDir(), "tokens.json")
	b, _ := json.Marshal(map[string]any{"AuthenticationResult": map[string]string{"AccessToken": other, "IdToken": id}})
	if err := os.WriteFile(tf, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code = runCLI(t, "probe", hcl, "--local", "--token-file", tf)
	if code != 0 || !regexp.MustCompile(`GET /items +access-token +GET +401 +ok`).MatchString(out) {
		t.Fatalf("probe --token-file: exit %d\n%s\n%s", code, out, errOut)
	}
	noSecrets("probe --token-file", out+errOut)

	// A Cognito sign-in (USER_PASSWORD_AUTH, here a loopback stand-in that
	// hands out the local issuer's tokens) gives the ID and access tokens.
	cog := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			ClientId       string
			AuthParameters map[string]string
		}
		_ = json.NewDecoder(r.Body).Decode(&in)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		if in.ClientId != client || in.AuthParameters["USERNAME"] != "alice" || in.AuthParameters["PASSWORD"] != "s3cret-Passw0rd" {
			w.WriteHeader(400)
			io.WriteString(w, `{"__type":"NotAuthorizedException","message":"Incorrect username or password."}`)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"AuthenticationResult": map[string]any{"IdToken": id, "AccessToken": access, "ExpiresIn": 3600, "TokenType": "Bearer"}})
	}))
	defer cog.Close()
	env["V2_PASSWORD"] = "s3cret-Passw0rd"
	out, errOut, code = runCLIEnv(env, "probe", hcl, "--local", "--username", "alice", "--password-env", "V2_PASSWORD", "--client-id", client, "--cognito-endpoint", cog.URL)
	if code != 0 || !regexp.MustCompile(`GET /items +access-token +GET +200 +ok`).MatchString(out) || !regexp.MustCompile(`GET /items +id-token +GET +403 +ok`).MatchString(out) {
		t.Fatalf("probe with a Cognito sign-in: exit %d\n%s\n%s", code, out, errOut)
	}
	noSecrets("probe --username", out+errOut)
	env["V2_WRONG"] = "not-the-password"
	if _, errOut, code := runCLIEnv(env, "probe", hcl, "--local", "--username", "alice", "--password-env", "V2_WRONG", "--client-id", client, "--cognito-endpoint", cog.URL); code != 2 || !strings.Contains(errOut, "Incorrect username or password") {
		t.Fatalf("probe with a refused sign-in: exit %d, want 2\n%s", code, errOut)
	}

	// An empty variable cannot run (2), as for REST APIs.
	if _, errOut, code := runCLIEnv(env, "probe", hcl, "--local", "--access-token-env", "V2_NO_SUCH_VAR"); code != 2 || !strings.Contains(errOut, "V2_NO_SUCH_VAR is empty or unset") {
		t.Fatalf("probe with an unset variable: exit %d\n%s", code, errOut)
	}
}

// runCLIEnv is runCLI with the environment env.
func runCLIEnv(env map[string]string, args ...string) (stdout, stderr string, code int) {
	var out, errOut bytes.Buffer
	ios := &IOStreams{Out: &out, ErrOut: &errOut, Getenv: func(k string) string { return env[k] }, Environ: func() []string { return nil }}
	code = Main(args, ios)
	return out.String(), errOut.String(), code
}

// paramsHCL is an HTTP API with a path parameter, a greedy one and CORS
// for one origin.
const paramsHCL = `http_api "params" {
  region = "us-east-1"
  authorizer "cognito" {
    user_pool_id = "us-east-1_Example"
    audiences    = ["4example0client0id0spa0123"]
  }
  default_authorizer = authorizer.cognito
  cors {
    allow_origins = ["https://app.example.com"]
    allow_methods = ["GET", "DELETE"]
    allow_headers = ["authorization"]
  }
  route "GET /items/{id}" {
    scopes   = ["todo/read"]
    examples = { id = "42" }
    integration {
      type = "AWS_PROXY"
      uri  = "arn:aws:lambda:us-east-1:123456789012:function:items"
    }
  }
  route "DELETE /items/{id}" {
    scopes   = ["todo/write"]
    examples = { id = "42" }
    integration {
      type = "AWS_PROXY"
      uri  = "arn:aws:lambda:us-east-1:123456789012:function:items"
    }
  }
  route "GET /files/{path+}" {
    integration {
      type = "AWS_PROXY"
      uri  = "arn:aws:lambda:us-east-1:123456789012:function:files"
    }
  }
  stage "$default" {
    auto_deploy = true
  }
}
`

// TestHTTPAPIProbeParamsDebugOrigin: the v2 probe takes v1's --param
// (path parameters, greedy ones with their slashes), --debug (each request
// and answer on stderr, every token and secret redacted) and --origin (the
// preflights' Origin, judged against the API's CORS configuration), on the
// local gateway and with --base-url.
func TestHTTPAPIProbeParamsDebugOrigin(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("PORTCULLIS_STATE_DIR", dir)
	hcl := filepath.Join(t.TempDir(), "api.hcl")
	if err := os.WriteFile(hcl, []byte(paramsHCL), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, errOut, code := runCLI(t, "apply", hcl, "--local", "--auto-approve"); code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", code, out, errOut)
	}
	const pool, client = "us-east-1_Example", "4example0client0id0spa0123"
	mint := func(args ...string) string {
		t.Helper()
		out, errOut, code := runCLI(t, append([]string{"local", "token", "--pool", pool, "--user", "alice", "--client-id", client}, args...)...)
		if code != 0 {
			t.Fatalf("local token %v: exit %d\n%s", args, code, errOut)
		}
		return strings.TrimSpace(out)
	}
	access, id := mint("--scopes", "todo/read todo/write"), mint("--token-use", "id")
	secrets := map[string]string{"access token": access, "ID token": id, "password": "s3cret-Passw0rd"}
	noSecrets := func(what, s string) {
		t.Helper()
		for name, secret := range secrets {
			if strings.Contains(s, secret) {
				t.Errorf("%s prints the %s", what, name)
			}
			if parts := strings.Split(secret, "."); len(parts) == 3 && (strings.Contains(s, parts[1]) || strings.Contains(s, parts[2])) {
				t.Errorf("%s prints part of the %s", what, name)
			}
		}
	}

	// --local: the parameters fill every method's path (the embedded
	// gateway runs no Lambda, so unsafe methods take them too); --debug
	// traces each request in v1's form, the tokens named, never shown,
	// though the local gateway echoes the Authorization header back.
	env := map[string]string{"V2_ACCESS": access, "V2_ID": id, "PORTCULLIS_STATE_DIR": dir}
	out, errOut, code := runCLIEnv(env, "probe", hcl, "--local", "--param", "id=7", "--param", "path=a/b/c.txt",
		"--access-token-env", "V2_ACCESS", "--id-token-env", "V2_ID", "--debug")
	if code != 0 || !strings.Contains(out, " 0 not.") {
		t.Fatalf("probe --local --param --debug: exit %d\n%s\n%s", code, out, errOut)
	}
	noSecrets("probe --debug", out+errOut)
	for _, want := range []string{
		`(?m)^probe: probing params stage \$default at http://127\.0\.0\.1:\d+/restapis/\w+/\$default/_user_request_$`,
		`(?m)^probe: tokens: read \$V2_ACCESS \(redacted\)$`,
		`(?m)^probe: GET http://\S+/_user_request_/items/7 \[access-token\] Authorization: <access-token redacted> -> 200 .*\(\d+m?s\)$`,
		`(?m)^probe: GET http://\S+/_user_request_/items/7 \[bearer\] Authorization: Bearer <access-token redacted> -> 200 `,
		`(?m)^probe: GET http://\S+/_user_request_/items/7 \[id-token\] Authorization: <id-token redacted> -> 403 \{"message":"Forbidden"\}`,
		`(?m)^probe: GET http://\S+/_user_request_/items/7 \[no-token\] -> 401 \{"message":"Unauthorized"\}`,
		`(?m)^probe: DELETE http://\S+/_user_request_/items/7 \[forged\] Authorization: <forged redacted> -> 401 `,
		`(?m)^probe: GET http://\S+/_user_request_/files/a/b/c\.txt \[access-token\] Authorization: <access-token redacted> -> 200 `,
		`(?m)^probe: OPTIONS http://\S+/_user_request_/items/7 \[preflight\] -> 204 `,
	} {
		if !regexp.MustCompile(want).MatchString(errOut) {
			t.Errorf("the --debug trace has no line like %s\n%s", want, errOut)
		}
	}
	if strings.Contains(errOut, "/items/42") {
		t.Errorf("--param id=7 did not win over the example 42:\n%s", errOut)
	}
	// The same v1 error for a --param without a value.
	if _, errOut, code := runCLI(t, "probe", hcl, "--local", "--param", "id"); code != 2 || !strings.Contains(errOut, `--param wants name=value, got "id"`) {
		t.Fatalf("probe --param id: exit %d\n%s", code, errOut)
	}

	// A Cognito sign-in with --debug: the password is never printed either.
	cog := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		json.NewEncoder(w).Encode(map[string]any{"AuthenticationResult": map[string]any{"IdToken": id, "AccessToken": access, "ExpiresIn": 3600, "TokenType": "Bearer"}})
	}))
	defer cog.Close()
	env["V2_PASSWORD"] = "s3cret-Passw0rd"
	out, errOut, code = runCLIEnv(env, "probe", hcl, "--local", "--username", "alice", "--password-env", "V2_PASSWORD", "--client-id", client, "--cognito-endpoint", cog.URL, "--debug")
	if code != 0 || !strings.Contains(errOut, "probe: tokens: signed in to Cognito as alice (redacted)") {
		t.Fatalf("probe --username --debug: exit %d\n%s\n%s", code, out, errOut)
	}
	noSecrets("probe --username --debug", out+errOut)

	// --base-url on the local gateway itself: --origin sets the
	// preflights' Origin. An allowed origin gets its CORS headers; one the
	// CORS configuration does not allow gets none, which is as described.
	url, stop, err := emulator.StartLocalIn(dir, emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	apiID := regexp.MustCompile(`/restapis/(\w+)/`).FindStringSubmatch(errOut)
	if apiID == nil {
		t.Fatalf("no API id in the trace:\n%s", errOut)
	}
	base := url + "/restapis/" + apiID[1] + "/$default/_user_request_"
	for _, origin := range []string{"https://app.example.com", "https://evil.example"} {
		out, errOut, code := runCLI(t, "probe", hcl, "--base-url", base, "--origin", origin, "--param", "id=9", "--debug")
		if code != 0 || !regexp.MustCompile(`GET /items/\{id\} +preflight +OPTIONS 204 +ok`).MatchString(out) ||
			!strings.Contains(errOut, "_user_request_/items/9 [preflight] -> 204") {
			t.Fatalf("probe --base-url --origin %s: exit %d\n%s\n%s", origin, code, out, errOut)
		}
	}

	// --base-url on a loopback gateway whose CORS admits every origin,
	// which the description does not: a preflight from an origin outside
	// allow_origins is admitted, and that is a finding (exit 1). The
	// requests carry the given origin and parameters; the gateway echoes
	// the token it got in its 401, and the trace shows it redacted.
	var mu sync.Mutex
	var seen []string
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.EscapedPath()+" "+r.Header.Get("Origin"))
		mu.Unlock()
		w.Header().Set("Apigw-Requestid", "fake")
		if r.Method == http.MethodOptions {
			w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Header().Set("Www-Authenticate", "Bearer")
		w.WriteHeader(http.StatusUnauthorized)
		json.NewEncoder(w).Encode(map[string]string{"message": "Unauthorized", "you sent": r.Header.Get("Authorization")})
	}))
	defer fake.Close()
	out, errOut, code = runCLI(t, "probe", hcl, "--base-url", fake.URL+"/prod", "--origin", "https://evil.example",
		"--param", "id=7", "--param", "path=x/y%z", "--id-token-env", "NONE_SET_HERE")
	if code != 2 { // an unset variable cannot run
		t.Fatalf("probe with an unset variable: exit %d\n%s\n%s", code, out, errOut)
	}
	out, errOut, code = runCLIEnv(map[string]string{"V2_ID": id}, "probe", hcl, "--base-url", fake.URL+"/prod", "--origin", "https://evil.example",
		"--param", "id=7", "--param", "path=x/y%z", "--id-token-env", "V2_ID", "--debug")
	if code != 1 || !regexp.MustCompile(`GET /items/\{id\} +preflight +OPTIONS 204 +FAIL: want no Access-Control-Allow-Origin for https://evil\.example`).MatchString(out) {
		t.Fatalf("probe of a gateway that admits any origin: exit %d, want 1\n%s\n%s", code, out, errOut)
	}
	if !regexp.MustCompile(`(?m)^probe: GET \S+/prod/files/x/y%25z \[id-token\] Authorization: <id-token redacted> -> 401 \{"message":"Unauthorized","you sent":"<redacted JWT>"\}`).MatchString(errOut) {
		t.Errorf("the trace does not show the echoed token redacted:\n%s", errOut)
	}
	noSecrets("probe --base-url", out+errOut)
	mu.Lock()
	defer mu.Unlock()
	got := strings.Join(seen, "\n")
	for _, want := range []string{"OPTIONS /prod/items/7 https://evil.example", "OPTIONS /prod/files/x/y%25z https://evil.example", "GET /prod/files/x/y%25z "} {
		if !strings.Contains(got, want) {
			t.Errorf("the fake gateway saw no %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "app.example.com") {
		t.Errorf("a preflight went out with the first allowed origin instead of --origin:\n%s", got)
	}
}
