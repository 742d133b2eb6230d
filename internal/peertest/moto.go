package peertest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// Moto runs moto's server (an independent API Gateway control plane:
// `python3 -m moto.server`) on a free loopback port and returns its base
// URL. It stops with the test. A missing python3 or moto fails the test
// under CI and skips it elsewhere.
func Moto(t testing.TB) string {
	t.Helper()
	Long(t)
	py, err := exec.LookPath("python3")
	if err != nil {
		Missing(t, "python3 with moto 5.2.1 (pip install 'moto[server]==5.2.1')", err)
	}
	if out, err := exec.Command(py, "-c", "import moto.server").CombinedOutput(); err != nil {
		Missing(t, "pip install 'moto[server]==5.2.1'", fmt.Errorf("%v: %s", err, out))
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command(py, "-m", "moto.server", "-H", "127.0.0.1", "-p", fmt.Sprint(port))
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	Start(t, "moto", cmd, 30*time.Second, func() bool {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			return false
		}
		c.Close()
		return true
	})
	return "http://" + addr
}

// TerraformMirror is where the machine image keeps the AWS provider
// (docs/live.md).
const TerraformMirror = "/opt/tf-plugins"

// Terraform returns the terraform binary and an environment that installs
// the AWS provider from the local mirror only (no registry), with
// checkpoint calls off. A missing binary or mirror fails the test under CI
// and skips it elsewhere.
func Terraform(t testing.TB) (bin string, env []string) {
	t.Helper()
	Long(t)
	bin, err := exec.LookPath("terraform")
	if err != nil {
		Missing(t, "terraform 1.11.4 on PATH", err)
	}
	if _, err := os.Stat(filepath.Join(TerraformMirror, "registry.terraform.io", "hashicorp", "aws")); err != nil {
		Missing(t, "the hashicorp/aws provider mirror in "+TerraformMirror, err)
	}
	rc := filepath.Join(t.TempDir(), "terraform.rc")
	conf := `provider_installation {
  filesystem_mirror {
    path    = "` + TerraformMirror + `"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }
}
`
	if err := os.WriteFile(rc, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0")
	return bin, env
}
