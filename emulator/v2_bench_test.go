package emulator

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"testing"

	"github.com/portcullis-dev/portcullis/tokens"
)

// deployV2Bench installs an HTTP API whose one route, GET /items, takes a
// JWT with scope todo/read, on an auto-deployed $default stage with an
// AWS_PROXY integration (the canned answer: no backend round trip).
func deployV2Bench(e *Emulator) string {
	const id = "httpbench1"
	e.mu.Lock()
	defer e.mu.Unlock()
	a := &httpAPIState{Region: "us-east-1", API: HTTPAPI{APIID: id, Name: "bench", ProtocolType: "HTTP"}}
	a.fill()
	a.Authorizers = []*HTTPAuthorizer{{AuthorizerID: "jwt1", Name: "cognito", AuthorizerType: "JWT",
		IdentitySource:   []string{"$request.header.Authorization"},
		JWTConfiguration: &JWTConfiguration{Issuer: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_DataPlane", Audience: []string{"client-a"}}}}
	a.Integrations = []*HTTPIntegration{{IntegrationID: "int1", IntegrationType: "AWS_PROXY", PayloadFormatVersion: "2.0",
		IntegrationURI: "arn:aws:lambda:us-east-1:123456789012:function:todo", TimeoutInMillis: 30000}}
	a.Routes = []*HTTPRoute{{RouteID: "r1", RouteKey: "GET /items", AuthorizationType: "JWT", AuthorizerID: "jwt1",
		AuthorizationScopes: []string{"todo/read"}, Target: "integrations/int1"}}
	a.Stages[DefaultStage] = &HTTPStage{StageName: DefaultStage, AutoDeploy: true}
	e.httpAPIs[id] = a
	e.autoDeployLocked(a)
	return id
}

// tokenCheckedGateway serves one token-checked route of the given kind
// (v1: a Cognito method with the authorizer cache off, so every request
// verifies; v2: a JWT route, which AWS never caches) and returns its URL
// and a token that passes.
func tokenCheckedGateway(b testing.TB, kind string, sigCache bool) (url, tok string, stop func()) {
	v := verifierForTest(b)
	v.NoSignatureCache = !sigCache
	e := New(Options{DataPlane: DataPlaneOptions{Verifier: v}})
	var path string
	switch kind {
	case "v1":
		deploy(e, "prod", testSnapshot("http://127.0.0.1:1"), nil)
		path = "/restapis/" + dpAPI + "/prod/_user_request_/items"
		tok = idToken(b)
	case "v2":
		path = "/restapis/" + deployV2Bench(e) + "/$default/_user_request_/items"
		tok = v2Token(b, tokens.UseAccess, "todo/read")
	}
	base, err := e.Start("127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	return base + path, tok, func() { e.Close() }
}

// BenchmarkTokenChecked measures token-checked invoke requests per second
// over loopback HTTP, v1 and v2, with every signature verified (the
// behaviour before the signature cache) and with the cache, in one run.
func BenchmarkTokenChecked(b *testing.B) {
	for _, kind := range []string{"v1", "v2"} {
		for _, cache := range []bool{false, true} {
			name := kind + "/verify-every-signature"
			if cache {
				name = kind + "/signature-cache"
			}
			b.Run(name, func(b *testing.B) {
				url, tok, stop := tokenCheckedGateway(b, kind, cache)
				defer stop()
				client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
				defer client.CloseIdleConnections()
				b.SetParallelism(8)
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						req, _ := http.NewRequest("GET", url, nil)
						req.Header.Set("Authorization", tok)
						resp, err := client.Do(req)
						if err != nil {
							b.Error(err)
							return
						}
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						if resp.StatusCode != 200 {
							b.Errorf("status %d", resp.StatusCode)
							return
						}
					}
				})
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
			})
		}
	}
}

// TestWrkTokenChecked runs wrk (Debian's wrk package) against the same
// four gateways, one after the other in one run, and prints requests per
// second. It runs only with PORTCULLIS_WRK=1: it is a measurement for
// docs/benchmarks.md, not a test.
func TestWrkTokenChecked(t *testing.T) {
	if os.Getenv("PORTCULLIS_WRK") != "1" {
		t.Skip("set PORTCULLIS_WRK=1 to measure with wrk")
	}
	dur := os.Getenv("PORTCULLIS_WRK_DURATION")
	if dur == "" {
		dur = "10s"
	}
	rps := regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	non2xx := regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
	for _, kind := range []string{"v1", "v2"} {
		for _, cache := range []bool{false, true} {
			url, tok, stop := tokenCheckedGateway(t, kind, cache)
			out, err := exec.Command("wrk", "-t2", "-c32", "-d"+dur, "-H", "Authorization: "+tok, url).CombinedOutput()
			stop()
			if err != nil {
				t.Fatalf("wrk: %v\n%s", err, out)
			}
			m := rps.FindSubmatch(out)
			if m == nil {
				t.Fatalf("wrk said:\n%s", out)
			}
			if bad := non2xx.FindSubmatch(out); bad != nil {
				if n, _ := strconv.Atoi(string(bad[1])); n > 0 {
					t.Fatalf("%s cache=%v: %d refused requests\n%s", kind, cache, n, out)
				}
			}
			fmt.Printf("wrk %s signature-cache=%v: %s req/s\n", kind, cache, m[1])
		}
	}
}

// BenchmarkTokenCheckedHandler is the v2 request without the network: the
// gateway's own cost per token-checked request, signature cache on.
func BenchmarkTokenCheckedHandler(b *testing.B) {
	for _, kind := range []string{"v1", "v2"} {
		b.Run(kind, func(b *testing.B) {
			v := verifierForTest(b)
			e := New(Options{DataPlane: DataPlaneOptions{Verifier: v}})
			var path, tok string
			if kind == "v1" {
				deploy(e, "prod", testSnapshot("http://127.0.0.1:1"), nil)
				path, tok = "/restapis/"+dpAPI+"/prod/_user_request_/items", idToken(b)
			} else {
				path, tok = "/restapis/"+deployV2Bench(e)+"/$default/_user_request_/items", v2Token(b, tokens.UseAccess, "todo/read")
			}
			h := e.Handler()
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest("GET", "http://127.0.0.1"+path, nil)
				req.Header.Set("Authorization", tok)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
}
