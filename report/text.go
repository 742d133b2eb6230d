package report

import (
	"bytes"
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
	var buf bytes.Buffer
	tw := hcl.NewDiagnosticTextWriter(&buf, files, uint(width), r.Color)
	for _, d := range r.Diagnostics {
		hd := spec.Diagnostics{d}.ToHCL()[0]
		hd.Summary = fmt.Sprintf("[%s] %s", d.Code, d.Summary)
		if d.Suppressed && d.SuppressReason != "" {
			hd.Detail = hd.Detail + "\n\nSuppressed: " + d.SuppressReason
		}
		buf.Reset()
		if err := tw.WriteDiagnostic(hd); err != nil {
			return err
		}
		// The HCL writer knows only errors and warnings; relabel infos and
		// suppressed findings so they are not mistaken for warnings.
		out := buf.Bytes()
		switch {
		case d.Suppressed:
			out = relabel(out, "Suppressed "+d.Severity.String()+": ")
		case d.Severity == spec.SeverityInfo:
			out = relabel(out, "Info: ")
		}
		if _, err := w.Write(out); err != nil {
			return err
		}
	}
	return Summary(w, r.Diagnostics)
}

// relabel replaces the writer's leading "Error: " or "Warning: " (inside
// any colour codes) with label.
func relabel(out []byte, label string) []byte {
	for _, old := range []string{"Error: ", "Warning: "} {
		if i := bytes.Index(out, []byte(old)); i >= 0 && i < 16 {
			return append(append(append([]byte{}, out[:i]...), label...), out[i+len(old):]...)
		}
	}
	return out
}

// Summary prints the closing count line.
func Summary(w io.Writer, ds spec.Diagnostics) error {
	e, wn, in := ds.Count(spec.SeverityError), ds.Count(spec.SeverityWarning), ds.Count(spec.SeverityInfo)
	sup := ""
	if n := len(ds) - e - wn - in; n > 0 {
		sup = fmt.Sprintf(" (%d suppressed)", n)
	}
	if e+wn+in == 0 {
		_, err := fmt.Fprintf(w, "No problems found%s.\n", sup)
		return err
	}
	_, err := fmt.Fprintf(w, "%d error(s), %d warning(s), %d info%s.\n", e, wn, in, sup)
	return err
}
