package emulator

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portcullis-dev/portcullis/internal/peertest"
)

// tfCLIConfig installs the AWS provider from the preinstalled mirror, so
// terraform init works offline.
const tfCLIConfig = `provider_installation {
  filesystem_mirror {
    path    = "/opt/tf-plugins"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }
}
`

const tfV2Config = `
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  endpoints {
    apigatewayv2 = "ENDPOINT"
  }
}
resource "aws_apigatewayv2_api" "api" {
  name          = "todo-http"
  protocol_type = "HTTP"
  cors_configuration {
    allow_origins = ["https://app.example.com"]
    allow_methods = ["GET", "POST"]
    allow_headers = ["authorization"]
    max_age       = 600
  }
}
resource "aws_apigatewayv2_authorizer" "cognito" {
  api_id           = aws_apigatewayv2_api.api.id
  name             = "cognito"
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]
  jwt_configuration {
    issuer   = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_DataPlane"
    audience = ["client-a"]
  }
}
resource "aws_apigatewayv2_integration" "items" {
  api_id                 = aws_apigatewayv2_api.api.id
  integration_type       = "AWS_PROXY"
  integration_uri        = "arn:aws:lambda:us-east-1:123456789012:function:todo-items"
  payload_format_version = "2.0"
}
resource "aws_apigatewayv2_route" "get_items" {
  api_id               = aws_apigatewayv2_api.api.id
  route_key            = "GET /items"
  target               = "integrations/${aws_apigatewayv2_integration.items.id}"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.cognito.id
  authorization_scopes = ["todo/read"]
}
resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.api.id
  name        = "$default"
  auto_deploy = true
}
output "api_id" { value = aws_apigatewayv2_api.api.id }
`

// TestV2Terraform drives the HTTP API control plane with the real
// Terraform and AWS provider (endpoints { apigatewayv2 }): one apply
// converges (a second plan has no changes), the auto-deployed route
// refuses a request without a token and admits a valid one, and destroy
// removes everything.
func TestV2Terraform(t *testing.T) {
	peertest.Long(t)
	tf, err := exec.LookPath("terraform")
	if err != nil {
		peertest.Missing(t, "terraform 1.11.4 with the AWS provider mirror in /opt/tf-plugins", err)
	}
	if _, err := os.Stat("/opt/tf-plugins"); err != nil {
		peertest.Missing(t, "the AWS provider mirror /opt/tf-plugins", err)
	}
	e := New(Options{DataPlane: DataPlaneOptions{Verifier: verifierForTest(t)}})
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "cli.tfrc"), []byte(tfCLIConfig), 0o644)
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(strings.ReplaceAll(tfV2Config, "ENDPOINT", srv.URL)), 0o644)
	run := func(args ...string) (string, int) {
		cmd := exec.Command(tf, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+filepath.Join(dir, "cli.tfrc"), "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("terraform %v: %v", args, err)
		}
		return out.String(), code
	}
	if out, code := run("init", "-input=false", "-no-color"); code != 0 {
		t.Fatalf("init: %s", out)
	}
	if out, code := run("apply", "-auto-approve", "-input=false", "-no-color"); code != 0 {
		t.Fatalf("apply: %s", out)
	}
	if out, code := run("plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
		t.Fatalf("a second plan is not empty (exit %d): %s", code, out)
	}
	out, _ := run("output", "-raw", "api_id")
	id := strings.TrimSpace(out)
	u := srv.URL + "/restapis/" + id + "/$default/_user_request_/items"
	if resp, _ := call(t, "GET", u, nil); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("no token: %d", resp.StatusCode)
	}
	if resp, body := call(t, "GET", u, map[string]string{"Authorization": v2Token(t, "access", "todo/read")}); resp.StatusCode != 200 {
		t.Fatalf("valid token: %d %s", resp.StatusCode, body)
	}
	if out, code := run("destroy", "-auto-approve", "-input=false", "-no-color"); code != 0 {
		t.Fatalf("destroy: %s", out)
	}
	e.mu.RLock()
	n := len(e.httpAPIs)
	e.mu.RUnlock()
	if n != 0 {
		t.Fatalf("%d HTTP APIs left after destroy", n)
	}
}
