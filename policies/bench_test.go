package policies

import (
	"fmt"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/portcullis-dev/portcullis/internal/cputime"
	"github.com/portcullis-dev/portcullis/spec"
)

// BigDescription builds an API with n routes under a few authorizers,
// CORS and gateway responses, where about one route in ten draws a finding
// (unauthenticated, public writes, bad scopes, suppressed ones).
func BigDescription(n int) *spec.Description {
	file := "big.hcl"
	at := func(line int) spec.Range {
		return hcl.Range{Filename: file, Start: hcl.Pos{Line: line, Column: 3}, End: hcl.Pos{Line: line, Column: 20}}
	}
	a := &spec.API{Name: "big", Region: "us-east-1", Range: at(1), Ranges: spec.Ranges{}, DefaultAuthorizer: "a0"}
	for i := 0; i < 4; i++ {
		a.Authorizers = append(a.Authorizers, &spec.Authorizer{
			Name: fmt.Sprintf("a%d", i), Type: spec.AuthorizerCognito,
			UserPoolARNs:   []string{fmt.Sprintf("arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Pool%d", i)},
			IdentitySource: spec.DefaultIdentitySource, TTLSeconds: 300 * (i % 2), Range: at(2 + i), Ranges: spec.Ranges{},
		})
	}
	a.CORS = &spec.CORS{AllowOrigins: []string{"https://app.example.com"}, Range: at(10), Ranges: spec.Ranges{}}
	a.GatewayResponses = spec.CORSGatewayResponses(a.CORS)
	verbs := []string{"GET", "POST", "PUT", "DELETE"}
	for i := 0; i < n; i++ {
		r := &spec.Route{
			Method: verbs[i%4], Path: fmt.Sprintf("/r%d/items/{id}", i/4),
			AuthType: spec.AuthCognito, Authorizer: fmt.Sprintf("a%d", i%4), Scopes: []string{"big/read"},
			Range: at(20 + i), Ranges: spec.Ranges{},
		}
		switch i % 20 {
		case 0:
			r.AuthType, r.Authorizer, r.Scopes = spec.AuthNone, "", nil // PCA001
		case 5:
			r.AuthType, r.Authorizer, r.Scopes, r.Public, r.Reason = spec.AuthNone, "", nil, true, "open" // PCA003 on writes
			r.Suppressions = []spec.Suppression{{Rule: "PCA003", Reason: "signed webhook", Range: at(20 + i)}}
		case 10:
			r.Scopes = []string{"read"} // PCA009
		}
		a.Routes = append(a.Routes, r)
	}
	a.Sort()
	return &spec.Description{APIs: []*spec.API{a}, Files: map[string][]byte{}}
}

// All built-in rules, suppressions included, over a 10,000-route model.
func BenchmarkBuiltinRules10k(b *testing.B) {
	d := BigDescription(10000)
	b.ReportAllocs()
	var n int
	cpu := cputime.Process()
	for b.Loop() {
		n = len(Run(d, Config{}))
	}
	b.ReportMetric(float64(cputime.Process()-cpu)/float64(b.N)/1e6, "cpu-ms/op")
	b.ReportMetric(float64(n), "findings")
}

// BigHTTPDescription is BigDescription for an HTTP API: n JWT routes under
// four Cognito authorizers and one of another issuer, a CORS configuration,
// and one route in ten drawing a finding (open, public writes, scopes
// Cognito never issues, unscoped routes beside scoped ones).
func BigHTTPDescription(n int) *spec.Description {
	file := "big.hcl"
	at := func(line int) spec.Range {
		return hcl.Range{Filename: file, Start: hcl.Pos{Line: line, Column: 3}, End: hcl.Pos{Line: line, Column: 20}}
	}
	a := &spec.HTTPAPI{Name: "big", Region: "us-east-1", Range: at(1), Ranges: spec.Ranges{}, DefaultAuthorizer: "a0"}
	for i := 0; i < 5; i++ {
		az := &spec.JWTAuthorizer{
			Name: fmt.Sprintf("a%d", i), Type: spec.AuthorizerJWT, UserPoolID: fmt.Sprintf("us-east-1_Pool%d", i),
			Audiences: []string{"client1"}, IdentitySources: []string{spec.DefaultJWTIdentitySource}, Range: at(2 + i), Ranges: spec.Ranges{},
		}
		az.Issuer = spec.CognitoIssuer(az.UserPoolID)
		if i == 4 {
			az.UserPoolID, az.Issuer = "", "https://login.example.com"
		}
		a.Authorizers = append(a.Authorizers, az)
	}
	a.CORS = &spec.CORS{AllowOrigins: []string{"https://app.example.com"}, AllowHeaders: []string{"authorization"}, Range: at(10), Ranges: spec.Ranges{}}
	verbs := []string{"GET", "POST", "PUT", "DELETE", "PATCH"}
	for i := 0; i < n; i++ {
		// Twenty routes in a row share an authorizer, so each draws every
		// kind of finding; the public route of each twenty is a POST.
		m, p := verbs[(i/4)%5], fmt.Sprintf("/r%d/items/{id}", i)
		r := &spec.HTTPRoute{
			Key: m + " " + p, Method: m, Path: p,
			AuthType: spec.AuthJWT, Authorizer: fmt.Sprintf("a%d", (i/20)%5), Scopes: []string{"big/read"},
			Range: at(20 + i), Ranges: spec.Ranges{},
		}
		switch i % 20 {
		case 0:
			r.AuthType, r.Authorizer, r.Scopes = spec.AuthNone, "", nil // PCA001
		case 5:
			r.AuthType, r.Authorizer, r.Scopes, r.Public, r.Reason = spec.AuthNone, "", nil, true, "open" // PCA003 on writes
			r.Suppressions = []spec.Suppression{{Rule: "PCA003", Reason: "signed webhook", Range: at(20 + i)}}
		case 10:
			r.Scopes = []string{"read"} // PCA009 (Cognito authorizers only)
		case 15:
			r.Scopes = nil // PCA021, and PCA022 or PCA010 on the authorizer
		}
		a.Routes = append(a.Routes, r)
	}
	a.Sort()
	return &spec.Description{HTTPAPIs: []*spec.HTTPAPI{a}, Files: map[string][]byte{}}
}

// All built-in rules, suppressions included, over a 10,000-route HTTP API.
func BenchmarkBuiltinRulesHTTP10k(b *testing.B) {
	d := BigHTTPDescription(10000)
	b.ReportAllocs()
	var n int
	cpu := cputime.Process()
	for b.Loop() {
		n = len(Run(d, Config{}))
	}
	b.ReportMetric(float64(cputime.Process()-cpu)/float64(b.N)/1e6, "cpu-ms/op")
	b.ReportMetric(float64(n), "findings")
}

func TestBigHTTPDescriptionFindings(t *testing.T) {
	count := map[string]int{}
	for _, d := range Run(BigHTTPDescription(1000), Config{}) {
		count[d.Code]++
	}
	// Per 1,000 routes: 50 open, 50 public (PCA003 on the writes, all
	// suppressed), 50 bad scopes of which the ten under the non-Cognito
	// issuer are not judged, 50 unscoped; one scope mix per authorizer,
	// PCA022 for the four Cognito ones and PCA010 for the other.
	want := map[string]int{"PCA001": 50, "PCA003": 50, "PCA009": 40, "PCA021": 50, "PCA022": 4, "PCA010": 1}
	for code, n := range want {
		if count[code] != n {
			t.Errorf("%s: %d findings, want %d (all: %v)", code, count[code], n, count)
		}
	}
}

func TestBigDescriptionFindings(t *testing.T) {
	ds := Run(BigDescription(1000), Config{})
	count := map[string]int{}
	for _, d := range ds {
		count[d.Code]++
	}
	// 50 unauthenticated, 50 public (a quarter GET: no PCA003, the rest
	// suppressed PCA003), 50 malformed scopes, one mixed-token-types per
	// authorizer that guards unscoped... none here: all guarded routes
	// have scopes.
	if count["PCA001"] != 50 || count["PCA009"] != 50 || count["PCA003"] == 0 {
		t.Errorf("findings = %v", count)
	}
	for _, d := range ds {
		if d.Code == "PCA003" && !d.Suppressed {
			t.Errorf("PCA003 not suppressed: %s", d.Error())
		}
	}
}
