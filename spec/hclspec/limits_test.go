package hclspec

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
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

// TestItemsWithoutCommasAreCounted: HCL separates an object's items by
// newlines as well as commas, so an object written one attribute per line
// is as large as one written with commas, and is refused the same way.
// Block bodies (one block per route) are not collections and stay unbounded.
func TestItemsWithoutCommasAreCounted(t *testing.T) {
	obj := func(n int, sep string) string {
		var b strings.Builder
		b.WriteString("{\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "    a%d = \"x\"%s\n", i, sep)
		}
		b.WriteString("  }")
		return b.String()
	}
	for _, sep := range []string{"", ","} {
		src := []byte("api \"a\" {\n  description = " + obj(5000, sep) + "\n}\n")
		budget(t, "5,000 attributes", 2*time.Second, 256<<20, func() {
			_, ds := Read(map[string][]byte{"f.hcl": src}, nil)
			if !ds.HasErrors() || ds[0].Code != "too-many-items" || ds[0].Range == nil || ds[0].Range.Start.Line != 2 {
				t.Errorf("5,000 attributes separated by %q newline: %v", sep, ds)
			}
		})
	}
	// A list written one item per line with commas and comments between.
	var b strings.Builder
	b.WriteString("api \"a\" {\n  description = join(\",\", [\n")
	for i := 0; i < 1001; i++ {
		b.WriteString("    \"x\", # one\n\n")
	}
	b.WriteString("  ])\n}\n")
	if _, ds := Read(map[string][]byte{"f.hcl": []byte(b.String())}, nil); !ds.HasErrors() || ds[0].Code != "too-many-items" {
		t.Errorf("1,001 items one per line: %v", ds)
	}
	// Exactly the limit, one per line with blank lines and comments, is fine.
	if ds := checkLimits([]byte("x = "+obj(MaxItems, "")+"\ny = "+strings.Replace(obj(MaxItems, ","), "\n", "\n\n// c\n", -1)+"\n"), "f.hcl", hcl.InitialPos); ds.HasErrors() {
		t.Errorf("%d items: %v", MaxItems, ds)
	}
	// 2,000 blocks in one body are not a collection.
	var blocks strings.Builder
	blocks.WriteString("api \"a\" {\n")
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&blocks, "  b%d \"l\" {\n    x = { a = 1\n b = 2 }\n  }\n", i)
	}
	blocks.WriteString("}\n")
	if ds := checkLimits([]byte(blocks.String()), "f.hcl", hcl.InitialPos); ds.HasErrors() {
		t.Errorf("2,000 blocks: %v", ds)
	}
}
