package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/portcullis-dev/portcullis/spec"
)

type textRenderer struct{}

// ANSI styles for the headings, used only when colour is on.
const (
	styleReset  = "\x1b[0m"
	styleError  = "\x1b[1;31m"
	styleWarn   = "\x1b[1;33m"
	styleInfo   = "\x1b[1;36m"
	styleMuted  = "\x1b[1;90m"
	styleSource = "\x1b[1m"
)

// Render prints each diagnostic terraform-style (heading, the source lines
// it points at, the detail wrapped), then a one-line summary. Line offsets
// are indexed once per file: HCL's own writer rescans the whole file for
// every diagnostic, which took seconds on a large description with a few
// hundred findings.
func (textRenderer) Render(w io.Writer, r *Report) error {
	width := r.Width
	if width == 0 {
		width = 78
	}
	idx := map[string]*lineIndex{}
	var buf bytes.Buffer
	for _, d := range r.Diagnostics {
		buf.Reset()
		label, style := heading(d)
		if r.Color {
			fmt.Fprintf(&buf, "%s%s%s [%s] %s\n\n", style, label, styleReset, d.Code, d.Summary)
		} else {
			fmt.Fprintf(&buf, "%s [%s] %s\n\n", label, d.Code, d.Summary)
		}
		if rg := d.Range; rg != nil && rg.Filename != "" && rg.Start.Line > 0 {
			fmt.Fprintf(&buf, "  on %s line %d:\n", rg.Filename, rg.Start.Line)
			if src, ok := r.Files[rg.Filename]; ok {
				li := idx[rg.Filename]
				if li == nil {
					li = newLineIndex(src)
					idx[rg.Filename] = li
				}
				end := max(rg.End.Line, rg.Start.Line)
				end = min(end, rg.Start.Line+2) // a few lines are context enough
				for n := rg.Start.Line; n <= end; n++ {
					line, ok := li.line(n)
					if !ok {
						break
					}
					if r.Color {
						fmt.Fprintf(&buf, "%4d: %s%s%s\n", n, styleSource, line, styleReset)
					} else {
						fmt.Fprintf(&buf, "%4d: %s\n", n, line)
					}
				}
			}
			buf.WriteString("\n")
		}
		detail := d.Detail
		if d.Suppressed && d.SuppressReason != "" {
			detail += "\n\nSuppressed: " + d.SuppressReason
		}
		if detail != "" {
			buf.WriteString(wrap(detail, width))
			buf.WriteString("\n\n")
		}
		if _, err := w.Write(buf.Bytes()); err != nil {
			return err
		}
	}
	return Summary(w, r.Diagnostics)
}

func heading(d spec.Diagnostic) (string, string) {
	if d.Suppressed {
		return "Suppressed " + d.Severity.String() + ":", styleMuted
	}
	switch d.Severity {
	case spec.SeverityError:
		return "Error:", styleError
	case spec.SeverityWarning:
		return "Warning:", styleWarn
	default:
		return "Info:", styleInfo
	}
}

// lineIndex finds a line of a source by number without rescanning it.
type lineIndex struct {
	src    []byte
	starts []int
}

func newLineIndex(src []byte) *lineIndex {
	li := &lineIndex{src: src, starts: []int{0}}
	for i, b := range src {
		if b == '\n' {
			li.starts = append(li.starts, i+1)
		}
	}
	return li
}

func (li *lineIndex) line(n int) (string, bool) {
	if n < 1 || n > len(li.starts) {
		return "", false
	}
	start := li.starts[n-1]
	end := len(li.src)
	if n < len(li.starts) {
		end = li.starts[n] - 1
	}
	if start > end {
		return "", false
	}
	return strings.TrimRight(string(li.src[start:end]), "\r"), true
}

// wrap folds each paragraph of s at width, keeping its own line breaks.
func wrap(s string, width int) string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		words := strings.Fields(para)
		if len(words) == 0 {
			out = append(out, "")
			continue
		}
		line := words[0]
		for _, w := range words[1:] {
			if len(line)+1+len(w) > width {
				out = append(out, line)
				line = w
				continue
			}
			line += " " + w
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
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
