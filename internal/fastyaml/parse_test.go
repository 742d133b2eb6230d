package fastyaml

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

// differ parses src with both readers. It fails the test when parse
// panics, or accepts what yaml/v4 rejects, or builds a different tree; it
// returns whether the fast path was taken.
func differ(t *testing.T, src string) bool {
	t.Helper()
	got, ok := parse([]byte(src))
	if !ok {
		if got != nil {
			t.Errorf("%q: ok=false with a tree", src)
		}
		return false
	}
	var want yaml.Node
	if err := yaml.Unmarshal([]byte(src), &want); err != nil {
		t.Errorf("%q: fast path took a document yaml/v4 rejects: %v", src, err)
		return true
	}
	if err := same(got, &want); err != nil {
		t.Errorf("%q: %v", src, err)
	}
	return true
}

// fast holds documents the fast path must take, and match yaml/v4 on.
var fast = []string{
	// block mappings and sequences
	"a: 1\n", "a: 1", "a: b\nc: d\n", "\n\n  a: 1\n  b: 2\n", "a:\n  b:\n    c: d\n  e: f\ng: h\n",
	"a:\nb: 2\n", "a:", "a:   \n", "a: # c\nb: 1\n", "a: #c\n  b: 1\n", "a:\n\n\n# c\nb:\n",
	"- a\n- b\n", "-\n", "- \n- a\n", "-\n  a: 1\n", "- # c\n  b: 1\n", "- - a\n  - b\n- c\n",
	"- a: 1\n  b: 2\n- c: 3\n", "-   a: 1\n    b: 2\n", "a:\n- x\n- y\nb: 1\n", "a:\n  - x\n  - y\n",
	"- a:\n  - x\n  b: 1\n", "a:\n-\n- b\n", "a:\n- - x\n  - y\n- z\n",
	"a b: c d\n", "a  : b\n", "a: b c  \n", "a: b#c\n", "a: b # c\n", "a: http://x.y/z?q=1#f\n",
	"a: b:c\n", "k: -x\n", "k: -1\n", "k: a - b\n", "k: x, y\n", "k: a]b}\n", "k: https://{id}.x/{p}\n",
	"é: ü\n", "é: ü\nb: [é, ü, 'ö']\n", "日本: {語: x}\n", "k: '😀' # é\nl: 1\n",
	"a: 1\r\nb:\r\n  - x\r\n  - {y: z}\r\n", "k: 'x'\r\n",
	"# head\n\na: 1 # line\n# foot\n", "a: 1\n...\n", "a: 1\n... # end\n# c\n",
	"---\na: 1\n", "--- # x\na: 1\n", "---\n- a\n",
	"a: 1\na: 2\n", // duplicate keys are the reader's business, not the tree's
	"k: ---\n", "k:\n  ---x\n", "---x: 1\n", "...x: 1\n",
	// quoted scalars
	"a: 'x''y'\n", "a: ''\n", "a: \"\"\n", "'a': \"b\"\n", "\"a b\" : 1\n", "'k': ''''\n",
	`a: "\t\\\"\/\0\a\b\v\f\r\e\ \N\_\L\P\x41\xe9\u00e9\u263A\U0001F600"` + "\n",
	"a: \"tab\there\"\n", "a: 'tab\there'\n", "a: \"#\" # c\n", "a: '# x'\n",
	"a: \"2.0\"\nb: '300'\nc: \"true\"\n",
	// tag resolution of plain scalars
	"[300, 1e3, 0x1F, 0o17, 0b11, 012, +1, -0, -0.0, 1_000, 3.0.1, .5, 1., .inf, -.Inf, .NaN, +.INF]\n",
	"[true, True, TRUE, false, yes, no, on, off, y, n, ~, null, Null, NULL, nil]\n",
	"[2001-12-14, 2001-12-14t21:59:43.10-05:00, 2001-12-14 21:59:43.10, 2002-12-14T21:59:43Z, 2001-1-2, 1999-99-99]\n",
	"[9223372036854775807, 9223372036854775808, 18446744073709551615, 18446744073709551616, -9223372036854775809]\n",
	"[0x, 1e, 1e+, +, -a, +.5, -.5, 0.1e-3, 1E5, 1.5E+3, 01, 08, 0b2, _1, 1__0]\n",
	"200: OK\n'200': OK\n2001-12-14: x\n~: null\n",
	// flow collections
	"[]\n", "{}\n", "[a, b]\n", "[a, b,]\n", "{a: 1, b}\n", "{a}\n", "{a: }\n", "{a:}\n", "{a: ,b: 2}\n",
	"{\"a\":1}\n", "{\"a\":\"b\",\"c\":[1,2,{\"d\":null}]}\n", "{a:1}\n", "{a :1}\n", "[a b, c  d ]\n",
	"{default: prod}\n", "k: {name: id, in: path, required: true, schema: {type: string}}\n",
	"k: [api/read, api/write] # scopes\n", "k: []\nl: {}\n", "- [a, [b, [c]]]\n- {a: {b: {c: d}}}\n",
	"[a, # c\n b]\n", "[\n  a,\n  b\n]\n", "{\n  a: 1,\n  b: [\n    2\n  ]\n}\n", "[-1, -a]\n", "[\"a\"\t, 'b']\n",
	"k: [a,\n    b]\n", "- [a,\n b]\n", "- {a: 1,\n   b: 2}\n", "k:\n  [a, b]\n", "{a: [1, 2], b: {c: d}}\n",
	"{\"k\": \"v\", \"n\": -1.5e3, \"t\": true, \"f\": false, \"z\": null, \"e\": \"\\u00e9\"}",
	"{\n\t\"a\": 1,\n\t\"b\": [\n\t\t2\n\t]\n}\n",
	"[a, b]  \n", "[a, b] # c\n",
	// block scalars
	"a: |\n  x\n  y\nb: 1\n", "a: >\n  x\n  y\n\n  z\n   w\n  v\nb: 1\n", "a: |-\n  x\n\n", "a: |+\n  x\n\n\nb: 1\n",
	"a: >-\n  x\n  y\n", "a: >+\n  x\n\n", "a: | # c\n  x\n", "- |\n  x\n- >\n  y\n", "- a: |\n    x\n  b: 1\n",
	"a: |\n\n  x\n   y\n  # not a comment\n\n# a comment\nb: 1\n", "a: |\n  \n  x\n", "a: >\n  x\n    \n  y\n",
	"a:\n  |\n   x\n", "a: |\r\n  x\r\n\r\n  y\r\nb: 2\r\n", "a: >\n  é ü\n  ö\n", "a: >\n  x\n\n\n  y\n",
	"a: >\n  x\n   \n  y\n", "a:\n- |\n  x\n- y\n",
	// scalars over several lines
	"a: b\n  c\n", "a: 'x\n  y'\n", "a: \"x\n  y\"\n", "a: \"x\\\n  y\"\n", "x\ny\n", "a: 1\n - b\n", "[a\n b]\n",
	"a: b\n\n  c\n\n\n  d # e\nf: g\n", "- a\n  b\n- c\n", "a: b\n  # c\n", "a: b\n  - c\n  [d] e\n", "k: x \n   y  \n",
	"a: 'x\n\n  y  \n  z'\n", "a: \"  x  \n  y\\\n   \\ z\\t\n\n  \\\n  \"\n", "a: 'it''s\n  ok'\n", "a: \"é\n ü\" # c\nb: 1\n",
	"{a: b\n c, d: 'e\n f', g: \"h\n\n i\"}\n", "[\"a\n  b\",\n c\n d]\n", "- k: a\n    b\n  l: c\n", "a: b\r\n  c\r\n",
	"a:\n  b\n  c\nd: e\n", "a: -b\n  -c\n", "a: b\n c\n",
	// no length limit on keys in this libyaml port
	strings.Repeat("k", 2000) + ": v\n", "{" + strings.Repeat("k", 2000) + ": v}\n",
	// root scalars
	"x\n", "~", "\"a\"\n", "'a'", "  x  # c\n",
}

// slow holds documents the fast path must leave to yaml/v4: outside the
// subset, or invalid.
var slow = []string{
	"", "# only a comment\n", "\n\n", "---\n", "--- a\n", "--- [a]\n", "a: 1\n---\nb: 2\n", "a: 1\n---\n",
	"...\n", "%YAML 1.2\n---\na: 1\n", "\ufeffa: 1\n",
	"a: &x 1\nb: *x\n", "a: !!str 1\n", "a: !t x\n", "<<: {a: 1}\n",
	"|\n x\n", "a: |2\n   x\n", "a: |\n  x", "a: |\n  x\n  ", "a: |\nb: 1\n", "a: |\n    \n  x\n", "a: |\n\tx\n",
	"a: |\n  \tx\n", "a: >\n   x\n  y\n", "a: |x\n", "a: |#c\n  x\n", "a: |", "a: |\n",
	"? a\n: b\n",
	"a:\tb\n", "\ta: 1\n", "a:\n\t- b\n", "- \ta\n",
	"a: b\n  c: d\n  e\n", "a: b\n  c: d\n", "a: b\n  - c\n  [d]: e\n", "- k: a\n  b\n", "a: 'x\ny'\n", "a: \"x\n\ty\"\n", "a: b\n\tc\n",
	"a: \"x\n---\n\"\n", "[\"x\n...\n\"]\n", "[a\n---\n]\n", "a: 'x\n", "\"a\n b\": c\n", "{\"a\n b\": c}\n", "{a\n b: c}\n",
	"a: b: c\n", "a: - b\n", "- a\nb: c\n", "a:\n  b: 1\n c: 2\n", "a: 1\n  b: 2\n",
	"[a, , b]\n", "[a: 1]\n", "{[a]: b}\n", "[a]: b\n", "{a: b: c}\n", "{a\n: b}\n",
	"[a", "{a: 1", "a: [1, 2\n", "a: ]\n", "a: }\n", "a: ,\n", "a: \"x\"y\n", "a: \"x\"#c\n", "a: [x]#c\n",
	"a: \"\\q\"\n", "a: \"\\uD800\"\n", "a: \"\\x4\"\n", "a: \"\\U00110000\"\n", "a: 'unterminated\n",
	"a: @x\n", "a: `x`\n", "a: %x\n", "a: ?x\n", "a: :x\n", "a:\rb\n", "a: \x00\n", "a: \x7f\n", "a: \u0085\n",
	"a: \u2028\n", "\xff\xfe", "a: \xc3\n", "k:\n  [a,\nb]\n", "- [a,\nb]\n", "[a,\n---\n]\n",
	"- a b : \n  # comment\n  200: [\n   \"a b\",\n   NULL\n\t  ]\n- k:\n  a b: []\n-\n", "k: [a\n\t]\n",
	strings.Repeat("[", 1500) + strings.Repeat("]", 1500) + "\n",
}

func TestFastPath(t *testing.T) {
	for _, src := range fast {
		if !differ(t, src) {
			t.Errorf("%q: not fast-pathed", src)
		}
	}
}

func TestFallback(t *testing.T) {
	for _, src := range slow {
		if differ(t, src) {
			t.Errorf("%q: fast-pathed, want ok=false", src)
		}
	}
}

// TestParseRecovers checks that Parse itself turns any failure into
// ok=false.
func TestParseRecovers(t *testing.T) {
	for _, src := range slow {
		if doc, ok := Parse([]byte(src)); ok || doc != nil {
			t.Errorf("%q: Parse = %v, %v", src, doc, ok)
		}
	}
}

// TestTreeIsOwn checks what the slabs must not cost: each Content slice has
// no room to grow into a neighbour's children.
func TestTreeIsOwn(t *testing.T) {
	src := []byte("a: [x, y]\nb:\n  - 'q'\n  - {k: v}\nc: z\n")
	doc, ok := Parse(src)
	if !ok {
		t.Fatal("not fast-pathed")
	}
	var walk func(n *Node)
	nodes := 0
	walk = func(n *Node) {
		nodes++
		kids := n.Content()
		if len(kids) != cap(kids) {
			t.Errorf("node at %d:%d: Content has len %d, cap %d", n.Line, n.Column, len(kids), cap(kids))
		}
		for i := range kids {
			walk(&kids[i])
		}
	}
	walk(doc)
	if nodes != 14 {
		t.Errorf("walked %d nodes, want 14", nodes)
	}
	root := doc.Content()[0]
	if got := root.Content()[0].Value + root.Content()[1].Content()[1].Value + root.Content()[5].Value; got != "ayz" {
		t.Errorf("values %q", got)
	}
}
