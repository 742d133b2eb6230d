package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/portcullis-dev/portcullis/spec"
)

type githubRenderer struct{}

// Render writes GitHub Actions workflow commands (::error file=...::), which
// the runner turns into annotations on the pull request.
func (githubRenderer) Render(w io.Writer, r *Report) error {
	for _, d := range r.Diagnostics {
		if d.Suppressed {
			continue
		}
		level := map[spec.Severity]string{spec.SeverityError: "error", spec.SeverityWarning: "warning", spec.SeverityInfo: "notice"}[d.Severity]
		var props []string
		if d.Range != nil && d.Range.Filename != "" {
			props = append(props,
				"file="+ghProp(d.Range.Filename),
				fmt.Sprintf("line=%d", d.Range.Start.Line),
				fmt.Sprintf("col=%d", d.Range.Start.Column))
			if d.Range.End.Line > 0 {
				props = append(props, fmt.Sprintf("endLine=%d", d.Range.End.Line))
			}
		}
		props = append(props, "title="+ghProp(d.Code+": "+d.Summary))
		msg := d.Summary
		if d.Detail != "" {
			msg += "\n" + d.Detail
		}
		if _, err := fmt.Fprintf(w, "::%s %s::%s\n", level, strings.Join(props, ","), ghData(msg)); err != nil {
			return err
		}
	}
	return nil
}

// ghData escapes a workflow-command message.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProp escapes a workflow-command property value.
func ghProp(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
