package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/portcullis-dev/portcullis/emulator"
	"github.com/portcullis-dev/portcullis/internal/schemas"
	"github.com/portcullis-dev/portcullis/probe"
)

// probeKinds are the two examples, one per kind of API.
var probeKinds = []struct{ example, apiType string }{
	{"../examples/todo", "rest"},
	{"../examples/http-api", "http"},
}

// commonCheckFields are the fields every check of either kind has
// (docs/probe.schema.json).
var commonCheckFields = []string{"route", "method", "path", "case", "expected", "status", "class", "verdict", "code", "cors", "detail"}

// TestProbeJSONOneShape: `probe --format json` and apply's `probe` give a
// REST API's result and an HTTP API's in one shape (docs/probe.schema.json):
// the same top-level keys, the same fields on every route and check, and
// the same jq filters read both.
func TestProbeJSONOneShape(t *testing.T) {
	keys := map[string][]string{}
	for _, tc := range probeKinds {
		t.Run(tc.apiType, func(t *testing.T) {
			t.Setenv("PORTCULLIS_STATE_DIR", t.TempDir())
			example, _ := filepath.Abs(tc.example)
			out, errOut, code := runCLI(t, "apply", example, "--local", "--auto-approve", "--probe", "--format", "json")
			if code != 0 {
				t.Fatalf("apply --probe: exit %d\n%s\n%s", code, out, errOut)
			}
			applied := decodeDoc(t, out)
			probeOut, errOut, code := runCLI(t, "probe", example, "--local", "--format", "json")
			if code != 0 {
				t.Fatalf("probe: exit %d\n%s\n%s", code, probeOut, errOut)
			}
			for name, doc := range map[string]map[string]any{"probe": decodeDoc(t, probeOut), "apply's probe": applied["probe"].(map[string]any)} {
				b, _ := json.Marshal(doc)
				if err := schemas.Probe(b); err != nil {
					t.Errorf("%s does not match docs/probe.schema.json: %v\n%s", name, err, b)
				}
				if doc["format_version"] != "2.0" || doc["api_type"] != tc.apiType {
					t.Errorf("%s: format_version %v, api_type %v", name, doc["format_version"], doc["api_type"])
				}
				for _, c := range doc["checks"].([]any) {
					for _, f := range commonCheckFields {
						if _, ok := c.(map[string]any)[f]; !ok {
							t.Fatalf("%s: a check without %s: %v", name, f, c)
						}
					}
				}
			}
			doc := decodeDoc(t, probeOut)
			for k := range doc {
				keys[tc.apiType] = append(keys[tc.apiType], k)
			}
			sort.Strings(keys[tc.apiType])

			// The filters a CI script would run, the same for both kinds.
			for _, f := range []struct{ filter, want string }{
				{`"\(.api_type) \(.format_version) \(.valid) \(.requests > 0)"`, tc.apiType + " 2.0 true true"},
				{`[.checks[] | select(.verdict == "fail")] | length | tostring`, "0"},
				{`.routes[] | select(.route == "GET /items") | .verdict`, "protected"},
				{`.checks[] | select(.route == "GET /items" and .case == "no-token") | "\(.expected) \(.status) \(.class) \(.verdict) [\(.code)]"`, "refuse 401 unauthorized pass []"},
				{`[.checks[] | select(.route == "GET /items" and .expected == "admit") | .status] | unique | map(tostring) | join(",")`, "200"},
				// The same cases have the same names in both.
				{`[.checks[] | select(.route == "GET /items" and (.case == "access-token" or .case == "bearer")) | "\(.case) \(.status)"] | sort | join(",")`, "access-token 200,bearer 200"},
				{`.routes[] | select(.public) | "\(.route) \(.verdict)"`, "GET /health public"},
				// --local's gateway stops with the run: both cite local serve's address.
				{`.base_url | test("^http://127\\.0\\.0\\.1:4567/restapis/\\w+/[^/]+/_user_request_$") | tostring`, "true"},
			} {
				for what, doc := range map[string]string{"probe": probeOut, "apply": out} {
					filter := f.filter
					if what == "apply" {
						filter = ".probe | " + filter
					}
					if got := jqStrings(t, filter, doc); !reflect.DeepEqual(got, []string{f.want}) {
						t.Errorf("%s | jq '%s' = %q, want %q", what, filter, got, f.want)
					}
				}
			}
		})
	}
	if len(keys) == 2 && !reflect.DeepEqual(keys["rest"], keys["http"]) {
		t.Errorf("top-level keys differ: rest %q, http %q", keys["rest"], keys["http"])
	}
}

// TestProbeOpenGatewayFindings: a gateway on loopback that answers every
// request (an open stage) gives the same verdict, the same finding codes
// on the failing checks and registered rules for both kinds of API;
// an HTTP API's v2-only case (an access token without the route's scopes
// admitted) has its own code, and its SARIF log, checked against the SARIF
// 2.1.0 schema, describes every rule in full.
func TestProbeOpenGatewayFindings(t *testing.T) {
	t.Setenv("PORTCULLIS_STATE_DIR", t.TempDir())
	open := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Apigw-Requestid", "fake")
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodOptions {
			w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Write([]byte(`{"items":[]}`))
	}))
	defer open.Close()
	rules := map[string]bool{}
	for _, r := range probe.Rules() {
		rules[r.ID] = true
	}
	for _, tc := range probeKinds {
		t.Run(tc.apiType, func(t *testing.T) {
			example, _ := filepath.Abs(tc.example)
			out, errOut, code := runCLI(t, "probe", example, "--stage", "prod", "--base-url", open.URL+"/prod", "--format", "json")
			if code != 1 {
				t.Fatalf("probe of an open stage: exit %d, want 1\n%s\n%s", code, out, errOut)
			}
			if err := schemas.Probe([]byte(out)); err != nil {
				t.Errorf("does not match docs/probe.schema.json: %v", err)
			}
			if got := jqStrings(t, `.routes[] | select(.route == "GET /items") | .verdict`, out); !reflect.DeepEqual(got, []string{probe.VerdictOpen}) {
				t.Errorf("GET /items verdict %q, want OPEN", got)
			}
			if got := jqStrings(t, `.checks[] | select(.route == "GET /items" and .case == "no-token") | "\(.verdict) \(.code)"`, out); !reflect.DeepEqual(got, []string{"fail " + probe.CodeOpen}) {
				t.Errorf("GET /items no-token: %q", got)
			}
			codes := jqStrings(t, `[.checks[] | select(.code != "") | .code] + [.diagnostics[].code] | unique | .[]`, out)
			for _, c := range codes {
				if !rules[c] {
					t.Errorf("code %q is not in probe.Rules()", c)
				}
			}
			if tc.apiType == "http" {
				for _, want := range []string{probe.CodeOpen, probe.CodeScopeMissingAdmitted, probe.CodeScopesIgnored} {
					if !slices.Contains(codes, want) {
						t.Errorf("codes %q lack %s", codes, want)
					}
				}
				if got := jqStrings(t, `.checks[] | select(.route == "GET /items" and .case == "scope-missing") | "\(.expected) \(.status) \(.class) \(.code)"`, out); !reflect.DeepEqual(got, []string{"forbid 200 reached " + probe.CodeScopeMissingAdmitted}) {
					t.Errorf("GET /items scope-missing: %q", got)
				}
			}

			out, _, code = runCLI(t, "probe", example, "--stage", "prod", "--base-url", open.URL+"/prod", "--format", "sarif")
			if code != 1 {
				t.Fatalf("probe --format sarif: exit %d", code)
			}
			if err := schemas.SARIF([]byte(out)); err != nil {
				t.Errorf("not a SARIF 2.1.0 log: %v", err)
			}
			var log struct {
				Runs []struct {
					Tool struct {
						Driver struct {
							Rules []struct {
								ID, Name                                string
								ShortDescription, FullDescription, Help struct{ Text string }
							}
						}
					}
					Results []struct{ RuleID string }
				}
			}
			if err := json.Unmarshal([]byte(out), &log); err != nil || len(log.Runs) != 1 || len(log.Runs[0].Results) == 0 {
				t.Fatalf("SARIF: %v\n%s", err, out)
			}
			for _, r := range log.Runs[0].Tool.Driver.Rules {
				if !rules[r.ID] || r.Name == "" || r.Help.Text == "" || r.Help.Text == r.ShortDescription.Text {
					t.Errorf("SARIF rule %s is not a registered rule with its name and help: %+v", r.ID, r)
				}
			}
			for _, r := range log.Runs[0].Results {
				if !rules[r.RuleID] {
					t.Errorf("SARIF result of unregistered rule %q", r.RuleID)
				}
			}
		})
	}
}

// TestHTTPProbeOriginOnEveryRequest: with a CORS configuration, every
// request of the v2 probe carries Origin, as a browser's would, and whether
// the JWT authorizer's 401/403 carry CORS headers (AWS does not document
// it) is reported as information, the probe passing either way: the local
// gateway adds them; a proxy in front of it that strips them from every
// refusal, as AWS might, gets the other answer.
func TestHTTPProbeOriginOnEveryRequest(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("PORTCULLIS_STATE_DIR", dir)
	example, _ := filepath.Abs("../examples/http-api")
	if out, errOut, code := runCLI(t, "apply", example, "--local", "--auto-approve"); code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", code, out, errOut)
	}
	gw, stop, err := emulator.StartLocalIn(dir, emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	_, errOut, _ := runCLI(t, "probe", example, "--local", "--debug")
	apiID := regexp.MustCompile(`/restapis/(\w+)/`).FindStringSubmatch(errOut)
	if apiID == nil {
		t.Fatalf("no API id in the trace:\n%s", errOut)
	}
	target, _ := url.Parse(gw)
	for _, strip := range []bool{false, true} {
		var mu sync.Mutex
		var origins []string
		proxy := httputil.NewSingleHostReverseProxy(target)
		proxy.ModifyResponse = func(resp *http.Response) error {
			if strip && (resp.StatusCode == 401 || resp.StatusCode == 403) {
				for k := range resp.Header {
					if strings.HasPrefix(k, "Access-Control-") {
						resp.Header.Del(k)
					}
				}
			}
			return nil
		}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			origins = append(origins, r.Method+" "+r.Header.Get("Origin"))
			mu.Unlock()
			proxy.ServeHTTP(w, r)
		}))
		base := srv.URL + "/restapis/" + apiID[1] + "/$default/_user_request_"
		out, errOut, code := runCLI(t, "probe", example, "--base-url", base, "--format", "json")
		srv.Close()
		if code != 0 {
			t.Fatalf("strip %v: exit %d, want 0 either way\n%s\n%s", strip, code, out, errOut)
		}
		if len(origins) < 10 {
			t.Fatalf("strip %v: %d requests", strip, len(origins))
		}
		for _, o := range origins {
			if !strings.HasSuffix(o, " https://app.example.com") {
				t.Errorf("strip %v: a request without the Origin: %q", strip, o)
			}
		}
		info := jqStrings(t, `.diagnostics[] | select(.code == "`+probe.CodeRefusalCORS+`") | "\(.severity) \(.summary)"`, out)
		refusals := jqStrings(t, `[.checks[] | select(.class == "unauthorized" or .class == "forbidden") | .cors | tostring] | unique | .[]`, out)
		want, cors := `^info The JWT authorizer's refusals carry CORS headers for https://app\.example\.com \((\d+) of (\d+)\)$`, "true"
		if strip {
			want, cors = `^info The JWT authorizer's refusals carry no CORS headers for https://app\.example\.com \(0 of \d+\)$`, "false"
		}
		if len(info) != 1 || !regexp.MustCompile(want).MatchString(info[0]) {
			t.Errorf("strip %v: the information %q, want %s", strip, info, want)
		}
		if !reflect.DeepEqual(refusals, []string{cors}) {
			t.Errorf("strip %v: the refusals' cors %q, want %s", strip, refusals, cors)
		}
	}
}
