package report

import (
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/portcullis-dev/portcullis/spec"
)

// Report is what every renderer receives.
type Report struct {
	Diagnostics spec.Diagnostics
	// Files holds the source bytes by filename, for snippets.
	Files map[string][]byte
	// Color enables ANSI colour (text only).
	Color bool
	// Width wraps text output; 0 means 78.
	Width int
	// Rules describes the rule codes that can appear, for formats that
	// carry rule metadata (SARIF).
	Rules []Rule
	// ToolVersion is the portcullis version, for formats that record it.
	ToolVersion string
}

// Rule is the metadata a format may attach to a diagnostic code.
type Rule struct {
	ID       string
	Name     string
	Severity spec.Severity
	Summary  string
	Help     string // markdown: explanation, impact, resolution
	HelpURI  string
}

// Renderer writes a report in one format.
type Renderer interface {
	Render(w io.Writer, r *Report) error
}

// formats is the explicit, sorted registry of output formats.
var formats = map[string]Renderer{
	"github": githubRenderer{},
	"json":   jsonRenderer{},
	"sarif":  sarifRenderer{},
	"text":   textRenderer{},
}

// Formats lists the format names, sorted.
func Formats() []string { return slices.Sorted(maps.Keys(formats)) }

// Write renders r in format.
func Write(w io.Writer, format string, r *Report) error {
	f, ok := formats[format]
	if !ok {
		return fmt.Errorf("unknown format %q (want one of %v)", format, Formats())
	}
	r.Diagnostics.Sort()
	return f.Render(w, r)
}
