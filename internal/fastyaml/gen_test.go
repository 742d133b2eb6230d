package fastyaml

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

// gen writes random documents from the constructs of the subset, with
// random slips (a space too many or too few, a tab, a stray comment) that
// take many of them out of it or make them invalid. Byte-level fuzzing
// rarely builds a document deep enough to reach the interesting rules;
// this does, and the differential check then holds the trees to yaml/v4's.
type gen struct {
	r    *rand.Rand
	b    strings.Builder
	crlf bool
	step int // indentation width
}

var genPlain = []string{
	"a", "b c", "x-y", "1", "-1", "+1", "-0", "012", "0x1F", "0o7", "1e3", "1.5", "3.0.1", ".5", ".inf", "-.Inf",
	"true", "False", "yes", "~", "null", "NULL", "2001-12-14", "2001-12-14 21:59:43.10", "é", "日本 語", "a#b",
	"a:b", "http://x.y/z?q#f", "https://{id}.x/{p}", "-x", "a'b", "a\"b", "a, b", "a]", "x{y}", "9223372036854775808",
	"1_000", "0b101", "08", "-.5", "1e", "Null", "on", "<<", "a  b", "%x", "@x", "`x`", "?x", ":x", "!x", "&x", "*x",
}

var genQuoted = []string{
	`"a b"`, `'x''y'`, `"\u00e9\t"`, `"\x41\U0001F600"`, `""`, `''`, `"#"`, `'#'`, `"a: b"`, `'- x'`, `"\\"`,
	`"\"q\""`, `"\/"`, `"2.0"`, `'300'`, `"true"`, `"é"`, `"\N\_\L\P"`, `"\0"`, `"\q"`, `"\uD800"`, `'it''s'`,
	`"tab	in"`, `"a`, `'b`,
}

func (g *gen) chance(pct int) bool { return g.r.IntN(100) < pct }

func (g *gen) nl() {
	if g.chance(3) {
		g.b.WriteString(" ")
	}
	if g.chance(4) {
		g.b.WriteString(" # c")
	}
	if g.crlf {
		g.b.WriteString("\r\n")
	} else {
		g.b.WriteString("\n")
	}
	if g.chance(4) {
		g.b.WriteString("\n")
	}
	if g.chance(3) {
		g.indent(g.r.IntN(6))
		g.b.WriteString("# comment\n")
	}
}

// indent writes n spaces, now and then one more or one less, or a tab.
func (g *gen) indent(n int) {
	switch {
	case g.chance(2) && n > 0:
		n--
	case g.chance(2):
		n++
	case g.chance(1):
		g.b.WriteString("\t")
	}
	g.b.WriteString(strings.Repeat(" ", n))
}

func (g *gen) scalar(flow bool) {
	if g.chance(30) {
		g.b.WriteString(genQuoted[g.r.IntN(len(genQuoted))])
		return
	}
	s := genPlain[g.r.IntN(len(genPlain))]
	if flow && g.chance(70) {
		s = strings.NewReplacer(",", "", "]", "", "{", "", "}", "").Replace(s)
	}
	g.b.WriteString(s)
}

func (g *gen) key() {
	if g.chance(25) {
		g.b.WriteString(genQuoted[g.r.IntN(len(genQuoted))])
		return
	}
	keys := []string{"a", "b", "key", "x-amazon-apigateway-integration", "200", "é", "a b", "~", "true", "/res/{id}", "k"}
	g.b.WriteString(keys[g.r.IntN(len(keys))])
}

func (g *gen) sep() {
	switch {
	case g.chance(70):
		g.b.WriteString(" ")
	case g.chance(50):
		g.b.WriteString("")
	default:
		g.b.WriteString("  ")
	}
}

// flow writes a flow collection; ind is the column its later lines go to.
func (g *gen) flow(ind, depth int) {
	seq := g.chance(50)
	open, closer := "{", "}"
	if seq {
		open, closer = "[", "]"
	}
	g.b.WriteString(open)
	n := g.r.IntN(4)
	multi := g.chance(30)
	for i := 0; i < n; i++ {
		if multi {
			g.nl()
			g.indent(ind + g.step)
		} else if i > 0 || g.chance(20) {
			g.sep()
		}
		if !seq {
			g.key()
			if g.chance(90) {
				g.b.WriteString(":")
				g.sep()
			}
		}
		switch {
		case depth < 4 && g.chance(25):
			g.flow(ind+g.step, depth+1)
		case !seq && g.chance(10):
		case g.chance(10):
			g.multiline(ind + g.step)
		default:
			g.scalar(true)
		}
		if i < n-1 || g.chance(15) {
			g.b.WriteString(",")
		}
	}
	if multi {
		g.nl()
		g.indent(ind)
	}
	g.b.WriteString(closer)
}

// blockText writes a block scalar's header and lines at ind.
func (g *gen) blockText(ind int) {
	g.b.WriteString([]string{"|", ">", "|-", ">-", "|+", ">+", "|2"}[g.r.IntN(7)])
	g.nl()
	for n := 1 + g.r.IntN(4); n > 0; n-- {
		switch {
		case g.chance(15):
			g.b.WriteString("\n")
		case g.chance(15):
			g.indent(ind + 2)
			g.b.WriteString("more indented\n")
		default:
			g.indent(ind)
			g.b.WriteString([]string{"text", "# not a comment", "a: b", "- x", "é"}[g.r.IntN(5)] + "\n")
		}
	}
}

// multiline writes a plain or quoted scalar over several lines, whose
// later lines go to about ind.
func (g *gen) multiline(ind int) {
	open := []string{"", "", "'", "\""}[g.r.IntN(4)]
	g.b.WriteString(open)
	for n := 2 + g.r.IntN(3); n > 0; n-- {
		words := []string{"text", "more  words", "é", "a - b", "x: y", "#c", "it''s", `\t`, `\`, "  ", "[x]", "z,"}
		w := words[g.r.IntN(len(words))]
		if open != "\"" && strings.Contains(w, `\`) || open != "'" && strings.Contains(w, "''") {
			w = "w"
		}
		g.b.WriteString(w)
		if n > 1 {
			if g.chance(20) {
				g.b.WriteString(" ")
			}
			if g.chance(20) {
				g.b.WriteString("\n")
			}
			g.b.WriteString("\n")
			g.indent(ind)
		}
	}
	g.b.WriteString(open)
}

// value writes what follows "key:" or "-" for a collection indented at ind.
func (g *gen) value(ind, depth int, inMap bool) {
	switch k := g.r.IntN(10); {
	case k < 3 || depth > 5:
		g.sep()
		g.scalar(false)
		g.nl()
	case k < 4:
		g.sep()
		g.flow(ind, depth)
		g.nl()
	case k < 5:
		g.sep()
		g.blockText(ind + g.step)
	case k < 6 && g.chance(50):
		g.nl() // empty
	case k < 6:
		g.sep()
		g.multiline(ind + g.step)
		g.nl()
	case k < 8:
		g.nl()
		g.mapping(ind+g.step, depth+1, false)
	default:
		g.nl()
		if inMap && g.chance(50) {
			g.seq(ind, depth+1, false) // at its key's column
		} else {
			g.seq(ind+g.step, depth+1, false)
		}
	}
}

// mapping writes a block mapping at ind; compact skips the first indent.
func (g *gen) mapping(ind, depth int, compact bool) {
	for n := 1 + g.r.IntN(3); n > 0; n-- {
		if !compact {
			g.indent(ind)
		}
		compact = false
		g.key()
		if g.chance(5) {
			g.b.WriteString(" ")
		}
		g.b.WriteString(":")
		g.value(ind, depth, true)
	}
}

func (g *gen) seq(ind, depth int, compact bool) {
	for n := 1 + g.r.IntN(3); n > 0; n-- {
		if !compact {
			g.indent(ind)
		}
		compact = false
		g.b.WriteString("-")
		switch {
		case depth < 5 && g.chance(25):
			g.b.WriteString(" ")
			g.mapping(ind+2, depth+1, true)
		case depth < 5 && g.chance(10):
			g.b.WriteString(" ")
			g.seq(ind+2, depth+1, true)
		default:
			g.value(ind, depth, false)
		}
	}
}

func (g *gen) document() string {
	g.b.Reset()
	g.crlf = g.chance(10)
	g.step = 1 + g.r.IntN(4)
	if g.chance(10) {
		g.b.WriteString("---")
		g.nl()
	}
	switch k := g.r.IntN(10); {
	case k < 5:
		g.mapping(0, 0, false)
	case k < 8:
		g.seq(0, 0, false)
	case k < 9:
		g.flow(0, 0)
		g.nl()
	default:
		g.scalar(false)
		g.nl()
	}
	if g.chance(5) {
		g.b.WriteString("...\n")
	}
	return g.b.String()
}

// jsonValue makes a random JSON-able value.
func jsonValue(r *rand.Rand, depth int) any {
	switch k := r.IntN(10); {
	case depth < 5 && k < 3:
		m := map[string]any{}
		for n := r.IntN(5); n > 0; n-- {
			m[genPlain[r.IntN(len(genPlain))]] = jsonValue(r, depth+1)
		}
		return m
	case depth < 5 && k < 5:
		var s []any
		for n := r.IntN(4); n > 0; n-- {
			s = append(s, jsonValue(r, depth+1))
		}
		return s
	case k < 6:
		return r.NormFloat64() * 1e6
	case k < 7:
		return []any{true, false, nil, 0, -1, 1e300, 123456789012}[r.IntN(7)]
	default:
		return genPlain[r.IntN(len(genPlain))] + genQuoted[r.IntN(len(genQuoted))]
	}
}

// TestGenerated runs the differential check over random documents, YAML
// and JSON. It fails if too few take the fast path for the check to mean
// anything.
func TestGenerated(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	g := &gen{r: r}
	n, fast := 4000, 0
	if testing.Short() {
		n = 500
	}
	for i := 0; i < n; i++ {
		if differ(t, g.document()) {
			fast++
		}
		if t.Failed() {
			return
		}
	}
	t.Logf("YAML: fast-pathed %d of %d", fast, n)
	if fast < n/5 {
		t.Errorf("only %d of %d generated YAML documents fast-pathed", fast, n)
	}
	fast = 0
	for i := 0; i < n/4; i++ {
		v := jsonValue(r, 0)
		var b []byte
		var err error
		if r.IntN(2) == 0 {
			b, err = json.MarshalIndent(v, strings.Repeat(" ", r.IntN(3)), []string{"  ", "\t", " "}[r.IntN(3)])
		} else {
			b, err = json.Marshal(v)
		}
		if err != nil {
			t.Fatal(err)
		}
		if differ(t, string(b)) {
			fast++
		}
	}
	t.Logf("JSON: fast-pathed %d of %d", fast, n/4)
	if fast < n/4/2 {
		t.Errorf("only %d of %d generated JSON documents fast-pathed", fast, n/4)
	}

	// YAML as yaml/v4 writes it, in its v3 style (Marshal: 4 spaces,
	// sequences indented) and its v4 style (Dump: 2 spaces, compact
	// sequences): quoting, block scalars for text with line breaks.
	fast = 0
	for i := 0; i < n/4; i++ {
		v := yamlValue(r, 0)
		var b []byte
		var err error
		if r.IntN(2) == 0 {
			b, err = yaml.Marshal(v)
		} else {
			b, err = yaml.Dump(v)
		}
		if err != nil {
			t.Fatal(err)
		}
		if differ(t, string(b)) {
			fast++
		}
	}
	t.Logf("yaml/v4's own YAML: fast-pathed %d of %d", fast, n/4)
	if fast < n/4/2 {
		t.Errorf("only %d of %d documents written by yaml/v4 fast-pathed", fast, n/4)
	}
}

// genText holds strings that make yaml/v4 choose a style.
var genText = []string{
	"a\nb", "a\nb\n", "a\n\nb\n\n", " lead", "trail ", "#x", "- x", "key: v", "", "\t", "it's", "say \"hi\"",
	"é ü", "😀", "\x01", "line one\n  indented\nback\n", "{\n  \"statusCode\": 200\n}", "$input.json('$')",
	"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc", "true", "1.0", "0o17", "~",
	strings.Repeat("a long description that wraps ", 5), strings.Repeat("wraps with a trailing space ", 4) + " ",
	"x: " + strings.Repeat("needs double quotes\t", 6), strings.Repeat("é ", 60), strings.Repeat("line\n", 3) + strings.Repeat("long line ", 12),
}

// yamlValue makes a random value for yaml/v4 to write.
func yamlValue(r *rand.Rand, depth int) any {
	switch k := r.IntN(10); {
	case depth < 5 && k < 3:
		m := map[string]any{}
		for n := r.IntN(5); n > 0; n-- {
			m[genText[r.IntN(len(genText))]+genPlain[r.IntN(len(genPlain))]] = yamlValue(r, depth+1)
		}
		return m
	case depth < 5 && k < 5:
		var s []any
		for n := r.IntN(4); n > 0; n-- {
			s = append(s, yamlValue(r, depth+1))
		}
		return s
	case k < 6:
		return []any{true, false, nil, 0, -1, 1.5, 1e300, 123456789012, r.NormFloat64()}[r.IntN(9)]
	case k < 8:
		return genText[r.IntN(len(genText))]
	default:
		return genPlain[r.IntN(len(genPlain))]
	}
}

// FuzzGenerated runs the differential check over the documents the
// generator makes from the fuzzer's seeds, for long runs:
// go test ./internal/fastyaml -run '^$' -fuzz FuzzGenerated -fuzztime 3m
func FuzzGenerated(f *testing.F) {
	f.Add(uint64(1), uint64(2))
	f.Fuzz(func(t *testing.T, s1, s2 uint64) {
		r := rand.New(rand.NewPCG(s1, s2))
		g := &gen{r: r}
		for i := 0; i < 20; i++ {
			differ(t, g.document())
		}
		b, err := yaml.Dump(yamlValue(r, 0))
		if err != nil {
			t.Fatal(err)
		}
		differ(t, string(b))
	})
}
