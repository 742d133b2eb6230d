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
	"testing"
	"time"
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
		`GET /items +valid-raw +GET +200 +ok`, `GET /items +valid-bearer +GET +200 +ok`,
		`POST /items +valid-raw +POST +403 +ok`, `GET /items +id-token +GET +403 +ok`,
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
	if code != 0 || !regexp.MustCompile(`GET /items +valid-raw +GET +401 +ok`).MatchString(out) {
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
	if code != 0 || !regexp.MustCompile(`GET /items +valid-raw +GET +200 +ok`).MatchString(out) || !regexp.MustCompile(`GET /items +id-token +GET +403 +ok`).MatchString(out) {
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
