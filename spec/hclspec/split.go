package hclspec

import (
	"runtime"
	"sync"

	"github.com/apparentlymart/go-textseg/v15/textseg"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Large descriptions are parsed in pieces, one per core. hclsyntax spends
// most of a big file's read in its lexer (a token per word, each measured in
// grapheme clusters for its column, appended to one ever-growing slice), and
// a 10,000-route file is one api block, so the only way to use the second
// core is to cut that block's body between two of its items and parse the
// pieces side by side, each with its true starting position. The pieces are
// glued back into exactly the body a single parse builds; anything the
// cutter is unsure of, and any piece with an error, falls back to the
// single parse, so diagnostics never come from the pieces.

// splitMinBytes is the size below which cutting is not worth a goroutine.
// A variable so tests can force cuts on small inputs.
var splitMinBytes = 256 << 10

// parseConfig is hclsyntax.ParseConfig, in pieces when the file is large.
func parseConfig(src []byte, name string) (*hcl.File, hcl.Diagnostics) {
	if n := runtime.GOMAXPROCS(0); n > 1 && len(src) >= splitMinBytes {
		// Pieces of about 128 KiB rather than one per core: the lexer
		// appends every token to one slice, and growing (and collecting)
		// a few small slices is much cheaper than one huge one.
		pieces := max(n, len(src)/(128<<10))
		if f, ok := parseSplit(src, name, pieces, n); ok {
			return f, nil
		}
	}
	return hclsyntax.ParseConfig(src, name, hcl.InitialPos)
}

// parseSplit cuts src into about n pieces and parses them on workers
// goroutines. It
// reports ok=false when it cannot cut safely or any piece has a diagnostic.
func parseSplit(src []byte, name string, n, workers int) (*hcl.File, bool) {
	cuts, openAt, closeAt, ok := cutPoints(src, n)
	if !ok {
		return nil, false
	}
	lines := newLineIndex(src)
	// Pieces: head = src[:cuts[0]] closed with a synthetic brace; middles =
	// src[cuts[i]:cuts[i+1]]; last = src[cuts[k-1]:closeAt], the final items
	// of the cut block; tail = src[closeAt+1:], what follows that block.
	type piece struct {
		src   []byte
		start hcl.Pos
		file  *hcl.File
		diags hcl.Diagnostics
	}
	head := make([]byte, 0, cuts[0]+2)
	head = append(append(head, src[:cuts[0]]...), '}', '\n')
	pieces := []*piece{{src: head, start: hcl.InitialPos}}
	for i, c := range cuts {
		end := closeAt
		if i+1 < len(cuts) {
			end = cuts[i+1]
		}
		pieces = append(pieces, &piece{src: src[c:end], start: hcl.Pos{Line: lines.line(c), Column: 1, Byte: c}})
	}
	braceLine := lines.line(closeAt)
	graphemes, err := textseg.TokenCount(src[lines.start(braceLine):closeAt], textseg.ScanGraphemeClusters)
	if err != nil {
		return nil, false
	}
	braceCol := graphemes + 1
	braceRng := hcl.Range{Filename: name,
		Start: hcl.Pos{Line: braceLine, Column: braceCol, Byte: closeAt},
		End:   hcl.Pos{Line: braceLine, Column: braceCol + 1, Byte: closeAt + 1}}
	pieces = append(pieces, &piece{src: src[closeAt+1:], start: braceRng.End})

	var wg sync.WaitGroup
	sem := make(chan struct{}, workers)
	for _, p := range pieces {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			p.file, p.diags = hclsyntax.ParseConfig(p.src, name, p.start)
		}()
	}
	wg.Wait()
	for _, p := range pieces {
		if p.file == nil || len(p.diags) > 0 {
			return nil, false
		}
	}

	top := pieces[0].file.Body.(*hclsyntax.Body)
	if len(top.Blocks) == 0 {
		return nil, false
	}
	// The cut block must be the head's last item, closed by the synthetic
	// brace; otherwise the cutter misread the structure (an object
	// attribute rather than a block, say).
	cut := top.Blocks[len(top.Blocks)-1]
	if cut.OpenBraceRange.Start.Byte != openAt || cut.CloseBraceRange.Start.Byte != cuts[0] || cut.CloseBraceRange.Start.Line != lines.line(cuts[0]) {
		return nil, false
	}
	body := cut.Body
	for _, p := range pieces[1 : len(pieces)-1] {
		if !mergeBody(body, p.file.Body.(*hclsyntax.Body)) {
			return nil, false
		}
	}
	cut.CloseBraceRange = braceRng
	body.SrcRange = hcl.RangeBetween(cut.OpenBraceRange, braceRng)
	body.EndRange = hcl.Range{Filename: name, Start: braceRng.End, End: braceRng.End}

	tail := pieces[len(pieces)-1].file.Body.(*hclsyntax.Body)
	if !mergeBody(top, tail) {
		return nil, false
	}
	top.SrcRange = hcl.RangeBetween(top.SrcRange, tail.SrcRange)
	top.EndRange = tail.EndRange
	f := pieces[0].file
	f.Bytes = src
	return f, true
}

// mergeBody appends from's items to into, as if they had followed in the
// same body. A repeated attribute is an error the single parse reports, so
// it refuses the merge.
func mergeBody(into, from *hclsyntax.Body) bool {
	for name, a := range from.Attributes {
		if _, dup := into.Attributes[name]; dup {
			return false
		}
		into.Attributes[name] = a
	}
	into.Blocks = append(into.Blocks, from.Blocks...)
	return true
}

// lineIndex maps byte offsets to 1-based lines.
type lineIndex []int

func newLineIndex(src []byte) lineIndex {
	l := lineIndex{0}
	for i, b := range src {
		if b == '\n' {
			l = append(l, i+1)
		}
	}
	return l
}

func (l lineIndex) line(off int) int {
	lo, hi := 0, len(l)
	for lo+1 < hi {
		mid := (lo + hi) / 2
		if l[mid] <= off {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo + 1
}

func (l lineIndex) start(line int) int { return l[line-1] }

// cutPoints finds up to n-1 offsets where src can be cut: starts of lines
// that open an item directly inside one top-level block's body (the
// largest one's), outside any string, heredoc, comment or bracket, and the
// offsets of that block's braces. It reads just enough of HCL's
// lexical structure to know where it is and gives up on anything else.
func cutPoints(src []byte, n int) (cuts []int, openAt, closeAt int, ok bool) {
	const (
		brace   = iota // { in a body or an object
		bracket        // [
		paren          // (
		interp         // ${ or %{ in a template, closed by }
		quote          // "..."
		heredoc        // <<EOT ... EOT
	)
	type frame struct {
		kind   int
		open   int    // offset of the opening byte
		marker []byte // heredoc
	}
	var stack []frame
	type region struct {
		open, close int
		cands       []int
	}
	var best, cur region
	isIdentStart := func(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '_' || b >= 0x80 }
	isIdent := func(b byte) bool { return isIdentStart(b) || b >= '0' && b <= '9' || b == '-' }
	lineStart := true
	for i := 0; i < len(src); i++ {
		c := src[i]
		atLineStart := lineStart
		lineStart = false
		top := -1
		if len(stack) > 0 {
			top = stack[len(stack)-1].kind
		}
		switch top {
		case quote:
			switch {
			case c == '\\':
				i++
			case (c == '$' || c == '%') && i+1 < len(src) && src[i+1] == c && i+2 < len(src) && src[i+2] == '{':
				i += 2 // $${ and %%{ are literal
			case (c == '$' || c == '%') && i+1 < len(src) && src[i+1] == '{':
				stack = append(stack, frame{kind: interp, open: i})
				i++
			case c == '"':
				stack = stack[:len(stack)-1]
			case c == '\n':
				return nil, 0, 0, false
			}
			continue
		case heredoc:
			if atLineStart {
				j := i
				for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
					j++
				}
				m := stack[len(stack)-1].marker
				if k := j + len(m); k <= len(src) && string(src[j:k]) == string(m) && (k == len(src) || src[k] == '\n' || src[k] == '\r') {
					stack = stack[:len(stack)-1]
					i = k - 1
					continue
				}
			}
			switch {
			case c == '\n':
				lineStart = true
			case (c == '$' || c == '%') && i+1 < len(src) && src[i+1] == c && i+2 < len(src) && src[i+2] == '{':
				i += 2
			case (c == '$' || c == '%') && i+1 < len(src) && src[i+1] == '{':
				stack = append(stack, frame{kind: interp, open: i})
				i++
			}
			continue
		}
		// Expression or body context.
		if atLineStart && len(stack) == 1 && stack[0].kind == brace {
			j := i
			for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
				j++
			}
			if j < len(src) && isIdentStart(src[j]) {
				cur.cands = append(cur.cands, i)
			}
		}
		switch c {
		case '\n':
			lineStart = true
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
				end := -1
				for k := i + 2; k+1 < len(src); k++ {
					if src[k] == '*' && src[k+1] == '/' {
						end = k + 1
						break
					}
				}
				if end < 0 {
					return nil, 0, 0, false
				}
				i = end
			}
		case '"':
			stack = append(stack, frame{kind: quote, open: i})
		case '<':
			if i+1 >= len(src) || src[i+1] != '<' {
				continue
			}
			j := i + 2
			if j < len(src) && src[j] == '-' {
				j++
			}
			m := j
			for j < len(src) && isIdent(src[j]) {
				j++
			}
			if j == m || m >= len(src) || !isIdentStart(src[m]) {
				return nil, 0, 0, false
			}
			marker := src[m:j]
			if j < len(src) && src[j] == '\r' {
				j++
			}
			if j >= len(src) || src[j] != '\n' {
				return nil, 0, 0, false
			}
			stack = append(stack, frame{kind: heredoc, open: i, marker: marker})
			i = j
			lineStart = true
		case '{':
			if len(stack) == 0 {
				cur = region{open: i}
			}
			stack = append(stack, frame{kind: brace, open: i})
		case '[':
			stack = append(stack, frame{kind: bracket, open: i})
		case '(':
			stack = append(stack, frame{kind: paren, open: i})
		case '}', ']', ')':
			want := brace
			if c == ']' {
				want = bracket
			} else if c == ')' {
				want = paren
			}
			if len(stack) == 0 {
				return nil, 0, 0, false
			}
			k := stack[len(stack)-1].kind
			if k != want && !(c == '}' && k == interp) {
				return nil, 0, 0, false
			}
			stack = stack[:len(stack)-1]
			if len(stack) == 0 && c == '}' {
				cur.close = i
				if len(best.cands) == 0 || cur.close-cur.open > best.close-best.open {
					best = cur
				}
				cur = region{}
			}
		}
	}
	if len(stack) != 0 || len(best.cands) == 0 {
		return nil, 0, 0, false
	}
	// The last piece ends where the closing brace starts, so that brace must
	// open its own line: an item that ends on the brace's line would be
	// complete in the piece but is an error in the whole file.
	for k := best.close - 1; k >= 0 && src[k] != '\n'; k-- {
		if src[k] != ' ' && src[k] != '\t' {
			return nil, 0, 0, false
		}
	}
	// The first candidate is the block's first item: cutting there would
	// leave the head with an empty body, which is fine, but pick cuts near
	// equal shares of the block's bytes.
	size := best.close - best.open
	prev := -1
	for k := 1; k < n; k++ {
		target := best.open + size*k/n
		at := -1
		for _, c := range best.cands {
			if c > prev && c >= target {
				at = c
				break
			}
		}
		if at < 0 {
			break
		}
		cuts = append(cuts, at)
		prev = at
	}
	if len(cuts) == 0 {
		return nil, 0, 0, false
	}
	return cuts, best.open, best.close, true
}
