package terraform

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/internal/gentest"
)

func TestGolden(t *testing.T) {
	gentest.Golden(t, New(), generators.Options{})
}

func parse(t *testing.T, name string) (*hclsyntax.Body, string) {
	t.Helper()
	for _, ex := range gentest.Examples(t) {
		if ex.Name != name {
			continue
		}
		src := File(ex.Desc.APIs[0], ex.Desc.APIs[0].Stages, ex.Path)
		f, diags := hclsyntax.ParseConfig(src, name+".tf", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		return f.Body.(*hclsyntax.Body), string(src)
	}
	t.Fatalf("no example %s", name)
	return nil, ""
}

func block(body *hclsyntax.Body, labels ...string) *hclsyntax.Block {
	for _, b := range body.Blocks {
		if strings.Join(append([]string{b.Type}, b.Labels...), " ") == strings.Join(labels, " ") {
			return b
		}
	}
	return nil
}

func TestStructure(t *testing.T) {
	body, src := parse(t, "multipool")
	az := block(body, "resource", "aws_api_gateway_authorizer", "shop_staff")
	if az == nil {
		t.Fatal("no staff authorizer")
	}
	v, _ := az.Body.Attributes["type"].Expr.Value(nil)
	if v.AsString() != "COGNITO_USER_POOLS" {
		t.Errorf("authorizer type %s: the provider's default is TOKEN, so it must be explicit", v.AsString())
	}
	if block(body, "variable", "shop_staff_user_pool_arns") == nil {
		t.Error("pool ARNs must be a variable")
	}
	dep := block(body, "resource", "aws_api_gateway_deployment", "shop")
	if dep == nil || dep.Body.Attributes["triggers"] == nil || block(dep.Body, "lifecycle") == nil {
		t.Fatal("deployment needs triggers and a lifecycle block")
	}
	for _, want := range []string{
		"aws_api_gateway_authorizer.shop_staff,",
		"aws_api_gateway_method.shop_admin_orders_orderid_var_get,",
		"aws_api_gateway_gateway_response.shop_unauthorized,",
	} {
		if !strings.Contains(src, want) {
			t.Errorf("the redeployment hash must cover %s", want)
		}
	}
	m := block(body, "resource", "aws_api_gateway_method", "shop_cart_get")
	if m == nil {
		t.Fatal("no GET /cart method")
	}
	for _, attr := range []string{"authorization", "authorizer_id", "authorization_scopes", "request_parameters"} {
		if m.Body.Attributes[attr] == nil {
			t.Errorf("GET /cart lacks %s", attr)
		}
	}
	pre := block(body, "resource", "aws_api_gateway_method", "shop_cart_options")
	if pre == nil || pre.Body.Attributes["authorizer_id"] != nil {
		t.Error("the CORS preflight must exist and carry no authorizer")
	}

	body, _ = parse(t, "existing-api")
	if block(body, "resource", "aws_api_gateway_rest_api", "orders") != nil {
		t.Error("an existing API must not be created")
	}
	if block(body, "data", "aws_api_gateway_resource", "orders_root") == nil || block(body, "variable", "orders_rest_api_id") == nil {
		t.Error("an existing API is a variable with its root looked up")
	}
}
