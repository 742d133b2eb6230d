package terraform

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/internal/gentest"
	"github.com/portcullis-dev/portcullis/restapi"
	"github.com/portcullis-dev/portcullis/spec"
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

func loadAPI(t *testing.T, name string) *spec.API {
	t.Helper()
	for _, ex := range gentest.Examples(t) {
		if ex.Name == name {
			return ex.Desc.APIs[0]
		}
	}
	t.Fatalf("no example %s", name)
	return nil
}

// TestTriggerFollowsWhatMatters: a changed scope or user pool changes
// the redeployment trigger; the same description gives the same one.
func TestTriggerFollowsWhatMatters(t *testing.T) {
	trigger := func(a *spec.API) string {
		src := File(a, a.Stages, "x.hcl")
		f, diags := hclsyntax.ParseConfig(src, "x.tf", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		dep := block(f.Body.(*hclsyntax.Body), "resource", "aws_api_gateway_deployment", ident(a.Name))
		body := string(dep.Body.Attributes["triggers"].Expr.Range().SliceBytes(src))
		// The variables' defaults carry the pools.
		for _, b := range f.Body.(*hclsyntax.Body).Blocks {
			if b.Type == "variable" {
				body += string(b.Range().SliceBytes(src))
			}
		}
		return body
	}
	base := loadAPI(t, "todo")
	before := trigger(base)
	if trigger(loadAPI(t, "todo")) != before {
		t.Fatal("the trigger is not deterministic")
	}
	scoped := *base
	scoped.Routes = nil
	for _, r := range base.Routes {
		c := *r
		if len(c.Scopes) > 0 {
			c.Scopes = append([]string{"todo/extra"}, c.Scopes...)
		}
		scoped.Routes = append(scoped.Routes, &c)
	}
	if trigger(&scoped) == before {
		t.Error("a changed scope does not change the trigger")
	}
	pooled := *base
	pooled.Authorizers = nil
	for _, az := range base.Authorizers {
		c := *az
		c.UserPoolARNs = append([]string{"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Other"}, c.UserPoolARNs...)
		pooled.Authorizers = append(pooled.Authorizers, &c)
	}
	if trigger(&pooled) == before {
		t.Error("a changed user pool does not change the trigger")
	}
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
	// The trigger hashes the described configuration and the pool
	// variables, never whole resources (the provider's refresh turns unset
	// attributes into [] and {}, which would redeploy after every first
	// apply).
	trig := string(dep.Body.Attributes["triggers"].Expr.Range().SliceBytes([]byte(src)))
	for _, want := range []string{`"` + restapi.AuthHash(loadAPI(t, "multipool")) + `"`, "sort(var.shop_staff_user_pool_arns)"} {
		if !strings.Contains(trig, want) {
			t.Errorf("the redeployment trigger must cover %s:\n%s", want, trig)
		}
	}
	if strings.Contains(trig, "aws_api_gateway_") {
		t.Errorf("the redeployment trigger hashes whole resources:\n%s", trig)
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
