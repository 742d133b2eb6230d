package emulator

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/portcullis-dev/portcullis/internal/peertest"
)

const awsCLI = "/usr/bin/aws"

// awsRunner runs the real AWS CLI against url with dummy credentials and a
// private HOME, so no user configuration leaks in.
type awsRunner struct {
	t   *testing.T
	url string
	env []string
}

func newAWSRunner(t *testing.T, url string) *awsRunner {
	t.Helper()
	peertest.Long(t)
	if _, err := os.Stat(awsCLI); err != nil {
		peertest.Missing(t, "apt-get install -y awscli", err)
	}
	home := t.TempDir()
	return &awsRunner{t: t, url: url, env: []string{
		"HOME=" + home, "PATH=" + os.Getenv("PATH"),
		"AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=secret", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_PAGER=", "AWS_EC2_METADATA_DISABLED=true", "AWS_CONFIG_FILE=" + filepath.Join(home, "none"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "none"),
	}}
}

// run executes `aws apigateway args...` and returns stdout, stderr and
// whether it succeeded.
func (r *awsRunner) run(args ...string) (string, string, bool) {
	r.t.Helper()
	cmd := exec.Command(awsCLI, append([]string{"apigateway", "--endpoint-url", r.url, "--output", "json"}, args...)...)
	cmd.Env = r.env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	return out.String(), errOut.String(), err == nil
}

// ok runs the command, requires success and decodes its JSON output.
func (r *awsRunner) ok(v any, args ...string) {
	r.t.Helper()
	out, errOut, ok := r.run(args...)
	if !ok {
		r.t.Fatalf("aws apigateway %s: %s", strings.Join(args, " "), errOut)
	}
	if v != nil {
		if err := json.Unmarshal([]byte(out), v); err != nil {
			r.t.Fatalf("aws apigateway %s: output is not JSON: %v\n%s", args[0], err, out)
		}
	}
}

// fails runs the command and requires the error code in its message.
func (r *awsRunner) fails(code string, args ...string) {
	r.t.Helper()
	_, errOut, ok := r.run(args...)
	if ok || !strings.Contains(errOut, "("+code+")") {
		r.t.Errorf("aws apigateway %s: want %s, got ok=%v %s", args[0], code, ok, errOut)
	}
}

// TestAWSCLI drives the emulator with the real AWS CLI. Each invocation
// costs a Python start-up (about a second), so the script is kept short;
// the SDK tests cover the rest.
func TestAWSCLI(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(New(Options{}).Handler())
	t.Cleanup(srv.Close)
	// Each invocation is a Python start-up: the two scripts overlap.
	t.Run("import", func(t *testing.T) {
		t.Parallel()
		cliImport(newAWSRunner(t, srv.URL))
	})
	t.Run("lifecycle", func(t *testing.T) {
		t.Parallel()
		cliLifecycle(t, newAWSRunner(t, srv.URL))
	})
	t.Run("regions", func(t *testing.T) {
		t.Parallel()
		cliRegions(t, newAWSRunner(t, srv.URL))
	})
}

// cliRegions: one server keeps each signing region's APIs apart, as AWS
// and moto do (`aws --region eu-west-1 apigateway get-rest-apis` does not
// list an API created in us-west-2).
func cliRegions(t *testing.T, aws *awsRunner) {
	var api struct{ ID string }
	aws.ok(&api, "create-rest-api", "--name", "regional-api", "--region", "us-west-2")
	names := func(region string) []string {
		var list struct{ Items []struct{ ID, Name string } }
		aws.ok(&list, "get-rest-apis", "--region", region)
		var out []string
		for _, a := range list.Items {
			if a.Name == "regional-api" {
				out = append(out, a.ID)
			}
		}
		return out
	}
	if got := names("us-west-2"); !slices.Equal(got, []string{api.ID}) {
		t.Errorf("us-west-2 lists %v, want [%s]", got, api.ID)
	}
	if got := names("eu-west-1"); len(got) != 0 {
		t.Errorf("eu-west-1 lists %v: another region's API", got)
	}
	aws.fails("NotFoundException", "get-rest-api", "--rest-api-id", api.ID, "--region", "eu-west-1")
	aws.fails("NotFoundException", "delete-rest-api", "--rest-api-id", api.ID, "--region", "eu-west-1")
	aws.ok(nil, "delete-rest-api", "--rest-api-id", api.ID, "--region", "us-west-2")
}

func cliLifecycle(t *testing.T, aws *awsRunner) {
	var api struct{ ID, Name string }
	aws.ok(&api, "create-rest-api", "--name", "cli-api", "--endpoint-configuration", "types=REGIONAL")
	var res struct {
		Items []struct {
			ID, Path        string
			ResourceMethods map[string]json.RawMessage
		}
	}
	aws.ok(&res, "get-resources", "--rest-api-id", api.ID)
	if len(res.Items) != 1 || res.Items[0].Path != "/" {
		t.Fatalf("resources = %+v", res.Items)
	}
	root := res.Items[0].ID
	var items struct{ ID, Path string }
	aws.ok(&items, "create-resource", "--rest-api-id", api.ID, "--parent-id", root, "--path-part", "items")

	pool := "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_CliPool1"
	pool2 := "arn:aws:cognito-idp:us-west-2:123456789012:userpool/us-west-2_CliPool2"
	var az struct {
		ID, AuthType string
		ProviderARNs []string
	}
	aws.ok(&az, "create-authorizer", "--rest-api-id", api.ID, "--name", "pool", "--type", "COGNITO_USER_POOLS",
		"--provider-arns", pool, "--identity-source", "method.request.header.Authorization")
	if az.AuthType != "cognito_user_pools" {
		t.Errorf("authType = %q", az.AuthType)
	}
	aws.ok(nil, "put-method", "--rest-api-id", api.ID, "--resource-id", items.ID, "--http-method", "GET",
		"--authorization-type", "COGNITO_USER_POOLS", "--authorizer-id", az.ID, "--authorization-scopes", "todo/read")
	aws.ok(nil, "put-integration", "--rest-api-id", api.ID, "--resource-id", items.ID, "--http-method", "GET",
		"--type", "MOCK", "--request-templates", `{"application/json":"{\"statusCode\": 200}"}`)

	// AWS sends the cache fields even when nothing was cached (the CLI's
	// get-integration example); the Terraform provider reads them back.
	var in map[string]json.RawMessage
	aws.ok(&in, "get-integration", "--rest-api-id", api.ID, "--resource-id", items.ID, "--http-method", "GET")
	if string(in["cacheKeyParameters"]) != "[]" || string(in["cacheNamespace"]) != `"`+items.ID+`"` {
		t.Errorf("get-integration cache fields: cacheKeyParameters=%s cacheNamespace=%s", in["cacheKeyParameters"], in["cacheNamespace"])
	}

	var m struct {
		AuthorizationScopes []string
		MethodIntegration   struct{ Type string }
	}
	aws.ok(&m, "update-method", "--rest-api-id", api.ID, "--resource-id", items.ID, "--http-method", "GET",
		"--patch-operations", "op=add,path=/authorizationScopes,value=todo/write", "op=remove,path=/authorizationScopes,value=todo/read")
	if !slices.Equal(m.AuthorizationScopes, []string{"todo/write"}) || m.MethodIntegration.Type != "MOCK" {
		t.Errorf("after update-method: %+v", m)
	}
	aws.fails("BadRequestException", "update-method", "--rest-api-id", api.ID, "--resource-id", items.ID, "--http-method", "GET",
		"--patch-operations", "op=replace,path=/authorizationScopes,value=x/y")
	aws.ok(&az, "update-authorizer", "--rest-api-id", api.ID, "--authorizer-id", az.ID,
		"--patch-operations", "op=add,path=/providerARNs,value="+pool2, "op=remove,path=/providerARNs,value="+pool)
	if !slices.Equal(az.ProviderARNs, []string{pool2}) {
		t.Errorf("providerARNs = %v", az.ProviderARNs)
	}

	var dep struct{ ID string }
	aws.ok(&dep, "create-deployment", "--rest-api-id", api.ID, "--stage-name", "dev", "--description", "first")
	var sum struct {
		APISummary map[string]map[string]struct{ AuthorizationType string } `json:"apiSummary"`
	}
	aws.ok(&sum, "get-deployment", "--rest-api-id", api.ID, "--deployment-id", dep.ID, "--embed", "apisummary")
	if sum.APISummary["/items"]["GET"].AuthorizationType != "COGNITO_USER_POOLS" {
		t.Errorf("apiSummary = %+v", sum.APISummary)
	}

	// get-export writes the body to a file; YAML when asked.
	outYAML := filepath.Join(t.TempDir(), "api.yaml")
	aws.ok(nil, "get-export", "--rest-api-id", api.ID, "--stage-name", "dev", "--export-type", "swagger",
		"--parameters", "extensions=apigateway", "--accepts", "application/yaml", outYAML)
	if y := string(check(os.ReadFile(outYAML))(t)); !strings.Contains(y, "swagger: \"2.0\"") || !strings.Contains(y, "todo/write") ||
		!strings.Contains(y, pool2) {
		t.Errorf("swagger yaml export:\n%s", y)
	}

	// Errors as the CLI reports them.
	aws.fails("ConflictException", "delete-authorizer", "--rest-api-id", api.ID, "--authorizer-id", az.ID)
	aws.fails("NotFoundException", "get-rest-api", "--rest-api-id", "nope")
}

// cliImport imports an OAS3 document with a Cognito scheme and reads the
// methods back, paging one resource at a time.
func cliImport(r *awsRunner) {
	var imported struct{ ID string }
	r.ok(&imported, "import-rest-api", "--fail-on-warnings", "--body", "fileb://testdata/cognito-oas3.yaml")
	var ires struct {
		Items []struct {
			Path            string
			ResourceMethods map[string]struct {
				AuthorizerID        string `json:"authorizerId"`
				AuthorizationScopes []string
			}
		}
	}
	// --page-size 1 makes the CLI follow position tokens.
	r.ok(&ires, "get-resources", "--rest-api-id", imported.ID, "--embed", "methods", "--page-size", "1")
	found := false
	for _, r := range ires.Items {
		if g, ok := r.ResourceMethods["GET"]; ok && r.Path == "/items" {
			found = g.AuthorizerID != "" && slices.Equal(g.AuthorizationScopes, []string{"todo/read"})
		}
	}
	if len(ires.Items) != 3 || !found {
		r.t.Errorf("imported resources = %+v", ires.Items)
	}

}
