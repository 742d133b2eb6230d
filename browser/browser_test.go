package browser

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/portcullis-dev/portcullis/internal/peertest"
)

const origin = "https://app.example.com"

// gateway answers like API Gateway would with the CORS behaviour chosen by
// the path: /ok (preflight and 401 both carry CORS headers), /no-cors-401
// (the 401 lacks them), /no-preflight (the preflight lacks them),
// /no-auth-header (the preflight does not allow Authorization).
func gateway() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if r.Method == "OPTIONS" {
			switch r.URL.Path {
			case "/no-preflight":
				w.WriteHeader(403)
				return
			case "/no-auth-header":
				h.Set("Access-Control-Allow-Headers", "Content-Type")
			default:
				h.Set("Access-Control-Allow-Headers", "Content-Type,Authorization")
			}
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Access-Control-Allow-Methods", "GET,DELETE,OPTIONS")
			w.WriteHeader(200)
			return
		}
		if r.URL.Path != "/no-cors-401" {
			h.Set("Access-Control-Allow-Origin", origin)
		}
		h.Set("Content-Type", "application/json")
		w.WriteHeader(401)
		_, _ = w.Write([]byte(`{"message":"Unauthorized"}`))
	}))
}

func TestWhatThePageSees(t *testing.T) {
	path := peertest.Chromium(t)
	srv := gateway()
	defer srv.Close()
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := "http://" + ln.Addr().String() + "/x"
	ln.Close()

	ctx := context.Background()
	b, err := Launch(ctx, Options{Path: path, Origin: origin})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	auth := map[string]string{"Authorization": "not-a-token"}
	for _, c := range []struct {
		name      string
		req       Request
		status    int
		corsError string
		preflight bool
	}{
		{"readable 401 without a token (no preflight)", Request{URL: srv.URL + "/ok"}, 401, "", false},
		{"readable 401 after a preflight", Request{Method: "DELETE", URL: srv.URL + "/ok", Headers: auth}, 401, "", true},
		{"401 without CORS headers", Request{URL: srv.URL + "/no-cors-401"}, 0, "MissingAllowOriginHeader", false},
		{"401 without CORS headers after a preflight", Request{URL: srv.URL + "/no-cors-401", Headers: auth}, 0, "MissingAllowOriginHeader", true},
		{"preflight refused", Request{URL: srv.URL + "/no-preflight", Headers: auth}, 0, "Preflight", true},
		{"identity header not allowed", Request{URL: srv.URL + "/no-auth-header", Headers: auth}, 0, "HeaderDisallowedByPreflightResponse", true},
	} {
		a, err := b.Fetch(ctx, c.req)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if a.Status != c.status || !strings.HasPrefix(a.CORSError, c.corsError) || (c.corsError == "" && a.CORSError != "") || a.Preflight != c.preflight {
			t.Errorf("%s: %+v, want status %d, CORS error %q, preflight %t", c.name, a, c.status, c.corsError, c.preflight)
		}
		if c.status == 0 && a.Error == "" {
			t.Errorf("%s: the page saw no error", c.name)
		}
	}
	a, err := b.Fetch(ctx, Request{URL: closed})
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != 0 || a.CORSError != "" || a.NetError == "" {
		t.Errorf("closed port: %+v, want a network error", a)
	}
}

func TestLaunchWithoutABrowser(t *testing.T) {
	_, err := Launch(context.Background(), Options{Path: "/nonexistent/chromium", Origin: origin})
	if err == nil || !strings.Contains(err.Error(), "apt-get install chromium") {
		t.Errorf("err = %v, want the install hint", err)
	}
	t.Setenv("PORTCULLIS_CHROMIUM", "/nonexistent/chromium")
	if _, err := Find(); err == nil || !strings.Contains(err.Error(), "PORTCULLIS_CHROMIUM") {
		t.Errorf("Find: %v", err)
	}
	if _, err := Launch(context.Background(), Options{Path: "/bin/true", Origin: "app.example.com"}); err == nil {
		t.Error("an origin without a scheme was accepted")
	}
}

// TestNormalURL: Chromium reports URLs in this form; a request is matched
// to its events by it.
func TestNormalURL(t *testing.T) {
	for in, want := range map[string]string{
		"HTTPS://App.Example.com:443/a?b=1":         "https://app.example.com/a?b=1",
		"http://127.0.0.1:80":                       "http://127.0.0.1/",
		"http://127.0.0.1:4567/restapis/x/$default": "http://127.0.0.1:4567/restapis/x/$default",
		"http://localhost:8080/a b#frag":            "http://localhost:8080/a%20b",
	} {
		if got := normal(in); got != want {
			t.Errorf("normal(%q) = %q, want %q", in, got, want)
		}
	}
}
