package tree

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// sameAsEncoder fails t unless the fast writer either declines v or
// writes exactly the encoder's bytes for it, in both of its forms. It
// reports which forms the fast writer handled: a test that passes because
// the writer declined everything would prove nothing.
func sameAsEncoder(t *testing.T, v any) (handled, folded bool) {
	t.Helper()
	w := &yamlWriter{literalQuotes: true}
	if w.document(v) {
		handled = true
		if want := string(encodeYAML(v)); string(w.b) != want {
			t.Fatalf("fast YAML differs from the encoder's:\n%s\nencoder:\n%s\nfast:\n%s", firstLineDiff(want, string(w.b)), want, w.b)
		}
	}
	w = &yamlWriter{width: 80}
	if w.document(v) {
		folded = true
		if want := string(encodeFoldedYAML(v, "")); string(w.b) != want {
			t.Fatalf("fast folded YAML differs from the encoder's:\n%s\nencoder:\n%s\nfast:\n%s", firstLineDiff(want, string(w.b)), want, w.b)
		}
	}
	return handled, folded
}

// tricky holds the pieces random strings are made of: everything that
// changes how the encoder quotes or lays out a scalar.
var tricky = []string{
	"a", "b", "Z", "x-amazon", "/", "{id}", "_", "0", "1", "9", "300", "1e3", "0x1F", "0o7", "0b1", "1_000",
	".", ".5", "-", "+", "~", "<<", "true", "False", "NULL", "null", "yes", "on", ".inf", "-.Inf", ".nan",
	"2024-01-02", "2001-12-14t21:59:43.10-05:00", "12:30", "-0", "-0.0",
	" ", "  ", "\t", "\n", "\n\n", "\r", "\x00", "\x07", "\x1b", "\x7f", "\u0085", "\u00a0", "\u00e9", "\u20ac",
	"\U0001F600", "\ufeff", "\ufffe", "\u2028", "\u2029", "\xff",
	":", ": ", " :", "#", " #", "# ", ",", "?", "? ", "- ", "--", "---", "...", "[", "]", "{", "}", "&", "*",
	"!", "|", ">", "'", "''", "\"", "%", "@", "`", "\\", "=",
}

func randomString(r *rand.Rand) string {
	var b strings.Builder
	for range r.IntN(6) {
		b.WriteString(tricky[r.IntN(len(tricky))])
	}
	return b.String()
}

func randomValue(r *rand.Rand, depth int) any {
	n := r.IntN(10)
	if depth > 3 && n < 6 {
		n += 6
	}
	switch n {
	case 0, 1, 2:
		m := NewMap()
		for range r.IntN(4) {
			m.Set(randomString(r), randomValue(r, depth+1))
		}
		return m
	case 3, 4, 5:
		l := List{}
		for range r.IntN(4) {
			l = append(l, randomValue(r, depth+1))
		}
		return l
	case 6:
		return r.IntN(2000) - 1000
	case 7:
		return r.IntN(2) == 0
	case 8:
		if r.IntN(4) == 0 {
			return nil
		}
	}
	return randomString(r)
}

// TestFastYAMLMatchesEncoder compares the fast writer with the encoder on
// random trees of tricky strings, and checks it declines only the few
// shapes it leaves to the encoder.
func TestFastYAMLMatchesEncoder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	handled := 0
	const n = 3000
	for range n {
		v := randomValue(r, 0)
		if _, ok := v.(*Map); !ok {
			v = NewMap().Set(randomString(r), v)
		}
		if h, _ := sameAsEncoder(t, v); h {
			handled++
		}
	}
	if handled < n/2 {
		t.Fatalf("the fast writer handled only %d of %d random documents", handled, n)
	}
}

// TestFastYAMLStrings puts every tricky piece, alone and next to others, in
// each place a string can take: key, value, list item, nested value.
func TestFastYAMLStrings(t *testing.T) {
	var c handledCount
	defer func() {
		if !t.Failed() {
			c.atLeast(t, 0.75)
		}
	}()
	for _, a := range tricky {
		// Followed by each piece whose neighbour matters.
		for _, b := range []string{"", "a", " ", " a", ":", "\n", "\na", "#", "'", "-", "1"} {
			c.merge(checkString(t, a+b))
			c.merge(checkString(t, b+a))
		}
	}
	for _, s := range []string{
		"line one\nline two", "line one\n", "x\n\n", "\n", "\nx", "  indented\nx", "\n\n  x\n", "\tx\ny",
		"a \nb", "a\n b", "a\x00\nb", "'quoted'", "it's", "https://example.com/a?b=c#d", "arn:aws:execute-api:*",
		"method.request.header.Authorization", "Bearer abc", "#set($x = 1)\n#if($x)\n  ok\n#end\n",
		strings.Repeat("k", 128), strings.Repeat("k", 129),
	} {
		c.merge(checkString(t, s))
	}
}

// TestFastYAMLFolds: long strings of words, quotes, escapes and runs of
// spaces fold where the encoder folds them, at every depth.
func TestFastYAMLFolds(t *testing.T) {
	var c handledCount
	defer func() {
		if !t.Failed() {
			c.atLeast(t, 0.75)
		}
	}()
	r := rand.New(rand.NewPCG(3, 4))
	words := []string{"word", "a", "longerword", " ", "  ", "'", "\"", "\t", "\x01", "\u00e9", "\U0001F600", "#", ": ", "x"}
	for range 400 {
		var b strings.Builder
		for range 10 + r.IntN(60) {
			b.WriteString(words[r.IntN(len(words))])
			if r.IntN(3) > 0 {
				b.WriteByte(' ')
			}
		}
		s := b.String()
		v := any(s)
		for range r.IntN(8) {
			if r.IntN(2) == 0 {
				v = List{v}
			} else {
				v = NewMap().Set(strings.Repeat("k", r.IntN(30)), v)
			}
		}
		c.merge(checkString(t, s))
		c.add(sameAsEncoder(t, NewMap().Set("k", v)))
	}
}

// TestHeadComment: the folded form writes its header as the encoder
// writes a document's head comment.
func TestHeadComment(t *testing.T) {
	for _, h := range []string{"one", "one\n", "one\n\ntwo", "# already\n  indented  \nlast\n\n", "\nfirst empty", "x\ry"} {
		v := NewMap().Set("k", "v")
		if got, want := string(FoldedYAML(v, h)), string(encodeFoldedYAML(v, h)); got != want {
			t.Fatalf("header %q: got\n%s\nwant\n%s", h, got, want)
		}
	}
}

// handledCount counts the documents each form of the fast writer wrote
// itself rather than leaving to the encoder.
type handledCount struct{ docs, plain, folded int }

func (c *handledCount) add(h, f bool) {
	c.docs++
	if h {
		c.plain++
	}
	if f {
		c.folded++
	}
}

// atLeast fails t when either form handled fewer than share of the
// documents.
func (c handledCount) atLeast(t *testing.T, share float64) {
	t.Helper()
	t.Logf("fast writer handled %d (plain) and %d (folded) of %d documents", c.plain, c.folded, c.docs)
	if min := int(share * float64(c.docs)); c.plain < min || c.folded < min {
		t.Fatalf("the fast writer handled %d (plain) and %d (folded) of %d documents; want at least %d each", c.plain, c.folded, c.docs, min)
	}
}

func checkString(t *testing.T, s string) (c handledCount) {
	t.Helper()
	c.add(sameAsEncoder(t, NewMap().Set("k", s).Set("in", NewMap().Set("list", List{s, NewMap().Set("a", s), List{s, List{s}}})).Set("after", 1)))
	c.add(sameAsEncoder(t, List{NewMap().Set(s, s).Set("after", List{NewMap().Set(s, 1)})}))
	return c
}

func (c *handledCount) merge(o handledCount) {
	c.docs += o.docs
	c.plain += o.plain
	c.folded += o.folded
}

// FuzzFastYAML: go test ./generators/internal/tree -run '^$' -fuzz FastYAML
func FuzzFastYAML(f *testing.F) {
	for _, s := range tricky {
		f.Add(s, 0)
	}
	f.Fuzz(func(t *testing.T, s string, seed int) {
		checkString(t, s)
		checkString(t, strings.Repeat("word ", 15)+s+" "+s)
		r := rand.New(rand.NewPCG(uint64(seed), uint64(len(s))))
		parts := strings.SplitAfter(s, " ")
		m := NewMap()
		for i, p := range parts {
			m.Set(fmt.Sprint(p, i), List{p, randomValue(r, 2)})
		}
		sameAsEncoder(t, m)
	})
}
