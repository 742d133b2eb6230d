package policies

import (
	"bytes"
	"os"
	"testing"

	"github.com/portcullis-dev/portcullis/internal/schemas"
	"github.com/portcullis-dev/portcullis/report"
	"github.com/portcullis-dev/portcullis/spec"
)

// Every rule's bad examples, in both languages, rendered as one SARIF log:
// the golden file shows each rule's results with their locations and
// suppressions, and the log validates against the SARIF 2.1.0 schema.
func TestExamplesSARIF(t *testing.T) {
	var all spec.Diagnostics
	var rules []report.Rule
	for _, r := range Rules() {
		rr := report.Rule{ID: r.ID, Name: r.Name, Severity: r.Severity, Summary: r.Summary, Help: r.Help()}
		if len(r.Links) > 0 {
			rr.HelpURI = r.Links[0]
		}
		rules = append(rules, rr)
		for _, e := range r.Examples() {
			if e.Good {
				continue
			}
			_, ds := runExample(t, e)
			all = append(all, ds...)
		}
	}
	seen := map[string]bool{}
	for _, d := range all {
		seen[d.Code] = true
	}
	for _, r := range Rules() {
		if !seen[r.ID] {
			t.Errorf("no SARIF result for %s", r.ID)
		}
	}
	var buf bytes.Buffer
	if err := report.Write(&buf, "sarif", &report.Report{Diagnostics: all, Rules: rules, ToolVersion: "test"}); err != nil {
		t.Fatal(err)
	}
	const golden = "testdata/examples.sarif.golden"
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./policies -update)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("SARIF of the bad examples differs from %s (run go test ./policies -update and review the diff)", golden)
	}

	if err := schemas.SARIF(buf.Bytes()); err != nil {
		t.Errorf("SARIF breaks the 2.1.0 schema:\n%v", err)
	}
}
