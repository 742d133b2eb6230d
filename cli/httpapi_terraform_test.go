package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portcullis-dev/portcullis/emulator"
	"github.com/portcullis-dev/portcullis/internal/peertest"
)

// TestHTTPAPIGeneratedTerraform: the Terraform `generate` writes for
// examples/http-api, applied by the real Terraform and AWS provider to the
// local gateway, converges in one apply (a second plan has no changes),
// and Portcullis then finds nothing to do: plan, drift and probe are
// clean against what Terraform made.
func TestHTTPAPIGeneratedTerraform(t *testing.T) {
	peertest.Long(t)
	tf, err := exec.LookPath("terraform")
	if err != nil {
		peertest.Missing(t, "terraform 1.11.4 with the AWS provider mirror in /opt/tf-plugins", err)
	}
	if _, err := os.Stat("/opt/tf-plugins"); err != nil {
		peertest.Missing(t, "the AWS provider mirror /opt/tf-plugins", err)
	}
	state := t.TempDir()
	t.Setenv("PORTCULLIS_STATE_DIR", state)
	hcl, _ := filepath.Abs("../examples/http-api/http-api.hcl")
	work := t.TempDir()
	if _, errOut, code := runCLI(t, "generate", hcl, "--target", "terraform", "--out", work); code != 0 {
		t.Fatalf("generate: exit %d\n%s", code, errOut)
	}
	url, stop, err := emulator.StartLocalIn(state, emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	os.WriteFile(filepath.Join(work, "cli.tfrc"), []byte(`provider_installation {
  filesystem_mirror {
    path    = "/opt/tf-plugins"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }
}
`), 0o644)
	os.WriteFile(filepath.Join(work, "provider.tf"), []byte(`provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  endpoints {
    apigatewayv2 = "`+url+`"
  }
}
`), 0o644)
	run := func(args ...string) (string, int) {
		cmd := exec.Command(tf, args...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+filepath.Join(work, "cli.tfrc"), "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		if ee, ok := err.(*exec.ExitError); ok {
			return out.String(), ee.ExitCode()
		} else if err != nil {
			t.Fatalf("terraform %v: %v", args, err)
		}
		return out.String(), 0
	}
	if out, code := run("init", "-input=false", "-no-color"); code != 0 {
		t.Fatalf("init: %s", out)
	}
	if out, code := run("apply", "-auto-approve", "-input=false", "-no-color"); code != 0 {
		t.Fatalf("apply: %s", out)
	}
	if out, code := run("plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
		t.Fatalf("terraform did not converge in one apply (plan exit %d): %s", code, out)
	}
	if out, errOut, code := runCLI(t, "plan", hcl, "--local"); code != 0 || !strings.Contains(out, "No changes.") {
		t.Fatalf("portcullis plan after terraform: exit %d\n%s\n%s", code, out, errOut)
	}
	if out, errOut, code := runCLI(t, "drift", hcl, "--local"); code != 0 {
		t.Fatalf("drift after terraform: exit %d\n%s\n%s", code, out, errOut)
	}
	if out, errOut, code := runCLI(t, "probe", hcl, "--local"); code != 0 || !strings.Contains(out, " 0 not.") {
		t.Fatalf("probe after terraform: exit %d\n%s\n%s", code, out, errOut)
	}
}
