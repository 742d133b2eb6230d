package fastyaml

import (
	"unsafe"

	"go.yaml.in/yaml/v4"
)

// Node is one node of a document tree: what a yaml.Node says about a
// document, without what readers of API descriptions never look at
// (anchors' names and comments), in 40 bytes where a yaml.Node takes 160.
// A 10,000-operation description has about 290,000 nodes, and its reader
// keeps the tree until it has looked up the position of every finding, so
// the tree's size is most of what reading such a document costs in memory
// (docs/benchmarks.md).
//
// Children are held by value: a node's Content is its own run of a shared
// slab, so a tree costs one allocation per few thousand nodes and no
// pointer per child; and the node keeps only where the run starts and its
// length, not a slice's capacity. An alias (only in trees converted from
// yaml/v4's, as Parse leaves anchors to yaml/v4) holds a copy of the node
// it names as its one child: the copy shares that node's children, so it
// is as good for reading as the node itself and costs no expansion.
type Node struct {
	Value  string
	kids   *Node // the first child
	n      int32 // the number of children
	Line   int32
	Column int32
	Kind   Kind
	Style  Style
	Tag    Tag
}

// Content is the node's children: key, value, key, value... in a mapping.
// Its capacity is its length, so an append copies it rather than writing
// over a neighbour's children.
func (n *Node) Content() []Node {
	if n.n == 0 {
		return nil
	}
	return unsafe.Slice(n.kids, n.n)
}

// SetContent makes c the node's children.
func (n *Node) SetContent(c []Node) {
	n.kids, n.n = unsafe.SliceData(c), int32(len(c))
	if len(c) == 0 {
		n.kids = nil
	}
}

// Kind is a yaml.Kind, in a byte.
type Kind uint8

// The kinds, with yaml.Kind's values.
const (
	DocumentNode = Kind(yaml.DocumentNode)
	SequenceNode = Kind(yaml.SequenceNode)
	MappingNode  = Kind(yaml.MappingNode)
	ScalarNode   = Kind(yaml.ScalarNode)
	AliasNode    = Kind(yaml.AliasNode)
)

// Style is a yaml.Style, in a byte.
type Style uint8

// The styles, with yaml.Style's values.
const (
	TaggedStyle       = Style(yaml.TaggedStyle)
	DoubleQuotedStyle = Style(yaml.DoubleQuotedStyle)
	SingleQuotedStyle = Style(yaml.SingleQuotedStyle)
	LiteralStyle      = Style(yaml.LiteralStyle)
	FoldedStyle       = Style(yaml.FoldedStyle)
	FlowStyle         = Style(yaml.FlowStyle)
)

// Tag is a node's resolved tag: one of the tags yaml/v4 resolves to, or
// OtherTag for an explicit tag of the document's own (!thing), which only
// trees converted from yaml/v4's hold and readers here treat as unknown.
type Tag uint8

// The tags.
const (
	NoTag Tag = iota // a document node's
	NullTag
	BoolTag
	StrTag
	IntTag
	FloatTag
	TimestampTag
	BinaryTag
	MergeTag
	SeqTag
	MapTag
	OtherTag
)

// tagNames are the tags' yaml/v4 spellings, by Tag.
var tagNames = [...]string{
	NoTag: "", NullTag: "!!null", BoolTag: "!!bool", StrTag: "!!str", IntTag: "!!int", FloatTag: "!!float",
	TimestampTag: "!!timestamp", BinaryTag: "!!binary", MergeTag: "!!merge", SeqTag: "!!seq", MapTag: "!!map",
}

// String is the tag as yaml/v4 spells it ("!!str"); OtherTag has no
// spelling of its own and reads "!".
func (t Tag) String() string {
	if int(t) < len(tagNames) && (t == NoTag || tagNames[t] != "") {
		return tagNames[t]
	}
	return "!"
}

func tagOf(s string) Tag {
	for t, name := range tagNames {
		if name == s {
			return Tag(t)
		}
	}
	return OtherTag
}

// FromYAML converts a tree yaml/v4 built: the form the readers take when a
// document is outside Parse's subset. It keeps everything Node holds, so
// for a document Parse takes, FromYAML of yaml/v4's tree equals Parse's.
func FromYAML(n *yaml.Node) *Node {
	c := converter{done: map[*yaml.Node]*Node{}}
	out := &Node{}
	c.from(out, n)
	return out
}

type converter struct {
	done map[*yaml.Node]*Node // anchored nodes, for the aliases to them
}

func (c *converter) from(out *Node, n *yaml.Node) {
	*out = Node{Value: n.Value, Line: int32(n.Line), Column: int32(n.Column), Kind: Kind(n.Kind), Style: Style(n.Style), Tag: tagOf(n.Tag)}
	if n.Anchor != "" {
		c.done[n] = out
	}
	if n.Kind == yaml.AliasNode {
		if n.Alias != nil {
			if target := c.done[n.Alias]; target != nil {
				out.SetContent([]Node{*target})
			}
		}
		return
	}
	if len(n.Content) > 0 {
		kids := make([]Node, len(n.Content))
		for i, child := range n.Content {
			c.from(&kids[i], child)
		}
		out.SetContent(kids)
	}
}

// ToYAML converts a tree Parse built into the yaml.Node tree yaml/v4
// builds for the same document, for decoding with yaml/v4 (into
// kin-openapi's types). It takes trees without aliases: Parse never makes
// them, and a tree converted from yaml/v4's has its original.
func ToYAML(n *Node) *yaml.Node {
	slab := make([]yaml.Node, count(n))
	out := &slab[0]
	slab = slab[1:]
	toYAML(out, n, &slab)
	return out
}

func count(n *Node) int {
	c := 1
	kids := n.Content()
	for i := range kids {
		c += count(&kids[i])
	}
	return c
}

func toYAML(out *yaml.Node, n *Node, slab *[]yaml.Node) {
	out.Kind, out.Style, out.Tag, out.Value = yaml.Kind(n.Kind), yaml.Style(n.Style), n.Tag.String(), n.Value
	out.Line, out.Column = int(n.Line), int(n.Column)
	in := n.Content()
	if len(in) == 0 {
		return
	}
	kids := (*slab)[:len(in):len(in)]
	*slab = (*slab)[len(in):]
	out.Content = make([]*yaml.Node, len(kids))
	for i := range kids {
		out.Content[i] = &kids[i]
		toYAML(&kids[i], &in[i], slab)
	}
}
