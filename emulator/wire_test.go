package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

// testSigV4 is shaped like the Authorization header AWS clients send.
const testSigV4 = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/apigateway/aws4_request, SignedHeaders=host;x-amz-date, Signature=00"

// raw sends one request and returns status, headers and body.
func raw(t *testing.T, srv *httptest.Server, method, path, body string, header ...string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	// What every AWS client and admin caller sends (see guard.go).
	if strings.HasPrefix(path, "/_portcullis/") {
		req.Header.Set(AdminHeader, "1")
	} else if !strings.Contains(path, "/_user_request_") {
		req.Header.Set("Authorization", testSigV4)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func rawJSON(t *testing.T, srv *httptest.Server, method, path, body string, want int) map[string]any {
	t.Helper()
	status, _, out := raw(t, srv, method, path, body)
	if status != want {
		t.Fatalf("%s %s = %d, want %d: %s", method, path, status, want, out)
	}
	var m map[string]any
	if out != "" {
		if err := json.Unmarshal([]byte(out), &m); err != nil {
			t.Fatalf("%s %s: %v: %s", method, path, err, out)
		}
	}
	return m
}

// TestWireFormat checks the exact JSON shapes and headers the SDKs rely on.
func TestWireFormat(t *testing.T) {
	srv := httptest.NewServer(New(Options{}).Handler())
	defer srv.Close()
	api := rawJSON(t, srv, "POST", "/restapis", `{"name":"wire"}`, 201)
	id := api["id"].(string)
	if _, ok := api["createdDate"].(float64); !ok {
		t.Errorf("createdDate is not epoch seconds: %v", api["createdDate"])
	}
	root := api["rootResourceId"].(string)
	a := rawJSON(t, srv, "POST", "/restapis/"+id+"/resources/"+root, `{"pathPart":"a"}`, 201)
	b := rawJSON(t, srv, "POST", "/restapis/"+id+"/resources/"+a["id"].(string), `{"pathPart":"{b+}"}`, 201)
	rawJSON(t, srv, "PUT", "/restapis/"+id+"/resources/"+b["id"].(string)+"/methods/GET", `{"authorizationType":"NONE"}`, 201)

	// Collections: "item" and "position"; no embed means empty method objects.
	page := rawJSON(t, srv, "GET", "/restapis/"+id+"/resources?limit=2", "", 200)
	items, _ := page["item"].([]any)
	if len(items) != 2 || page["position"] == nil {
		t.Fatalf("page = %v", page)
	}
	page = rawJSON(t, srv, "GET", "/restapis/"+id+"/resources?position="+page["position"].(string), "", 200)
	last := page["item"].([]any)[0].(map[string]any)
	if _, more := page["position"]; more || last["path"] != "/a/{b+}" {
		t.Fatalf("last page = %v", page)
	}
	if m, _ := json.Marshal(last["resourceMethods"]); string(m) != `{"GET":{}}` {
		t.Errorf("resourceMethods without embed = %s", m)
	}
	// A greedy resource cannot have children.
	status, _, _ := raw(t, srv, "POST", "/restapis/"+id+"/resources/"+b["id"].(string), `{"pathPart":"c"}`)
	if status != 400 {
		t.Errorf("child of greedy = %d", status)
	}

	// Errors: status, X-Amzn-ErrorType, {"message"}.
	status, h, body := raw(t, srv, "GET", "/restapis/nope", "")
	if status != 404 || !strings.HasPrefix(h.Get("X-Amzn-ErrorType"), "NotFoundException:") || h.Get("Content-Type") != "application/json" {
		t.Errorf("404: %d %v", status, h)
	}
	var msg map[string]string
	if json.Unmarshal([]byte(body), &msg); msg["message"] == "" || len(msg) != 1 {
		t.Errorf("error body = %s", body)
	}
	if status, _, _ := raw(t, srv, "GET", "/restapis/"+id+"/models", ""); status != 404 {
		t.Errorf("unemulated route = %d", status)
	}

	// Patch keys escape "/" as "~1".
	m := rawJSON(t, srv, "PATCH", "/restapis/"+id+"/resources/"+b["id"].(string)+"/methods/GET",
		`{"patchOperations":[{"op":"add","path":"/requestModels/application~1json","value":"Empty"}]}`, 200)
	if models, _ := m["requestModels"].(map[string]any); models["application/json"] != "Empty" {
		t.Errorf("requestModels = %v", m["requestModels"])
	}
	// A value that is not a string is refused.
	if status, _, _ := raw(t, srv, "PATCH", "/restapis/"+id, `{"patchOperations":[{"op":"replace","path":"/name","value":5}]}`); status != 400 {
		t.Errorf("non-string patch value = %d", status)
	}

	// Terraform switches the endpoint type by replacing the old one.
	ra := rawJSON(t, srv, "PATCH", "/restapis/"+id, `{"patchOperations":[{"op":"replace","path":"/endpointConfiguration/types/EDGE","value":"REGIONAL"},{"op":"replace","path":"/description","value":"d"}]}`, 200)
	if v, _ := json.Marshal(ra["endpointConfiguration"]); string(v) != `{"types":["REGIONAL"]}` || ra["description"] != "d" {
		t.Errorf("UpdateRestApi = %v", ra)
	}

	// Renaming a resource moves its subtree.
	r := rawJSON(t, srv, "PATCH", "/restapis/"+id+"/resources/"+a["id"].(string), `{"patchOperations":[{"op":"replace","path":"/pathPart","value":"z"}]}`, 200)
	child := rawJSON(t, srv, "GET", "/restapis/"+id+"/resources/"+b["id"].(string), "", 200)
	if r["path"] != "/z" || child["path"] != "/z/{b+}" {
		t.Errorf("after rename: %v, child %v", r["path"], child["path"])
	}

	// HTTP integration URIs: absolute, stage variables allowed anywhere.
	for uri, want := range map[string]int{
		"http://127.0.0.1:9/x":                   201,
		"http://${stageVariables.backend}/items": 201,
		"${stageVariables.url}":                  201,
		"/relative":                              400,
		"ftp://host/x":                           400,
	} {
		status, _, body := raw(t, srv, "PUT", "/restapis/"+id+"/resources/"+b["id"].(string)+"/methods/GET/integration",
			`{"type":"HTTP_PROXY","httpMethod":"GET","uri":"`+uri+`"}`)
		if status != want {
			t.Errorf("integration uri %s = %d, want %d: %s", uri, status, want, body)
		}
	}

	// Stages: variables added and removed by patch.
	rawJSON(t, srv, "PUT", "/restapis/"+id+"/resources/"+b["id"].(string)+"/methods/GET/integration", `{"type":"MOCK"}`, 201)
	dep := rawJSON(t, srv, "POST", "/restapis/"+id+"/deployments", `{"stageName":"s1","variables":{"a":"1","b":"2"}}`, 201)
	if _, has := dep["snapshot"]; has {
		t.Error("the snapshot leaks onto the wire")
	}
	st := rawJSON(t, srv, "PATCH", "/restapis/"+id+"/stages/s1", `{"patchOperations":[{"op":"remove","path":"/variables/a"},{"op":"replace","path":"/variables/c","value":"3"}]}`, 200)
	if v, _ := json.Marshal(st["variables"]); string(v) != `{"b":"2","c":"3"}` {
		t.Errorf("variables = %s", v)
	}

	// Export as YAML when Accept asks (the Go SDK always asks for JSON).
	status, h, body = raw(t, srv, "GET", "/restapis/"+id+"/stages/s1/exports/oas30?extensions=integrations", "", "Accept", "application/yaml")
	var doc map[string]any
	if status != 200 || h.Get("Content-Type") != "application/yaml" || yaml.Unmarshal([]byte(body), &doc) != nil || doc["openapi"] != "3.0.1" {
		t.Errorf("yaml export: %d %s\n%s", status, h.Get("Content-Type"), body)
	}
	if !strings.Contains(body, "/z/{b+}") {
		t.Errorf("export lacks the greedy path:\n%s", body)
	}
	if status, _, _ := raw(t, srv, "GET", "/restapis/"+id+"/stages/s1/exports/raml", ""); status != 400 {
		t.Errorf("unknown export type = %d", status)
	}
	if status, _, _ := raw(t, srv, "GET", "/restapis/"+id+"/stages/nope/exports/oas30", ""); status != 404 {
		t.Errorf("export of a missing stage = %d", status)
	}

	// The admin endpoint can wipe the state.
	if status, _, _ := raw(t, srv, "DELETE", "/_portcullis/state", ""); status != 204 {
		t.Errorf("reset = %d", status)
	}
	if status, _, _ := raw(t, srv, "GET", "/restapis/"+id, ""); status != 404 {
		t.Errorf("API survived reset: %d", status)
	}
}
