package terraform

import (
	"bytes"
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// tokenDoc writes a file as hclwrite.Tokens: the tokens hclwrite's Body
// would hold (names, "=", hclwrite.TokensForValue and TokensForTraversal
// expressions, braces, newlines), laid out by the rules of hclwrite's
// formatter (indentation by bracket depth, its spaces between tokens, "="
// aligned over consecutive attributes) and written as Tokens.WriteTo
// writes them.
// hclwrite's own Body and formatter cost most of this target's time: a
// node tree per attribute, a formatting pass per literal, and a text
// segmenter with a 4 KiB buffer per token it measures. Literals repeat
// (verbs, types, URIs), so their tokens are made once per string.
// TestTokensMatchHCLWrite holds the two writers to the same bytes; where
// the layout rules here stop (a trailing comment, a non-ASCII name to
// align), bytes reports false and File uses hclwrite's own writer.
type tokenDoc struct {
	// flat is the current chunk's tokens, in order; open holds the
	// bodies still open in it (the chunk's own, then nested blocks'),
	// whose blocks close when a body further out gets content.
	flat hclwrite.Tokens
	open []*tokenBody
	out  bytes.Buffer
	// tokens made once: string literals, map keys, references
	literal, keys map[string]hclwrite.Tokens
	refCache      map[*hcl.Traverser]hclwrite.Tokens
	names         map[string]*hclwrite.Token // identifiers
	failed        bool
	// scratch, reused from chunk to chunk
	spaces []int
	lines  []line
}

type tokenBody struct {
	d     *tokenDoc
	depth int // its place in d.open
}

var (
	equalsToken  = &hclwrite.Token{Type: hclsyntax.TokenEqual, Bytes: []byte{'='}}
	newlineToken = &hclwrite.Token{Type: hclsyntax.TokenNewline, Bytes: []byte{'\n'}}
	oBraceToken  = &hclwrite.Token{Type: hclsyntax.TokenOBrace, Bytes: []byte{'{'}}
	cBraceToken  = &hclwrite.Token{Type: hclsyntax.TokenCBrace, Bytes: []byte{'}'}}
	oBrackToken  = &hclwrite.Token{Type: hclsyntax.TokenOBrack, Bytes: []byte{'['}}
	cBrackToken  = &hclwrite.Token{Type: hclsyntax.TokenCBrack, Bytes: []byte{']'}}
	commaToken   = &hclwrite.Token{Type: hclsyntax.TokenComma, Bytes: []byte{','}}
	dotToken     = &hclwrite.Token{Type: hclsyntax.TokenDot, Bytes: []byte{'.'}}
	trueToken    = &hclwrite.Token{Type: hclsyntax.TokenIdent, Bytes: []byte("true")}
	falseToken   = &hclwrite.Token{Type: hclsyntax.TokenIdent, Bytes: []byte("false")}
)

func (d *tokenDoc) chunk() body {
	d.flush()
	b := &tokenBody{d: d}
	d.open = append(d.open[:0], b)
	return b
}

// at makes b the innermost open body, closing the blocks opened in it
// since, and reports false when b itself was closed already: content
// for a finished block, which hclwrite's tree would still take.
func (b *tokenBody) at() bool {
	d := b.d
	if b.depth >= len(d.open) || d.open[b.depth] != b {
		d.failed = true
		return false
	}
	for len(d.open) > b.depth+1 {
		d.flat = append(d.flat, cBraceToken, newlineToken)
		d.open = d.open[:len(d.open)-1]
	}
	return true
}

func (d *tokenDoc) bytes() ([]byte, bool) {
	d.flush()
	return d.out.Bytes(), !d.failed
}

// str is the tokens of a string literal, made by hclwrite once per string.
func (d *tokenDoc) str(s string) hclwrite.Tokens {
	if d.literal == nil {
		d.literal = map[string]hclwrite.Tokens{}
	}
	toks, ok := d.literal[s]
	if !ok {
		toks = hclwrite.TokensForValue(cty.StringVal(s))
		d.literal[s] = toks
	}
	return toks
}

// value is the tokens of a literal: the sequence hclwrite.TokensForValue
// makes, with each string's tokens made once. Spaces are left to layout.
func (d *tokenDoc) value(v cty.Value) hclwrite.Tokens {
	if !v.IsKnown() || v.IsNull() {
		return hclwrite.TokensForValue(v)
	}
	t := v.Type()
	switch {
	case t == cty.String:
		return d.str(v.AsString())
	case t == cty.Bool:
		if v.True() {
			return hclwrite.Tokens{trueToken}
		}
		return hclwrite.Tokens{falseToken}
	case t.IsListType() && t.ElementType() == cty.String:
		toks := hclwrite.Tokens{oBrackToken}
		for it := v.ElementIterator(); it.Next(); {
			if len(toks) > 1 {
				toks = append(toks, commaToken)
			}
			_, e := it.Element()
			toks = append(toks, d.str(e.AsString())...)
		}
		return append(toks, cBrackToken)
	case t.IsMapType() && (t.ElementType() == cty.String || t.ElementType() == cty.Bool):
		toks := hclwrite.Tokens{oBraceToken}
		if v.LengthInt() > 0 {
			toks = append(toks, newlineToken)
		}
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			toks = append(toks, d.key(k.AsString())...)
			toks = append(toks, equalsToken)
			toks = append(toks, d.value(e)...)
			toks = append(toks, newlineToken)
		}
		return append(toks, cBraceToken)
	}
	return hclwrite.TokensForValue(v)
}

// key is the tokens of a map key: an identifier where it is one, else a
// string, as hclwrite.TokensForValue writes keys.
func (d *tokenDoc) key(k string) hclwrite.Tokens {
	if toks, ok := d.keys[k]; ok {
		return toks
	}
	toks := d.str(k)
	if hclsyntax.ValidIdentifier(k) {
		toks = hclwrite.Tokens{{Type: hclsyntax.TokenIdent, Bytes: []byte(k)}}
	}
	if d.keys == nil {
		d.keys = map[string]hclwrite.Tokens{}
	}
	d.keys[k] = toks
	return toks
}

// ref is the token sequence of hclwrite.TokensForTraversal for a
// reference (a name and attributes); spaces are left to layout.
func (d *tokenDoc) ref(t hcl.Traversal) hclwrite.Tokens {
	toks := make(hclwrite.Tokens, 0, 2*len(t))
	for _, step := range t {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			toks = append(toks, d.ident(s.Name))
		case hcl.TraverseAttr:
			toks = append(toks, dotToken, d.ident(s.Name))
		default:
			return hclwrite.TokensForTraversal(t)
		}
	}
	return toks
}

// refs is hclwrite.TokensForTuple's sequence for references.
func (d *tokenDoc) refs(ts ...hcl.Traversal) hclwrite.Tokens {
	toks := hclwrite.Tokens{oBrackToken}
	for i, t := range ts {
		if i > 0 {
			toks = append(toks, commaToken)
		}
		toks = append(toks, d.ref(t)...)
	}
	return append(toks, cBrackToken)
}

// traversal is a reference's tokens, made once per traversal the
// generator reuses (the API's id, a resource's, a method's verb): the
// cache knows a traversal by its first element's address.
func (d *tokenDoc) traversal(t hcl.Traversal) hclwrite.Tokens {
	if len(t) == 0 {
		return d.ref(t)
	}
	if toks, ok := d.refCache[&t[0]]; ok {
		return toks
	}
	toks := d.ref(t)
	if d.refCache == nil {
		d.refCache = map[*hcl.Traverser]hclwrite.Tokens{}
	}
	d.refCache[&t[0]] = toks
	return toks
}

// ident is an identifier's token, made once per name: attribute names,
// and the names references are made of.
func (d *tokenDoc) ident(name string) *hclwrite.Token {
	t, ok := d.names[name]
	if !ok {
		if d.names == nil {
			d.names = map[string]*hclwrite.Token{}
		}
		t = &hclwrite.Token{Type: hclsyntax.TokenIdent, Bytes: []byte(name)}
		d.names[name] = t
	}
	return t
}

func (b *tokenBody) attr(name string, expr hclwrite.Tokens) {
	if !b.at() {
		return
	}
	b.d.flat = append(b.d.flat, b.d.ident(name), equalsToken)
	b.d.flat = append(b.d.flat, expr...)
	b.d.flat = append(b.d.flat, newlineToken)
}

func (b *tokenBody) str(name, s string)                     { b.attr(name, b.d.str(s)) }
func (b *tokenBody) value(name string, v cty.Value)         { b.attr(name, b.d.value(v)) }
func (b *tokenBody) traversal(name string, t hcl.Traversal) { b.attr(name, b.d.traversal(t)) }
func (b *tokenBody) raw(name string, expr hclwrite.Tokens)  { b.attr(name, expr) }

func (b *tokenBody) newline() {
	if b.at() {
		b.d.flat = append(b.d.flat, newlineToken)
	}
}

func (b *tokenBody) comment(text string) {
	if b.at() {
		b.d.flat = append(b.d.flat, commentTokens(text)...)
	}
}

func (b *tokenBody) block(typ string, labels ...string) body {
	d := b.d
	inner := &tokenBody{d: d, depth: b.depth + 1}
	if !b.at() {
		return inner
	}
	d.flat = append(d.flat, d.ident(typ))
	for _, l := range labels {
		d.flat = append(d.flat, d.str(l)...)
	}
	d.flat = append(d.flat, oBraceToken, newlineToken)
	d.open = append(d.open, inner)
	return inner
}

// flush lays out the current chunk and writes it. Tokens are shared
// (literals, punctuation), so their spaces are kept apart.
func (d *tokenDoc) flush() {
	if len(d.open) == 0 {
		return
	}
	d.open[0].at() // close every block
	d.open = d.open[:0]
	defer func() { d.flat = d.flat[:0] }()
	if d.failed {
		return
	}
	d.spaces = slices.Grow(d.spaces[:0], len(d.flat))[:len(d.flat)]
	clear(d.spaces)
	var ok bool
	if d.lines, ok = layout(d.flat, d.spaces, d.lines[:0]); !ok {
		d.failed = true
		return
	}
	// What hclwrite's Tokens.WriteTo writes: each token's spaces, then
	// its bytes.
	for i, t := range d.flat {
		for range d.spaces[i] {
			d.out.WriteByte(' ')
		}
		d.out.Write(t.Bytes)
	}
}

// line is one line of tokens in the cells hclwrite's formatter aligns:
// lead, then from "=" the assign cell; end is past the line's newline.
type line struct{ start, assign, end int }

// layout sets spaces[i], the spaces before toks[i], as hclwrite's formatter
// does (format.go: formatIndent, formatSpaces, formatCells), and reports
// false where these rules were not written for the input. lines is
// scratch space, returned for reuse.
func layout(toks hclwrite.Tokens, spaces []int, lines []line) ([]line, bool) {
	start := 0
	for i, t := range toks {
		if !endsLine(t) {
			continue
		}
		l := line{start: start, assign: -1, end: i + 1}
		start = i + 1
		if l.end-l.start > 1 && t.Type == hclsyntax.TokenComment {
			return lines, false // a trailing comment: a cell of its own
		}
		for j := l.start + 1; j < l.end; j++ {
			if toks[j].Type != hclsyntax.TokenEqual {
				continue
			}
			net := 0
			for _, u := range toks[j:l.end] {
				net += brackets(u)
			}
			if net == 0 {
				l.assign = j
			}
			break
		}
		lines = append(lines, l)
	}
	if start != len(toks) {
		return lines, false // the last line has no newline
	}

	// Indentation: two spaces per level of brackets opened on earlier
	// lines; a line that closes some is indented at the level it leaves.
	var open []int
	for _, l := range lines {
		if toks[l.start].Type == hclsyntax.TokenNewline {
			continue
		}
		net := 0
		leadEnd := l.end
		if l.assign >= 0 {
			leadEnd = l.assign
		}
		for _, t := range toks[l.start:leadEnd] {
			net += brackets(t)
			if t.Type == hclsyntax.TokenOHeredoc {
				break
			}
		}
		if l.assign >= 0 {
			for _, t := range toks[l.assign:l.end] {
				net += brackets(t)
			}
		}
		switch {
		case net > 0:
			spaces[l.start] = 2 * len(open)
			open = append(open, net)
		case net < 0:
			for closed := -net; closed > 0 && len(open) > 0; {
				top := &open[len(open)-1]
				if closed >= *top {
					closed -= *top
					open = open[:len(open)-1]
				} else {
					*top -= closed
					closed = 0
				}
			}
			spaces[l.start] = 2 * len(open)
		default:
			spaces[l.start] = 2 * len(open)
		}
	}

	// Spaces between the tokens of each cell.
	for _, l := range lines {
		leadEnd := l.end
		if l.assign >= 0 {
			leadEnd = l.assign
			spaces[l.assign] = 1
			between(toks, spaces, l.assign, l.end)
		}
		between(toks, spaces, l.start, leadEnd)
	}

	// "=" aligned one column past the longest lead of consecutive
	// attribute lines.
	for i := 0; i < len(lines); {
		if lines[i].assign < 0 {
			i++
			continue
		}
		j, widest := i, 0
		for ; j < len(lines) && lines[j].assign >= 0; j++ {
			c, ok := columns(toks, spaces, lines[j].start, lines[j].assign)
			if !ok {
				return lines, false
			}
			widest = max(widest, c)
		}
		for _, l := range lines[i:j] {
			c, _ := columns(toks, spaces, l.start, l.assign)
			spaces[l.assign] = widest - c + 1
		}
		i = j
	}
	return lines, true
}

func endsLine(t *hclwrite.Token) bool {
	return t.Type == hclsyntax.TokenNewline ||
		t.Type == hclsyntax.TokenComment && len(t.Bytes) > 0 && t.Bytes[len(t.Bytes)-1] == '\n'
}

func brackets(t *hclwrite.Token) int {
	switch t.Type {
	case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen, hclsyntax.TokenTemplateControl, hclsyntax.TokenTemplateInterp:
		return 1
	case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenTemplateSeqEnd:
		return -1
	}
	return 0
}

// columns is the width of toks[from:to] with their spaces, for ASCII
// tokens (where hclwrite counts grapheme clusters, here every byte is one).
func columns(toks hclwrite.Tokens, spaces []int, from, to int) (int, bool) {
	n := 0
	for i := from; i < to; i++ {
		for _, c := range toks[i].Bytes {
			if c >= 0x80 || c == '\r' {
				return 0, false
			}
		}
		n += spaces[i] + len(toks[i].Bytes)
	}
	return n, true
}

// between sets the spaces before toks[from+1:to] by hclwrite's
// spaceAfterToken rules.
func between(toks hclwrite.Tokens, spaces []int, from, to int) {
	nilToken := &hclwrite.Token{Type: hclsyntax.TokenNil}
	for i := from; i < to-1; i++ {
		before := nilToken
		if i > from {
			before = toks[i-1]
		}
		if spaceAfter(toks[i], before, toks[i+1]) {
			spaces[i+1] = 1
		} else {
			spaces[i+1] = 0
		}
	}
}

func spaceAfter(t, before, after *hclwrite.Token) bool {
	switch {
	case after.Type == hclsyntax.TokenNewline || after.Type == hclsyntax.TokenNil:
		return false
	case t.Type == hclsyntax.TokenIdent && after.Type == hclsyntax.TokenOParen:
		return false // a function call
	case t.Type == hclsyntax.TokenIdent && after.Type == hclsyntax.TokenDoubleColon,
		t.Type == hclsyntax.TokenDoubleColon && after.Type == hclsyntax.TokenIdent:
		return false // a namespaced function name
	case t.Type == hclsyntax.TokenDot || after.Type == hclsyntax.TokenDot:
		return false
	case after.Type == hclsyntax.TokenComma || after.Type == hclsyntax.TokenEllipsis:
		return false
	case t.Type == hclsyntax.TokenComma:
		return true
	case t.Type == hclsyntax.TokenQuotedLit || t.Type == hclsyntax.TokenStringLit || t.Type == hclsyntax.TokenOQuote || t.Type == hclsyntax.TokenOHeredoc,
		after.Type == hclsyntax.TokenQuotedLit || after.Type == hclsyntax.TokenStringLit || after.Type == hclsyntax.TokenCQuote || after.Type == hclsyntax.TokenCHeredoc:
		return false // inside a template
	case t.Type == hclsyntax.TokenIdent && string(t.Bytes) == "in" && before.Type == hclsyntax.TokenIdent:
		return true // the keyword of a for expression
	case after.Type == hclsyntax.TokenOBrack && (t.Type == hclsyntax.TokenIdent || t.Type == hclsyntax.TokenNumberLit || brackets(t) < 0):
		return false // an index
	case t.Type == hclsyntax.TokenBang:
		return false
	case t.Type == hclsyntax.TokenMinus:
		// Subtraction, unless it follows what cannot end an operand.
		switch before.Type {
		case hclsyntax.TokenNil,
			hclsyntax.TokenOParen, hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenEqual, hclsyntax.TokenColon, hclsyntax.TokenComma, hclsyntax.TokenQuestion,
			hclsyntax.TokenPlus, hclsyntax.TokenStar, hclsyntax.TokenSlash, hclsyntax.TokenPercent, hclsyntax.TokenMinus,
			hclsyntax.TokenEqualOp, hclsyntax.TokenNotEqual, hclsyntax.TokenGreaterThan, hclsyntax.TokenGreaterThanEq, hclsyntax.TokenLessThan, hclsyntax.TokenLessThanEq,
			hclsyntax.TokenAnd, hclsyntax.TokenOr, hclsyntax.TokenBang:
			return false
		}
		return true
	case t.Type == hclsyntax.TokenOBrace || after.Type == hclsyntax.TokenCBrace:
		return !(t.Type == hclsyntax.TokenOBrace && after.Type == hclsyntax.TokenCBrace) // "{}" stays closed
	case (t.Type == hclsyntax.TokenTemplateInterp || t.Type == hclsyntax.TokenTemplateControl) && after.Type == hclsyntax.TokenOBrace,
		t.Type == hclsyntax.TokenCBrace && after.Type == hclsyntax.TokenTemplateSeqEnd:
		return true
	case t.Type == hclsyntax.TokenTemplateSeqEnd && (after.Type == hclsyntax.TokenTemplateInterp || after.Type == hclsyntax.TokenTemplateControl):
		return false
	case brackets(t) > 0, brackets(after) < 0:
		return false
	}
	return true
}
