package terraform

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/portcullis-dev/portcullis/generators/internal/gentest"
	"github.com/portcullis-dev/portcullis/spec"
)

// An existing HTTP API keeps its stages: the file creates none, leaves the
// auto-deploying $default alone (the routes are live on it as they are
// made), and adopts "prod", which serves a deployment, with an import
// block so that it can point it at the new deployment (the provider's
// deployment cannot name a stage). With no stage described, nothing is
// deployed.
func TestExistingHTTPAPIStages(t *testing.T) {
	var a *spec.HTTPAPI
	for _, ex := range gentest.Examples(t) {
		if ex.Name == "existing-http-api" {
			a = ex.Desc.HTTPAPIs[0]
		}
	}
	if a == nil {
		t.Fatal("no example existing-http-api")
	}
	parse := func() (*hclsyntax.Body, string) {
		src := HTTPFile(a, a.Stages, "x")
		f, diags := hclsyntax.ParseConfig(src, "x.tf", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		return f.Body.(*hclsyntax.Body), string(src)
	}
	body, src := parse()
	if block(body, "resource", "aws_apigatewayv2_stage", "orders_http_default") != nil || block(body, "resource", "aws_apigatewayv2_api", "orders_http") != nil {
		t.Errorf("an existing API's $default stage or the API itself is created:\n%s", src)
	}
	prod := block(body, "resource", "aws_apigatewayv2_stage", "orders_http_prod")
	if prod == nil || prod.Body.Attributes["deployment_id"] == nil || block(body, "resource", "aws_apigatewayv2_deployment", "orders_http") == nil {
		t.Fatalf("prod must serve the new deployment:\n%s", src)
	}
	imp := block(body, "import")
	if imp == nil || !strings.Contains(src, `to = aws_apigatewayv2_stage.orders_http_prod`) || !strings.Contains(src, `id = join("/", [var.orders_http_api_id, "prod"])`) {
		t.Errorf("prod must be adopted with an import block:\n%s", src)
	}

	a.Stages = nil
	body, src = parse()
	for _, b := range body.Blocks {
		if b.Type == "import" || (len(b.Labels) > 0 && (b.Labels[0] == "aws_apigatewayv2_stage" || b.Labels[0] == "aws_apigatewayv2_deployment")) {
			t.Errorf("no stage described: nothing to create, adopt or deploy, got %s %v", b.Type, b.Labels)
		}
	}
	if !strings.Contains(src, "after the next deployment") {
		t.Errorf("the file must say when the routes go live:\n%s", src)
	}
}
