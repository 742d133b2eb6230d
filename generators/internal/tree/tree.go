package tree

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/portcullis-dev/portcullis/internal/fastpath"
)

// A value in a document is one of: *Map, List, string, int, bool.
type (
	// List is a sequence of values.
	List []any
	// Map is a mapping that remembers insertion order.
	Map struct {
		entries []entry
		// index finds keys in large maps; small ones (most of a
		// document's) are searched, which is cheaper than hashing.
		index map[string]int
	}
	entry struct {
		key string
		val any
	}
)

// indexAbove is the size from which a Map keeps an index of its keys.
const indexAbove = 16

// NewMap returns an empty ordered map.
func NewMap() *Map { return &Map{} }

func (m *Map) find(key string) int {
	if m.index != nil {
		if i, ok := m.index[key]; ok {
			return i
		}
		return -1
	}
	for i := range m.entries {
		if m.entries[i].key == key {
			return i
		}
	}
	return -1
}

// Set adds or replaces key. Replacing keeps the key's first position.
func (m *Map) Set(key string, v any) *Map {
	if i := m.find(key); i >= 0 {
		m.entries[i].val = v
		return m
	}
	if m.entries == nil {
		m.entries = make([]entry, 0, 4)
	}
	m.entries = append(m.entries, entry{key, v})
	switch {
	case m.index != nil:
		m.index[key] = len(m.entries) - 1
	case len(m.entries) > indexAbove:
		m.index = make(map[string]int, 2*len(m.entries))
		for i, e := range m.entries {
			m.index[e.key] = i
		}
	}
	return m
}

// SetNonZero sets key unless v is "", 0, false, an empty List or an empty Map:
// optional properties are left out rather than written as empty.
func (m *Map) SetNonZero(key string, v any) *Map {
	switch x := v.(type) {
	case string:
		if x == "" {
			return m
		}
	case int:
		if x == 0 {
			return m
		}
	case bool:
		if !x {
			return m
		}
	case List:
		if len(x) == 0 {
			return m
		}
	case *Map:
		if x == nil || x.Len() == 0 {
			return m
		}
	}
	return m.Set(key, v)
}

// Get returns the value of key, or nil.
func (m *Map) Get(key string) any {
	if i := m.find(key); i >= 0 {
		return m.entries[i].val
	}
	return nil
}

// Len is the number of keys.
func (m *Map) Len() int { return len(m.entries) }

// Keys returns the keys in order.
func (m *Map) Keys() []string {
	keys := make([]string, len(m.entries))
	for i, e := range m.entries {
		keys[i] = e.key
	}
	return keys
}

// Strings builds a List from strings.
func Strings(ss []string) List {
	l := make(List, len(ss))
	for i, s := range ss {
		l[i] = s
	}
	return l
}

// SortedMap builds a Map from a Go map with keys in sorted order, so maps
// from the model come out the same every time.
func SortedMap(kv map[string]string) *Map {
	m := NewMap()
	keys := make([]string, 0, len(kv))
	for k := range kv {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		m.Set(k, kv[k])
	}
	return m
}

// JSON encodes v with two-space indentation and a final newline. HTML
// characters are not escaped: the output is configuration, not a web page.
func JSON(v any) []byte {
	var b bytes.Buffer
	writeJSON(&b, v, "")
	b.WriteByte('\n')
	return b.Bytes()
}

func writeJSON(b *bytes.Buffer, v any, indent string) {
	inner := indent + "  "
	switch x := v.(type) {
	case *Map:
		if x.Len() == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{\n")
		for i, e := range x.entries {
			b.WriteString(inner)
			writeString(b, e.key)
			b.WriteString(": ")
			writeJSON(b, e.val, inner)
			if i < len(x.entries)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "}")
	case List:
		if len(x) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteString("[\n")
		for i, e := range x {
			b.WriteString(inner)
			writeJSON(b, e, inner)
			if i < len(x)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "]")
	case string:
		writeString(b, x)
	case int:
		b.WriteString(strconv.Itoa(x))
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case nil:
		b.WriteString("null")
	default:
		panic(fmt.Sprintf("tree: unsupported value %T", v))
	}
}

func writeString(b *bytes.Buffer, s string) {
	var sb bytes.Buffer
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	b.Write(bytes.TrimSuffix(sb.Bytes(), []byte("\n")))
}

// YAML encodes v as a YAML document. header, when not empty, becomes a
// comment block at the top (one "# " line per line of header).
func YAML(v any, header string) []byte {
	var b bytes.Buffer
	if header != "" {
		// What the encoder writes for a document's head comment.
		b.WriteString(comment(header) + "\n\n")
	}
	if fastpath.On(fastpath.YAMLWriter) {
		w := &yamlWriter{b: b.Bytes(), literalQuotes: true}
		if w.document(v) {
			return w.b
		}
	}
	writeYAML(&b, v, "", 0)
	return b.Bytes()
}

// FoldedYAML encodes v as the YAML encoder's Encoder writes it by default
// with a two-space indent, which is how Serverless configurations are
// written: strings fold at a space past 80 columns, a string starting with
// "'" is quoted like any other, and header is the document's head comment
// (lines starting with "#" kept as they are, empty lines kept empty).
func FoldedYAML(v any, header string) []byte {
	if fastpath.On(fastpath.YAMLWriter) {
		w := &yamlWriter{width: 80}
		if w.headComment(header) && w.document(v) {
			return w.b
		}
	}
	return encodeFoldedYAML(v, header)
}

func encodeFoldedYAML(v any, header string) []byte {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{yamlNode(v, false)}, HeadComment: header})
	if err == nil {
		err = enc.Close()
	}
	if err != nil {
		panic(fmt.Sprintf("tree: yaml encoding: %v", err))
	}
	return b.Bytes()
}

// chunkAbove is the size from which a mapping's entries are encoded one by
// one. The YAML encoder keeps every event of a document in memory, so one
// 10,000-route document costs several times what its pieces cost; the
// pieces, indented, are the same bytes.
const chunkAbove = 16

func writeYAML(b *bytes.Buffer, v any, indent string, depth int) {
	m, ok := v.(*Map)
	if !ok || m.Len() <= chunkAbove || depth > 2 {
		indented(b, encodeYAML(v), indent)
		return
	}
	for _, e := range m.entries {
		k := e.key
		val := e.val
		if sub, ok := val.(*Map); ok && sub.Len() > chunkAbove {
			key := bytes.TrimSuffix(encodeYAML(k), []byte("\n"))
			b.WriteString(indent)
			b.Write(key)
			b.WriteString(":\n")
			writeYAML(b, sub, indent+"  ", depth+1)
			continue
		}
		indented(b, encodeYAML(NewMap().Set(k, val)), indent)
	}
}

func indented(b *bytes.Buffer, text []byte, indent string) {
	if indent == "" {
		b.Write(text)
		return
	}
	for _, line := range bytes.SplitAfter(text, []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		if len(line) > 1 {
			b.WriteString(indent)
		}
		b.Write(line)
	}
}

func encodeYAML(v any) []byte {
	doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{yamlNode(v, true)}}
	var b bytes.Buffer
	// Long lines stay long: wrapped scalars are valid YAML but make
	// reviews of generated files harder.
	enc, err := yaml.NewDumper(&b, yaml.WithV3Defaults(), yaml.WithIndent(2), yaml.WithLineWidth(-1))
	if err == nil {
		err = enc.Dump(doc)
	}
	if err == nil {
		err = enc.Close()
	}
	if err != nil {
		// Every node is built here from strings, ints and bools: an
		// encoding failure is a bug, not bad input.
		panic(fmt.Sprintf("tree: yaml encoding: %v", err))
	}
	return b.Bytes()
}

func comment(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight("# "+l, " ")
	}
	return strings.Join(lines, "\n")
}

// yamlNode builds the encoder's node for v. literalQuotes: strings that
// start with "'" are double quoted (see strNode).
func yamlNode(v any, literalQuotes bool) *yaml.Node {
	switch x := v.(type) {
	case *Map:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		if x.Len() == 0 {
			n.Style = yaml.FlowStyle
		}
		for _, e := range x.entries {
			k := e.key
			n.Content = append(n.Content, strNode(k, literalQuotes), yamlNode(e.val, literalQuotes))
		}
		return n
	case List:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		if len(x) == 0 {
			n.Style = yaml.FlowStyle
		}
		for _, e := range x {
			n.Content = append(n.Content, yamlNode(e, literalQuotes))
		}
		return n
	case string:
		return strNode(x, literalQuotes)
	case int:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(x)}
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(x)}
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
	}
	panic(fmt.Sprintf("tree: unsupported value %T", v))
}

// strNode is a string scalar. The encoder quotes it when the plain form
// would read back as another type ("200", "true", "null").
func strNode(s string, literalQuotes bool) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	switch {
	case strings.Contains(s, "\n"):
		n.Style = yaml.LiteralStyle
	case literalQuotes && strings.HasPrefix(s, "'"):
		// API Gateway's quoted literals ('value') read better in double
		// quotes than with YAML's doubled single quotes.
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

// Encode writes v as JSON, or as YAML under a header comment (JSON has no
// comments): the one choice every tree-based target offers.
func Encode(v any, format, header string) []byte {
	if format == "json" {
		return JSON(v)
	}
	return YAML(v, header)
}

// Delete removes key, keeping the order of the others.
func (m *Map) Delete(key string) {
	i := m.find(key)
	if i < 0 {
		return
	}
	m.entries = append(m.entries[:i], m.entries[i+1:]...)
	if m.index != nil {
		delete(m.index, key)
		for j := i; j < len(m.entries); j++ {
			m.index[m.entries[j].key] = j
		}
	}
}
