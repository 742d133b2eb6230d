package fastyaml

import (
	"unicode/utf8"
)

// plainStart reports whether a plain scalar starts at pos. libyaml lets
// '-' start one when a non-blank follows (in flow context, also not a flow
// indicator); it also lets '?' and ':' start one, which this package
// leaves to it.
func (p *parser) plainStart(flow bool) bool {
	switch p.src[p.pos] {
	case ' ', '\t', '\r', '\n', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
		return false
	case '-':
		if p.blankAt(p.pos + 1) {
			return false
		}
		if flow {
			switch p.at(p.pos + 1) {
			case ',', '[', ']', '{', '}':
				return false
			}
		}
	}
	return true
}

// Why a line of a plain scalar ended.
const (
	stopEnd   = iota // at a comment, a flow indicator or the end of input
	stopBreak        // at a line break: the next line may continue it
	stopKey          // at the ':' of a key (block context)
)

// plainLine scans the text of a plain scalar on one line from i. It
// returns the end of the text (trailing blanks excluded), the offset of a
// key's ':' (else -1) and why the line ended. In block context a plain
// scalar ends at ": " and " #"; in flow context also at a flow indicator
// and at ':' before one.
func (p *parser) plainLine(i int, flow bool) (end, colon, stop int) {
	src := p.src
	for {
		for i < len(src) {
			c := src[i]
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
				break
			}
			if flow {
				if p.flowEnd(i) {
					return i, -1, stopEnd
				}
			} else if c == ':' && p.blankAt(i+1) {
				return i, i, stopKey
			}
			i++
		}
		end = i
		for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
			if src[i] == '\t' && !flow {
				bail() // libyaml's rules for tabs in block context
			}
			i++
		}
		if i == len(src) {
			return end, -1, stopEnd
		}
		switch c := src[i]; {
		case c == '\n' || c == '\r':
			return end, -1, stopBreak
		case c == '#':
			return end, -1, stopEnd
		case flow && p.flowEnd(i):
			return end, -1, stopEnd
		case !flow && c == ':' && p.blankAt(i+1):
			return end, i, stopKey
		}
	}
}

// plainScalar scans a plain scalar at pos, over as many lines as libyaml
// folds into it: later lines indented at least minCol continue it unless
// they start with a comment or, in flow context, with something that ends
// a scalar. It returns the value and, for a key in block context, the
// offset of its ':' (else -1); pos is left after the text.
func (p *parser) plainScalar(minCol int, flow bool) (value string, colon int) {
	start := p.pos
	end, colon, stop := p.plainLine(start, flow)
	var b []byte
	multi := false
	for stop == stopBreak {
		next, line, lineStart, breaks, ok := p.continuation(end, minCol, flow)
		if !ok {
			break
		}
		if !multi {
			b = append(p.scratch[:0], p.src[start:end]...)
			multi = true
		}
		// One line break folds to a space; each further one (empty
		// lines) stays a line break.
		if breaks == 1 {
			b = append(b, ' ')
		}
		for ; breaks > 1; breaks-- {
			b = append(b, '\n')
		}
		p.line, p.lineStart = line, lineStart
		end, colon, stop = p.plainLine(next, flow)
		if colon >= 0 {
			bail() // a key over several lines
		}
		b = append(b, p.src[next:end]...)
	}
	p.pos = end
	if !multi {
		return p.str[start:end], colon
	}
	p.scratch = b
	return string(b), -1
}

// flowEnd reports whether a plain scalar in flow context ends at i:
// libyaml ends one at a flow indicator and at ':' followed by a blank or
// ',', ']' or '}'.
func (p *parser) flowEnd(i int) bool {
	switch p.src[i] {
	case ',', '[', ']', '{', '}':
		return true
	case ':':
		switch p.at(i + 1) {
		case ' ', '\t', '\n', '\r', 0, ',', ']', '}':
			return true
		}
	}
	return false
}

// continuation looks past the line break after the text of a plain scalar
// ending at i for a line that continues the scalar, and returns where its
// text starts, its line, and the number of line breaks before it. libyaml
// ends the scalar at a comment, at a document marker, in block context at
// a line indented less than minCol, in flow context at something that ends
// a scalar. It rejects a tab in the indentation of a continued scalar (in
// flow context: left of minCol), and takes a line in flow context however
// little it is indented: both fall back, as does a block scalar's
// continuation that starts with ": ".
func (p *parser) continuation(i, minCol int, flow bool) (next, line, lineStart, breaks int, ok bool) {
	src := p.src
	line, lineStart = p.line, p.lineStart
	tab := false
	for i < len(src) {
		switch c := src[i]; {
		case c == ' ':
			i++
		case c == '\r':
			i++ // prescan made sure "\n" follows
		case c == '\n':
			i++
			line++
			lineStart = i
			breaks++
			tab = false
		case c == '\t':
			if breaks > 0 && (!flow || i-lineStart < minCol) {
				tab = true
			}
			i++
		case c == '#':
			return 0, 0, 0, 0, false
		case tab:
			bail()
		case i == lineStart && p.markerAt(i):
			return 0, 0, 0, 0, false
		case flow && p.flowEnd(i):
			return 0, 0, 0, 0, false
		case i-lineStart < minCol:
			if flow {
				bail()
			}
			return 0, 0, 0, 0, false
		case !flow && c == ':' && p.blankAt(i+1):
			bail()
		default:
			return i, line, lineStart, breaks, true
		}
	}
	return 0, 0, 0, 0, false
}

// quoted parses a single- or double-quoted scalar. One on a single line
// is scanned quickly, its value a substring of the source when it has no
// escapes; one over several lines goes to quotedLines.
func (p *parser) quoted(line, col, minCol int) Node {
	src := p.src
	q := src[p.pos]
	start := p.pos + 1
	i := start
	escaped := false
	style := SingleQuotedStyle
	if q == '"' {
		style = DoubleQuotedStyle
	}
	for {
		if i >= len(src) {
			bail()
		}
		c := src[i]
		if c == q {
			if q == '\'' && p.at(i+1) == '\'' {
				escaped = true
				i += 2
				continue
			}
			break
		}
		switch c {
		case '\n', '\r':
			return p.scalar(p.quotedLines(minCol), StrTag, style, line, col)
		case '\\':
			if q == '"' {
				if c := p.at(i + 1); c == '\n' || c == '\r' {
					return p.scalar(p.quotedLines(minCol), StrTag, style, line, col)
				}
				escaped = true
				i++ // the escaped character is checked by unescape
			}
		}
		i++
	}
	p.pos = i + 1
	value := p.str[start:i]
	if escaped {
		if q == '\'' {
			value = p.unquoteSingle(value)
		} else {
			value = p.unescape(value)
		}
	}
	return p.scalar(value, StrTag, style, line, col)
}

// quotedLines scans a quoted scalar at pos that spans lines, folding them
// as libyaml's scanFlowScalar does: blanks around a line break go, one
// break becomes a space, each further one stays a break, and an escaped
// break (double quotes) joins the lines. libyaml does not check how far
// the later lines are indented; this package wants them at minCol or
// further, without tabs in the indentation, and leaves the rest to it.
func (p *parser) quotedLines(minCol int) string {
	src := p.src
	q := src[p.pos]
	i := p.pos + 1
	b := p.scratch[:0]
	var blanks []byte // blanks seen since the last text, kept unless a break follows
	for {
		// Text up to a blank, a line break or the closing quote.
		joined := false // by an escaped line break
		for i < len(src) {
			c := src[i]
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
				break
			}
			if c == q {
				if q == '\'' && p.at(i+1) == '\'' {
					b = append(b, '\'')
					i += 2
					continue
				}
				p.pos = i + 1
				p.scratch = b
				return string(b)
			}
			if c == '\\' && q == '"' {
				if n := p.at(i + 1); n == '\n' || n == '\r' {
					i = p.breakAt(i + 1)
					joined = true
					break
				}
				b, i = p.appendEscape(b, i+1)
				continue
			}
			b = append(b, c)
			i++
		}
		if i >= len(src) {
			bail() // unterminated
		}
		// Blanks and line breaks up to the next text.
		blanks = blanks[:0]
		breaks := 0
		for i < len(src) {
			c := src[i]
			if c == ' ' || c == '\t' {
				if breaks > 0 || joined {
					if c == '\t' {
						bail()
					}
				} else {
					blanks = append(blanks, c)
				}
				i++
				continue
			}
			if c != '\n' && c != '\r' {
				break
			}
			i = p.breakAt(i)
			breaks++
		}
		if breaks > 0 || joined {
			if i >= len(src) || i-p.lineStart < minCol || i == p.lineStart && p.markerAt(i) {
				bail()
			}
		}
		switch {
		case joined:
			for ; breaks > 0; breaks-- {
				b = append(b, '\n')
			}
		case breaks == 1:
			b = append(b, ' ')
		case breaks > 1:
			for ; breaks > 1; breaks-- {
				b = append(b, '\n')
			}
		default:
			b = append(b, blanks...)
		}
	}
}

// breakAt moves past the line break at i and returns the offset after it.
func (p *parser) breakAt(i int) int {
	if p.src[i] == '\r' {
		i++
	}
	p.newline(i + 1)
	return i + 1
}

func (p *parser) unquoteSingle(s string) string {
	b := p.scratch[:0]
	for i := 0; i < len(s); i++ {
		b = append(b, s[i])
		if s[i] == '\'' {
			i++ // the second quote of ''
		}
	}
	p.scratch = b
	return string(b)
}

// escapes maps the character after a backslash to what it stands for, for
// libyaml's escapes of a fixed length.
var escapes = [256]string{
	'0': "\x00", 'a': "\a", 'b': "\b", 't': "\t", '\t': "\t", 'n': "\n", 'v': "\v", 'f': "\f",
	'r': "\r", 'e': "\x1b", ' ': " ", '"': "\"", '/': "/", '\\': "\\",
	'N': "\u0085", '_': "\u00a0", 'L': "\u2028", 'P': "\u2029",
}

// unescape decodes a double-quoted scalar's escapes as libyaml does.
func (p *parser) unescape(s string) string {
	b := p.scratch[:0]
	for i := 0; i < len(s); {
		if s[i] != '\\' {
			b = append(b, s[i])
			i++
			continue
		}
		b, i = appendEscape(b, s, i+1)
	}
	p.scratch = b
	return string(b)
}

// appendEscape decodes the escape whose character after the backslash is
// at src[i] and returns the offset after it.
func (p *parser) appendEscape(b []byte, i int) ([]byte, int) {
	return appendEscape(b, p.str, i)
}

func appendEscape(b []byte, s string, i int) ([]byte, int) {
	if i >= len(s) {
		bail()
	}
	if e := escapes[s[i]]; e != "" {
		return append(b, e...), i + 1
	}
	n := 0
	switch s[i] {
	case 'x':
		n = 2
	case 'u':
		n = 4
	case 'U':
		n = 8
	default:
		bail()
	}
	v := 0
	for k := 1; k <= n; k++ {
		if i+k >= len(s) {
			bail()
		}
		d := s[i+k]
		switch {
		case d >= '0' && d <= '9':
			v = v<<4 + int(d-'0')
		case d >= 'a' && d <= 'f':
			v = v<<4 + int(d-'a'+10)
		case d >= 'A' && d <= 'F':
			v = v<<4 + int(d-'A'+10)
		default:
			bail()
		}
	}
	if v >= 0xD800 && v <= 0xDFFF || v > 0x10FFFF {
		bail()
	}
	return utf8.AppendRune(b, rune(v)), i + n + 1
}
