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
// reach a stage (moto serves no data plane): exit 2; apply --strategy
// import stops before any change naming ImportApi, and deploy of a manual
// stage naming CreateDeployment, both of which moto lacks (exit 2).
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
	// --strategy import: moto has no ImportApi, and its ReimportApi drops
	// every route's authorization and every stage, so the strategy asks
	// first and stops before any change (exit 2 naming ImportApi); a new
	// API needs ImportApi itself.
	again := filepath.Join(t.TempDir(), "again.hcl")
	os.WriteFile(again, []byte(strings.Replace(string(src), `scopes = ["todo/read"]`, `scopes = ["todo/read", "todo/other"]`, 1)), 0o644)
	if _, errOut, code := runCLI(t, append([]string{"apply", again, "--auto-approve", "--strategy", "import"}, ep...)...); code != 2 || !strings.Contains(errOut, "does not implement ImportApi") || !strings.Contains(errOut, "nothing was changed") {
		t.Fatalf("apply --strategy import on moto: exit %d\n%s", code, errOut)
	}
	if out, _, code := runCLI(t, append([]string{"plan", changed, "--exit-code"}, ep...)...); code != 0 {
		t.Fatalf("the refused import changed the API on moto: exit %d\n%s", code, out)
	}
	fresh := filepath.Join(t.TempDir(), "fresh.hcl")
	os.WriteFile(fresh, []byte(strings.Replace(string(src), `http_api "todo-http"`, `http_api "todo-fresh"`, 1)), 0o644)
	if _, errOut, code := runCLI(t, append([]string{"apply", fresh, "--auto-approve", "--strategy", "import"}, ep...)...); code != 2 || !strings.Contains(errOut, "does not implement ImportApi") {
		t.Fatalf("apply --strategy import of a new API on moto: exit %d\n%s", code, errOut)
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
