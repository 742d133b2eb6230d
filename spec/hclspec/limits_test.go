package hclspec

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// budget runs fn and fails when it takes more than d or allocates more
// than maxAlloc bytes.
func budget(t testing.TB, what string, d time.Duration, maxAlloc uint64, fn func()) {
	t.Helper()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	fn()
	el := time.Since(start)
	runtime.ReadMemStats(&after)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > maxAlloc {
		t.Errorf("%s: allocated %d MB, budget %d MB", what, alloc>>20, maxAlloc>>20)
	}
	if el > d {
		t.Errorf("%s: took %v, budget %v", what, el, d)
	}
}

// TestSmallFilesCannotExhaustTheMachine: the inputs of the security
// review each get a diagnostic at their position, within a small time
// and memory budget.
func TestSmallFilesCannotExhaustTheMachine(t *testing.T) {
	api := func(expr string) []byte {
		return []byte(`api "a" {
  description = ` + expr + `
}
`)
	}
	list := func(n int) string {
		var b strings.Builder
		b.WriteString("join(\",\", [")
		for i := 0; i < n; i++ {
			b.WriteString(`"x",`)
		}
		b.WriteString("])")
		return b.String()
	}
	for _, c := range []struct {
		name, code string
		src        []byte
		line       int
	}{
		{"format width of 3e9", "", api(`format("%-3000000000s", "x")`), 2},
		{"format precision", "", api(`format("%.2000000000f", 1)`), 2},
		{"format indexed width", "", api(`format("%[1]999999999d", 1)`), 2},
		{"100,000 nested parentheses", "too-deep", api(strings.Repeat("(", 100000) + "1" + strings.Repeat(")", 100000)), 2},
		{"nested interpolations", "too-deep", api(strings.Repeat(`"${`, 5000) + "1" + strings.Repeat(`}"`, 5000)), 2},
		{"list of 200,000", "too-many-items", api(list(200000)), 2},
	} {
		var diags = func() []string { return nil }()
		budget(t, c.name, 2*time.Second, 256<<20, func() {
			_, ds := Read(map[string][]byte{"f.hcl": c.src}, nil)
			if !ds.HasErrors() {
				t.Errorf("%s: accepted", c.name)
				return
			}
			d := ds[0]
			if c.code != "" && d.Code != c.code {
				t.Errorf("%s: code %s (%s), want %s", c.name, d.Code, d.Detail, c.code)
			}
			if d.Range == nil || d.Range.Filename != "f.hcl" || d.Range.Start.Line != c.line {
				t.Errorf("%s: diagnostic without its position: %+v", c.name, d.Range)
			}
			for _, x := range ds {
				diags = append(diags, x.Detail)
			}
		})
		if c.code == "" && !strings.Contains(strings.Join(diags, " "), "over the limit of 1000") {
			t.Errorf("%s: %v", c.name, diags)
		}
	}
	// Within the limits, format still formats.
	d, ds := Read(map[string][]byte{"f.hcl": api(`format("%-5s|%.2f|%03d", "ab", 1.5, 7)`)}, nil)
	if ds.HasErrors() || d.APIs[0].Description != "ab   |1.50|007" {
		t.Errorf("format within limits: %v %q", ds, d.APIs[0].Description)
	}

	// The same limits hold for a --var-file and a --var value.
	if _, ds := ReadVarFile("v.hcl", []byte("x = "+strings.Repeat("[", 1000)+strings.Repeat("]", 1000)+"\n")); !ds.HasErrors() || ds[0].Code != "too-deep" {
		t.Errorf("var file: %v", ds)
	}
	decl := []byte("variable \"l\" { type = list(string) }\napi \"a\" {}\n")
	if _, ds := Read(map[string][]byte{"f.hcl": decl}, []VarValue{{Name: "l", Raw: list(5000)[len(`join(",", `) : len(list(5000))-1], Origin: "--var l"}}); !ds.HasErrors() || !strings.Contains(fmt.Sprint(ds), "more than 1000 items") {
		t.Errorf("--var value: %v", ds)
	}
}
