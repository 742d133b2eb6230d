package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/portcullis-dev/portcullis/spec"
)

// oneLineDoc is a minified OpenAPI document of n public routes on one
// line, with the column of each route's operation: the shape that printed
// 59 MB for 59 KB when every finding quoted the whole line.
func oneLineDoc(n int) ([]byte, []int) {
	var b bytes.Buffer
	b.WriteString(`{"openapi":"3.0.1","info":{"title":"big","version":"1"},"paths":{`)
	cols := make([]int, n)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"/r%d":{`, i)
		cols[i] = b.Len() + 1
		b.WriteString(`"get":{"responses":{"200":{"description":"ok"}}}}`)
	}
	b.WriteString(`}}`)
	return b.Bytes(), cols
}

func findings(cols []int, code func(i int) string) spec.Diagnostics {
	ds := make(spec.Diagnostics, len(cols))
	for i, c := range cols {
		rg := spec.Range{Filename: "big.json"}
		rg.Start.Line, rg.Start.Column, rg.End.Line, rg.End.Column = 1, c, 1, c+3
		ds[i] = spec.Diagnostic{Severity: spec.SeverityError, Code: code(i), Range: &rg,
			Summary: "Route is public", Detail: fmt.Sprintf("GET /r%d has no authorizer.", i)}
	}
	return ds
}

// TestTextOutputBoundedByInput: 1,000 findings on a one-line document
// print a small multiple of the document, grouped or not, in linear time.
func TestTextOutputBoundedByInput(t *testing.T) {
	src, cols := oneLineDoc(1000)
	for _, c := range []struct {
		name   string
		code   func(int) string
		factor int // output at most factor times the input
	}{
		{"one code (grouped)", func(int) string { return "PCA001" }, 1},
		{"a code each (windows only)", func(i int) string { return fmt.Sprintf("X%04d", i) }, 8},
	} {
		var out bytes.Buffer
		start := time.Now()
		if err := Write(&out, "text", &Report{Diagnostics: findings(cols, c.code), Files: map[string][]byte{"big.json": src}}); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d-byte document, %d findings: %d bytes of output (%.1fx) in %v", c.name, len(src), len(cols), out.Len(), float64(out.Len())/float64(len(src)), time.Since(start))
		if out.Len() > c.factor*len(src) {
			t.Errorf("%s: %d bytes of output for a %d-byte document", c.name, out.Len(), len(src))
		}
		if !strings.Contains(out.String(), "…") {
			t.Errorf("%s: no window marks", c.name)
		}
	}
}

// TestSnippetWindowShowsTheColumn: the window holds the text at the
// column, cut on both sides, and respects UTF-8.
func TestSnippetWindowShowsTheColumn(t *testing.T) {
	line := strings.Repeat("é", 200) + "HERE" + strings.Repeat("x", 300)
	li := newLineIndex([]byte(line + "\n"))
	got, ok := li.window(1, 401)
	if !ok || !strings.Contains(got, "HERE") || !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") {
		t.Fatalf("window = %q", got)
	}
	if len(got) > snippetWindow+8 {
		t.Errorf("window is %d bytes", len(got))
	}
	for _, r := range got {
		if r == '\uFFFD' {
			t.Fatalf("window cuts a character: %q", got)
		}
	}
	if got, _ := li.window(1, 1); !strings.HasPrefix(got, "é") {
		t.Errorf("window at the start = %q", got)
	}
	short := newLineIndex([]byte("a\x1b[31mb\n"))
	if got, _ := short.window(1, 1); got != `a\x1b[31mb` {
		t.Errorf("control characters not escaped: %q", got)
	}
}

// BenchmarkTextOneLine1000: 1,000 findings of one rule on a 59 KB
// one-line document (docs/benchmarks.md, "Diagnostics output").
func BenchmarkTextOneLine1000(b *testing.B) {
	src, cols := oneLineDoc(1000)
	for _, c := range []struct {
		name string
		code func(int) string
	}{{"grouped", func(int) string { return "PCA001" }}, {"distinct", func(i int) string { return fmt.Sprintf("X%04d", i) }}} {
		ds := findings(cols, c.code)
		b.Run(c.name, func(b *testing.B) {
			var out bytes.Buffer
			for b.Loop() {
				out.Reset()
				if err := Write(&out, "text", &Report{Diagnostics: ds, Files: map[string][]byte{"big.json": src}}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(out.Len()), "out-bytes")
		})
	}
}
