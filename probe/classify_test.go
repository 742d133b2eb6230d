package probe

import (
	"errors"
	"net/http"
	"testing"
)

// Recorded API Gateway answers, from docs/api-gateway-facts.md (Data-plane answers).
func TestClassify(t *testing.T) {
	h := func(kv ...string) http.Header {
		out := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	cases := []struct {
		name    string
		a       Answer
		want    Class
		expired bool
	}{
		{"no token", Answer{Status: 401, Header: h("X-Amzn-ErrorType", "UnauthorizedException", "Content-Type", "application/json"), Body: []byte(`{"message":"Unauthorized"}`)}, ClassUnauthorized, false},
		{"401 customised body", Answer{Status: 401, Body: []byte(`{"error":"sign in"}`)}, ClassUnauthorized, false},
		{"expired", Answer{Status: 401, Header: h("X-Amzn-ErrorType", "UnauthorizedException"), Body: []byte(`{"message":"The incoming token has expired"}`)}, ClassUnauthorized, true},
		{"expired, capital Message", Answer{Status: 401, Body: []byte(`{"Message":"The incoming token has expired"}`)}, ClassUnauthorized, true},
		{"missing authentication token", Answer{Status: 403, Header: h("X-Amzn-ErrorType", "MissingAuthenticationTokenException"), Body: []byte(`{"message":"Missing Authentication Token"}`)}, ClassNotDeployed, false},
		{"missing token, capital Message, no header", Answer{Status: 403, Body: []byte(`{"Message":"Missing Authentication Token"}`)}, ClassNotDeployed, false},
		{"missing token, lower case text", Answer{Status: 403, Body: []byte(`{"message":"missing authentication token"}`)}, ClassNotDeployed, false},
		{"explicit deny", Answer{Status: 403, Header: h("X-Amzn-ErrorType", "AccessDeniedException"), Body: []byte(`{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********2345:abc123/prod/GET/items with an explicit deny"}`)}, ClassDenied, false},
		{"api key", Answer{Status: 403, Header: h("X-Amzn-ErrorType", "ForbiddenException"), Body: []byte(`{"message":"Forbidden"}`)}, ClassDenied, false},
		{"waf", Answer{Status: 403, Body: []byte(`{"message":"Forbidden"}`)}, ClassDenied, false},
		{"bad signature", Answer{Status: 403, Header: h("X-Amzn-ErrorType", "InvalidSignatureException"), Body: []byte(`{"message":"Signature expired: 20260101T000000Z is now earlier than 20260101T000500Z"}`)}, ClassDenied, false},
		{"backend's own 401 through a proxy", Answer{Status: 401, Header: h("X-Amzn-Remapped-WWW-Authenticate", `Basic realm="backend"`), Body: []byte(`{"message":"Unauthorized"}`)}, ClassReached, false},
		{"backend 200", Answer{Status: 200, Body: []byte(`[]`)}, ClassReached, false},
		{"backend 204", Answer{Status: 204}, ClassReached, false},
		{"redirect to login", Answer{Status: 302, Header: h("Location", "https://login.example.com/")}, ClassReached, false},
		{"backend 404", Answer{Status: 404, Body: []byte(`{"message":"Not Found"}`)}, ClassReached, false},
		{"lambda error", Answer{Status: 502, Body: []byte(`{"message": "Internal server error"}`)}, ClassReached, false},
		{"integration timeout", Answer{Status: 504, Body: []byte(`{"message": "Endpoint request timed out"}`)}, ClassReached, false},
		{"throttled", Answer{Status: 429, Header: h("X-Amzn-ErrorType", "TooManyRequestsException"), Body: []byte(`{"message":"Too Many Requests"}`)}, ClassThrottled, false},
		{"authorizer misconfigured", Answer{Status: 500, Header: h("X-Amzn-ErrorType", "AuthorizerConfigurationException"), Body: []byte(`{"message":null}`)}, ClassAuthorizerError, false},
		{"no answer", Answer{Err: errors.New("connection refused")}, ClassNetwork, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.a.Header == nil {
				c.a.Header = http.Header{}
			}
			if got := Classify(c.a); got != c.want {
				t.Errorf("Classify = %s, want %s", got, c.want)
			}
			if got := Expired(c.a); got != c.expired {
				t.Errorf("Expired = %v, want %v", got, c.expired)
			}
		})
	}
}

func TestMessage(t *testing.T) {
	cases := map[string]string{
		`{"message":"Unauthorized"}`:       "Unauthorized",
		`{"Message":"Unauthorized"}`:       "Unauthorized",
		`{"MESSAGE":"x"}`:                  "x",
		`{"message":null}`:                 "",
		`{"other":"x"}`:                    "",
		"  plain text  ":                   "plain text",
		`<html>Service Unavailable</html>`: "<html>Service Unavailable</html>",
	}
	for body, want := range cases {
		if got := Message([]byte(body)); got != want {
			t.Errorf("Message(%s) = %q, want %q", body, got, want)
		}
	}
}

func TestHasCORS(t *testing.T) {
	h := http.Header{}
	if HasCORS(h, "https://a.example") {
		t.Error("no header must not count")
	}
	h.Set("Access-Control-Allow-Origin", "https://b.example")
	if HasCORS(h, "https://a.example") {
		t.Error("another origin must not count")
	}
	h.Set("Access-Control-Allow-Origin", "https://a.example")
	if !HasCORS(h, "https://a.example") {
		t.Error("the origin must count")
	}
	h.Set("Access-Control-Allow-Origin", "*")
	if !HasCORS(h, "https://a.example") {
		t.Error("* must count")
	}
}
