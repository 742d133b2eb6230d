package terraform

import (
	"bytes"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// A body is where the generator puts a block's contents, in order.
type body interface {
	str(name, s string)
	value(name string, v cty.Value)
	traversal(name string, t hcl.Traversal)
	raw(name string, expr hclwrite.Tokens)
	block(typ string, labels ...string) body
	newline()
	comment(text string)
}

// A doc is a file written in chunks: chunk starts the next one, bytes
// ends the last and returns the file, or false when the doc cannot write
// what it was given.
type doc interface {
	chunk() body
	bytes() ([]byte, bool)
	// ref is the tokens of a reference; refs, of a one-line tuple of them.
	ref(t hcl.Traversal) hclwrite.Tokens
	refs(ts ...hcl.Traversal) hclwrite.Tokens
}

// hclDoc writes each chunk as an hclwrite.File, formatted by hclwrite.
type hclDoc struct {
	cur *hclwrite.File
	out bytes.Buffer
}

func (d *hclDoc) chunk() body {
	d.flush()
	d.cur = hclwrite.NewEmptyFile()
	return hclBody{d.cur.Body()}
}

func (d *hclDoc) flush() {
	if d.cur != nil {
		d.out.Write(d.cur.Bytes())
		d.cur = nil
	}
}

func (d *hclDoc) bytes() ([]byte, bool) {
	d.flush()
	return d.out.Bytes(), true
}

func (d *hclDoc) ref(t hcl.Traversal) hclwrite.Tokens { return hclwrite.TokensForTraversal(t) }

func (d *hclDoc) refs(ts ...hcl.Traversal) hclwrite.Tokens {
	var elems []hclwrite.Tokens
	for _, t := range ts {
		elems = append(elems, hclwrite.TokensForTraversal(t))
	}
	return hclwrite.TokensForTuple(elems)
}

type hclBody struct{ b *hclwrite.Body }

func (h hclBody) str(name, s string)                     { h.b.SetAttributeValue(name, cty.StringVal(s)) }
func (h hclBody) value(name string, v cty.Value)         { h.b.SetAttributeValue(name, v) }
func (h hclBody) traversal(name string, t hcl.Traversal) { h.b.SetAttributeTraversal(name, t) }
func (h hclBody) raw(name string, expr hclwrite.Tokens)  { h.b.SetAttributeRaw(name, expr) }
func (h hclBody) newline()                               { h.b.AppendNewline() }
func (h hclBody) comment(text string)                    { h.b.AppendUnstructuredTokens(commentTokens(text)) }

func (h hclBody) block(typ string, labels ...string) body {
	return hclBody{h.b.AppendNewBlock(typ, labels).Body()}
}
