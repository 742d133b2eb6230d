package fastyaml

import (
	"fmt"
	"strconv"

	"go.yaml.in/yaml/v4"
)

// equal names the first difference between two node trees, with its path
// from the root (Content indexes), or returns nil. It compares what the
// package promises: Kind, Style, Tag, Value, Anchor, Line, Column, whether
// Alias is set, and Content (same length, same order), recursively.
func equal(a, b *yaml.Node) error {
	return equalAt("$", a, b)
}

func equalAt(path string, a, b *yaml.Node) error {
	if a == nil || b == nil {
		if a != b {
			return fmt.Errorf("%s: one node is nil (%v, %v)", path, a == nil, b == nil)
		}
		return nil
	}
	type field struct {
		name string
		x, y any
	}
	for _, f := range []field{
		{"Kind", a.Kind, b.Kind},
		{"Style", a.Style, b.Style},
		{"Tag", a.Tag, b.Tag},
		{"Value", a.Value, b.Value},
		{"Anchor", a.Anchor, b.Anchor},
		{"Line", a.Line, b.Line},
		{"Column", a.Column, b.Column},
		{"Alias set", a.Alias != nil, b.Alias != nil},
		{"len(Content)", len(a.Content), len(b.Content)},
	} {
		if f.x != f.y {
			return fmt.Errorf("%s (%q at %d:%d): %s %#v != %#v", path, a.Value, a.Line, a.Column, f.name, f.x, f.y)
		}
	}
	for i := range a.Content {
		if err := equalAt(path+"/"+strconv.Itoa(i), a.Content[i], b.Content[i]); err != nil {
			return err
		}
	}
	return nil
}
