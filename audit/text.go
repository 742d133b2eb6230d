package audit

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

type textRenderer struct{}

// Render writes the summary first, then each API with findings, most
// severe first. APIs without findings are counted, not listed.
func (textRenderer) Render(w io.Writer, r *Report, _ Meta) error {
	bw := bufio.NewWriter(w)
	s := r.Summary
	var regions []string
	for _, rr := range s.Regions {
		regions = append(regions, rr.Region)
	}
	fmt.Fprintf(bw, "Audited %s in %s: %s, %s (%d open, %d of them accepted as public).\n",
		plural(s.APIs, "API"), strings.Join(regions, ", "), plural(s.Stages, "stage"), plural(s.Methods, "method"), s.Open, s.Accepted)
	fmt.Fprintf(bw, "Findings: %d error, %d warning, %d info", s.Findings.Error, s.Findings.Warning, s.Findings.Info)
	if s.Suppressed > 0 {
		fmt.Fprintf(bw, " (%d suppressed by the baseline)", s.Suppressed)
	}
	fmt.Fprintln(bw, ".")
	if s.Baseline != "" {
		fmt.Fprintf(bw, "Baseline: %s (%d APIs without a description).\n", s.Baseline, s.Undescribed)
	}
	for _, rr := range s.Regions {
		if rr.Error != nil {
			fmt.Fprintf(bw, "Region %s could not be read: %s (%s).\n", rr.Region, rr.Error.Message, rr.Error.Code)
		}
	}
	err := r.Each(func(a *APIResult) error {
		n := 0
		for _, f := range a.Findings {
			if !f.Suppressed {
				n++
			}
		}
		if n == 0 {
			return nil
		}
		fmt.Fprintf(bw, "\n%s  %s (%s)", a.Region, a.Name, a.ID)
		if a.Baseline != "" {
			fmt.Fprintf(bw, "  described in %s", a.Baseline)
		}
		fmt.Fprintf(bw, "\n  %s, %s\n", plural(len(a.Stages), "stage"), plural(len(a.Routes), "method"))
		for _, f := range a.Findings {
			if f.Suppressed {
				continue
			}
			where := f.Route
			if f.Stage != "" {
				where = strings.TrimSpace(where + " [stage " + f.Stage + "]")
			}
			if where != "" {
				where = ": " + where
			}
			fmt.Fprintf(bw, "  %-7s %s %s%s\n", f.Severity, f.Code, f.Name, where)
			if f.Detail != "" {
				fmt.Fprintf(bw, "          %s\n", f.Detail)
			}
			fmt.Fprintf(bw, "          %s\n", f.ARN)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return bw.Flush()
}

func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
