package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portcullis-dev/portcullis/internal/peertest"
	"github.com/portcullis-dev/portcullis/internal/schemas"
	"github.com/portcullis-dev/portcullis/workflow"
)

// TestMotoAudit audits moto, an API Gateway written by other people: the
// APIs apply made in two regions are found in theirs, the described one is
// matched to its description, nothing is written, and the stages whose
// deployment moto does not describe (no apiSummary) are reported as
// unverified, never as undeployed changes or methods served open.
func TestMotoAudit(t *testing.T) {
	moto := peertest.Moto(t)
	endpoint, count := countingProxy(t, moto)
	dir := t.TempDir()
	t.Setenv(workflow.EnvStateDir, filepath.Join(dir, "state"))
	for _, ex := range motoExamples {
		wantCode(t, 0, "apply", "--auto-approve", example(ex.path), "--endpoint-url", endpoint)
	}
	baseline := filepath.Join(dir, "baseline")
	src, err := os.ReadFile(example("todo/todo.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(baseline, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(baseline, "todo.hcl"), src, 0o644); err != nil {
		t.Fatal(err)
	}

	writes := count.writes.Load()
	out, errOut, code := runCLI(t, "audit", "--endpoint-url", endpoint, "--regions", "us-east-1,us-west-2", "--baseline", baseline, "--format", "json")
	if code == ExitError {
		t.Fatalf("audit could not run against moto:\n%s\n%s", errOut, out)
	}
	if n := count.writes.Load() - writes; n != 0 {
		t.Errorf("the audit made %d write call(s) to moto", n)
	}
	if err := schemas.AuditReport([]byte(out)); err != nil {
		t.Errorf("the JSON report does not match docs/audit.schema.json: %v", err)
	}
	var a struct {
		Summary struct {
			Regions []struct {
				Region string
				Error  *struct{ Code, Message string }
			}
		}
		APIs []struct {
			Name, Region, Baseline string
			Error                  *struct{ Code, Message string }
			Findings               []struct{ Code, Stage string }
		}
	}
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatal(err)
	}
	for _, r := range a.Summary.Regions {
		if r.Error != nil {
			t.Errorf("region %s not read: %+v", r.Region, r.Error)
		}
	}
	found := map[string]string{}
	for _, api := range a.APIs {
		found[api.Name] = api.Region
		if api.Error != nil {
			t.Errorf("%s not read: %+v", api.Name, api.Error)
		}
		codes := map[string]bool{}
		for _, f := range api.Findings {
			codes[f.Code] = true
		}
		if codes["AUD003"] || codes["AUD004"] {
			t.Errorf("%s: moto's missing apiSummary read as a deployment fact: %v", api.Name, codes)
		}
		if !codes["AUD010"] {
			t.Errorf("%s: no stage-unverified finding: %v", api.Name, codes)
		}
		if api.Name == "todo" && api.Baseline == "" {
			t.Error("todo was not matched to its description")
		}
	}
	for _, ex := range motoExamples {
		if found[ex.name] != ex.region {
			t.Errorf("%s found in %q, want %s (all: %v)", ex.name, found[ex.name], ex.region, found)
		}
	}
}

// TestMotoAuditProbeUnreachable: moto serves no stages, so an audit asked
// to probe them cannot say anything about the wire; it stops with exit 2
// and the reason instead of reading moto's 404s as open methods.
func TestMotoAuditProbeUnreachable(t *testing.T) {
	moto := peertest.Moto(t)
	t.Setenv(workflow.EnvStateDir, filepath.Join(t.TempDir(), "state"))
	wantCode(t, 0, "apply", "--auto-approve", example("todo/todo.hcl"), "--endpoint-url", moto)
	out, errOut, code := runCLI(t, "audit", "--endpoint-url", moto, "--regions", "us-east-1", "--probe", "--format", "json")
	if code != ExitError {
		t.Fatalf("audit --probe on moto exited %d, want %d:\n%s\n%s", code, ExitError, errOut, out)
	}
	if !strings.Contains(errOut+out, "--probe") || !strings.Contains(errOut+out, "--base-url") && !strings.Contains(errOut+out, "stage") {
		t.Errorf("the refusal does not say why:\n%s\n%s", errOut, out)
	}
}
