package fastyaml

import (
	"encoding/binary"
	"unicode/utf8"
	"unsafe"
)

// Parse returns the tree yaml/v4 builds for src (a DocumentNode at the
// root, as `var n yaml.Node; yaml.Unmarshal(src, &n)` does), as a Node
// tree, when src is in the subset this package reads, and ok=false for
// anything else, in which case the caller parses src with yaml/v4 (which
// also gives the proper error message). Parse never returns its own errors
// and never panics.
//
// The tree's values are, where they need no unescaping, substrings of src
// itself: src must not change while the tree or any value taken from it
// is in use. Readers keep a description's source for snippets anyway, and
// a copy of it would be megabytes of a large document's peak memory.
func Parse(src []byte) (doc *Node, ok bool) {
	defer func() {
		if recover() != nil {
			doc, ok = nil, false
		}
	}()
	return parse(src)
}

// bailOut is the panic value that abandons a parse: the document uses
// something outside the subset, or is invalid. Unwinding by panic keeps the
// hot paths free of error plumbing; parse turns it into ok=false and lets
// any other panic (a bug) through, so tests and the fuzzer see bugs that
// Parse would hide.
type bailOut struct{}

func bail() { panic(bailOut{}) }

func parse(src []byte) (doc *Node, ok bool) {
	ascii, nodes, valid := prescan(src)
	if !valid {
		return nil, false
	}
	defer func() {
		if r := recover(); r != nil {
			if _, is := r.(bailOut); !is {
				panic(r)
			}
			doc, ok = nil, false
		}
	}()
	p := parser{src: src, str: unsafe.String(unsafe.SliceData(src), len(src)), line: 1, ascii: ascii}
	// The estimate counts indicators inside quoted scalars and comments
	// too; capped at a node per four bytes of source (real descriptions
	// have one per five to fifteen), a wildly high one costs at most a
	// slab about twice the size of a typical tree's.
	p.chunk = min(nodes, len(src)/4) + 8
	return p.document(), true
}

// maxDepth bounds nesting well below yaml/v4's limit of 10,000, so deep
// documents fall back (and get yaml/v4's verdict) instead of growing the
// stack here.
const maxDepth = 1000

type parser struct {
	src []byte
	// str is src as a string, sharing its bytes: scalar values without
	// escapes are substrings of it, which costs no allocation per scalar
	// and no copy of the source.
	str       string
	pos       int
	line      int // 1-based line of pos
	lineStart int // offset of the first byte of pos's line
	// ascii is true when src has no multi-byte characters, so a column is
	// a byte offset; otherwise columns count characters as libyaml does,
	// with a cache that makes the counting linear per line.
	ascii      bool
	colStart   int
	colPos     int
	colVal     int
	depth      int
	chunk      int    // size of the next slab
	slab       []Node // where the Content slices are cut from
	stack      []Node // children of the open collections
	scratch    []byte // unescaping buffer
	haveColMem bool
}

// Byte classes for prescan.
const (
	byteOK    = iota // printable ASCII, tab, line feed
	byteBad          // other control characters, DEL
	byteCR           // must start "\r\n"
	byteMulti        // starts a multi-byte character
	byteColon        // the rest count nodes
	byteDash
	byteComma
	byteOpen
	byteClose
)

var byteClass = func() (t [256]byte) {
	for c := range 0x20 {
		t[c] = byteBad
	}
	t['\t'], t['\n'], t['\r'], t[0x7f] = byteOK, byteOK, byteCR, byteBad
	for c := 0x80; c < 0x100; c++ {
		t[c] = byteMulti
	}
	t[':'], t['-'], t[','] = byteColon, byteDash, byteComma
	t['['], t['{'], t[']'], t['}'] = byteOpen, byteOpen, byteClose, byteClose
	return t
}()

// prescan reports whether src is valid UTF-8 made only of characters that
// libyaml reads as ordinary printable characters, tabs and line breaks
// ("\n" or "\r\n"). Anything else (a BOM, NUL and other control
// characters, a lone "\r", the Unicode line breaks NEL, LS and PS that
// libyaml counts as new lines) is left to yaml/v4.
//
// On the way it estimates the number of nodes, so that they can come from
// one slab: allocated at once, the tree costs the garbage collector one
// cycle instead of one per doubling of the heap while it grows. A block
// mapping entry ("k: ") makes two nodes, a block sequence entry ("- ")
// one; inside brackets a ':' adds a key, a ',' an entry, and a non-empty
// collection its first entry. Brackets and indicators inside scalars make
// the estimate a little high, which only costs memory.
func prescan(src []byte) (ascii bool, nodes int, valid bool) {
	ascii, nodes = true, 1
	depth := 0
	for i := 0; i < len(src); i++ {
		for i < len(src) && byteClass[src[i]] == byteOK {
			i++
		}
		if i == len(src) {
			break
		}
		switch byteClass[src[i]] {
		case byteBad:
			return false, 0, false
		case byteCR:
			if i+1 == len(src) || src[i+1] != '\n' {
				return false, 0, false
			}
		case byteMulti:
			ascii = false
			r, size := utf8.DecodeRune(src[i:])
			switch {
			case r == utf8.RuneError && size <= 1:
				return false, 0, false
			case r >= 0xA0 && r <= 0xD7FF && r != 0x2028 && r != 0x2029,
				r >= 0xE000 && r <= 0xFFFD && r != 0xFEFF,
				r >= 0x10000 && r <= 0x10FFFF:
			default:
				return false, 0, false
			}
			i += size - 1
		case byteColon:
			switch {
			case depth > 0:
				nodes++
			case i+1 == len(src), src[i+1] == ' ', src[i+1] == '\n', src[i+1] == '\r':
				nodes += 2
			}
		case byteDash:
			if depth == 0 && (i+1 == len(src) || src[i+1] == ' ' || src[i+1] == '\n') {
				nodes++
			}
		case byteComma:
			if depth > 0 {
				nodes++
			}
		case byteOpen:
			depth++
			if i+1 < len(src) && byteClass[src[i+1]] != byteClose {
				nodes++
			}
		case byteClose:
			if depth > 0 {
				depth--
			}
		}
	}
	return ascii, nodes, true
}

func (p *parser) node(kind Kind, tag Tag, style Style, line, col int) Node {
	return Node{Kind: kind, Tag: tag, Style: style, Line: int32(line), Column: int32(col)}
}

func (p *parser) scalar(value string, tag Tag, style Style, line, col int) Node {
	n := p.node(ScalarNode, tag, style, line, col)
	n.Value = value
	return n
}

// collection starts a mapping or sequence node, one level deeper.
func (p *parser) collection(kind Kind, tag Tag, style Style, line, col int) Node {
	p.depth++
	if p.depth > maxDepth {
		bail()
	}
	return p.node(kind, tag, style, line, col)
}

// content moves the children pushed since base into the node's own slice,
// cut from a shared slab with its capacity capped so that an append by a
// later user of the tree can never write into a neighbour's children.
// Nodes are built on the stack and land in a slab only here, once complete,
// so every node of the tree but the document's is in a slab: one
// allocation per few thousand nodes.
func (p *parser) content(base int) []Node {
	items := p.stack[base:]
	n := len(items)
	if n == 0 {
		return nil
	}
	if len(p.slab) < n {
		p.slab = make([]Node, max(n, p.chunk))
		p.chunk = min(max(2*p.chunk, 1024), 16384)
	}
	c := p.slab[:n:n]
	p.slab = p.slab[n:]
	copy(c, items)
	clear(items) // the stack must not keep a finished tree's strings alive
	p.stack = p.stack[:base]
	return c
}

// col is the 1-based column of pos, which must be on the current line.
func (p *parser) col(pos int) int {
	if p.ascii {
		return pos - p.lineStart + 1
	}
	if !p.haveColMem || p.colStart != p.lineStart || p.colPos > pos {
		p.haveColMem = true
		p.colStart, p.colPos, p.colVal = p.lineStart, p.lineStart, 1
	}
	for i := p.colPos; i < pos; i++ {
		if p.src[i]&0xC0 != 0x80 {
			p.colVal++
		}
	}
	p.colPos = pos
	return p.colVal
}

func (p *parser) eof() bool { return p.pos >= len(p.src) }

// at is the byte at i, or 0 past the end (src holds no NUL).
func (p *parser) at(i int) byte {
	if i < len(p.src) {
		return p.src[i]
	}
	return 0
}

// blankAt reports whether i is a space, tab, line break or the end: what
// must follow the indicators "-" and ":" (and "---") for them to count.
func (p *parser) blankAt(i int) bool {
	switch p.at(i) {
	case ' ', '\t', '\n', '\r', 0:
		return true
	}
	return false
}

// markerAt reports whether a document marker ("---" or "...") starts the
// line at i.
func (p *parser) markerAt(i int) bool {
	c := p.at(i)
	return (c == '-' || c == '.') && p.at(i+1) == c && p.at(i+2) == c && p.blankAt(i+3)
}

// indent is the column (0-based) of the token at pos, which is the first on
// its line, or -1 for a document marker, which closes every block.
func (p *parser) indent() int {
	if p.pos == p.lineStart && p.markerAt(p.pos) {
		return -1
	}
	return p.pos - p.lineStart
}

func (p *parser) newline(next int) {
	p.pos = next
	p.line++
	p.lineStart = next
}

// skipSpace moves to the next token across spaces, comments and line
// breaks; tabs are taken only in flow context, where libyaml skips them
// too (in block context its rules for tabs are intricate and left to it).
func (p *parser) skipSpace(tabs bool) {
	src := p.src
	for p.pos < len(src) {
		pos := p.pos
		// Indentation comes in runs of spaces: eight at a time.
		for pos+8 <= len(src) && binary.LittleEndian.Uint64(src[pos:]) == eightSpaces {
			pos += 8
		}
		for pos < len(src) && src[pos] == ' ' {
			pos++
		}
		p.pos = pos
		if pos == len(src) {
			return
		}
		switch src[pos] {
		case '\t':
			if !tabs {
				bail()
			}
			p.pos++
		case '\r':
			p.pos++ // prescan made sure "\n" follows
		case '\n':
			p.newline(pos + 1)
		case '#':
			p.comment()
		default:
			return
		}
	}
}

const eightSpaces = 0x2020202020202020

// comment skips a comment up to its line break. A comment must be
// separated from the token before it.
func (p *parser) comment() {
	if p.pos > p.lineStart {
		if c := p.src[p.pos-1]; c != ' ' && c != '\t' {
			bail()
		}
	}
	for p.pos < len(p.src) && p.src[p.pos] != '\n' {
		p.pos++
	}
}

// endLine checks that only blanks and a comment follow a complete node on
// its line.
func (p *parser) endLine() {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ' ':
			p.pos++
		case '\n', '\r':
			return
		case '#':
			p.comment()
			return
		default:
			bail()
		}
	}
}

func (p *parser) document() *Node {
	p.skipSpace(false)
	if p.eof() {
		bail() // an empty document leaves the yaml.Node zero
	}
	doc := p.node(DocumentNode, NoTag, 0, p.line, p.col(p.pos))
	if p.pos == p.lineStart {
		switch {
		case p.src[p.pos] == '-' && p.markerAt(p.pos):
			// An explicit start: its content must begin on a later line.
			p.pos += 3
			p.endLine()
			p.skipSpace(false)
			if p.eof() || p.line == int(doc.Line) || p.indent() < 0 {
				bail()
			}
		case p.src[p.pos] == '.' && p.markerAt(p.pos), p.src[p.pos] == '%':
			bail()
		}
	}
	root := p.blockNode(-1)
	if !p.eof() {
		// Only a document end marker and comments may follow.
		if p.indent() >= 0 || p.src[p.pos] != '.' {
			bail()
		}
		p.pos += 3
		p.endLine()
		p.skipSpace(false)
		if !p.eof() {
			bail()
		}
	}
	p.stack = append(p.stack, root)
	doc.SetContent(p.content(0))
	return &doc
}

// blockNode parses the node whose first token is at pos, in block context
// inside a collection indented at parent. The token is the first on its
// line or follows "- " indicators, so its column is its byte offset. On
// return pos is at the first token of a later line, or at the end.
func (p *parser) blockNode(parent int) Node {
	if p.src[p.pos] == '-' && p.blankAt(p.pos+1) {
		return p.blockSeq(p.pos - p.lineStart)
	}
	return p.blockLeaf(parent, true)
}

// blockLeaf parses a node that is not a block sequence: a flow collection,
// a block scalar, a scalar on one line, or (when keys is set) a block
// mapping starting at pos.
func (p *parser) blockLeaf(parent int, keys bool) Node {
	switch p.src[p.pos] {
	case '[', '{':
		n := p.flowNode(parent + 1)
		p.endLine()
		p.skipSpace(false)
		return n
	case '|', '>':
		return p.blockText(parent)
	}
	c := p.pos - p.lineStart
	n, key := p.blockScalar(parent)
	if key {
		if !keys {
			bail() // "a: b: c"
		}
		return p.blockMap(c, n)
	}
	p.endLine()
	p.skipSpace(false)
	return n
}

// blockScalar parses a plain or quoted scalar in block context, in a
// collection indented at m, and reports whether it is a mapping key
// (followed by ": "), in which case pos is past the ':'.
func (p *parser) blockScalar(m int) (n Node, key bool) {
	line, col := p.line, p.col(p.pos)
	switch p.src[p.pos] {
	case '"', '\'':
		n = p.quoted(line, col, m+1)
		for p.at(p.pos) == ' ' {
			p.pos++
		}
		if p.at(p.pos) == ':' && p.blankAt(p.pos+1) {
			if p.line != line {
				bail() // a key over several lines
			}
			p.pos++
			return n, true
		}
		return n, false
	}
	if !p.plainStart(false) {
		bail()
	}
	value, colon := p.plainScalar(m+1, false)
	tag, ok := resolveTag(value)
	if !ok {
		bail()
	}
	n = p.scalar(value, tag, 0, line, col)
	if colon >= 0 {
		p.pos = colon + 1
		return n, true
	}
	return n, false
}

// next reports whether the token at pos continues the block collection
// indented at n. A token indented deeper than a complete entry is a
// scalar's continuation line or an error: both are left to yaml/v4.
func (p *parser) next(n int) bool {
	if p.eof() {
		return false
	}
	c := p.indent()
	if c > n {
		bail()
	}
	return c == n
}

// blockMap parses a block mapping indented at m whose first key has been
// read, up to and including its ':'.
func (p *parser) blockMap(m int, key Node) Node {
	mp := p.collection(MappingNode, MapTag, 0, int(key.Line), int(key.Column))
	base := len(p.stack)
	for {
		p.stack = append(p.stack, key)
		v := p.blockValue(m)
		p.stack = append(p.stack, v)
		if !p.next(m) {
			break
		}
		var isKey bool
		if key, isKey = p.blockScalar(m); !isKey {
			bail()
		}
	}
	mp.SetContent(p.content(base))
	p.depth--
	return mp
}

// blockValue parses the value after a key's ':' in a mapping indented at m.
func (p *parser) blockValue(m int) Node {
	line, col := p.line, p.col(p.pos) // where an empty value is placed
	for p.at(p.pos) == ' ' {
		p.pos++
	}
	switch p.at(p.pos) {
	case '\n', '\r', '#', 0:
		p.endLine()
		p.skipSpace(false)
		if p.eof() {
			return p.scalar("", NullTag, 0, line, col)
		}
		c := p.indent()
		if c > m {
			return p.blockNode(m)
		}
		if c == m && p.src[p.pos] == '-' && p.blankAt(p.pos+1) {
			// A sequence may sit at its key's column.
			return p.blockSeq(m)
		}
		return p.scalar("", NullTag, 0, line, col)
	}
	return p.blockLeaf(m, false)
}

// blockSeq parses a block sequence whose "-" indicators are at column s.
func (p *parser) blockSeq(s int) Node {
	seq := p.collection(SequenceNode, SeqTag, 0, p.line, p.col(p.pos))
	base := len(p.stack)
	for {
		p.pos++ // the '-'
		line, col := p.line, p.col(p.pos)
		for p.at(p.pos) == ' ' {
			p.pos++
		}
		var item Node
		switch p.at(p.pos) {
		case '\n', '\r', '#', 0:
			p.endLine()
			p.skipSpace(false)
			if !p.eof() && p.indent() > s {
				item = p.blockNode(s)
			} else {
				item = p.scalar("", NullTag, 0, line, col)
			}
		default:
			item = p.blockNode(s)
		}
		p.stack = append(p.stack, item)
		if !p.next(s) {
			break
		}
		if p.src[p.pos] != '-' || !p.blankAt(p.pos+1) {
			break // the key after a sequence at its key's column
		}
	}
	seq.SetContent(p.content(base))
	p.depth--
	return seq
}
