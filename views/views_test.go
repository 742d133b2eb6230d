package views

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/portcullis-dev/portcullis/diff"
	"github.com/portcullis-dev/portcullis/plan"
	"github.com/portcullis-dev/portcullis/spec"
)

// Colour is the caller's decision alone: no escape codes without it,
// whatever the terminal.
func TestPlanTextColourOnlyWhenAsked(t *testing.T) {
	p := &plan.Plan{API: "a", Changes: []diff.Change{{Action: diff.Create, Address: "authorizer.x"}}, Summary: plan.Summary{Add: 1}}
	var plain, colour bytes.Buffer
	if err := PlanText(&plain, p, false); err != nil {
		t.Fatal(err)
	}
	if err := PlanText(&colour, p, true); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain.String(), "\x1b[") {
		t.Errorf("escape codes without colour: %q", plain.String())
	}
	if !strings.Contains(colour.String(), ansiGreen+"+"+ansiReset+" authorizer.x") {
		t.Errorf("no green + with colour: %q", colour.String())
	}
}

// Every JSON document carries the diagnostics envelope at its top level,
// with start/end ranges, never null; the probe's has its own version.
func TestDocumentsEmbedTheEnvelope(t *testing.T) {
	ds := spec.Diagnostics{{Severity: spec.SeverityWarning, Code: "W", Summary: "w", Range: &spec.Range{Filename: "a.hcl"}}}
	p := &plan.Plan{API: "a", Changes: []diff.Change{}, Diagnostics: ds}
	for name, doc := range map[string]any{
		"plan":    NewPlanDocument(p, ""),
		"http":    NewHTTPPlanDocument(&plan.HTTPPlan{API: "h", Changes: []diff.HTTPChange{}, Diagnostics: ds}, ""),
		"apply":   ApplyDocument{Envelope: Envelope(ds), Plan: p},
		"probe":   NewProbeDocument(ds, nil),
		"failure": FailureDocument(ds, "could not"),
		"deploy":  DeployDocument{Envelope: Envelope(nil)},
	} {
		var buf bytes.Buffer
		if err := WriteJSON(&buf, doc); err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		want := "1.0"
		if name == "probe" {
			want = ProbeFormatVersion // the probe document's own version
		}
		if m["format_version"] != want || m["diagnostics"] == nil {
			t.Errorf("%s: no envelope: %s", name, buf.Bytes())
		}
		if name != "deploy" {
			d := m["diagnostics"].([]any)[0].(map[string]any)
			if _, ok := d["range"].(map[string]any)["start"]; !ok {
				t.Errorf("%s: range without start: %s", name, buf.Bytes())
			}
		}
	}
}
