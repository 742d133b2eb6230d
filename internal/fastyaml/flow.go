package fastyaml

// flowNode parses a flow node ([...], {...} or a scalar) at pos. minCol is
// the smallest column a token on a later line may have: libyaml rejects a
// flow collection that reaches back to its enclosing block's indentation in
// some places and not in others, so this package requires every line of it
// to be indented past that block (the root has no such block).
func (p *parser) flowNode(minCol int) Node {
	switch p.src[p.pos] {
	case '[':
		return p.flowSeq(minCol)
	case '{':
		return p.flowMap(minCol)
	}
	return p.flowScalar(minCol)
}

// flowScalar parses a quoted or plain scalar in flow context.
func (p *parser) flowScalar(minCol int) Node {
	line, col := p.line, p.col(p.pos)
	switch p.src[p.pos] {
	case '"', '\'':
		return p.quoted(line, col, minCol)
	}
	if !p.plainStart(true) {
		bail()
	}
	value, _ := p.plainScalar(minCol, true)
	tag, ok := resolveTag(value)
	if !ok {
		bail()
	}
	return p.scalar(value, tag, 0, line, col)
}

// skipFlow moves to the next token inside a flow collection and checks the
// indentation of a token that starts a new line.
func (p *parser) skipFlow(minCol int) {
	line := p.line
	p.skipSpace(true)
	if p.eof() {
		bail() // unterminated
	}
	if p.line != line {
		if p.pos == p.lineStart && p.markerAt(p.pos) || p.pos-p.lineStart < minCol {
			bail()
		}
	}
}

func (p *parser) flowSeq(minCol int) Node {
	seq := p.collection(SequenceNode, SeqTag, FlowStyle, p.line, p.col(p.pos))
	base := len(p.stack)
	p.pos++
	p.skipFlow(minCol)
	for p.src[p.pos] != ']' {
		item := p.flowNode(minCol)
		p.stack = append(p.stack, item)
		p.skipFlow(minCol)
		switch p.src[p.pos] {
		case ',':
			p.pos++
			p.skipFlow(minCol)
		case ']':
		default:
			bail() // includes the single-pair mapping "[a: b]"
		}
	}
	p.pos++
	seq.SetContent(p.content(base))
	p.depth--
	return seq
}

func (p *parser) flowMap(minCol int) Node {
	mp := p.collection(MappingNode, MapTag, FlowStyle, p.line, p.col(p.pos))
	base := len(p.stack)
	p.pos++
	p.skipFlow(minCol)
	for p.src[p.pos] != '}' {
		if c := p.src[p.pos]; c == '[' || c == '{' {
			bail() // a collection as a key
		}
		key := p.flowScalar(minCol)
		p.stack = append(p.stack, key)
		p.skipFlow(minCol)
		switch p.src[p.pos] {
		case ':':
			// libyaml takes a ':' after a key on a later line in its
			// own way; leave that to it.
			if p.line != int(key.Line) {
				bail()
			}
			p.pos++
			p.skipFlow(minCol)
			if c := p.src[p.pos]; c == ',' || c == '}' {
				// An empty value sits at the token after it.
				p.stack = append(p.stack, p.scalar("", NullTag, 0, p.line, p.col(p.pos)))
			} else {
				v := p.flowNode(minCol)
				p.stack = append(p.stack, v)
				p.skipFlow(minCol)
			}
		case ',', '}':
			p.stack = append(p.stack, p.scalar("", NullTag, 0, p.line, p.col(p.pos)))
		default:
			bail()
		}
		switch p.src[p.pos] {
		case ',':
			p.pos++
			p.skipFlow(minCol)
		case '}':
		default:
			bail()
		}
	}
	p.pos++
	mp.SetContent(p.content(base))
	p.depth--
	return mp
}
