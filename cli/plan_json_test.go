package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/portcullis-dev/portcullis/internal/peertest"
	"github.com/portcullis-dev/portcullis/internal/schemas"
)

// TestPlanJSONOneShape: `plan --format json`, the saved plan and `apply
// --format json` give a REST API's plan and an HTTP API's in one shape
// (docs/plan.schema.json): the same key, the same common fields, and
// `jq '.plan.changes[] | .address'` lists the changes of both; deploy's
// document names the API the same way.
func TestPlanJSONOneShape(t *testing.T) {
	for _, tc := range []struct {
		example, apiType, api, stage string
		addresses                    []string // some of the changes
	}{
		{"../examples/todo", "rest", "todo", "prod", []string{"api.todo", "authorizer.cognito", "method.GET /items"}},
		{"../examples/http-api", "http", "todo-http", "$default", []string{"http_api.todo-http", "authorizer.cognito", "route.GET /items"}},
	} {
		t.Run(tc.apiType, func(t *testing.T) {
			dir := t.TempDir()
			t.Setenv("PORTCULLIS_STATE_DIR", dir)
			example, _ := filepath.Abs(tc.example)
			saved := filepath.Join(dir, "saved.plan")

			out, errOut, code := runCLI(t, "plan", example, "--local", "--format", "json", "-o", saved)
			if code != 0 {
				t.Fatalf("plan: exit %d\n%s\n%s", code, out, errOut)
			}
			doc := decodeDoc(t, out)
			p := planOf(t, doc)
			for field, want := range map[string]any{"format_version": "2.0", "api_type": tc.apiType, "api": tc.api, "api_id": "",
				"stage": tc.stage, "target": "local " + dir, "live_fingerprint": "absent"} {
				if p[field] != want {
					t.Errorf("plan.%s = %#v, want %#v", field, p[field], want)
				}
			}
			addrs := jqAddresses(t, out)
			if len(addrs) == 0 || len(addrs) != len(p["changes"].([]any)) {
				t.Fatalf("jq addresses %q for %d changes", addrs, len(p["changes"].([]any)))
			}
			for _, a := range tc.addresses {
				if !slices.Contains(addrs, a) {
					t.Errorf("jq addresses %q lack %s", addrs, a)
				}
			}
			// A kind both APIs have is named alike: one filter finds the
			// authorizer of either.
			if got := jqStrings(t, `.plan.changes[] | select(.kind == "authorizer") | .address`, out); !reflect.DeepEqual(got, []string{"authorizer.cognito"}) {
				t.Errorf("the authorizer changes: %q", got)
			}

			// The saved file is the same object, in the same format.
			b, err := os.ReadFile(saved)
			if err != nil {
				t.Fatal(err)
			}
			if err := schemas.Plan(b); err != nil {
				t.Errorf("the saved plan does not match docs/plan.schema.json: %v", err)
			}
			var file map[string]any
			if err := json.Unmarshal(b, &file); err != nil || !reflect.DeepEqual(file, p) {
				t.Errorf("the saved plan is not the printed one (%v):\n%s", err, b)
			}

			out, errOut, code = runCLI(t, "apply", example, "--local", "--auto-approve", "--format", "json")
			if code != 0 {
				t.Fatalf("apply: exit %d\n%s\n%s", code, out, errOut)
			}
			doc = decodeDoc(t, out)
			planOf(t, doc)
			if got := jqAddresses(t, out); !reflect.DeepEqual(got, addrs) {
				t.Errorf("apply's jq addresses %q, plan's %q", got, addrs)
			}
			res, _ := doc["result"].(map[string]any)
			id, _ := res["api_id"].(string)
			if doc["applied"] != true || id == "" || res["stage"] != tc.stage {
				t.Fatalf("apply result: %s", out)
			}

			out, errOut, code = runCLI(t, "plan", example, "--local", "--format", "json")
			if code != 0 {
				t.Fatalf("plan after apply: exit %d\n%s\n%s", code, out, errOut)
			}
			doc = decodeDoc(t, out)
			p = planOf(t, doc)
			if doc["changed"] != false || p["api_id"] != id || len(p["changes"].([]any)) != 0 {
				t.Errorf("plan after apply: want no changes to %s:\n%s", id, out)
			}
			if got := jqAddresses(t, out); len(got) != 0 {
				t.Errorf("jq addresses of an empty plan: %q", got)
			}

			// probe's document says the kind of API too; stdout is the one
			// document in every format.
			out, errOut, code = runCLI(t, "probe", example, "--local", "--format", "json")
			doc = decodeDoc(t, out)
			if code != 0 || doc["api_type"] != tc.apiType || doc["valid"] != true {
				t.Errorf("probe --format json: exit %d\n%s\n%s", code, out, errOut)
			}
			out, _, code = runCLI(t, "probe", example, "--local", "--format", "sarif")
			if sarif := decodeDoc(t, out); code != 0 || sarif["version"] != "2.1.0" {
				t.Errorf("probe --format sarif: exit %d\n%s", code, out)
			}

			// deploy names the API as the plan does.
			out, errOut, code = runCLI(t, "deploy", example, "--local", "--format", "json")
			if code != 0 {
				t.Fatalf("deploy: exit %d\n%s\n%s", code, out, errOut)
			}
			doc = decodeDoc(t, out)
			if doc["api_type"] != tc.apiType || doc["api_id"] != id || doc["stage"] != tc.stage || doc["deployment_id"] == "" {
				t.Errorf("deploy document: %s", out)
			}
		})
	}
}

func decodeDoc(t *testing.T, out string) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	return doc
}

// planOf is the document's `plan`, checked against the schema.
func planOf(t *testing.T, doc map[string]any) map[string]any {
	t.Helper()
	p, ok := doc["plan"].(map[string]any)
	if !ok {
		t.Fatalf("no plan object: %v", doc)
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := schemas.Plan(b); err != nil {
		t.Errorf("plan does not match docs/plan.schema.json: %v\n%s", err, b)
	}
	return p
}

// jqAddresses runs exactly what a CI script would, with the real jq.
func jqAddresses(t *testing.T, doc string) []string {
	t.Helper()
	jq, err := exec.LookPath("jq")
	if err != nil {
		peertest.Missing(t, "apt-get install jq", err)
	}
	// Fields are a list on every change, so this never meets null.
	if out, err := jqRun(jq, "[.plan.changes[] | .fields[] | .name] | length", doc); err != nil {
		t.Fatalf("jq over fields: %v %s", err, out)
	}
	return jqStrings(t, ".plan.changes[] | .address", doc)
}

// jqStrings runs filter, which prints strings, over doc.
func jqStrings(t *testing.T, filter, doc string) []string {
	t.Helper()
	jq, err := exec.LookPath("jq")
	if err != nil {
		peertest.Missing(t, "apt-get install jq", err)
	}
	out, err := jqRun(jq, filter, doc)
	if err != nil {
		t.Fatalf("jq %s: %v %s", filter, err, out)
	}
	var addrs []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		var a string
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			t.Fatalf("jq printed %q: %v", line, err)
		}
		addrs = append(addrs, a)
	}
	return addrs
}

func jqRun(jq, filter, doc string) (string, error) {
	cmd := exec.Command(jq, filter)
	cmd.Stdin = strings.NewReader(doc)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}
