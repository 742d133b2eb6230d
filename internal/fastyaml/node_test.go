package fastyaml

import (
	"testing"
	"unsafe"

	"go.yaml.in/yaml/v4"
)

// TestFromYAMLOutsideTheSubset: trees only yaml/v4 builds (anchors and
// aliases, tags of the document's own) convert with an alias reading as
// the node it names and an unknown tag as OtherTag, and a tree with an
// alias of itself converts without looping.
func TestFromYAMLOutsideTheSubset(t *testing.T) {
	var y yaml.Node
	src := "a: &x {b: 1, c: [d]}\ne: *x\nf: !thing g\nh: !!binary aGk=\n"
	if err := yaml.Unmarshal([]byte(src), &y); err != nil {
		t.Fatal(err)
	}
	root := FromYAML(&y).Content()[0]
	kids := root.Content()
	alias := kids[3]
	if alias.Kind != AliasNode || len(alias.Content()) != 1 {
		t.Fatalf("alias: kind %d, %d children", alias.Kind, len(alias.Content()))
	}
	target := alias.Content()[0]
	if target.Kind != MappingNode || target.Line != 1 || target.Column != 4 || target.Content()[1].Value != "1" {
		t.Errorf("alias target: %+v", target)
	}
	if kids[5].Tag != OtherTag || kids[5].Tag.String() != "!" || kids[5].Value != "g" {
		t.Errorf("own tag: %v %q", kids[5].Tag, kids[5].Value)
	}
	if kids[7].Tag != BinaryTag || kids[7].Tag.String() != "!!binary" {
		t.Errorf("binary tag: %v", kids[7].Tag)
	}

	var self yaml.Node
	if err := yaml.Unmarshal([]byte("a: &x [1, *x]\n"), &self); err != nil {
		t.Skipf("yaml/v4 refuses a self-referencing anchor: %v", err)
	}
	if n := FromYAML(&self).Content()[0].Content()[1].Content()[1]; n.Kind != AliasNode {
		t.Errorf("self alias: kind %d", n.Kind)
	}
}

// TestNodeSize: the point of Node is its size.
func TestNodeSize(t *testing.T) {
	if s := unsafe.Sizeof(Node{}); s != 40 {
		t.Errorf("Node is %d bytes, want 40", s)
	}
}
