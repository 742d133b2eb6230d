package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/portcullis-dev/portcullis/internal/schemas"
	"github.com/portcullis-dev/portcullis/spec"
)

func rng(file string, line, col, endCol int) *spec.Range {
	return &hcl.Range{Filename: file, Start: hcl.Pos{Line: line, Column: col}, End: hcl.Pos{Line: line, Column: endCol}}
}

// sarifFixture covers every shape a result can take: a rule with help, a
// suppressed finding with and without a reason, a code without rule
// metadata (structural check, user policy), an unlocated diagnostic.
func sarifFixture() *Report {
	return &Report{
		ToolVersion: "v1.2.3",
		Rules: []Rule{
			{ID: "PCA001", Name: "unauthenticated-route", Severity: spec.SeverityError, Summary: "A method has no authorization and is not declared public",
				Help: "## Why\n\nDeny by default.\n", HelpURI: "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-enable-cognito-user-pool.html"},
			{ID: "PCA003", Name: "public-write-route", Severity: spec.SeverityWarning, Summary: "A public method is not GET, HEAD or OPTIONS", Help: "Guard it."},
			{ID: "PCA010", Name: "mixed-token-types", Severity: spec.SeverityInfo, Summary: "One authorizer guards both scoped and unscoped methods"},
		},
		Diagnostics: spec.Diagnostics{
			{Severity: spec.SeverityError, Code: "PCA001", Summary: "Method without authorization", Detail: "DELETE /orders/{id} has authorization NONE.",
				Range: rng("api/shop.hcl", 15, 9, 30), Route: "DELETE /orders/{id}", Source: "policy"},
			{Severity: spec.SeverityWarning, Code: "PCA003", Summary: "Public method that can change state", Detail: "POST /webhooks is public.",
				Range: rng("api/shop.hcl", 20, 9, 25), Route: "POST /webhooks", Source: "policy", Suppressed: true, SuppressReason: "HMAC-signed webhook"},
			{Severity: spec.SeverityWarning, Code: "PCA003", Summary: "Public method that can change state", Detail: "PUT /webhooks is public.",
				Range: rng("api/shop.hcl", 26, 9, 24), Route: "PUT /webhooks", Source: "policy", Suppressed: true},
			{Severity: spec.SeverityInfo, Code: "PCA010", Summary: "Methods need different token types", Range: rng("api/shop.hcl", 4, 14, 21), Source: "policy"},
			{Severity: spec.SeverityError, Code: "invalid-path", Summary: "Invalid path", Detail: `"/a//b" has an empty segment.`, Range: rng("openapi.yaml", 7, 3, 9), Source: "spec"},
			{Severity: spec.SeverityError, Code: "rego:deny", Summary: "GET /admin must not be public", Range: rng("/abs/api.hcl", 3, 1, 10), Route: "GET /admin", Source: "policy/admin.rego"},
			{Severity: spec.SeverityWarning, Code: "load-error", Summary: "Cannot read description", Range: &hcl.Range{Filename: "missing.hcl"}, Source: "spec"},
			{Severity: spec.SeverityInfo, Code: "drift", Summary: "Nowhere in particular", Source: "drift"},
		},
	}
}

func TestSARIFGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, "sarif", sarifFixture()); err != nil {
		t.Fatal(err)
	}
	golden(t, "fixture.sarif.golden", buf.Bytes())
	if err := schemas.SARIF(buf.Bytes()); err != nil {
		t.Fatalf("SARIF output does not validate against the 2.1.0 schema:\n%v", err)
	}
}

// What GitHub code scanning needs beyond the schema: every result's
// ruleIndex points at its rule, rules carry help, suppressions carry
// justifications, locations are relative or file URIs.
func TestSARIFForCodeScanning(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, "sarif", sarifFixture()); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name    string `json:"name"`
					Version string `json:"version"`
					Rules   []struct {
						ID   string `json:"id"`
						Help struct {
							Text     string `json:"text"`
							Markdown string `json:"markdown"`
						} `json:"help"`
						HelpURI string `json:"helpUri"`
						Default struct {
							Level string `json:"level"`
						} `json:"defaultConfiguration"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string `json:"level"`
				Message   struct {
					Text string `json:"text"`
				} `json:"message"`
				Locations []struct {
					Physical struct {
						Artifact struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region *struct {
							StartLine   int `json:"startLine"`
							StartColumn int `json:"startColumn"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
				Suppressions []struct {
					Kind          string `json:"kind"`
					Justification string `json:"justification"`
				} `json:"suppressions"`
				Fingerprints map[string]string `json:"partialFingerprints"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("version %q, %d runs", log.Version, len(log.Runs))
	}
	run := log.Runs[0]
	if run.Tool.Driver.Name != "portcullis" || run.Tool.Driver.Version != "v1.2.3" {
		t.Errorf("driver = %+v", run.Tool.Driver)
	}
	rules := run.Tool.Driver.Rules
	if len(rules) != 7 { // 3 described + invalid-path, rego:deny, load-error, drift
		t.Errorf("%d rules, want 7", len(rules))
	}
	if rules[0].ID != "PCA001" || !strings.Contains(rules[0].Help.Markdown, "Deny by default") || rules[0].HelpURI == "" || rules[0].Default.Level != "error" {
		t.Errorf("rule 0 = %+v", rules[0])
	}
	if rules[2].Default.Level != "note" {
		t.Errorf("info rule level = %q, want note", rules[2].Default.Level)
	}
	if len(run.Results) != len(sarifFixture().Diagnostics) {
		t.Fatalf("%d results", len(run.Results))
	}
	seen := map[string]bool{}
	for i, r := range run.Results {
		if r.RuleIndex < 0 || r.RuleIndex >= len(rules) || rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("result %d (%s): ruleIndex %d points elsewhere", i, r.RuleID, r.RuleIndex)
		}
		fp := r.Fingerprints[FingerprintKey]
		if len(fp) != 32 || seen[fp] {
			t.Errorf("result %d: fingerprint %q missing or not unique", i, fp)
		}
		seen[fp] = true
	}
	byMsg := func(sub string) int {
		for i, r := range run.Results {
			if strings.Contains(r.Message.Text, sub) {
				return i
			}
		}
		t.Fatalf("no result mentions %q", sub)
		return -1
	}
	r := run.Results[byMsg("POST /webhooks")]
	if len(r.Suppressions) != 1 || r.Suppressions[0].Kind != "inSource" || r.Suppressions[0].Justification != "HMAC-signed webhook" {
		t.Errorf("suppressed result = %+v", r.Suppressions)
	}
	r = run.Results[byMsg("DELETE /orders")]
	if r.Level != "error" || len(r.Suppressions) != 0 || r.Message.Text != "Method without authorization. DELETE /orders/{id} has authorization NONE." {
		t.Errorf("result = %+v", r)
	}
	if loc := r.Locations[0].Physical; loc.Artifact.URI != "api/shop.hcl" || loc.Region == nil || loc.Region.StartLine != 15 || loc.Region.StartColumn != 9 {
		t.Errorf("location = %+v", loc)
	}
	if uri := run.Results[byMsg("GET /admin")].Locations[0].Physical.Artifact.URI; uri != "file:///abs/api.hcl" {
		t.Errorf("absolute path uri = %q", uri)
	}
	if l := run.Results[byMsg("Nowhere")].Locations; len(l) != 0 {
		t.Errorf("unlocated diagnostic got locations %+v", l)
	}
	if reg := run.Results[byMsg("Cannot read")].Locations[0].Physical.Region; reg == nil || reg.StartLine != 1 {
		t.Errorf("file-only diagnostic: region %+v, want line 1", reg)
	}
}

// GitHub refuses a log with a result without a location, so unlocated
// findings point at the start of the description the run read.
func TestSARIFFallbackLocation(t *testing.T) {
	r := &Report{
		Files:       map[string][]byte{"policy/x.rego": nil, "b.hcl": nil, "a.hcl": nil},
		Diagnostics: spec.Diagnostics{{Severity: spec.SeverityWarning, Code: "drift", Summary: "Authorizer added out of band"}},
	}
	log := BuildSARIF(r)
	locs := log.Runs[0].Results[0].Locations
	if len(locs) != 1 || *locs[0].PhysicalLocation.ArtifactLocation.URI != "a.hcl" || *locs[0].PhysicalLocation.Region.StartLine != 1 {
		t.Fatalf("locations = %+v", locs)
	}
}

// The schema check is real: it refuses a log that breaks the schema.
func TestSARIFSchemaRejectsInvalid(t *testing.T) {
	// A valid log passes, so the refusals below are the schema's.
	if err := schemas.SARIF([]byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"},"level":"error"}]}]}`)); err != nil {
		t.Fatalf("schema refused a valid log: %v", err)
	}
	for name, doc := range map[string]string{
		"bad level":     `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"},"level":"fatal"}]}]}`,
		"no driver":     `{"version":"2.1.0","runs":[{"tool":{}}]}`,
		"wrong version": `{"version":"2.0.0","runs":[]}`,
		"line 0":        `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"},"locations":[{"physicalLocation":{"region":{"startLine":0}}}]}]}]}`,
	} {
		if err := schemas.SARIF([]byte(doc)); err == nil {
			t.Errorf("%s: schema accepted an invalid log", name)
		}
	}
}

func TestArtifactURI(t *testing.T) {
	for in, want := range map[string]string{
		"api.hcl":              "api.hcl",
		"dir/my api.hcl":       "dir/my%20api.hcl",
		"a#b%c.yaml":           "a%23b%25c.yaml",
		"/abs/api.hcl":         "file:///abs/api.hcl",
		"/abs/with space.yaml": "file:///abs/with%20space.yaml",
	} {
		if got := artifactURI(in); got != want {
			t.Errorf("artifactURI(%q) = %q, want %q", in, got, want)
		}
	}
}
