package views

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/portcullis-dev/portcullis/generators/equivalence"
	"github.com/portcullis-dev/portcullis/policies"
)

// RuleJSON is one rule in `rules --format json`.
type RuleJSON struct {
	ID          string       `json:"id"`
	Name        string       `json:"name"`
	Severity    string       `json:"severity"`
	Summary     string       `json:"summary"`
	Explanation string       `json:"explanation"`
	Impact      string       `json:"impact"`
	Resolution  string       `json:"resolution"`
	Links       []string     `json:"links"`
	Options     []OptionJSON `json:"options"`
	// Judges is "rest" and/or "http": the kinds of API the rule examines.
	Judges []string `json:"judges"`
	// HTTPAPIs is what the rule means for HTTP APIs, when that differs.
	HTTPAPIs string `json:"http_apis,omitempty"`
}

// OptionJSON is one rule option in `rules --format json`.
type OptionJSON struct {
	Name    string `json:"name"`
	Default string `json:"default"`
	Help    string `json:"help"`
}

// RulesDocument is `rules --format json`.
type RulesDocument struct {
	FormatVersion string     `json:"format_version"`
	Rules         []RuleJSON `json:"rules"`
}

// NewRulesDocument lists rs.
func NewRulesDocument(rs []*policies.Rule) RulesDocument {
	out := RulesDocument{FormatVersion: "1.0", Rules: []RuleJSON{}}
	for _, r := range rs {
		out.Rules = append(out.Rules, Rule(r))
	}
	return out
}

// Rule converts one rule.
func Rule(r *policies.Rule) RuleJSON {
	j := RuleJSON{
		ID: r.ID, Name: r.Name, Severity: r.Severity.String(), Summary: r.Summary,
		Explanation: oneLine(r.Explanation), Impact: oneLine(r.Impact), Resolution: oneLine(r.Resolution),
		Links: append([]string{}, r.Links...), Options: []OptionJSON{},
		Judges: r.Judges(), HTTPAPIs: oneLine(r.HTTPAPIs),
	}
	for _, op := range r.Options {
		j.Options = append(j.Options, OptionJSON{Name: op.Name, Default: op.Default, Help: op.Help})
	}
	return j
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// RulesText prints the rule table.
func RulesText(w io.Writer, rs []*policies.Rule) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSEVERITY\tNAME\tSUMMARY")
	for _, r := range rs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Severity, r.Name, r.Summary)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, "\nportcullis rules show ID prints a rule with its examples.")
	return err
}

// CheckGeneratorsDocument is `check-generators --format json`.
type CheckGeneratorsDocument struct {
	FormatVersion string                `json:"format_version"`
	OK            bool                  `json:"ok"`
	Reports       []*equivalence.Report `json:"reports"`
}

// CheckGeneratorsText prints check-generators' reports for people: one
// line per output and API, then the differences indented under it.
func CheckGeneratorsText(w io.Writer, reports []*equivalence.Report) error {
	var b strings.Builder
	for i, r := range reports {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s\n", r.Input)
		for _, o := range r.Outputs {
			switch {
			case o.Skipped != "":
				fmt.Fprintf(&b, "  - %-26s skipped: %s\n", o.Name, o.Skipped)
				continue
			case o.Err != "":
				fmt.Fprintf(&b, "  x %-26s %s\n", o.Name, indentLines(o.Err))
				continue
			}
			for _, a := range o.APIs {
				mark := "ok"
				if len(a.Differences) > 0 {
					mark = "x "
				}
				if mark == "ok" {
					fmt.Fprintf(&b, "  ok %-25s api %q: %d methods (+%d preflights), %d gateway responses match the description\n", o.Name, a.API, a.Methods, a.Preflights, a.Responses)
					expected(&b, a.Expected)
					continue
				}
				fmt.Fprintf(&b, "  x  %-25s api %q differs from the description:\n", o.Name, a.API)
				for _, d := range a.Differences {
					fmt.Fprintf(&b, "       %s\n", d)
				}
				expected(&b, a.Expected)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// expected lists the differences a generator declared, under its API's
// line: they are known and explained, so they do not fail the check.
func expected(b *strings.Builder, es []string) {
	for _, e := range es {
		fmt.Fprintf(b, "       expected: %s\n", e)
	}
}

// indentLines indents every line after the first under an output line.
func indentLines(s string) string {
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n       ")
}
