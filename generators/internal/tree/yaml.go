package tree

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/portcullis-dev/portcullis/internal/fastyaml"
)

// This file writes YAML for the values of a tree directly, byte for byte
// what the go.yaml.in/yaml/v4 encoder writes for them (two-space indent,
// yaml.v3's quoting), at a fraction of its cost: the encoder builds a node
// and an event per value and runs a state machine over them, which made
// YAML the bulk of every target's time. The rules below are the encoder's
// own (its analyzeScalar, selectScalarStyle, the Desolver's resolve check,
// the scalar writers with their line folding, the head comment writer),
// narrowed to block collections of the values a tree holds. What they do
// not cover (a root that is not a collection, keys the encoder writes as
// complex "? " keys, invalid UTF-8, line or paragraph separators, a
// leading byte order mark) goes to the encoder itself: the writer reports
// false and the caller encodes the whole document the slow way.
// TestFastYAMLMatchesEncoder, TestFastYAMLStrings and FuzzFastYAML hold
// the two to the same bytes.

// yamlWriter appends one YAML document to b.
type yamlWriter struct {
	b []byte
	// width is the column past which the encoder folds plain and quoted
	// strings at a space; 0 never folds.
	width int
	// literalQuotes: strings that start with "'" (API Gateway's quoted
	// literals) are double quoted, as strNode asks the encoder to.
	literalQuotes bool
}

// document writes v, which must be a collection to be handled.
func (w *yamlWriter) document(v any) bool {
	n := size(v, 0)
	w.b = slices.Grow(w.b, n+n/8)
	switch x := v.(type) {
	case *Map:
		if x.Len() == 0 {
			w.b = append(w.b, "{}\n"...)
			return true
		}
		return w.mapping(x, 0, false)
	case List:
		if len(x) == 0 {
			w.b = append(w.b, "[]\n"...)
			return true
		}
		return w.list(x, 0, false)
	}
	return false
}

// headComment writes text as the encoder writes a document's head
// comment: "# " before each line that does not start with "#", empty
// lines kept empty, then a blank line.
func (w *yamlWriter) headComment(text string) bool {
	if text == "" {
		return true
	}
	for i := 0; i < len(text); i++ {
		if c := text[i]; c == '\r' || c >= 0x80 && isLineBreak(text, i) {
			return false
		}
	}
	for line := range strings.Lines(text) {
		if line[0] != '\n' && line[0] != '#' {
			w.b = append(w.b, "# "...)
		}
		w.b = append(w.b, line...)
	}
	if !strings.HasSuffix(text, "\n") {
		w.b = append(w.b, '\n')
	}
	w.b = append(w.b, '\n')
	return true
}

// size estimates the bytes of v written at indent: the buffer is made
// once, not grown through the document.
func size(v any, indent int) int {
	switch x := v.(type) {
	case *Map:
		n := 0
		for _, e := range x.entries {
			n += indent + len(e.key) + 3 + size(e.val, indent+2)
		}
		return n
	case List:
		n := 0
		for _, e := range x {
			n += indent + 3 + size(e, indent+2)
		}
		return n
	case string:
		return len(x) + 2
	}
	return 6
}

// reserve doubles the buffer when it is nearly full: append alone grows a
// large slice by a quarter at a time, which allocates several times the
// document.
func (w *yamlWriter) reserve() {
	if cap(w.b)-len(w.b) < 4096 {
		w.b = slices.Grow(w.b, max(len(w.b), 64<<10))
	}
}

// mapping writes the entries of a non-empty m with keys at column indent.
// inline: the first key goes where the cursor is (after a list's "- ").
func (w *yamlWriter) mapping(m *Map, indent int, inline bool) bool {
	for i, e := range m.entries {
		k := e.key
		w.reserve()
		if i > 0 || !inline {
			w.b = pad(w.b, indent)
		}
		if !w.scalar(k, indent, true) {
			return false
		}
		w.b = append(w.b, ':')
		if !w.child(e.val, indent, false) {
			return false
		}
	}
	return true
}

// list writes the items of a non-empty l with their "- " at column indent.
func (w *yamlWriter) list(l List, indent int, inline bool) bool {
	for i, e := range l {
		w.reserve()
		if i > 0 || !inline {
			w.b = pad(w.b, indent)
		}
		w.b = append(w.b, '-')
		if !w.child(e, indent, true) {
			return false
		}
	}
	return true
}

// child writes v after a key's ":" or an item's "-" of a collection at
// column indent, through the end of its last line.
func (w *yamlWriter) child(v any, indent int, item bool) bool {
	switch x := v.(type) {
	case *Map:
		switch {
		case x.Len() == 0:
			w.b = append(w.b, " {}\n"...)
			return true
		case item:
			w.b = append(w.b, ' ')
			return w.mapping(x, indent+2, true)
		}
		w.b = append(w.b, '\n')
		return w.mapping(x, indent+2, false)
	case List:
		switch {
		case len(x) == 0:
			w.b = append(w.b, " []\n"...)
			return true
		case item:
			w.b = append(w.b, ' ')
			return w.list(x, indent+2, true)
		}
		w.b = append(w.b, '\n')
		return w.list(x, indent+2, false)
	case string:
		w.b = append(w.b, ' ')
		if !w.scalar(x, indent, false) {
			return false
		}
		if w.b[len(w.b)-1] != '\n' { // a literal block ends its own line
			w.b = append(w.b, '\n')
		}
		return true
	case int:
		w.b = append(strconv.AppendInt(append(w.b, ' '), int64(x), 10), '\n')
		return true
	case bool:
		w.b = append(strconv.AppendBool(append(w.b, ' '), x), '\n')
		return true
	case nil:
		w.b = append(w.b, " null\n"...)
		return true
	}
	return false
}

const spaces = "                                                                "

func pad(b []byte, n int) []byte {
	for ; n > len(spaces); n -= len(spaces) {
		b = append(b, spaces...)
	}
	return append(b, spaces[:n]...)
}

type scalarStyle int

const (
	plainStyle scalarStyle = iota
	singleQuoted
	doubleQuoted
	literal
)

// scalar writes the string s as a key (key) or as a value of a collection
// at column indent. It does not end the line, except that a literal block
// ends wherever its text ends.
func (w *yamlWriter) scalar(s string, indent int, key bool) bool {
	if s != "" && len(s) <= 128 && simple(s) && (key || w.width == 0) {
		// Plain unless it reads as another type (and, here, never
		// folded).
		if !fastyaml.ResolvesToString(s) {
			w.b = appendDoubleQuoted(w.b, s)
		} else {
			w.b = append(w.b, s...)
		}
		return true
	}
	if !utf8.ValidString(s) || strings.HasPrefix(s, "\uFEFF") ||
		strings.Contains(s, "\u2028") || strings.Contains(s, "\u2029") {
		return false
	}
	a := analyze(s)
	if key && (a.multiline || len(s) > 128) {
		// The encoder writes these as complex keys ("? key").
		return false
	}
	var style scalarStyle
	switch {
	// strNode's choices (the serializer's own for line breaks), then the
	// Desolver's for strings that would read back as another type.
	case strings.Contains(s, "\n"):
		style = literal
	case w.literalQuotes && strings.HasPrefix(s, "'"), !fastyaml.ResolvesToString(s):
		style = doubleQuoted
	default:
		style = plainStyle
	}
	// The emitter's selectScalarStyle.
	if style == plainStyle && !a.blockPlainAllowed {
		style = singleQuoted
	}
	if style == singleQuoted && !a.singleQuotedAllowed {
		style = doubleQuoted
	}
	if style == literal && !a.blockAllowed {
		style = doubleQuoted
	}
	if style == literal {
		w.b = appendLiteral(w.b, s, indent+2)
		return true
	}
	lineLen := 0
	if !key && w.width > 0 {
		lineLen = w.lineLen()
	}
	start := len(w.b)
	switch style {
	case plainStyle:
		w.b = append(w.b, s...)
	case singleQuoted:
		w.b = appendSingleQuoted(w.b, s)
	default:
		w.b = appendDoubleQuoted(w.b, s)
	}
	// Keys never fold; neither does a line that ends before the width.
	if key || w.width == 0 || lineLen+len(w.b)-start <= w.width || !strings.Contains(s, " ") {
		return true
	}
	q := slices.Clone(w.b[start:])
	w.b = w.b[:start]
	w.fold(q, style, indent+2)
	return true
}

// lineLen is the bytes written on the current line: at least its column.
func (w *yamlWriter) lineLen() int {
	if i := bytes.LastIndexByte(w.b, '\n'); i >= 0 {
		return len(w.b) - 1 - i
	}
	return len(w.b)
}

// fold writes q, a string as written in style, breaking lines at spaces
// past the width as the emitter's writePlainScalar,
// writeSingleQuotedScalar and writeDoubleQuotedScalar do; continuation
// lines start at indent. Quotes and escapes are never spaces, so q's
// spaces are the string's, and a space is the string's first or last
// character only right after the opening quote or before the closing one.
func (w *yamlWriter) fold(q []byte, style scalarStyle, indent int) {
	col := utf8.RuneCount(w.b[len(w.b)-w.lineLen():])
	first, last := 0, len(q)-1
	if style != plainStyle {
		first, last = 1, len(q)-2
	}
	spaces := false
	for i := 0; i < len(q); {
		if q[i] != ' ' {
			n := width(q[i])
			w.b = append(w.b, q[i:i+n]...)
			i += n
			col++
			spaces = false
			continue
		}
		brk := !spaces && col > w.width
		switch style {
		case plainStyle:
			brk = brk && q[i+1] != ' '
		case singleQuoted:
			brk = brk && i > first && i < last && q[i+1] != ' '
		default:
			brk = brk && i > first && i < last
		}
		if brk {
			w.b = pad(append(w.b, '\n'), indent)
			col = indent
			if style == doubleQuoted && q[i+1] == ' ' {
				w.b = append(w.b, '\\')
				col++
			}
		} else {
			w.b = append(w.b, ' ')
			col++
		}
		spaces = true
		i++
	}
}

func appendSingleQuoted(b []byte, s string) []byte {
	b = append(b, '\'')
	for i := 0; i < len(s); i++ {
		if s[i] == '\'' {
			b = append(b, '\'')
		}
		b = append(b, s[i])
	}
	return append(b, '\'')
}

// appendLiteral writes s as a literal block scalar whose lines sit at
// column indent (the emitter's writeLiteralScalar and
// writeBlockScalarHints; s holds no line breaks but "\n").
func appendLiteral(b []byte, s string, indent int) []byte {
	b = append(b, '|')
	if t := strings.TrimLeft(s, "\n"); t != "" && (t[0] == ' ' || t[0] == '\t') {
		// The content's indentation relative to its parent, which is
		// always one step (two columns) here.
		b = append(b, '2')
	}
	switch {
	case !strings.HasSuffix(s, "\n"):
		b = append(b, '-')
	case len(s) == 1 || s[len(s)-2] == '\n':
		b = append(b, '+')
	}
	b = append(b, '\n')
	breaks := true
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			b = append(b, '\n')
			breaks = true
			continue
		}
		if breaks {
			b = pad(b, indent)
			breaks = false
		}
		b = append(b, s[i])
	}
	return b
}

// appendDoubleQuoted is the emitter's writeDoubleQuotedScalar without line
// folding (the line width is unlimited) and with Unicode allowed.
func appendDoubleQuoted(b []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if isPrintable(s, i) && !isLineBreak(s, i) && c != '"' && c != '\\' {
			w := width(c)
			b = append(b, s[i:i+w]...)
			i += w
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		i += w
		b = append(b, '\\')
		if c, ok := escapes[r]; ok {
			b = append(b, c)
			continue
		}
		digits := 8
		switch {
		case r <= 0xFF:
			b, digits = append(b, 'x'), 2
		case r <= 0xFFFF:
			b, digits = append(b, 'u'), 4
		default:
			b = append(b, 'U')
		}
		for k := (digits - 1) * 4; k >= 0; k -= 4 {
			b = append(b, hex[(r>>uint(k))&0x0F])
		}
	}
	return append(b, '"')
}

// escapes are the emitter's one-letter escapes in double quotes.
var escapes = map[rune]byte{
	0x00: '0', 0x07: 'a', 0x08: 'b', 0x09: 't', 0x0A: 'n', 0x0B: 'v', 0x0C: 'f', 0x0D: 'r', 0x1B: 'e',
	'"': '"', '\\': '\\', 0x85: 'N', 0xA0: '_', 0x2028: 'L', 0x2029: 'P',
}

// analysis is what the emitter's analyzeScalar decides about a scalar, for
// block context.
type analysis struct {
	multiline, blockPlainAllowed, singleQuotedAllowed, blockAllowed bool
}

func analyze(s string) analysis {
	if s == "" {
		return analysis{blockPlainAllowed: true, singleQuotedAllowed: true}
	}
	if simple(s) {
		return analysis{blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: true}
	}
	var blockIndicators, lineBreaks, special, tabs,
		leadingSpace, leadingBreak, trailingSpace, trailingBreak, breakSpace, spaceBreak,
		previousSpace, previousBreak bool
	if strings.HasPrefix(s, "---") || strings.HasPrefix(s, "...") {
		blockIndicators = true
	}
	precededByWhitespace := true
	for i, w := 0, 0; i < len(s); i += w {
		w = width(s[i])
		followedByWhitespace := i+w >= len(s) || s[i+w] == ' ' || s[i+w] == '\t'
		if i == 0 {
			switch s[i] {
			case '#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
				blockIndicators = true
			case '?', ':', '-':
				if followedByWhitespace {
					blockIndicators = true
				}
			}
		} else {
			switch s[i] {
			case ':':
				if followedByWhitespace {
					blockIndicators = true
				}
			case '#':
				if precededByWhitespace {
					blockIndicators = true
				}
			}
		}
		if s[i] == '\t' {
			tabs = true
		} else if !isPrintable(s, i) {
			special = true
		}
		switch {
		case s[i] == ' ':
			if i == 0 {
				leadingSpace = true
			}
			if i+w == len(s) {
				trailingSpace = true
			}
			if previousBreak {
				breakSpace = true
			}
			previousSpace, previousBreak = true, false
		case isLineBreak(s, i):
			lineBreaks = true
			if i == 0 {
				leadingBreak = true
			}
			if i+w == len(s) {
				trailingBreak = true
			}
			if previousSpace {
				spaceBreak = true
			}
			previousSpace, previousBreak = false, true
		default:
			previousSpace, previousBreak = false, false
		}
		precededByWhitespace = isBlankOrZero(s, i)
	}
	a := analysis{multiline: lineBreaks, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: true}
	if leadingSpace || leadingBreak || trailingSpace || trailingBreak || lineBreaks || blockIndicators {
		a.blockPlainAllowed = false
	}
	if breakSpace || spaceBreak || tabs || special {
		a.blockPlainAllowed, a.singleQuotedAllowed = false, false
	}
	if special {
		a.blockAllowed = false
	}
	return a
}

// simple reports that s is printable ASCII that neither starts with an
// indicator or a space, nor ends with ":" or a space, nor holds ": " or
// " #": the analysis below would find it plain-safe. Most strings of a
// generated document are, and this is the quick way to tell.
func simple(s string) bool {
	if !simpleFirst[s[0]] || strings.HasPrefix(s, "...") {
		return false
	}
	if last := s[len(s)-1]; last == ':' || last == ' ' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if c < ' ' || c >= 0x7F || c == ' ' && (s[i-1] == ':' || s[i+1] == '#') {
			return false
		}
	}
	return true
}

// simpleFirst holds the visible ASCII characters that are no indicator at
// the start of a scalar ("-", "?" and ":" are, when a space follows).
var simpleFirst = func() (t [256]bool) {
	for c := '!'; c <= '~'; c++ {
		t[c] = !strings.ContainsRune("#,[]{}&*!|>'\"%@`?:-", c)
	}
	return t
}()

// The character classes of the emitter (its scanner.go), on a valid UTF-8
// string.

func width(c byte) int {
	switch {
	case c&0x80 == 0x00:
		return 1
	case c&0xE0 == 0xC0:
		return 2
	case c&0xF0 == 0xE0:
		return 3
	case c&0xF8 == 0xF0:
		return 4
	}
	return 0
}

func isPrintable(s string, i int) bool {
	c := s[i]
	return c == 0x0A ||
		c >= 0x20 && c <= 0x7E ||
		c == 0xC2 && s[i+1] >= 0xA0 ||
		c > 0xC2 && c < 0xED ||
		c == 0xED && s[i+1] < 0xA0 ||
		c == 0xEE ||
		c == 0xEF && !(s[i+1] == 0xBB && s[i+2] == 0xBF) && !(s[i+1] == 0xBF && (s[i+2] == 0xBE || s[i+2] == 0xBF))
}

func isLineBreak(s string, i int) bool {
	c := s[i]
	return c == '\r' || c == '\n' ||
		c == 0xC2 && s[i+1] == 0x85 ||
		c == 0xE2 && s[i+1] == 0x80 && (s[i+2] == 0xA8 || s[i+2] == 0xA9)
}

func isBlankOrZero(s string, i int) bool {
	return s[i] == ' ' || s[i] == '\t' || s[i] == 0 || isLineBreak(s, i)
}
