package hclspec

import (
	"fmt"
	"strconv"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"

	"github.com/portcullis-dev/portcullis/spec"
)

// A description is a few kilobytes of blocks and short lists, but the HCL
// parser and cty have no limits of their own: 100,000 nested parentheses
// overflow the parser's stack, a list of 200,000 elements spends minutes
// in cty's type unification, and format("%-3000000000s", "x") allocates
// gigabytes. These limits are checked on the tokens before anything is
// parsed or evaluated, and format is bounded, so every file costs time
// and memory in proportion to its size. Each is far above any real
// description (docs/security.md).
const (
	// MaxNesting bounds brackets, braces, parentheses and template
	// interpolations open at once.
	MaxNesting = 64
	// MaxItems bounds the elements of one list, tuple, object or
	// function call.
	MaxItems = 1000
	// MaxFormatWidth bounds a width or precision in format's verbs.
	MaxFormatWidth = 1000
)

// checkLimits scans src and reports the first place that nests deeper
// than MaxNesting or lists more than MaxItems. It is a small scanner of its
// own rather than HCL's lexer, which costs as much as the parse itself
// (1.3 s for 800 KB of short tokens): it knows just enough of the syntax
// (quoted strings, heredocs, comments, ${ } and %{ }) to tell a bracket
// from a character in a string, allocates nothing but its stack, and
// never recurses.
func checkLimits(src []byte, name string, start hcl.Pos) spec.Diagnostics {
	return scanLimits(src, name, start)
}

// checkExprLimits is checkLimits for one expression (a --var value).
func checkExprLimits(src []byte, name string) spec.Diagnostics {
	return scanLimits(src, name, hcl.InitialPos)
}

type frame struct {
	kind  byte // '(', '[', '{' (an object), 'b' (a block body), '$' (an interpolation), '"' (a string), '<' (a heredoc)
	at    hcl.Pos
	items int
	open  bool   // an item has started since the last separator
	eot   []byte // a heredoc's end marker
}

// Items are counted where they start, not by their separators: an object
// written one attribute per line has no commas, and HCL separates an
// object's items by commas or newlines. A list's or call's items are
// separated by commas only (newlines in them are insignificant). Block
// bodies are not counted: they hold one block per route, which HCL decodes
// one by one, and the limit is on the collections cty unifies.
func counted(kind byte) bool { return kind == '(' || kind == '[' || kind == '{' }

// isIdent reports whether c ends an identifier (a block type) or a label.
func isIdent(c byte) bool {
	return c == '_' || c == '-' || c == '"' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func scanLimits(src []byte, name string, start hcl.Pos) spec.Diagnostics {
	var stack []frame
	line, lineStart := start.Line, 0
	pos := func(i int) hcl.Pos {
		col := i - lineStart + 1
		if line == start.Line {
			col += start.Column - 1
		}
		return hcl.Pos{Line: line, Column: col, Byte: start.Byte + i}
	}
	at := func(p hcl.Pos) hcl.Range {
		return hcl.Range{Filename: name, Start: p, End: hcl.Pos{Line: p.Line, Column: p.Column + 1, Byte: p.Byte + 1}}
	}
	push := func(kind byte, i int) spec.Diagnostics {
		stack = append(stack, frame{kind: kind, at: pos(i)})
		if len(stack) > MaxNesting {
			return spec.Diagnostics{spec.Errorf("too-deep", at(pos(i)), "Nested too deeply",
				"Brackets, braces, parentheses, strings and ${...} nest more than %d deep here; a description never needs that many.", MaxNesting)}
		}
		return nil
	}
	top := func() byte {
		if len(stack) == 0 {
			return 0
		}
		return stack[len(stack)-1].kind
	}
	// prev is the last significant byte outside strings: a '{' after a
	// name or a label in a body opens a block, anywhere else an object.
	var prev byte
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c == '\n' {
			line, lineStart = line+1, i+1
		}
		switch top() {
		case '"':
			switch {
			case c == '\\':
				i++
			case c == '"':
				stack = stack[:len(stack)-1]
				prev = '"'
			case (c == '$' || c == '%') && i+1 < len(src) && src[i+1] == '{':
				if i > 0 && src[i-1] == c { // $${ and %%{ are literal
					continue
				}
				if ds := push('$', i); ds != nil {
					return ds
				}
				i++
			}
			continue
		case '<':
			f := &stack[len(stack)-1]
			if i == lineStart {
				rest := src[i:]
				k := 0
				for k < len(rest) && (rest[k] == ' ' || rest[k] == '\t') {
					k++
				}
				if len(rest)-k >= len(f.eot) && string(rest[k:k+len(f.eot)]) == string(f.eot) &&
					(k+len(f.eot) == len(rest) || rest[k+len(f.eot)] == '\n' || rest[k+len(f.eot)] == '\r') {
					stack = stack[:len(stack)-1]
					i += k + len(f.eot) - 1
					prev = '>'
					continue
				}
			}
			if (c == '$' || c == '%') && i+1 < len(src) && src[i+1] == '{' && !(i > 0 && src[i-1] == c) {
				if ds := push('$', i); ds != nil {
					return ds
				}
				i++
			}
			continue
		}
		comment := c == '#' || c == '/' && i+1 < len(src) && (src[i+1] == '/' || src[i+1] == '*')
		if f := len(stack) - 1; f >= 0 && counted(stack[f].kind) {
			switch {
			case c == ',' || c == '\n' && stack[f].kind == '{':
				stack[f].open = false
			case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ')' || c == ']' || c == '}' || comment:
			case !stack[f].open:
				stack[f].open = true
				if stack[f].items++; stack[f].items > MaxItems {
					return spec.Diagnostics{spec.Errorf("too-many-items", at(stack[f].at), "Too many items",
						"This list, object or call has more than %d items; a description never needs that many.", MaxItems)}
				}
			}
		}
		before := prev
		if !comment && c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			prev = c
		}
		switch c {
		case '"':
			if ds := push('"', i); ds != nil {
				return ds
			}
		case '#':
			for i+1 < len(src) && src[i+1] != '\n' {
				i++
			}
		case '/':
			if i+1 < len(src) && src[i+1] == '/' {
				for i+1 < len(src) && src[i+1] != '\n' {
					i++
				}
			} else if i+1 < len(src) && src[i+1] == '*' {
				i += 2
				for i < len(src) && !(src[i] == '*' && i+1 < len(src) && src[i+1] == '/') {
					if src[i] == '\n' {
						line, lineStart = line+1, i+1
					}
					i++
				}
				i++
			}
		case '<':
			// <<EOT or <<-EOT, then the end of the line.
			if i+2 < len(src) && src[i+1] == '<' {
				k := i + 2
				if k < len(src) && src[k] == '-' {
					k++
				}
				m := k
				for m < len(src) && (src[m] == '_' || src[m] == '-' || src[m] >= 'a' && src[m] <= 'z' || src[m] >= 'A' && src[m] <= 'Z' || src[m] >= '0' && src[m] <= '9') {
					m++
				}
				if m > k && m < len(src) && (src[m] == '\n' || src[m] == '\r') {
					if ds := push('<', i); ds != nil {
						return ds
					}
					stack[len(stack)-1].eot = src[k:m]
					i = m - 1
				}
			}
		case '{':
			kind := byte('{')
			if t := top(); (t == 0 || t == 'b') && isIdent(before) {
				kind = 'b'
			}
			if ds := push(kind, i); ds != nil {
				return ds
			}
		case '(', '[':
			if ds := push(c, i); ds != nil {
				return ds
			}
		case ')', ']', '}':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	return nil
}

// boundedFormat is cty's format with every width and precision at most
// MaxFormatWidth, checked before anything is allocated.
var boundedFormat = function.New(&function.Spec{
	Description: stdlib.FormatFunc.Description(),
	Params:      stdlib.FormatFunc.Params(),
	VarParam:    stdlib.FormatFunc.VarParam(),
	Type: func(args []cty.Value) (cty.Type, error) {
		return cty.String, nil
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		if f := args[0]; f.IsKnown() && !f.IsNull() {
			if err := checkFormatWidths(f.AsString()); err != nil {
				return cty.UnknownVal(cty.String), function.NewArgError(0, err)
			}
		}
		return stdlib.FormatFunc.Call(args)
	},
})

// checkFormatWidths finds the numbers in format's verbs:
// %[flags][[n]][width][.precision]verb.
func checkFormatWidths(f string) error {
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			continue
		}
		i++
		if i < len(f) && f[i] == '%' {
			continue
		}
		for i < len(f) {
			c := f[i]
			if c == '-' || c == '+' || c == '#' || c == ' ' || c == '0' || c == '.' || c == '[' || c == ']' {
				i++
				continue
			}
			if c < '0' || c > '9' {
				break
			}
			j := i
			for j < len(f) && f[j] >= '0' && f[j] <= '9' {
				j++
			}
			if n, err := strconv.Atoi(f[i:j]); err != nil || n > MaxFormatWidth {
				return fmt.Errorf("a width or precision of %s is over the limit of %d", f[i:j], MaxFormatWidth)
			}
			i = j
		}
	}
	return nil
}
