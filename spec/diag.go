package spec

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Severity orders findings: errors fail a run, warnings and infos inform.
type Severity int

// Severities, most severe first.
const (
	SeverityError Severity = iota
	SeverityWarning
	SeverityInfo
)

func (s Severity) String() string {
	switch s {
	case SeverityError:
		return "error"
	case SeverityWarning:
		return "warning"
	default:
		return "info"
	}
}

// MarshalJSON writes the lower-case name.
func (s Severity) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// UnmarshalJSON reads the lower-case name.
func (s *Severity) UnmarshalJSON(b []byte) error {
	var v string
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	p, err := ParseSeverity(v)
	*s = p
	return err
}

// ParseSeverity reads "error", "warning" or "info".
func ParseSeverity(v string) (Severity, error) {
	switch v {
	case "error":
		return SeverityError, nil
	case "warning":
		return SeverityWarning, nil
	case "info":
		return SeverityInfo, nil
	}
	return SeverityError, fmt.Errorf("unknown severity %q (want error, warning or info)", v)
}

// Diagnostic is one finding from any stage: reading, validation, a policy,
// drift or a probe. It is a value: stages return them, commands render them.
type Diagnostic struct {
	Severity Severity
	Code     string // stable: "PC-E001", a rule ID, "rego:deny", ...
	Summary  string
	Detail   string
	// Range is nil when the finding has no place in a source file.
	Range *Range
	// Route is the route key ("GET /items") the finding concerns, if any.
	Route string
	// Source names what produced the finding: "spec", "policy", a policy
	// file, "drift", "probe".
	Source string
	// Suppressed findings are kept (and reported as such) but do not count.
	Suppressed     bool
	SuppressReason string
}

// Diagnostics is a list of findings.
type Diagnostics []Diagnostic

// At builds a located diagnostic.
func At(sev Severity, code string, rng Range, summary, detail string) Diagnostic {
	r := rng
	return Diagnostic{Severity: sev, Code: code, Range: &r, Summary: summary, Detail: detail, Source: "spec"}
}

// Errorf is a located error diagnostic with a formatted detail.
func Errorf(code string, rng Range, summary, format string, args ...any) Diagnostic {
	return At(SeverityError, code, rng, summary, fmt.Sprintf(format, args...))
}

// Warnf is a located warning diagnostic with a formatted detail.
func Warnf(code string, rng Range, summary, format string, args ...any) Diagnostic {
	return At(SeverityWarning, code, rng, summary, fmt.Sprintf(format, args...))
}

// Redacted is what a sensitive value becomes in a diagnostic.
const Redacted = "(sensitive value)"

// MinSensitiveLen is the shortest value Redact hides wherever it appears:
// hiding a one- or two-character value would garble every message that
// happens to contain it. Shorter values are still never quoted by the
// readers themselves.
const MinSensitiveLen = 3

// Redact returns ds with every sensitive value (and its Go-quoted form)
// replaced by Redacted in summaries, details and suppression reasons. It
// is the last line of defence: readers do not quote such values to begin
// with.
func (ds Diagnostics) Redact(secrets []string) Diagnostics {
	var olds []string
	for _, s := range secrets {
		if len(s) < MinSensitiveLen {
			continue
		}
		olds = append(olds, s)
		if q := strconv.Quote(s); q[1:len(q)-1] != s {
			olds = append(olds, q[1:len(q)-1])
		}
	}
	if len(olds) == 0 || len(ds) == 0 {
		return ds
	}
	// Longest first, so a secret that contains another goes whole.
	sort.Slice(olds, func(i, j int) bool { return len(olds[i]) > len(olds[j]) })
	pairs := make([]string, 0, 2*len(olds))
	for _, o := range olds {
		pairs = append(pairs, o, Redacted)
	}
	r := strings.NewReplacer(pairs...)
	out := make(Diagnostics, len(ds))
	for i, d := range ds {
		d.Summary, d.Detail, d.SuppressReason = r.Replace(d.Summary), r.Replace(d.Detail), r.Replace(d.SuppressReason)
		out[i] = d
	}
	return out
}

// HasErrors reports whether any unsuppressed diagnostic is an error.
func (ds Diagnostics) HasErrors() bool { return ds.CountAtLeast(SeverityError) > 0 }

// Count returns the number of unsuppressed diagnostics of severity s.
func (ds Diagnostics) Count(s Severity) int {
	n := 0
	for _, d := range ds {
		if !d.Suppressed && d.Severity == s {
			n++
		}
	}
	return n
}

// CountAtLeast returns the number of unsuppressed diagnostics at least as
// severe as s.
func (ds Diagnostics) CountAtLeast(s Severity) int {
	n := 0
	for _, d := range ds {
		if !d.Suppressed && d.Severity <= s {
			n++
		}
	}
	return n
}

// Sort orders diagnostics by file, line, column, then severity and code, so
// output is stable whatever order the checks ran in.
func (ds Diagnostics) Sort() {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		af, al, ac := a.pos()
		bf, bl, bc := b.pos()
		if af != bf {
			return af < bf
		}
		if al != bl {
			return al < bl
		}
		if ac != bc {
			return ac < bc
		}
		if a.Severity != b.Severity {
			return a.Severity < b.Severity
		}
		return a.Code < b.Code
	})
}

func (d Diagnostic) pos() (string, int, int) {
	if d.Range == nil {
		return "", 0, 0
	}
	return d.Range.Filename, d.Range.Start.Line, d.Range.Start.Column
}

// Error makes a Diagnostic usable as an error ("file:line:col: summary: detail").
func (d Diagnostic) Error() string {
	loc := ""
	if d.Range != nil && d.Range.Filename != "" {
		loc = fmt.Sprintf("%s:%d:%d: ", d.Range.Filename, d.Range.Start.Line, d.Range.Start.Column)
	}
	if d.Detail == "" {
		return loc + d.Summary
	}
	return loc + d.Summary + ": " + d.Detail
}

// FromHCL converts HCL's diagnostics, keeping their ranges.
func FromHCL(code string, hds hcl.Diagnostics) Diagnostics {
	var out Diagnostics
	for _, hd := range hds {
		sev := SeverityError
		if hd.Severity == hcl.DiagWarning {
			sev = SeverityWarning
		}
		d := Diagnostic{Severity: sev, Code: code, Summary: hd.Summary, Detail: hd.Detail, Source: "spec"}
		if hd.Subject != nil {
			r := *hd.Subject
			d.Range = &r
		}
		out = append(out, d)
	}
	return out
}

// ToHCL converts to HCL diagnostics so hcl.NewDiagnosticTextWriter can print
// snippets for any source.
func (ds Diagnostics) ToHCL() hcl.Diagnostics {
	out := make(hcl.Diagnostics, 0, len(ds))
	for _, d := range ds {
		sev := hcl.DiagError
		if d.Severity != SeverityError {
			sev = hcl.DiagWarning
		}
		out = append(out, &hcl.Diagnostic{Severity: sev, Summary: d.Summary, Detail: d.Detail, Subject: d.Range})
	}
	return out
}
