package report

import (
	"fmt"
	"io"

	"github.com/hashicorp/hcl/v2"

	"github.com/portcullis-dev/portcullis/spec"
)

type textRenderer struct{}

// Render prints each diagnostic terraform-style, with a source snippet when
// the bytes are known, then a one-line summary.
func (textRenderer) Render(w io.Writer, r *Report) error {
	files := map[string]*hcl.File{}
	for name, b := range r.Files {
		files[name] = &hcl.File{Bytes: b}
	}
	width := r.Width
	if width == 0 {
		width = 78
	}
	tw := hcl.NewDiagnosticTextWriter(w, files, uint(width), r.Color)
	for _, d := range r.Diagnostics {
		hd := spec.Diagnostics{d}.ToHCL()[0]
		label := d.Severity.String()
		if d.Suppressed {
			label = "suppressed " + label
		}
		// The HCL writer only knows errors and warnings; say which finding
		// this is (and its code) in the summary so infos and suppressed
		// findings are not mistaken for warnings.
		hd.Summary = fmt.Sprintf("[%s] %s", d.Code, d.Summary)
		if d.Severity == spec.SeverityInfo || d.Suppressed {
			hd.Summary = fmt.Sprintf("(%s) %s", label, hd.Summary)
		}
		if d.Suppressed && d.SuppressReason != "" {
			hd.Detail = hd.Detail + "\n\nSuppressed: " + d.SuppressReason
		}
		if err := tw.WriteDiagnostic(hd); err != nil {
			return err
		}
	}
	return Summary(w, r.Diagnostics)
}

// Summary prints the closing count line.
func Summary(w io.Writer, ds spec.Diagnostics) error {
	e, wn, in := ds.Count(spec.SeverityError), ds.Count(spec.SeverityWarning), ds.Count(spec.SeverityInfo)
	if e+wn+in == 0 {
		_, err := fmt.Fprintln(w, "No problems found.")
		return err
	}
	_, err := fmt.Fprintf(w, "%d error(s), %d warning(s), %d info.\n", e, wn, in)
	return err
}
