package oasspec

import (
	"bytes"
	"strconv"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"go.yaml.in/yaml/v4"

	"github.com/portcullis-dev/portcullis/internal/fastpath"
	"github.com/portcullis-dev/portcullis/internal/fastyaml"
)

// locator finds the position of any element by its path in the document.
// kin-openapi's origin tracking covers its own types but not the insides of
// x-amazon-apigateway-* extensions, which are exactly where Cognito
// settings live, so positions are read off the YAML node tree for
// everything, JSON included (JSON is YAML). The tree is fastyaml's compact
// one, kept until reading ends: in yaml/v4's own nodes it was most of the
// memory reading a large document takes (docs/benchmarks.md).
type locator struct {
	file string
	root *fastyaml.Node
	// full is yaml/v4's tree when yaml/v4 parsed the document (outside
	// fastyaml's subset, or with the fast reader off), kept for decoding
	// into kin-openapi's types; nil when fastyaml parsed it.
	full *yaml.Node
	// lines holds each line's starting byte offset, so ranges carry the
	// byte positions HCL's snippet printer relies on (int32: sources are
	// at most megabytes, and a large one has hundreds of thousands of
	// lines).
	lines []int32
	// index maps a mapping node's keys to their positions, built on first
	// use: the paths mapping of a large API has thousands of keys, and a
	// linear scan per lookup made reading quadratic.
	index map[*fastyaml.Node]map[string]int
	// mu guards index: paths are read on several goroutines.
	mu sync.Mutex
}

func newLocator(file string, src []byte) (*locator, error) {
	// fastyaml builds the tree for the plain YAML and JSON that API
	// descriptions are, in a tenth of yaml/v4's time; anything else (and
	// every error message) is yaml/v4's.
	l := &locator{file: file}
	var doc *fastyaml.Node
	ok := false
	if fastpath.On(fastpath.YAMLReader) {
		doc, ok = fastyaml.Parse(src)
	}
	if !ok {
		n := &yaml.Node{}
		if err := yaml.Unmarshal(src, n); err != nil {
			return nil, err
		}
		doc = fastyaml.FromYAML(n)
		l.full = n
		if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
			l.full = n.Content[0]
		}
	}
	l.root = doc
	if doc.Kind == fastyaml.DocumentNode && len(doc.Content()) > 0 {
		l.root = &doc.Content()[0]
	}
	l.lines = make([]int32, 1, bytes.Count(src, newline)+1)
	for i, b := range src {
		if b == '\n' {
			l.lines = append(l.lines, int32(i+1))
		}
	}
	return l, nil
}

var newline = []byte{'\n'}

// yamlOf is the yaml/v4 tree of n, which is the root or (with paths taken
// out) a copy of it, for decoding: yaml/v4's own when it parsed the
// document, else n converted.
func (l *locator) yamlOf(n *fastyaml.Node) *yaml.Node {
	if l.full == nil {
		return fastyaml.ToYAML(n)
	}
	if n == l.root {
		return l.full
	}
	rest, _ := withoutPathsYAML(l.full)
	return rest
}

// node walks mapping keys and sequence indexes.
func (l *locator) node(path ...string) (key, val *fastyaml.Node) {
	cur := l.root
	for _, p := range path {
		if cur == nil {
			return nil, nil
		}
		for cur.Kind == fastyaml.AliasNode && len(cur.Content()) == 1 {
			cur = &cur.Content()[0]
		}
		kids := cur.Content()
		switch cur.Kind {
		case fastyaml.MappingNode:
			if len(kids) < 16 {
				var next *fastyaml.Node
				for i := 0; i+1 < len(kids); i += 2 {
					if kids[i].Value == p {
						key, next = &kids[i], &kids[i+1]
					}
				}
				cur = next
				continue
			}
			idx := l.indexOf(cur)
			i, ok := idx[p]
			if !ok {
				return nil, nil
			}
			key, cur = &kids[i], &kids[i+1]
		case fastyaml.SequenceNode:
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(kids) {
				return nil, nil
			}
			key, cur = &kids[i], &kids[i]
		default:
			return nil, nil
		}
	}
	return key, cur
}

func (l *locator) indexOf(m *fastyaml.Node) map[string]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	idx, ok := l.index[m]
	if !ok {
		kids := m.Content()
		idx = make(map[string]int, len(kids)/2)
		for i := 0; i+1 < len(kids); i += 2 {
			idx[kids[i].Value] = i
		}
		if l.index == nil {
			l.index = map[*fastyaml.Node]map[string]int{}
		}
		l.index[m] = idx
	}
	return idx
}

// rng is the range of the value at path (falling back to its key, then to
// the nearest ancestor that exists), so a diagnostic always has a line.
func (l *locator) rng(path ...string) hcl.Range {
	for n := len(path); n >= 0; n-- {
		key, val := l.node(path[:n]...)
		at := val
		if at == nil || (at.Kind != fastyaml.ScalarNode && key != nil) {
			at = key
		}
		if at == nil {
			at = val
		}
		if at != nil && at.Line > 0 {
			return l.at(at)
		}
	}
	return hcl.Range{Filename: l.file, Start: hcl.Pos{Line: 1, Column: 1}, End: hcl.Pos{Line: 1, Column: 1}}
}

// keyRng is the range of the key at path (where a block starts).
func (l *locator) keyRng(path ...string) hcl.Range {
	key, _ := l.node(path...)
	if key != nil && key.Line > 0 {
		return l.at(key)
	}
	return l.rng(path...)
}

func (l *locator) at(n *fastyaml.Node) hcl.Range {
	line, col := int(n.Line), int(n.Column)
	start := hcl.Pos{Line: line, Column: col, Byte: l.byteAt(line, col)}
	end := start
	if n.Kind == fastyaml.ScalarNode {
		w := len(n.Value)
		if n.Style&(fastyaml.DoubleQuotedStyle|fastyaml.SingleQuotedStyle) != 0 {
			w += 2
		}
		end.Column += w
		end.Byte += w
	}
	return hcl.Range{Filename: l.file, Start: start, End: end}
}

func (l *locator) byteAt(line, col int) int {
	if line < 1 || line > len(l.lines) {
		return 0
	}
	return int(l.lines[line-1]) + col - 1
}
