package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestHTTPAPIProbeDefaultBesideProxy: on the local gateway, $default
// beside ANY /{proxy+} and GET / is probed with a request it really
// serves (OPTIONS / without CORS), so its cases judge $default's own
// answers; beside ANY / too, no request reaches it and the probe says so
// (PC-P034) instead of failing.
func TestHTTPAPIProbeDefaultBesideProxy(t *testing.T) {
	if testing.Short() {
		t.Skip("applies and probes on the local gateway")
	}
	route := func(key string) string {
		return `
  route "` + key + `" {
    integration {
      type = "HTTP_PROXY"
      uri  = "https://backend.example.com/x"
    }
  }`
	}
	for _, c := range []struct {
		extra string
		want  string
	}{
		{"", `(?m)^\$default +no-token +OPTIONS +401 +ok`},
		{route("ANY /"), `PC-P034`},
	} {
		dir := t.TempDir()
		t.Setenv("PORTCULLIS_STATE_DIR", dir)
		hcl := filepath.Join(dir, "api.hcl")
		src := `http_api "defaults" {
  region = "us-east-1"
  authorizer "cognito" {
    user_pool_id = "us-east-1_Example"
    audiences    = ["4example0client0id0spa0123"]
  }
  default_authorizer = authorizer.cognito
` + route("$default") + route("GET /") + route("ANY /{proxy+}") + c.extra + `
  stage "$default" {
    auto_deploy = true
  }
}
`
		if err := os.WriteFile(hcl, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		out, errOut, code := runCLI(t, "apply", hcl, "--local", "--auto-approve", "--probe")
		if code != 0 || !regexp.MustCompile(c.want).MatchString(out+errOut) || !strings.Contains(out, " 0 not.") {
			t.Errorf("beside %q: exit %d, want %s\n%s\n%s", strings.TrimSpace(c.extra), code, c.want, out, errOut)
		} else if testing.Verbose() {
			t.Log(out)
		}
	}
}
