package fastyaml

import (
	"fmt"
	"strconv"

	"go.yaml.in/yaml/v4"
)

// equal names the first difference between a tree Parse built and the
// one yaml/v4 built, with its path from the root (Content indexes), or
// returns nil. It compares what the package promises: Kind, Style, Tag,
// Value, Line, Column and Content (same length, same order), recursively,
// and that yaml/v4's tree has no anchor or alias, which Parse leaves to it.
func equal(a *Node, b *yaml.Node) error {
	return equalAt("$", a, b)
}

func equalAt(path string, a *Node, b *yaml.Node) error {
	if a == nil || b == nil {
		if (a == nil) != (b == nil) {
			return fmt.Errorf("%s: one node is nil (%v, %v)", path, a == nil, b == nil)
		}
		return nil
	}
	type field struct {
		name string
		x, y any
	}
	for _, f := range []field{
		{"Kind", yaml.Kind(a.Kind), b.Kind},
		{"Style", yaml.Style(a.Style), b.Style},
		{"Tag", a.Tag.String(), b.Tag},
		{"Value", a.Value, b.Value},
		{"Anchor", "", b.Anchor},
		{"Line", int(a.Line), b.Line},
		{"Column", int(a.Column), b.Column},
		{"Alias set", false, b.Alias != nil},
		{"len(Content)", len(a.Content()), len(b.Content)},
	} {
		if f.x != f.y {
			return fmt.Errorf("%s (%q at %d:%d): %s %#v != %#v", path, a.Value, a.Line, a.Column, f.name, f.x, f.y)
		}
	}
	kids := a.Content()
	for i := range kids {
		if err := equalAt(path+"/"+strconv.Itoa(i), &kids[i], b.Content[i]); err != nil {
			return err
		}
	}
	return nil
}

// equalYAML is equal for two yaml/v4 trees, as ToYAML builds one: the same
// fields, recursively.
func equalYAML(a, b *yaml.Node) error {
	return equal(FromYAML(a), b)
}

// same checks a tree Parse built against yaml/v4's for the same document,
// and the conversions between the two forms, which the OpenAPI reader
// relies on: FromYAML of yaml/v4's tree (the slow path's form) equals
// Parse's, and ToYAML of Parse's tree equals yaml/v4's (what kin-openapi
// decodes).
func same(got *Node, want *yaml.Node) error {
	if err := equal(got, want); err != nil {
		return err
	}
	if err := equal(FromYAML(want), want); err != nil {
		return fmt.Errorf("FromYAML: %w", err)
	}
	if err := equalYAML(ToYAML(got), want); err != nil {
		return fmt.Errorf("ToYAML: %w", err)
	}
	return nil
}
