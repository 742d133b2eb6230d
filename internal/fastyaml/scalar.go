package fastyaml

import (
	"unicode/utf8"

	"go.yaml.in/yaml/v4"
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

// plainBlock scans a plain scalar in block context, which this package
// reads on one line only. It returns the end of the value (trailing blanks
// excluded) and, when the scalar is a mapping key, the offset of its ':'
// (else -1). A continuation on the next line shows up to the caller as a
// token indented past its collection, which it rejects.
func (p *parser) plainBlock() (end, colon int) {
	src := p.src
	i := p.pos
	for {
		for i < len(src) {
			c := src[i]
			if c == ' ' || c == '\n' || c == '\r' {
				break
			}
			if c == '\t' {
				bail()
			}
			if c == ':' && p.blankAt(i+1) {
				return i, i
			}
			i++
		}
		end = i
		for i < len(src) && src[i] == ' ' {
			i++
		}
		if i == len(src) {
			return end, -1
		}
		switch src[i] {
		case '\n', '\r', '#':
			return end, -1
		case '\t':
			bail()
		case ':':
			if p.blankAt(i + 1) {
				return end, i
			}
		}
	}
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

// plainFlow scans a plain scalar in flow context, which this package
// reads on one line only, and returns the end of its value.
func (p *parser) plainFlow(minCol int) (end int) {
	src := p.src
	i := p.pos
	for {
		for i < len(src) {
			c := src[i]
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' || p.flowEnd(i) {
				break
			}
			i++
		}
		end = i
		for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
			i++
		}
		if i == len(src) || src[i] == '#' || p.flowEnd(i) {
			break
		}
		if src[i] == '\n' || src[i] == '\r' {
			p.endsAtBreak(i, minCol)
			break
		}
	}
	p.pos = end
	return end
}

// endsAtBreak checks that a plain scalar in flow context that reaches the
// line break at i ends there. libyaml reads on past the break: it folds the
// next line into the scalar unless that starts with a comment or something
// that ends a scalar, and rejects a tab in the next line's indentation
// (left of the enclosing block's column).
func (p *parser) endsAtBreak(i, minCol int) {
	src := p.src
	for {
		if src[i] == '\r' {
			i++
		}
		i++ // the '\n'
		start := i
		tab := false
		for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
			if src[i] == '\t' && i-start < minCol {
				tab = true
			}
			i++
		}
		if i == len(src) {
			return
		}
		switch c := src[i]; {
		case c == '\n' || c == '\r':
			continue
		case c == '#':
			return
		case tab:
			bail()
		case p.flowEnd(i) || i == start && p.markerAt(i):
			return
		}
		bail()
	}
}

// quoted parses a single- or double-quoted scalar that ends on its line.
func (p *parser) quoted(line, col int) *yaml.Node {
	src := p.src
	q := src[p.pos]
	start := p.pos + 1
	i := start
	escaped := false
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
			bail() // a multi-line scalar
		case '\\':
			if q == '"' {
				if c := p.at(i + 1); c == '\n' || c == '\r' {
					bail() // an escaped line break
				}
				escaped = true
				i++ // the escaped character is checked by unescape
			}
		}
		i++
	}
	p.pos = i + 1
	value := p.str[start:i]
	style := yaml.SingleQuotedStyle
	if q == '"' {
		style = yaml.DoubleQuotedStyle
	}
	if escaped {
		if q == '\'' {
			value = p.unquoteSingle(value)
		} else {
			value = p.unescape(value)
		}
	}
	return p.scalar(value, strTag, style, line, col)
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
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			b = append(b, c)
			continue
		}
		i++
		if i >= len(s) {
			bail()
		}
		if e := escapes[s[i]]; e != "" {
			b = append(b, e...)
			continue
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
		b = utf8.AppendRune(b, rune(v))
		i += n
	}
	p.scratch = b
	return string(b)
}
