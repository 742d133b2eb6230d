package emulator

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkDataPlane measures invoke requests per second over loopback
// HTTP on a Cognito method (MOCK integration), with the token verified on
// every request (TTL 0) and with the authorizer cache (TTL 300).
func BenchmarkDataPlane(b *testing.B) {
	for _, c := range []struct {
		name string
		ttl  int32
	}{{"verify-every-request", 0}, {"authorizer-cache-300s", 300}} {
		b.Run(c.name, func(b *testing.B) {
			e := New(Options{DataPlane: DataPlaneOptions{Verifier: verifierForTest(b)}})
			snap := testSnapshot("http://127.0.0.1:1")
			snap.Authorizers[0].ResultTTL = ttl(c.ttl)
			deploy(e, "prod", snap, nil)
			base, err := e.Start("127.0.0.1:0")
			if err != nil {
				b.Fatal(err)
			}
			defer e.Close()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			defer client.CloseIdleConnections()
			url := base + "/restapis/" + dpAPI + "/prod/_user_request_/items"
			tok := idToken(b)
			// Many clients at once, as a load test would; 2 would leave the
			// server idle while each waits for its round trip.
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

// BenchmarkDataPlaneHandler is the same request without the network: the
// data plane's own cost per request, token verified every time.
func BenchmarkDataPlaneHandler(b *testing.B) {
	e := New(Options{DataPlane: DataPlaneOptions{Verifier: verifierForTest(b)}})
	snap := testSnapshot("http://127.0.0.1:1")
	deploy(e, "prod", snap, nil)
	h := e.Handler()
	tok := idToken(b)
	b.ReportAllocs()
	for b.Loop() {
		req := localRequest("GET", "/restapis/"+dpAPI+"/prod/_user_request_/items", nil)
		req.Header.Set("Authorization", tok)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("status %d", rec.Code)
		}
	}
}
