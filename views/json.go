package views

import (
	"encoding/json"
	"io"

	"github.com/portcullis-dev/portcullis/report"
	"github.com/portcullis-dev/portcullis/spec"
)

// Envelope is the diagnostics part of every JSON document.
func Envelope(ds spec.Diagnostics) report.Envelope {
	ds.Sort()
	return report.BuildEnvelope(ds)
}

// WriteJSON writes one indented JSON document.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// Failure is the JSON document of a command that could not run: the
// envelope with the diagnostics that say why (an invalid description, a
// failed gate) and the error. Machine readers still get one document on
// stdout.
type Failure struct {
	report.Envelope
	Error string `json:"error"`
}

// FailureDocument builds it; valid is false even without diagnostics.
func FailureDocument(ds spec.Diagnostics, err string) Failure {
	f := Failure{Envelope: Envelope(ds), Error: err}
	f.Valid = false
	return f
}
