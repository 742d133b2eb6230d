package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"

	"github.com/portcullis-dev/portcullis/internal/peertest"
	"github.com/portcullis-dev/portcullis/spec"
)

// The HTML report in a real browser: Debian's Chromium, driven by the
// pinned playwright-core of peers/browser, opens the file offline, shows
// no console error, makes no request, and its filters by severity,
// region and API show what the report holds. The screenshot is kept in
// testdata/artifacts (or $PORTCULLIS_ARTIFACTS).
func TestHTMLReportInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a browser")
	}
	chromium := "/usr/bin/chromium"
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("chromium missing (apt-get install chromium chromium-driver): %v", err)
		}
		t.Skip("chromium not installed (apt-get install chromium chromium-driver)")
	}
	playwright := peertest.Require(t, "browser/node_modules/playwright-core/package.json")
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node: %v", err)
	}

	g := newGateway(t)
	orders := g.seed(t, "us-east-1", "orders", 6, 3)
	g.seed(t, "us-east-1", "catalogue", 4, 0)
	g.seed(t, "eu-west-1", "payments", 3, 0)
	g.seedHTTP(t, "eu-west-1", "events")
	legacy := g.seed(t, "ap-southeast-2", "legacy", 2, 1)
	// Out of band, not deployed: orders opens GET /p0; legacy protects
	// GET /p0, which its stage still serves open.
	setAuth(t, g.mustClient(t, "us-east-1"), orders, "/p0", "NONE")
	setAuth(t, g.mustClient(t, "ap-southeast-2"), legacy, "/p0", "COGNITO_USER_POOLS")
	// orders is described, with no public method: its open ones are errors.
	base := NewBaseline("apis", []*spec.API{{Name: "orders", Region: "us-east-1", Range: spec.Range{Filename: "apis/orders.hcl"}}})
	r := run(t, Options{Regions: []string{"us-east-1", "eu-west-1", "ap-southeast-2"}, Kinds: []Kind{g.kind(), g.httpKind()}, Baseline: base})
	withErrors, inRegion := []string{}, []string{}
	one := ""
	for _, a := range collect(t, r) {
		if worst(a.Findings) == "error" {
			withErrors = append(withErrors, apiKey(a))
		}
		if a.Region == "us-east-1" {
			inRegion = append(inRegion, apiKey(a))
		}
		if a.Name == "payments" {
			one = apiKey(a)
		}
	}
	sort.Strings(withErrors)
	sort.Strings(inRegion)

	dir := os.Getenv("PORTCULLIS_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("testdata", "artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	dir, _ = filepath.Abs(dir)
	html := filepath.Join(dir, "audit.html")
	var b bytes.Buffer
	if err := Write(&b, "html", r, Meta{ToolVersion: "test", Generated: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(html, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	screenshot := filepath.Join(dir, "audit-report.png")
	cfg := map[string]any{
		"modules": filepath.Dir(filepath.Dir(playwright)), "chromium": chromium, "html": html, "screenshot": screenshot,
		"apis": r.Summary.APIs, "errors": r.Summary.Findings.Error, "withErrors": withErrors,
		"region": "us-east-1", "inRegion": inRegion, "one": one, "cleanRegion": "eu-west-1", "docs": DocsBase,
	}
	cfgFile := filepath.Join(t.TempDir(), "cfg.json")
	cb, _ := json.Marshal(cfg)
	if err := os.WriteFile(cfgFile, cb, 0o644); err != nil {
		t.Fatal(err)
	}
	runner, _ := filepath.Abs(filepath.Join("testdata", "browser", "report.mjs"))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, runner, cfgFile)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("the browser run failed: %v\n%s\n%s", err, out, stderr.String())
	}
	var res struct {
		Checks []struct {
			Name, Want, Got string
			Pass            bool
		}
		Console  []string
		Requests []string
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("runner output: %v\n%s", err, out)
	}
	if len(res.Checks) < 15 {
		t.Errorf("the runner made %d checks", len(res.Checks))
	}
	for _, c := range res.Checks {
		if !c.Pass {
			t.Errorf("in the browser: %s: want %s, got %s", c.Name, c.Want, c.Got)
		}
	}
	if len(res.Console) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(res.Console, "\n"))
	}
	if len(res.Requests) > 0 {
		t.Errorf("the report made requests: %v", res.Requests)
	}
	if st, err := os.Stat(screenshot); err != nil || st.Size() == 0 {
		t.Errorf("no screenshot: %v", err)
	}
	t.Logf("report: %s", html)
	t.Logf("screenshot: %s", screenshot)
}

// setAuth changes a GET method's authorization with UpdateMethod, as
// someone in the console would, without deploying.
func setAuth(t *testing.T, c *apigateway.Client, id, path, auth string) {
	t.Helper()
	ctx := context.Background()
	res, err := c.GetResources(ctx, &apigateway.GetResourcesInput{RestApiId: &id, Limit: aws.Int32(500)})
	if err != nil {
		t.Fatal(err)
	}
	rid := ""
	for _, r := range res.Items {
		if aws.ToString(r.Path) == path {
			rid = aws.ToString(r.Id)
		}
	}
	ops := []types.PatchOperation{{Op: types.OpReplace, Path: aws.String("/authorizationType"), Value: aws.String(auth)}}
	if auth == "COGNITO_USER_POOLS" {
		azs, err := c.GetAuthorizers(ctx, &apigateway.GetAuthorizersInput{RestApiId: &id})
		if err != nil || len(azs.Items) == 0 {
			t.Fatalf("authorizers: %v", err)
		}
		ops = append(ops, types.PatchOperation{Op: types.OpReplace, Path: aws.String("/authorizerId"), Value: azs.Items[0].Id})
	}
	if _, err := c.UpdateMethod(ctx, &apigateway.UpdateMethodInput{RestApiId: &id, ResourceId: &rid, HttpMethod: aws.String("GET"), PatchOperations: ops}); err != nil {
		t.Fatal(err)
	}
}
