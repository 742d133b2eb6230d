package probe

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/portcullis-dev/portcullis/emulator"
)

// TestOnlyJudgesWhatItReached: a server that is not the stage answers
// anything; its answers are never read as an open route. moto (a control
// plane without a data plane) answers S3's XML 404 at the stage URL; a web
// server answers an HTML page. When nothing answers as API Gateway, Run
// fails (the CLI exits 2: could not reach the stage).
func TestOnlyJudgesWhatItReached(t *testing.T) {
	answers := map[string]func(w http.ResponseWriter){
		"moto": func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/xml")
			w.Header().Set("x-amzn-requestid", "abc")
			w.WriteHeader(404)
			_, _ = w.Write([]byte(`<?xml version="1.0"?><Error><Code>NoSuchBucket</Code></Error>`))
		},
		"html 200": func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte(`<html><body>It works!</body></html>`))
		},
		"plain 404": func(w http.ResponseWriter) {
			w.WriteHeader(404)
			_, _ = w.Write([]byte(`404 page not found`))
		},
		"html 500": func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(500)
			_, _ = w.Write([]byte(`<title>500 Internal Server Error</title>`))
		},
	}
	for name, answer := range answers {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { answer(w) }))
			defer srv.Close()
			ds, res, err := Run(context.Background(), Options{API: shop(t), BaseURL: srv.URL + "/prod", Tokens: minted(t)})
			if !errors.Is(err, ErrNotGateway) {
				t.Fatalf("err = %v, want ErrNotGateway", err)
			}
			if ds != nil {
				t.Errorf("findings from answers that are not the stage's: %v", ds)
			}
			for _, row := range res.Routes {
				if row.Verdict == VerdictOpen {
					t.Errorf("%s judged OPEN", row.Key)
				}
			}
		})
	}

	// One route behind a real stage, one path that is not: the second is
	// inconclusive, never open.
	f := newFake(t, false)
	mux := http.NewServeMux()
	mux.Handle("/", f)
	mux.HandleFunc("/prod/files/", func(w http.ResponseWriter, _ *http.Request) { answers["html 200"](w) })
	f.srv.Config.Handler = mux
	ds, res := probeFake(t, f, Options{})
	for _, row := range res.Routes {
		if row.Key == "GET /files/{path+}" && row.Verdict != VerdictInconclusive {
			t.Errorf("%s: verdict %q, want inconclusive", row.Key, row.Verdict)
		}
	}
	if c := codes(ds); has(c["GET /files/{path+}"], CodeOpen) {
		t.Errorf("open on an answer that is not the gateway's: %v", c["GET /files/{path+}"])
	}
}

func TestFromGateway(t *testing.T) {
	h := func(kv ...string) http.Header {
		out := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	for _, c := range []struct {
		name string
		a    Answer
		want bool
	}{
		{"gateway 401", Answer{Status: 401, Header: h("Content-Type", "application/json"), Body: []byte(`{"message":"Unauthorized"}`)}, true},
		{"backend 404 through the gateway", Answer{Status: 404, Header: h("x-amz-apigw-id", "Abc", "Content-Type", "text/html")}, true},
		{"gateway 403", Answer{Status: 403, Header: h("x-amzn-ErrorType", "MissingAuthenticationTokenException")}, true},
		{"json 404 message", Answer{Status: 404, Body: []byte(`{"message":"Not Found"}`)}, true},
		{"json 200", Answer{Status: 200, Body: []byte(`{}`)}, true},
		{"xml 404", Answer{Status: 404, Header: h("Content-Type", "application/xml")}, false},
		{"bare 502", Answer{Status: 502, Body: []byte("Bad Gateway")}, false},
		{"html 200", Answer{Status: 200, Header: h("Content-Type", "text/html")}, false},
	} {
		if got := FromGateway(c.a); got != c.want {
			t.Errorf("%s: FromGateway = %v", c.name, got)
		}
	}
}

// TestCheckPathStyle: only gateways known to serve
// /restapis/ID/STAGE/_user_request_ get a URL built that way.
func TestCheckPathStyle(t *testing.T) {
	gw := httptest.NewServer(emulator.New(emulator.Options{}).Handler())
	defer gw.Close()
	if err := CheckPathStyle(context.Background(), gw.Client(), gw.URL); err != nil {
		t.Errorf("local gateway: %v", err)
	}
	other := httptest.NewServer(http.NotFoundHandler())
	defer other.Close()
	err := CheckPathStyle(context.Background(), other.Client(), other.URL)
	if !errors.Is(err, ErrNoPathStyle) || !strings.Contains(err.Error(), "--base-url") || !strings.Contains(err.Error(), other.URL) {
		t.Errorf("another server: %v", err)
	}
}
