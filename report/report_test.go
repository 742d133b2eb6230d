package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/spec/load"
)

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// The goldens render real diagnostics from a real description, so a change
// to any reader, check or renderer shows up in review.
func TestGoldenOutputs(t *testing.T) {
	for _, src := range []string{"bad.hcl", "bad.yaml"} {
		d, diags := load.Load(filepath.Join("testdata", src), load.Options{})
		if len(diags) == 0 {
			t.Fatalf("testdata/%s should have problems", src)
		}
		for _, format := range []string{"text", "json", "github"} {
			var buf bytes.Buffer
			if err := Write(&buf, format, &Report{Diagnostics: diags, Files: d.Files}); err != nil {
				t.Fatal(err)
			}
			golden(t, src+"."+format+".golden", buf.Bytes())
		}
	}
}

func TestJSONNeverNull(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, "json", &Report{}); err != nil {
		t.Fatal(err)
	}
	var env map[string]any
	if err := json.Unmarshal(buf.Bytes(), &env); err != nil {
		t.Fatal(err)
	}
	if env["diagnostics"] == nil || env["valid"] != true || env["format_version"] != JSONFormatVersion {
		t.Fatalf("bad empty envelope: %s", buf.Bytes())
	}
}

func TestTextLabelsInfosAndSuppressed(t *testing.T) {
	ds := spec.Diagnostics{
		{Severity: spec.SeverityInfo, Code: "I1", Summary: "an info"},
		{Severity: spec.SeverityError, Code: "E1", Summary: "a suppressed error", Suppressed: true, SuppressReason: "known"},
	}
	var buf bytes.Buffer
	if err := Write(&buf, "text", &Report{Diagnostics: ds}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"Info: [I1] an info", "Suppressed error: [E1] a suppressed error", "Suppressed: known", "0 error(s), 0 warning(s), 1 info (1 suppressed)."} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Warning:") {
		t.Errorf("an info or suppressed finding printed as a warning:\n%s", out)
	}
}

func TestTextColourOnlyWhenAsked(t *testing.T) {
	ds := spec.Diagnostics{{Severity: spec.SeverityError, Code: "E1", Summary: "bad"}}
	var plain, colour bytes.Buffer
	if err := Write(&plain, "text", &Report{Diagnostics: ds}); err != nil {
		t.Fatal(err)
	}
	if err := Write(&colour, "text", &Report{Diagnostics: ds, Color: true}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain.String(), "\x1b[") {
		t.Errorf("escape codes without colour: %q", plain.String())
	}
	if !strings.Contains(colour.String(), "\x1b[1;31mError:\x1b[0m [E1] bad") {
		t.Errorf("no red heading with colour: %q", colour.String())
	}
}
