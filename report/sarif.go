package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/portcullis-dev/portcullis/spec"
)

// ToolInformationURI is where SARIF viewers send people who ask what
// produced a result.
const ToolInformationURI = "https://github.com/portcullis-dev/portcullis"

// FingerprintKey names Portcullis's partial fingerprint. It hashes what
// identifies a finding apart from its line (rule, file, route, summary), so
// code scanning keeps tracking a finding when lines move above it.
const FingerprintKey = "portcullisFinding/v1"

type sarifRenderer struct{}

// Render writes one SARIF 2.1.0 log with one run, in the shape GitHub code
// scanning accepts: rules with help, results with a rule index, level,
// message, a physical location and, for suppressed findings, an in-source
// suppression with its justification.
func (sarifRenderer) Render(w io.Writer, r *Report) error {
	raw, err := json.Marshal(BuildSARIF(r))
	if err != nil {
		return err
	}
	var tree any
	if err := json.Unmarshal(raw, &tree); err != nil {
		return err
	}
	b, err := json.MarshalIndent(prune(tree), "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// unsetIndexes are the SARIF properties whose -1 means "not given" (the
// schema default) and which the library writes out anyway.
var unsetIndexes = map[string]bool{"index": true, "parentIndex": true, "id": true, "byteOffset": true, "charOffset": true, "rank": true}

// keepEmpty are the lists whose emptiness means something: a run with
// "results": [] found nothing, a run without results was not run.
var keepEmpty = map[string]bool{"results": true, "runs": true}

// prune drops the empty lists and -1 placeholders the library fills in,
// so the log holds only what Portcullis says.
func prune(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			if l, ok := c.([]any); ok && len(l) == 0 && !keepEmpty[k] {
				delete(x, k)
				continue
			}
			if m, ok := c.(map[string]any); ok && len(m) == 0 && k == "properties" {
				delete(x, k)
				continue
			}
			if n, ok := c.(float64); ok && n == -1 && unsetIndexes[k] {
				delete(x, k)
				continue
			}
			x[k] = prune(c)
		}
	case []any:
		for i, c := range x {
			x[i] = prune(c)
		}
	}
	return v
}

// BuildSARIF converts a report to a SARIF log.
func BuildSARIF(r *Report) *sarif.Report {
	run := sarif.NewRunWithInformationURI("portcullis", ToolInformationURI)
	version := r.ToolVersion
	if version == "" {
		version = "dev"
	}
	run.Tool.Driver.WithVersion(version)
	run.WithColumnKind("unicodeCodePoints")

	index := map[string]int{}
	for _, rule := range sarifRules(r) {
		index[rule.ID] = len(run.Tool.Driver.Rules)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule(rule))
	}
	run.Results = []*sarif.Result{}
	fallback := fallbackFile(r)
	for _, d := range r.Diagnostics {
		run.AddResult(sarifResult(d, index[d.Code], fallback))
	}
	log := sarif.NewReport()
	log.Schema = "https://json.schemastore.org/sarif-2.1.0.json"
	log.AddRun(run)
	return log
}

// sarifRules are the rules the results use: those of r.Rules, with their
// help, and a minimal rule for every other code (structural checks, user
// policies), so every result has a rule to point at. Unused rules stay out
// to keep logs small.
func sarifRules(r *Report) []Rule {
	used := map[string]bool{}
	for _, d := range r.Diagnostics {
		used[d.Code] = true
	}
	var out []Rule
	known := map[string]bool{}
	for _, rule := range r.Rules {
		if used[rule.ID] && !known[rule.ID] {
			out = append(out, rule)
			known[rule.ID] = true
		}
	}
	extra := map[string]spec.Diagnostic{}
	for _, d := range r.Diagnostics {
		if !known[d.Code] {
			if _, ok := extra[d.Code]; !ok {
				extra[d.Code] = d
			}
		}
	}
	codes := make([]string, 0, len(extra))
	for c := range extra {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		d := extra[c]
		summary := d.Summary
		if d.Source != "" && d.Source != "spec" && d.Source != "policy" {
			summary = "Reported by " + d.Source
		}
		out = append(out, Rule{ID: c, Name: c, Severity: d.Severity, Summary: summary})
	}
	return out
}

// SARIFLevel is the SARIF result level of a severity (error, warning,
// note).
func SARIFLevel(s spec.Severity) string {
	switch s {
	case spec.SeverityError:
		return "error"
	case spec.SeverityWarning:
		return "warning"
	default:
		return "note"
	}
}

// SecuritySeverity is GitHub's 0-10 score, which it shows as critical/high/
// medium/low for rules tagged "security".
func SecuritySeverity(s spec.Severity) string {
	switch s {
	case spec.SeverityError:
		return "8.0"
	case spec.SeverityWarning:
		return "5.0"
	default:
		return "2.0"
	}
}

func sarifRule(rule Rule) *sarif.ReportingDescriptor {
	rd := sarif.NewRule(rule.ID).
		WithShortDescription(sarif.NewMultiformatMessageString().WithText(rule.Summary)).
		WithFullDescription(sarif.NewMultiformatMessageString().WithText(rule.Summary)).
		WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(SARIFLevel(rule.Severity)))
	if rule.Name != "" {
		rd.WithName(rule.Name)
	}
	help := rule.Help
	if help == "" {
		help = rule.Summary
	}
	rd.WithHelp(sarif.NewMultiformatMessageString().WithText(help).WithMarkdown(help))
	if rule.HelpURI != "" {
		rd.WithHelpURI(rule.HelpURI)
	}
	rd.WithProperties(sarif.NewPropertyBag().
		Add("security-severity", SecuritySeverity(rule.Severity)).
		Add("precision", "very-high").
		WithTags([]string{"security", "api-gateway", "cognito"}))
	return rd
}

func sarifResult(d spec.Diagnostic, ruleIndex int, fallback string) *sarif.Result {
	msg := d.Summary
	if d.Detail != "" {
		if !strings.HasSuffix(msg, ".") {
			msg += "."
		}
		msg += " " + d.Detail
	}
	res := sarif.NewRuleResult(d.Code).
		WithRuleIndex(ruleIndex).
		WithLevel(SARIFLevel(d.Severity)).
		WithMessage(sarif.NewTextMessage(msg))
	if loc := sarifLocation(d, fallback); loc != nil {
		res.AddLocation(loc)
	}
	file := ""
	if d.Range != nil {
		file = d.Range.Filename
	}
	sum := sha256.Sum256([]byte(strings.Join([]string{d.Code, filepath.ToSlash(file), d.Route, d.Summary}, "\x00")))
	res.WithPartialFingerprints(map[string]string{FingerprintKey: hex.EncodeToString(sum[:16])})
	props := sarif.NewPropertyBag()
	if d.Route != "" {
		props.Add("route", d.Route)
	}
	if d.Source != "" {
		props.Add("source", d.Source)
	}
	if len(props.Properties) > 0 {
		res.WithProperties(props)
	}
	if d.Suppressed {
		s := sarif.NewSuppression().WithKind("inSource").WithStatus("accepted")
		if d.SuppressReason != "" {
			s.WithJustification(d.SuppressReason)
		}
		res.WithSuppressions([]*sarif.Suppression{s})
	}
	return res
}

// sarifLocation locates a result in its file. Relative file names stay
// relative (code scanning resolves them against the repository root);
// absolute ones become file URIs. GitHub refuses a whole log when one
// result lacks a location ("locationFromSarifResult: expected at least one
// location", github/codeql-action#2459), so a finding without a place in a
// file (a live-only drift, an API-wide policy message) points at the first
// line of the fallback file: the description the run read.
func sarifLocation(d spec.Diagnostic, fallback string) *sarif.Location {
	file, start, end := fallback, hcl.Pos{Line: 1, Column: 1}, hcl.Pos{}
	if d.Range != nil && d.Range.Filename != "" {
		file = d.Range.Filename
		if d.Range.Start.Line >= 1 {
			start, end = d.Range.Start, d.Range.End
		}
	}
	if file == "" {
		return nil
	}
	al := sarif.NewArtifactLocation().WithURI(artifactURI(file))
	reg := &sarif.Region{ByteOffset: -1, CharOffset: -1}
	reg.WithStartLine(start.Line)
	if start.Column >= 1 {
		reg.WithStartColumn(start.Column)
	}
	if end.Line >= start.Line && (end.Line > start.Line || end.Column > start.Column) {
		reg.WithEndLine(end.Line)
		if end.Column >= 1 {
			reg.WithEndColumn(end.Column)
		}
	}
	pl := sarif.NewPhysicalLocation().WithArtifactLocation(al).WithRegion(reg)
	loc := sarif.NewLocation().WithPhysicalLocation(pl)
	if d.Route != "" {
		loc.AddLogicalLocation(sarif.NewLogicalLocation().WithName(d.Route).WithKind("resource"))
	}
	return loc
}

// fallbackFile is where unlocated results point: the first description
// file of the run (sorted, so the choice is stable), else none.
func fallbackFile(r *Report) string {
	names := make([]string, 0, len(r.Files))
	for n := range r.Files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if !strings.HasSuffix(n, ".rego") {
			return n
		}
	}
	if len(names) > 0 {
		return names[0]
	}
	return ""
}

// artifactURI turns a file name into a URI reference: relative names stay
// relative, absolute ones become file URIs, and characters a URI cannot
// hold (spaces, %, #) are escaped.
func artifactURI(name string) string {
	p := filepath.ToSlash(name)
	if filepath.IsAbs(name) {
		if !strings.HasPrefix(p, "/") {
			p = "/" + p // C:/x -> /C:/x
		}
		return (&url.URL{Scheme: "file", Path: p}).String()
	}
	return (&url.URL{Path: p}).EscapedPath()
}
