package fastyaml

import (
	"bytes"
)

// blockText parses a literal (|) or folded (>) block scalar whose indicator
// is at pos, inside a block collection indented at m: mapping templates and
// descriptions are often written this way. It follows libyaml's
// scanBlockScalar for headers with a chomping indicator at most; an
// explicit indentation indicator, tabs, leading blank lines indented past
// the text, an empty scalar and a scalar running into the end of the input
// without a final line break (each with rules of its own) fall back.
func (p *parser) blockText(m int) Node {
	if m < 0 {
		bail()
	}
	src := p.src
	line, col := p.line, p.col(p.pos)
	style := LiteralStyle
	if src[p.pos] == '>' {
		style = FoldedStyle
	}
	p.pos++
	chomp := 0
	switch p.at(p.pos) {
	case '+':
		chomp = 1
		p.pos++
	case '-':
		chomp = -1
		p.pos++
	}
	if c := p.at(p.pos); c >= '0' && c <= '9' {
		bail()
	}
	p.endLine()
	if p.eof() {
		bail()
	}
	p.lineBreak()

	// Leading empty lines, then the first line of text, which sets the
	// indentation d.
	breaks := 0
	d := 0
	for {
		i := p.pos
		for i < len(src) && src[i] == ' ' {
			i++
		}
		if i == len(src) {
			bail()
		}
		k := i - p.pos
		if c := src[i]; c == '\n' || c == '\r' {
			if k > d {
				d = k // the widest empty line so far
			}
			breaks++
			p.pos = i
			p.lineBreak()
			continue
		} else if c == '\t' {
			bail()
		}
		if k < d || k <= m {
			bail() // an empty scalar, or empty lines wider than the text
		}
		d = k
		break
	}

	// Lines of text, folded as libyaml folds them.
	b := p.scratch[:0]
	leadingBreak, leadingBlank := false, false
	for {
		start := p.pos + d
		trailingBlank := src[start] == ' '
		if style == FoldedStyle && !leadingBlank && !trailingBlank && leadingBreak {
			if breaks == 0 {
				b = append(b, ' ')
			}
		} else if leadingBreak {
			b = append(b, '\n')
		}
		for ; breaks > 0; breaks-- {
			b = append(b, '\n')
		}
		leadingBlank = trailingBlank
		end := bytes.IndexByte(src[start:], '\n')
		if end < 0 {
			bail() // the last line has no line break
		}
		end += start
		p.pos = end
		if src[end-1] == '\r' {
			end--
		}
		text := src[start:end]
		if bytes.IndexByte(text, '\t') >= 0 {
			bail()
		}
		b = append(b, text...)
		leadingBreak = true
		p.lineBreak()

		// Empty lines up to the next line of text, or the end.
		more := false
		for {
			i := p.pos
			for i < len(src) && src[i] == ' ' && i-p.pos < d {
				i++
			}
			if i == len(src) {
				if i > p.pos {
					bail() // spaces without a line break at the end
				}
				break
			}
			c := src[i]
			if c == '\n' || c == '\r' {
				breaks++
				p.pos = i
				p.lineBreak()
				continue
			}
			if c == '\t' {
				bail()
			}
			more = i-p.pos == d
			break
		}
		if !more {
			break
		}
	}
	if chomp != -1 && leadingBreak {
		b = append(b, '\n')
	}
	if chomp == 1 {
		for ; breaks > 0; breaks-- {
			b = append(b, '\n')
		}
	}
	p.scratch = b
	n := p.scalar(string(b), StrTag, style, line, col)
	p.skipSpace(false)
	return n
}

// lineBreak moves past the line break at pos.
func (p *parser) lineBreak() {
	if p.src[p.pos] == '\r' {
		p.pos++
	}
	p.newline(p.pos + 1)
}
