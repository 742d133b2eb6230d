package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestHTTPImportStrategy: apply --strategy import for an HTTP API on the
// local gateway. From nothing it is one ImportApi (then the stage), the
// probe is clean and so is plan; a scope change is one ReimportApi and
// nothing else; nothing to do is no call; a change that would also delete
// an undescribed route is refused without --prune (exit 2, nothing
// changed) and done with it; a manual stage gets one deployment; a change
// of a stage alone, which the document does not carry, is no import.
func TestHTTPImportStrategy(t *testing.T) {
	t.Setenv("PORTCULLIS_STATE_DIR", t.TempDir())
	hcl, _ := filepath.Abs("../examples/http-api/http-api.hcl")
	out, errOut, code := runCLI(t, "apply", hcl, "--local", "--strategy", "import", "--auto-approve", "--probe")
	if code != 0 || !strings.Contains(out, "0 not.") || !strings.Contains(errOut, "with ImportApi failOnWarnings=true") ||
		!strings.Contains(out, "2 write call(s), no deployment (the stage deploys itself: auto-deploy)") {
		t.Fatalf("apply --strategy import --probe: exit %d\n%s\n%s", code, out, errOut)
	}
	if out, _, code := runCLI(t, "plan", hcl, "--local", "--exit-code"); code != 0 {
		t.Fatalf("plan after the import: exit %d\n%s", code, out)
	}
	if out, errOut, code := runCLI(t, "apply", hcl, "--local", "--strategy", "import", "--auto-approve"); code != 0 || strings.Contains(errOut, "Import") || strings.Contains(out, "Apply complete") {
		t.Fatalf("nothing to do: exit %d\n%s\n%s", code, out, errOut)
	}

	changed := httpVariant(t, "changed.hcl", `scopes = ["todo/read"]`, `scopes = ["todo/admin"]`)
	out, errOut, code = runCLI(t, "apply", changed, "--local", "--strategy", "import", "--auto-approve", "--format", "json")
	var doc struct {
		Applied bool `json:"applied"`
		Result  struct {
			Calls      int  `json:"calls"`
			AutoDeploy bool `json:"auto_deploy"`
		} `json:"result"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &doc) != nil || !doc.Applied || doc.Result.Calls != 1 || !doc.Result.AutoDeploy || !strings.Contains(errOut, "ReimportApi") {
		t.Fatalf("a scope change: exit %d\n%s\n%s", code, out, errOut)
	}
	if out, _, code := runCLI(t, "plan", changed, "--local", "--exit-code"); code != 0 {
		t.Fatalf("plan after the reimport: exit %d\n%s", code, out)
	}

	// GET /health is no longer described, and a scope changes back.
	src := httpVariant(t, "nohealth.hcl", "route \"GET /health\" {", "route \"GET /healthz\" {", "https://backend.example.com/health", "https://backend.example.com/healthz")
	_, errOut, code = runCLI(t, "apply", src, "--local", "--strategy", "import", "--auto-approve")
	if code != 2 || !strings.Contains(errOut, "would delete the live routes the description does not have (GET /health)") || !strings.Contains(errOut, "nothing was changed") {
		t.Fatalf("a reimport that would delete an undescribed route: exit %d\n%s", code, errOut)
	}
	if out, _, code := runCLI(t, "plan", changed, "--local", "--exit-code"); code != 0 {
		t.Fatalf("the refused import changed something: exit %d\n%s", code, out)
	}
	if out, errOut, code := runCLI(t, "apply", src, "--local", "--strategy", "import", "--auto-approve", "--prune"); code != 0 || !strings.Contains(out, "1 write call(s)") {
		t.Fatalf("with --prune: exit %d\n%s\n%s", code, out, errOut)
	}
	if out, _, code := runCLI(t, "plan", src, "--local", "--exit-code", "--prune"); code != 0 {
		t.Fatalf("plan after the pruning import: exit %d\n%s", code, out)
	}

	manual := httpVariant(t, "manual.hcl", "auto_deploy = true", "auto_deploy = false", "todo-http", "todo-manual")
	out, errOut, code = runCLI(t, "apply", manual, "--local", "--strategy", "import", "--auto-approve", "--probe")
	if code != 0 || !strings.Contains(out, "3 write call(s), deployment ") || !strings.Contains(out, "0 not.") {
		t.Fatalf("a manual stage: exit %d\n%s\n%s", code, out, errOut)
	}
	if out, _, code := runCLI(t, "plan", manual, "--local", "--exit-code"); code != 0 {
		t.Fatalf("plan after importing a manual stage: exit %d\n%s", code, out)
	}
	// Only a stage variable differs: no import, one UpdateStage.
	vars := httpVariant(t, "vars.hcl", "auto_deploy = true", "auto_deploy = false", "todo-http", "todo-manual", `backend = "prod"`, `backend = "blue"`)
	out, errOut, code = runCLI(t, "apply", vars, "--local", "--strategy", "import", "--auto-approve")
	if code != 0 || strings.Contains(errOut, "ReimportApi") || !strings.Contains(errOut, "UpdateStage") || !strings.Contains(out, "1 write call(s)") {
		t.Fatalf("only a stage variable: exit %d\n%s\n%s", code, out, errOut)
	}
}
