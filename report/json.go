package report

import (
	"encoding/json"
	"io"

	"github.com/portcullis-dev/portcullis/spec"
)

// JSONFormatVersion versions the diagnostics envelope.
const JSONFormatVersion = "1.0"

// Envelope is the JSON diagnostics document: never null, counts up front,
// in the manner of `terraform validate -json`.
type Envelope struct {
	FormatVersion   string     `json:"format_version"`
	Valid           bool       `json:"valid"`
	ErrorCount      int        `json:"error_count"`
	WarningCount    int        `json:"warning_count"`
	InfoCount       int        `json:"info_count"`
	SuppressedCount int        `json:"suppressed_count"`
	Diagnostics     []JSONDiag `json:"diagnostics"`
}

// JSONDiag is one diagnostic in the envelope.
type JSONDiag struct {
	Severity       string    `json:"severity"`
	Code           string    `json:"code"`
	Summary        string    `json:"summary"`
	Detail         string    `json:"detail"`
	Range          JSONRange `json:"range"`
	Route          string    `json:"route"`
	Source         string    `json:"source"`
	Suppressed     bool      `json:"suppressed"`
	SuppressReason string    `json:"suppress_reason"`
}

// JSONRange is a source range; an unlocated diagnostic has an empty filename
// and zero positions rather than null.
type JSONRange struct {
	Filename string  `json:"filename"`
	Start    JSONPos `json:"start"`
	End      JSONPos `json:"end"`
}

// JSONPos is a position: 1-based line and column, 0-based byte offset.
type JSONPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

// BuildEnvelope converts diagnostics to the envelope.
func BuildEnvelope(ds spec.Diagnostics) Envelope {
	env := Envelope{
		FormatVersion: JSONFormatVersion,
		Valid:         !ds.HasErrors(),
		ErrorCount:    ds.Count(spec.SeverityError),
		WarningCount:  ds.Count(spec.SeverityWarning),
		InfoCount:     ds.Count(spec.SeverityInfo),
		Diagnostics:   []JSONDiag{},
	}
	for _, d := range ds {
		if d.Suppressed {
			env.SuppressedCount++
		}
		jd := JSONDiag{
			Severity: d.Severity.String(), Code: d.Code, Summary: d.Summary, Detail: d.Detail,
			Route: d.Route, Source: d.Source, Suppressed: d.Suppressed, SuppressReason: d.SuppressReason,
		}
		if d.Range != nil {
			jd.Range = JSONRange{
				Filename: d.Range.Filename,
				Start:    JSONPos{d.Range.Start.Line, d.Range.Start.Column, d.Range.Start.Byte},
				End:      JSONPos{d.Range.End.Line, d.Range.End.Column, d.Range.End.Byte},
			}
		}
		env.Diagnostics = append(env.Diagnostics, jd)
	}
	return env
}

type jsonRenderer struct{}

func (jsonRenderer) Render(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(BuildEnvelope(r.Diagnostics))
}
