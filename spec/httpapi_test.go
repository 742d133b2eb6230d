package spec

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCognitoIssuer(t *testing.T) {
	for id, want := range map[string]string{
		"us-east-1_AbC123":  "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123",
		"eu-west-2_x":       "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_x",
		"cn-north-1_Q":      "https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_Q",
		"us-east-1":         "",
		"AbC123":            "",
		"us-east-1_bad-id!": "",
	} {
		if got := CognitoIssuer(id); got != want {
			t.Errorf("CognitoIssuer(%q) = %q, want %q", id, got, want)
		}
		if want == "" {
			continue
		}
		region, pool, ok := ParseCognitoIssuer(want)
		if !ok || pool != id || !strings.HasPrefix(id, region+"_") {
			t.Errorf("ParseCognitoIssuer(%q) = %q, %q, %v", want, region, pool, ok)
		}
	}
	if _, _, ok := ParseCognitoIssuer("https://login.example.com/"); ok {
		t.Error("a non-Cognito issuer parsed as Cognito")
	}
}

func TestParseRouteKey(t *testing.T) {
	for key, want := range map[string][3]string{
		"$default":          {"", "", "true"},
		"get /items":        {"get", "/items", "true"}, // validation rejects the case
		"ANY /{proxy+}":     {"ANY", "/{proxy+}", "true"},
		" POST  /a/{id} ":   {"POST", "/a/{id}", "true"},
		"/items":            {"", "", "false"},
		"GET":               {"", "", "false"},
		"$default GET /x":   {"$default", "GET /x", "true"}, // validation rejects the method
		"":                  {"", "", "false"},
		"OPTIONS /x/{y+}":   {"OPTIONS", "/x/{y+}", "true"},
		"patch /a b":        {"patch", "/a b", "true"},
		"GET /items?x=1":    {"GET", "/items?x=1", "true"},
		"DELETE /items/{i}": {"DELETE", "/items/{i}", "true"},
	} {
		m, p, ok := ParseRouteKey(key)
		if m != want[0] || p != want[1] || (ok && want[2] != "true") || (!ok && want[2] == "true") {
			t.Errorf("ParseRouteKey(%q) = %q, %q, %v; want %v", key, m, p, ok, want)
		}
	}
}

// The v2 shape in the JSON document is never null where a list or map is
// expected, like v1's.
func TestDocumentHTTPAPINeverNull(t *testing.T) {
	d := &Description{HTTPAPIs: []*HTTPAPI{{
		Name:        "h",
		Authorizers: []*JWTAuthorizer{{Name: "jwt", Type: AuthorizerJWT, Issuer: CognitoIssuer("us-east-1_P")}},
		Routes:      []*HTTPRoute{{Key: "$default", AuthType: AuthJWT, Authorizer: "jwt"}},
		Stages:      []*HTTPStage{{Name: DefaultStageName, AutoDeploy: true}},
		CORS:        &CORS{AllowOrigins: []string{"https://app.example.com"}},
	}}}
	b, err := json.Marshal(ToDocument(d, DocOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{`"format_version":"1.1"`, `"apis":[]`, `"protocol":"HTTP"`, `"user_pool_id":"us-east-1_P"`,
		`"auto_deploy":true`, `"allow_headers":[]`, `"scopes":[]`, `"audiences":[]`} {
		if !strings.Contains(s, want) {
			t.Errorf("document lacks %s:\n%s", want, s)
		}
	}
	if strings.Contains(strings.NewReplacer(`"default_authorizer":null`, "", `"integration":null`, "").Replace(s), "null") {
		t.Errorf("document has a null besides the optional default authorizer and integration:\n%s", s)
	}
	if len(ToDocument(&Description{}, DocOptions{}).HTTPAPIs) != 0 || ToDocument(&Description{}, DocOptions{}).HTTPAPIs == nil {
		t.Error("an empty description must give http_apis: []")
	}
}
