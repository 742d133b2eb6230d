package oasspec

import (
	"strings"
	"testing"

	"github.com/portcullis-dev/portcullis/spec"
)

// An HTTP API document reads as API Gateway's HTTP API importer would:
// isDefaultRoute makes an ANY operation the $default route wherever it
// sits, ANY on a greedy path stays a route key, a Cognito issuer names the
// pool, and security scopes are the route's.
func TestReadHTTPAPI(t *testing.T) {
	src := `openapi: 3.0.1
info: {title: t, version: "1"}
components:
  securitySchemes:
    pool:
      type: oauth2
      flows: {}
      x-amazon-apigateway-authorizer:
        type: jwt
        identitySource: $request.header.Authorization
        jwtConfiguration:
          issuer: https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc
          audience: [c1, c2]
paths:
  /site:
    x-amazon-apigateway-any-method:
      isDefaultRoute: true
      security: [{pool: []}]
  /files/{proxy+}:
    x-amazon-apigateway-any-method:
      security: [{pool: [files/read, files/write]}]
      x-amazon-apigateway-integration:
        type: HTTP_PROXY
        httpMethod: GET
        uri: https://files.example.com/{proxy}
`
	d, ds := Read("t.yaml", []byte(src), Options{})
	if ds.HasErrors() || len(d.APIs) != 0 || len(d.HTTPAPIs) != 1 {
		t.Fatalf("%v %d %d", ds, len(d.APIs), len(d.HTTPAPIs))
	}
	a := d.HTTPAPIs[0]
	a.Sort()
	var keys []string
	for _, r := range a.Routes {
		keys = append(keys, r.Key+" "+r.AuthType+" "+r.Authorizer+" ["+strings.Join(r.Scopes, ",")+"]")
	}
	want := "$default JWT pool [] | ANY /files/{proxy+} JWT pool [files/read,files/write]"
	if got := strings.Join(keys, " | "); got != want {
		t.Errorf("routes:\n got %s\nwant %s", got, want)
	}
	az := a.AuthorizerByName("pool")
	if az == nil || az.UserPoolID != "eu-west-1_Abc" || strings.Join(az.Audiences, ",") != "c1,c2" || az.IdentitySource() != spec.DefaultJWTIdentitySource {
		t.Errorf("authorizer: %+v", az)
	}
	in := a.Route("ANY /files/{proxy+}").Integration
	if in == nil || in.Type != spec.IntegrationHTTPProxy || in.Method != "GET" || in.PayloadFormatVersion != spec.PayloadFormat10 {
		t.Errorf("integration: %+v", in)
	}
	if ds := spec.Validate(d); len(ds) != 0 {
		t.Errorf("validation: %v", ds)
	}
}

// An unquoted payloadFormatVersion in YAML is a number: 1.0 and 2.0 still
// name the versions (it read as "1", which validation refused).
func TestReadHTTPPayloadFormatUnquoted(t *testing.T) {
	src := `openapi: 3.0.1
info: {title: t, version: "1"}
x-portcullis-protocol: HTTP
paths:
  /a:
    get:
      x-portcullis-public: true
      x-portcullis-public-reason: test
      x-amazon-apigateway-integration: {type: aws_proxy, uri: "arn:aws:lambda:us-east-1:123456789012:function:f", payloadFormatVersion: 1.0}
  /b:
    get:
      x-portcullis-public: true
      x-portcullis-public-reason: test
      x-amazon-apigateway-integration: {type: aws_proxy, uri: "arn:aws:lambda:us-east-1:123456789012:function:f", payloadFormatVersion: 2.0}
`
	d, ds := Read("t.yaml", []byte(src), Options{})
	if ds.HasErrors() || len(d.HTTPAPIs) != 1 {
		t.Fatalf("%v", ds)
	}
	a := d.HTTPAPIs[0]
	if v1, v2 := a.Route("GET /a").Integration.PayloadFormatVersion, a.Route("GET /b").Integration.PayloadFormatVersion; v1 != "1.0" || v2 != "2.0" {
		t.Errorf("payload format versions %q %q, want 1.0 2.0", v1, v2)
	}
	if ds := spec.Validate(d); ds.HasErrors() {
		t.Errorf("validation: %v", ds)
	}
}
