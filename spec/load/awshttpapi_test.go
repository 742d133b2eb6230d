package load

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/portcullis-dev/portcullis/spec"
)

// TestAWSShapedHTTPAPIDocuments reads the HTTP API documents written as AWS
// documents and exports them (testdata/aws-httpapi/README.md): each loads
// without an error and gives the model API Gateway's importer would build.
func TestAWSShapedHTTPAPIDocuments(t *testing.T) {
	load := func(name string) *spec.HTTPAPI {
		t.Helper()
		d, ds := Load(filepath.Join("testdata/aws-httpapi", name), Options{})
		if ds.HasErrors() || len(d.HTTPAPIs) != 1 {
			t.Fatalf("%s: %d HTTP APIs, %s", name, len(d.HTTPAPIs), dump(ds))
		}
		a := d.HTTPAPIs[0]
		a.Sort()
		return a
	}
	routes := func(a *spec.HTTPAPI) string {
		var out []string
		for _, r := range a.Routes {
			s := r.Key + " " + r.AuthType + " " + r.Authorizer + " [" + strings.Join(r.Scopes, ",") + "]"
			if in := r.Integration; in != nil {
				s += " " + in.Type + " " + in.PayloadFormatVersion
			}
			out = append(out, s)
		}
		return strings.Join(out, " | ")
	}

	// ExportApi without extensions' authorizers: the $default route under
	// /$default, the apigateway-ARN form of a Lambda URI, the server URL's
	// api id and region.
	a := load("export-default-route.yaml")
	if got, want := routes(a), "$default NONE  [] AWS_PROXY 2.0"; got != want {
		t.Errorf("export-default-route routes:\n got %s\nwant %s", got, want)
	}
	if a.APIID != "a1b2c3d4e5" || a.Region != "us-east-2" {
		t.Errorf("export-default-route: api id %q region %q", a.APIID, a.Region)
	}

	// ExportApi with extensions: scopes on ANY /{proxy+}, CORS at the root.
	a = load("export-with-extensions.json")
	want := "$default JWT cognito-jwt [] AWS_PROXY 2.0 | GET /pets JWT cognito-jwt [pets/read] AWS_PROXY 2.0 | ANY /{proxy+} JWT cognito-jwt [pets/read,pets/write] HTTP_PROXY 1.0"
	if got := routes(a); got != want {
		t.Errorf("export-with-extensions routes:\n got %s\nwant %s", got, want)
	}
	if a.CORS == nil || strings.Join(a.CORS.AllowOrigins, ",") != "https://app.example.com" || a.CORS.MaxAgeSeconds != 600 {
		t.Errorf("export-with-extensions CORS: %+v", a.CORS)
	}

	// An openIdConnect scheme without an issuer takes it from
	// openIdConnectUrl, so it is the same authorizer as the oauth2 one.
	a = load("authorizer-oauth2-and-openidconnect.json")
	oauth, oidc := a.AuthorizerByName("jwt-authorizer-oauth"), a.AuthorizerByName("jwt-authorizer-autofind")
	if oauth == nil || oidc == nil || oidc.Issuer != oauth.Issuer || oidc.UserPoolID != "us-east-1_AbCdEf123" {
		t.Errorf("openIdConnect issuer: %+v, oauth2 %+v", oidc, oauth)
	}
	if rg := oidc.At("issuer"); rg.Start.Line != 20 {
		t.Errorf("openIdConnect issuer's range: %v, want line 20 (openIdConnectUrl)", rg)
	}
	if got, want := routes(a), "GET /pets JWT jwt-authorizer-oauth [pets/read] AWS_PROXY 2.0 | POST /pets JWT jwt-authorizer-autofind [] HTTP_PROXY 1.0"; got != want {
		t.Errorf("oauth2/openIdConnect routes:\n got %s\nwant %s", got, want)
	}

	// security: [] opts an operation out; root-level security is not
	// applied (docs/spec.md, "HTTP APIs").
	a = load("root-security-and-opt-out.yaml")
	if got, want := routes(a), "GET /health NONE  [] HTTP_PROXY 1.0 | ANY /{proxy+} NONE  [] AWS_PROXY 2.0"; got != want {
		t.Errorf("root-security routes:\n got %s\nwant %s", got, want)
	}
}
