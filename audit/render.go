package audit

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"time"
)

// Meta is what a report says about the run itself.
type Meta struct {
	ToolVersion string
	// Generated is when the audit ran (shown in the HTML and JSON).
	Generated time.Time
}

// Renderer writes a finished audit in one format.
type Renderer interface {
	Render(w io.Writer, r *Report, m Meta) error
}

// formats is the explicit registry of output formats; one file each.
var formats = map[string]Renderer{
	"html":  htmlRenderer{},
	"json":  jsonRenderer{},
	"sarif": sarifRenderer{},
	"text":  textRenderer{},
}

// Formats lists the format names, sorted.
func Formats() []string { return slices.Sorted(maps.Keys(formats)) }

// Write renders r in format.
func Write(w io.Writer, format string, r *Report, m Meta) error {
	f, ok := formats[format]
	if !ok {
		return fmt.Errorf("unknown format %q (want one of %v)", format, Formats())
	}
	if m.ToolVersion == "" {
		m.ToolVersion = "dev"
	}
	return f.Render(w, r, m)
}
