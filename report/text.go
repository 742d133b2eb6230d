package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/portcullis-dev/portcullis/internal/escape"
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
//
// Output is bounded by the input: a source line is shown as a window of
// snippetWindow bytes around the column (with an ellipsis), not whole (a
// minified one-line document used to be printed once per finding), and
// findings with one code on one line are printed once, with the count and
// columns of the rest (JSON and SARIF list each).
func (textRenderer) Render(w io.Writer, r *Report) error {
	width := r.Width
	if width == 0 {
		width = 78
	}
	idx := map[string]*lineIndex{}
	var buf bytes.Buffer
	for _, g := range groupByLine(r.Diagnostics) {
		d := g[0]
		buf.Reset()
		label, style := heading(d)
		if r.Color {
			fmt.Fprintf(&buf, "%s%s%s [%s] %s\n\n", style, label, styleReset, d.Code, escape.Control(d.Summary))
		} else {
			fmt.Fprintf(&buf, "%s [%s] %s\n\n", label, d.Code, escape.Control(d.Summary))
		}
		if rg := d.Range; rg != nil && rg.Filename != "" && rg.Start.Line > 0 {
			fmt.Fprintf(&buf, "  on %s line %d:\n", escape.Control(rg.Filename), rg.Start.Line)
			if src, ok := r.Files[rg.Filename]; ok {
				li := idx[rg.Filename]
				if li == nil {
					li = newLineIndex(src)
					idx[rg.Filename] = li
				}
				end := max(rg.End.Line, rg.Start.Line)
				end = min(end, rg.Start.Line+2) // a few lines are context enough
				for n := rg.Start.Line; n <= end; n++ {
					col := 1
					if n == rg.Start.Line {
						col = rg.Start.Column
					}
					line, ok := li.window(n, col)
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
		if len(g) > 1 {
			detail += "\n\n" + moreOnLine(g)
		}
		if detail != "" {
			// Line breaks are the detail's own; any other control
			// character (from a description's names) is escaped.
			for i, l := range strings.Split(wrap(detail, width), "\n") {
				if i > 0 {
					buf.WriteByte('\n')
				}
				buf.WriteString(escape.Control(l))
			}
			buf.WriteString("\n\n")
		}
		if _, err := w.Write(buf.Bytes()); err != nil {
			return err
		}
	}
	return Summary(w, r.Diagnostics)
}

// groupByLine groups findings with one code, severity and suppression on
// one source line, in the order of each group's first finding. Findings
// without a place stay alone.
func groupByLine(ds spec.Diagnostics) [][]spec.Diagnostic {
	type key struct {
		file       string
		line       int
		code       string
		sev        spec.Severity
		suppressed bool
	}
	var groups [][]spec.Diagnostic
	at := map[key]int{}
	for _, d := range ds {
		if d.Range == nil || d.Range.Filename == "" || d.Range.Start.Line <= 0 {
			groups = append(groups, []spec.Diagnostic{d})
			continue
		}
		k := key{d.Range.Filename, d.Range.Start.Line, d.Code, d.Severity, d.Suppressed}
		if i, ok := at[k]; ok {
			groups[i] = append(groups[i], d)
			continue
		}
		at[k] = len(groups)
		groups = append(groups, []spec.Diagnostic{d})
	}
	return groups
}

// maxColumnsListed bounds the columns named for a group.
const maxColumnsListed = 10

func moreOnLine(g []spec.Diagnostic) string {
	var cols []string
	for _, d := range g[1:min(len(g), maxColumnsListed+1)] {
		cols = append(cols, fmt.Sprint(d.Range.Start.Column))
	}
	more := ""
	if len(g)-1 > maxColumnsListed {
		more = ", ..."
	}
	return fmt.Sprintf("And %d more [%s] finding(s) on this line, at column(s) %s%s (--format json lists each).",
		len(g)-1, g[0].Code, strings.Join(cols, ", "), more)
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
	// Sized by a count first: growing by appends would allocate about
	// twice the index, megabytes for a large description.
	li := &lineIndex{src: src, starts: make([]int, 1, bytes.Count(src, []byte{'\n'})+1)}
	for i, b := range src {
		if b == '\n' {
			li.starts = append(li.starts, i+1)
		}
	}
	return li
}

// snippetWindow is how much of a long source line is shown: enough for
// the context of a finding, never the whole of a minified document.
const (
	snippetWindow = 100
	snippetBefore = 40 // of the window, before the column
)

// window returns line n, or for a line longer than snippetWindow the part
// around col (1-based, counted in bytes here: close enough for a window)
// with an ellipsis on each cut side. Control characters are escaped.
func (li *lineIndex) window(n, col int) (string, bool) {
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
	line := li.src[start:end]
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	if len(line) <= snippetWindow {
		return escape.Control(string(line)), true
	}
	from := min(max(col-1-snippetBefore, 0), len(line)-snippetWindow)
	to := from + snippetWindow
	for from > 0 && !utf8.RuneStart(line[from]) {
		from--
	}
	for to < len(line) && !utf8.RuneStart(line[to]) {
		to++
	}
	out := escape.Control(string(line[from:to]))
	if from > 0 {
		out = "…" + out
	}
	if to < len(line) {
		out += "…"
	}
	return out, true
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
