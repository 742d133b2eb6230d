package oasspec

import (
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
// everything, JSON included (JSON is YAML).
type locator struct {
	file string
	root *yaml.Node
	// lines holds each line's starting byte offset, so ranges carry the
	// byte positions HCL's snippet printer relies on.
	lines []int
	// index maps a mapping node's keys to their positions, built on first
	// use: the paths mapping of a large API has thousands of keys, and a
	// linear scan per lookup made reading quadratic.
	index map[*yaml.Node]map[string]int
	// mu guards index: paths are read on several goroutines.
	mu sync.Mutex
}

func newLocator(file string, src []byte) (*locator, error) {
	// fastyaml builds yaml/v4's own tree for the plain YAML and JSON that
	// API descriptions are, in a tenth of the time; anything else (and
	// every error message) is yaml/v4's.
	var n *yaml.Node
	ok := false
	if fastpath.On(fastpath.YAMLReader) {
		n, ok = fastyaml.Parse(src)
	}
	if !ok {
		n = &yaml.Node{}
		if err := yaml.Unmarshal(src, n); err != nil {
			return nil, err
		}
	}
	l := &locator{file: file, root: n, lines: []int{0}}
	for i, b := range src {
		if b == '\n' {
			l.lines = append(l.lines, i+1)
		}
	}
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		l.root = n.Content[0]
	}
	return l, nil
}

// node walks mapping keys and sequence indexes.
func (l *locator) node(path ...string) (key, val *yaml.Node) {
	cur := l.root
	for _, p := range path {
		if cur == nil {
			return nil, nil
		}
		for cur.Kind == yaml.AliasNode && cur.Alias != nil {
			cur = cur.Alias
		}
		switch cur.Kind {
		case yaml.MappingNode:
			if len(cur.Content) < 16 {
				var next *yaml.Node
				for i := 0; i+1 < len(cur.Content); i += 2 {
					if cur.Content[i].Value == p {
						key, next = cur.Content[i], cur.Content[i+1]
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
			key, cur = cur.Content[i], cur.Content[i+1]
		case yaml.SequenceNode:
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(cur.Content) {
				return nil, nil
			}
			key, cur = cur.Content[i], cur.Content[i]
		default:
			return nil, nil
		}
	}
	return key, cur
}

func (l *locator) indexOf(m *yaml.Node) map[string]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	idx, ok := l.index[m]
	if !ok {
		idx = make(map[string]int, len(m.Content)/2)
		for i := 0; i+1 < len(m.Content); i += 2 {
			idx[m.Content[i].Value] = i
		}
		if l.index == nil {
			l.index = map[*yaml.Node]map[string]int{}
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
		if at == nil || (at.Kind != yaml.ScalarNode && key != nil) {
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

func (l *locator) at(n *yaml.Node) hcl.Range {
	start := hcl.Pos{Line: n.Line, Column: n.Column, Byte: l.byteAt(n.Line, n.Column)}
	end := start
	if n.Kind == yaml.ScalarNode {
		w := len(n.Value)
		if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
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
	return l.lines[line-1] + col - 1
}
