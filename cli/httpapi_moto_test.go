package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portcullis-dev/portcullis/internal/peertest"
)

// startMoto runs moto's server (Python, preinstalled) on a free loopback
// port and returns its URL.
func startMoto(t *testing.T) string { return peertest.Moto(t) }

// TestHTTPAPIOnMoto: what moto 5.2.1 implements of apigatewayv2 (CreateApi
// with CORS, JWT authorizers, integrations, routes, auto-deploy stages,
// GetAuthorizer but not GetAuthorizers) carries apply, plan and drift of
// examples/http-api; a change is one UpdateRoute; probe says it cannot
// reach a stage (moto serves no data plane): exit 2; deploy of a manual
// stage stops naming CreateDeployment, which moto lacks (exit 2).
func TestHTTPAPIOnMoto(t *testing.T) {
	url := startMoto(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	t.Setenv("PORTCULLIS_STATE_DIR", t.TempDir())
	hcl, _ := filepath.Abs("../examples/http-api/http-api.hcl")
	ep := []string{"--endpoint-url", url}
	if out, errOut, code := runCLI(t, append([]string{"apply", hcl, "--auto-approve"}, ep...)...); code != 0 || !strings.Contains(out, "auto-deploy") {
		t.Fatalf("apply on moto: exit %d\n%s\n%s", code, out, errOut)
	}
	if out, errOut, code := runCLI(t, append([]string{"plan", hcl}, ep...)...); code != 0 || !strings.Contains(out, "No changes.") {
		t.Fatalf("plan on moto: exit %d\n%s\n%s", code, out, errOut)
	}
	if out, errOut, code := runCLI(t, append([]string{"drift", hcl}, ep...)...); code != 0 {
		t.Fatalf("drift on moto: exit %d\n%s\n%s", code, out, errOut)
	}
	src, _ := os.ReadFile(hcl)
	changed := filepath.Join(t.TempDir(), "changed.hcl")
	os.WriteFile(changed, []byte(strings.Replace(string(src), `scopes = ["todo/read"]`, `scopes = ["todo/read", "todo/admin"]`, 1)), 0o644)
	out, errOut, code := runCLI(t, append([]string{"apply", changed, "--auto-approve"}, ep...)...)
	if code != 0 || !strings.Contains(out, "1 write call(s)") {
		t.Fatalf("apply of a scope change on moto: exit %d\n%s\n%s", code, out, errOut)
	}
	if out, _, code := runCLI(t, append([]string{"drift", hcl, "--format", "json"}, ep...)...); code != 1 || !strings.Contains(out, "drift-scopes") {
		t.Fatalf("drift after the change: exit %d\n%s", code, out)
	}
	if _, errOut, code := runCLI(t, append([]string{"probe", hcl}, ep...)...); code != 2 || !strings.Contains(errOut, "could not reach") {
		t.Fatalf("probe on moto: exit %d\n%s", code, errOut)
	}
	// deploy: the auto-deploy stage deploys itself (no call); a manual
	// stage needs CreateDeployment, which moto lacks: exit 2 naming it.
	if out, errOut, code := runCLI(t, append([]string{"deploy", hcl}, ep...)...); code != 0 || !strings.Contains(out, "deploys itself (auto-deploy)") {
		t.Fatalf("deploy of the auto-deploy stage on moto: exit %d\n%s\n%s", code, out, errOut)
	}
	if _, errOut, code := runCLI(t, append([]string{"deploy", hcl, "--stage", "dev", "--new-stage"}, ep...)...); code != 2 || !strings.Contains(errOut, "does not implement CreateDeployment") {
		t.Fatalf("deploy of a manual stage on moto: exit %d\n%s", code, errOut)
	}
}
