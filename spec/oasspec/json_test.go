package oasspec

import (
	"strings"
	"testing"
)

// A .json file is strict JSON with JSON positions: a trailing comma is an
// error at its line, and broken JSON is not reported past the end of the
// file as a YAML error.
func TestJSONIsStrict(t *testing.T) {
	for _, c := range []struct {
		src        string
		line, col  int
		detailPart string
	}{
		{"{\"openapi\": \"3.0.1\", \"info\": {\"title\": \"x\", \"version\": \"1\"},\n  \"paths\": {},\n}\n", 3, 1, "invalid character '}'"},
		{"{\"openapi\": \"3.0.1\",\n \"info\": {\"title\": \"x\"", 2, 23, "unexpected end of the file"},
		{"{\"openapi\": \"3.0.1\"} {}", 1, 22, "unexpected data after the top-level value"},
		{"# a comment\n{\"openapi\": \"3.0.1\"}", 1, 1, "invalid character '#'"},
	} {
		_, ds := Read("api.json", []byte(c.src), Options{})
		if len(ds) != 1 || ds[0].Summary != "Invalid JSON" || ds[0].Range == nil {
			t.Errorf("%q: %v", c.src, ds)
			continue
		}
		if got := ds[0].Range.Start; got.Line != c.line || got.Column != c.col || !strings.Contains(ds[0].Detail, c.detailPart) {
			t.Errorf("%q: at %d:%d %q, want %d:%d %q", c.src, got.Line, got.Column, ds[0].Detail, c.line, c.col, c.detailPart)
		}
	}
	// The same bytes as .yaml are YAML's to judge.
	if _, ds := Read("api.yaml", []byte("{\"openapi\": \"3.0.1\", \"info\": {\"title\": \"x\", \"version\": \"1\"}, \"paths\": {},}"), Options{}); len(ds) > 0 && ds[0].Summary == "Invalid JSON" {
		t.Errorf("a .yaml file was read as strict JSON: %v", ds)
	}
}
