package oasspec

import (
	"net/url"
	"runtime"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v4"

	"github.com/portcullis-dev/portcullis/internal/fastyaml"
)

// An API Gateway document's bulk is its paths: thousands of operations, each
// with responses, parameters and an integration. kin-openapi decodes every
// one of them by reflection (about 35 µs an operation, 40% of reading a
// 10,000-route document), although Portcullis reads five things from an
// operation. So the paths are read straight off the node tree into
// kin-openapi's own types, holding exactly what the reader uses, and
// kin-openapi still decodes the rest of the document and resolves its
// references under the external-ref guard.
//
// The direct reading takes only what it can read exactly as kin-openapi
// would: no alias under paths (yaml/v4 guards against alias bombs), only
// references inside this document that resolve (parameters by reference
// are followed; the references in responses, bodies and schemas are only
// checked, as the reader never uses them), only the fields OpenAPI 3.0 and
// Swagger 2.0 define, and string, list and mapping values of the kinds
// those fields hold. Anything else, an external reference included, and
// kin-openapi decodes the whole document as before, so a malformed
// document gets kin-openapi's error and an external reference its guard.
// What the direct reading does not do is look inside the fields it skips:
// an operation whose response schema is malformed is still read for its
// authorization (API Gateway's importer would reject the document anyway;
// lint it with Redocly). Tests and a fuzz target hold both readings to the
// same model on every example and on generated documents.

var (
	pathItemSkipped = map[string]func(*fastyaml.Node) bool{
		"summary": isStr, "description": isStr, "servers": isSeq,
		"connect": isMap, "trace": isMap, "query": isMap,
	}
	operationSkipped = map[string]func(*fastyaml.Node) bool{
		"tags": isSeq, "summary": isStr, "description": isStr, "requestBody": isMap, "responses": isMapOfMaps,
		"callbacks": isMapOfMaps, "deprecated": isBool, "servers": isSeq, "externalDocs": isMap,
	}
	parameterSkipped = map[string]func(*fastyaml.Node) bool{
		"description": isStr, "style": isStr, "explode": isBool, "allowEmptyValue": isBool,
		"allowReserved": isBool, "deprecated": isBool, "required": isBool, "schema": isMap,
		"examples": isMap, "content": isMap,
	}
)

func isStr(n *fastyaml.Node) bool  { return n.Kind == fastyaml.ScalarNode && n.Tag == fastyaml.StrTag }
func isBool(n *fastyaml.Node) bool { return n.Kind == fastyaml.ScalarNode && n.Tag == fastyaml.BoolTag }
func isMap(n *fastyaml.Node) bool  { return n.Kind == fastyaml.MappingNode }
func isSeq(n *fastyaml.Node) bool  { return n.Kind == fastyaml.SequenceNode }

// isMapOfMaps: responses and callbacks hold an object per entry.
func isMapOfMaps(n *fastyaml.Node) bool {
	if !isMap(n) {
		return false
	}
	kids := n.Content()
	for i := 1; i < len(kids); i += 2 {
		if !isMap(&kids[i]) && !strings.HasPrefix(kids[i-1].Value, "x-") {
			return false
		}
	}
	return true
}

// withoutPaths returns a copy of root (a mapping) with its paths entry
// taken out, and that entry's value; nil when there is not exactly one.
func withoutPaths(root *fastyaml.Node) (*fastyaml.Node, *fastyaml.Node) {
	var paths *fastyaml.Node
	kids := root.Content()
	rest := make([]fastyaml.Node, 0, len(kids))
	for i := 0; i+1 < len(kids); i += 2 {
		if kids[i].Value == "paths" {
			if paths != nil {
				return nil, nil
			}
			paths = &kids[i+1]
			continue
		}
		rest = append(rest, kids[i], kids[i+1])
	}
	if paths == nil {
		return nil, nil
	}
	cp := *root
	cp.SetContent(rest)
	return &cp, paths
}

// readPaths builds the paths object, or reports ok=false when kin-openapi
// must decode it. Path items are read on every core.
func readPaths(root, n *fastyaml.Node) (*openapi3.Paths, bool) {
	d := &direct{root: root}
	return d.readPathsWith(n, d.readPathItem)
}

// readPathsV2 builds the OpenAPI 3 paths object that kin-openapi's
// conversion makes of a Swagger 2.0 document's paths, as far as the reader
// uses it: operation ids, security and extensions. Swagger parameters carry
// nothing the reader takes (no examples), so they are only checked.
func readPathsV2(root, n *fastyaml.Node) (*openapi3.Paths, bool) {
	d := &direct{root: root}
	return d.readPathsWith(n, d.readPathItemV2)
}

func (d *direct) readPathsWith(n *fastyaml.Node, readItem func(*fastyaml.Node) (*openapi3.PathItem, bool)) (*openapi3.Paths, bool) {
	if !isMap(n) {
		return nil, false
	}
	kids := n.Content()
	paths := openapi3.NewPathsWithCapacity(len(kids) / 2)
	seen := make(map[string]bool, len(kids)/2)
	var keys []string
	var nodes []*fastyaml.Node
	for i := 0; i+1 < len(kids); i += 2 {
		k, v := &kids[i], &kids[i+1]
		if !isStr(k) || seen[k.Value] {
			return nil, false
		}
		seen[k.Value] = true
		if strings.HasPrefix(k.Value, "x-") {
			a, ok := toAny(v)
			if !ok {
				return nil, false
			}
			if paths.Extensions == nil {
				paths.Extensions = map[string]any{}
			}
			paths.Extensions[k.Value] = a
			continue
		}
		keys, nodes = append(keys, k.Value), append(nodes, v)
	}
	items := make([]*openapi3.PathItem, len(nodes))
	shares := runtime.GOMAXPROCS(0)
	if len(nodes) < 256 {
		shares = 1
	}
	failed := make([]bool, shares)
	var wg sync.WaitGroup
	for s := range shares {
		lo, hi := len(nodes)*s/shares, len(nodes)*(s+1)/shares
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				item, ok := readItem(nodes[i])
				if !ok {
					failed[s] = true
					return
				}
				items[i] = item
			}
		})
	}
	wg.Wait()
	for _, f := range failed {
		if f {
			return nil, false
		}
	}
	for i, k := range keys {
		paths.Set(k, items[i])
	}
	return paths, true
}

func (d *direct) readPathItem(n *fastyaml.Node) (*openapi3.PathItem, bool) {
	return d.readPathItemOf(n, false)
}

func (d *direct) readPathItemV2(n *fastyaml.Node) (*openapi3.PathItem, bool) {
	return d.readPathItemOf(n, true)
}

// readPathItemOf reads an OpenAPI 3 path item, or with v2 a Swagger 2.0 one
// as kin-openapi converts it (its parameters carry nothing the reader
// uses and are only checked).
func (d *direct) readPathItemOf(n *fastyaml.Node, v2 bool) (*openapi3.PathItem, bool) {
	if !isMap(n) {
		return nil, false
	}
	item := &openapi3.PathItem{}
	ok := eachKey(n, func(k string, v *fastyaml.Node) bool {
		var op **openapi3.Operation
		switch k {
		case "get":
			op = &item.Get
		case "put":
			op = &item.Put
		case "post":
			op = &item.Post
		case "delete":
			op = &item.Delete
		case "options":
			op = &item.Options
		case "head":
			op = &item.Head
		case "patch":
			op = &item.Patch
		case "parameters":
			if v2 {
				return d.swaggerParameters(v)
			}
			ps, ok := d.readParameters(v)
			item.Parameters = ps
			return ok
		default:
			if v2 {
				return d.extOrSkipped(k, v, nil, &item.Extensions)
			}
			return d.extOrSkipped(k, v, pathItemSkipped, &item.Extensions)
		}
		o, ok := d.readOperationOf(v, v2)
		*op = o
		return ok
	})
	return item, ok
}

var operationV2Skipped = map[string]func(*fastyaml.Node) bool{
	"tags": isSeq, "summary": isStr, "description": isStr, "externalDocs": isMap, "responses": isMapOfMaps,
	"consumes": isSeq, "produces": isSeq, "schemes": isSeq, "deprecated": isBool,
}

// swaggerParameters checks a Swagger parameter list: mappings (or local
// references to them) with a string name and location, and at most one
// body (the conversion refuses more).
func (d *direct) swaggerParameters(n *fastyaml.Node) bool {
	if !isSeq(n) {
		return false
	}
	bodies := 0
	kids := n.Content()
	for i := range kids {
		p, _, ok := d.deref(&kids[i])
		if !ok || !isMap(p) || !d.refsResolve(p) {
			return false
		}
		var name, in *fastyaml.Node
		if !eachKey(p, func(k string, v *fastyaml.Node) bool {
			switch k {
			case "name":
				name = v
			case "in":
				in = v
			}
			return true
		}) || name == nil || in == nil || !isStr(name) || !isStr(in) {
			return false
		}
		switch in.Value {
		case "body":
			bodies++
		case "path", "query", "header":
		default:
			return false // formData becomes a request body schema: leave it to kin-openapi
		}
	}
	return bodies <= 1
}

// readOperationOf reads an operation, OpenAPI 3 or (v2) Swagger 2.0.
func (d *direct) readOperationOf(n *fastyaml.Node, v2 bool) (*openapi3.Operation, bool) {
	if !isMap(n) {
		return nil, false
	}
	skipped := operationSkipped
	if v2 {
		skipped = operationV2Skipped
	}
	op := &openapi3.Operation{}
	ok := eachKey(n, func(k string, v *fastyaml.Node) bool {
		switch k {
		case "operationId":
			op.OperationID = v.Value
			return isStr(v)
		case "parameters":
			if v2 {
				return d.swaggerParameters(v)
			}
			ps, ok := d.readParameters(v)
			op.Parameters = ps
			return ok
		case "security":
			s, ok := readSecurity(v)
			op.Security = s
			return ok
		}
		return d.extOrSkipped(k, v, skipped, &op.Extensions)
	})
	return op, ok
}

func (d *direct) readParameters(n *fastyaml.Node) (openapi3.Parameters, bool) {
	if !isSeq(n) {
		return nil, false
	}
	kids := n.Content()
	out := make(openapi3.Parameters, 0, len(kids))
	for i := range kids {
		pn, ref, ok := d.deref(&kids[i])
		if !ok || !isMap(pn) {
			return nil, false
		}
		p := &openapi3.Parameter{}
		ok = eachKey(pn, func(k string, v *fastyaml.Node) bool {
			switch k {
			case "name":
				p.Name = v.Value
				return isStr(v)
			case "in":
				p.In = v.Value
				return isStr(v)
			case "example":
				a, ok := toAny(v)
				p.Example = a
				return ok
			}
			return d.extOrSkipped(k, v, parameterSkipped, &p.Extensions)
		})
		if !ok {
			return nil, false
		}
		out = append(out, &openapi3.ParameterRef{Ref: ref, Value: p})
	}
	return out, true
}

func readSecurity(n *fastyaml.Node) (*openapi3.SecurityRequirements, bool) {
	if !isSeq(n) {
		return nil, false
	}
	kids := n.Content()
	reqs := make(openapi3.SecurityRequirements, 0, len(kids))
	for i := range kids {
		rn := &kids[i]
		if !isMap(rn) {
			return nil, false
		}
		req := openapi3.SecurityRequirement{}
		ok := eachKey(rn, func(k string, v *fastyaml.Node) bool {
			if !isSeq(v) {
				return false
			}
			names := v.Content()
			scopes := make([]string, 0, len(names))
			for i := range names {
				s := &names[i]
				if !isStr(s) {
					return false
				}
				scopes = append(scopes, s.Value)
			}
			req[k] = scopes
			return true
		})
		if !ok {
			return nil, false
		}
		reqs = append(reqs, req)
	}
	return &reqs, true
}

// eachKey calls fn for each entry of a mapping whose keys are distinct
// plain strings; any other key stops the direct reading.
func eachKey(n *fastyaml.Node, fn func(k string, v *fastyaml.Node) bool) bool {
	var seen map[string]bool
	kids := n.Content()
	for i := 0; i+1 < len(kids); i += 2 {
		k := &kids[i]
		if !isStr(k) || k.Value == "$ref" {
			return false
		}
		if len(kids) <= 32 {
			for j := 0; j < i; j += 2 {
				if kids[j].Value == k.Value {
					return false
				}
			}
		} else {
			if seen == nil {
				seen = make(map[string]bool, len(kids)/2)
			}
			if seen[k.Value] {
				return false
			}
			seen[k.Value] = true
		}
		if !fn(k.Value, &kids[i+1]) {
			return false
		}
	}
	return true
}

// extOrSkipped keeps an x- entry as kin-openapi would and accepts a field
// the reader never uses when its value has the right shape and holds no
// reference.
func (d *direct) extOrSkipped(k string, v *fastyaml.Node, skipped map[string]func(*fastyaml.Node) bool, ext *map[string]any) bool {
	if strings.HasPrefix(k, "x-") {
		a, ok := toAny(v)
		if !ok {
			return false
		}
		if *ext == nil {
			*ext = map[string]any{}
		}
		(*ext)[k] = a
		return true
	}
	shape, known := skipped[k]
	return known && shape(v) && d.refsResolve(v)
}

// direct reads the paths of one document; root is the whole document,
// where local references are looked up.
type direct struct {
	root *fastyaml.Node
	// found caches lookups: many operations share a schema, and paths are
	// read on several goroutines.
	found sync.Map // string -> *fastyaml.Node (nil when it does not resolve)
}

// refsResolve reports whether n holds no alias and only references to
// nodes of this document that exist. The reader never follows those (they
// sit in responses, bodies and schemas), so such references need no
// resolving; kin-openapi would only have checked that they resolve. An
// external reference is left to kin-openapi, which refuses it unless
// --allow-external-refs says otherwise.
func (d *direct) refsResolve(n *fastyaml.Node) bool {
	switch n.Kind {
	case fastyaml.AliasNode:
		return false
	case fastyaml.MappingNode:
		kids := n.Content()
		for i := 0; i+1 < len(kids); i += 2 {
			k, v := &kids[i], &kids[i+1]
			if k.Value == "$ref" {
				if !isStr(v) || d.lookup(v.Value) == nil {
					return false
				}
				continue
			}
			if !d.refsResolve(k) || !d.refsResolve(v) {
				return false
			}
		}
		return true
	}
	kids := n.Content()
	for i := range kids {
		if !d.refsResolve(&kids[i]) {
			return false
		}
	}
	return true
}

// lookup finds the node a local reference ("#/components/schemas/Item")
// names, or nil.
func (d *direct) lookup(ref string) *fastyaml.Node {
	if v, ok := d.found.Load(ref); ok {
		return v.(*fastyaml.Node)
	}
	var cur *fastyaml.Node
	if strings.HasPrefix(ref, "#/") {
		cur = d.root
		for _, tok := range strings.Split(ref[2:], "/") {
			tok, err := url.PathUnescape(tok)
			if err != nil || cur.Kind != fastyaml.MappingNode {
				cur = nil
				break
			}
			tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
			var next *fastyaml.Node
			kids := cur.Content()
			for i := 0; i+1 < len(kids); i += 2 {
				if kids[i].Value == tok {
					next = &kids[i+1]
					break
				}
			}
			if cur = next; cur == nil {
				break
			}
		}
	}
	d.found.Store(ref, cur)
	return cur
}

// deref returns the mapping a `{$ref: ...}` entry names (and the
// reference), or n itself.
func (d *direct) deref(n *fastyaml.Node) (*fastyaml.Node, string, bool) {
	kids := n.Content()
	if !isMap(n) || len(kids) == 0 || kids[0].Value != "$ref" {
		return n, "", true
	}
	if len(kids) != 2 || !isStr(&kids[1]) {
		return nil, "", false
	}
	ref := kids[1].Value
	t := d.lookup(ref)
	if t == nil || !isMap(t) {
		return nil, "", false
	}
	return t, ref, true
}

// toAny is kin-openapi's decoding of an extension value: YAML's own
// decoding into any, with every number a float64 and string keys only.
func toAny(n *fastyaml.Node) (any, bool) {
	switch n.Kind {
	case fastyaml.ScalarNode:
		switch n.Tag {
		case fastyaml.StrTag:
			return n.Value, true
		case fastyaml.NullTag:
			return nil, true
		case fastyaml.BoolTag, fastyaml.IntTag, fastyaml.FloatTag:
			var v any
			y := yaml.Node{Kind: yaml.ScalarNode, Style: yaml.Style(n.Style), Tag: n.Tag.String(), Value: n.Value}
			if err := y.Decode(&v); err != nil {
				return nil, false
			}
			switch t := v.(type) {
			case int:
				return float64(t), true
			case int64:
				return float64(t), true
			case uint64:
				return float64(t), true
			case float64, bool:
				return t, true
			}
		}
	case fastyaml.MappingNode:
		m := make(map[string]any, len(n.Content())/2)
		ok := eachKey(n, func(k string, v *fastyaml.Node) bool {
			a, ok := toAny(v)
			m[k] = a
			return ok
		})
		return m, ok
	case fastyaml.SequenceNode:
		kids := n.Content()
		s := make([]any, len(kids))
		for i := range kids {
			a, ok := toAny(&kids[i])
			if !ok {
				return nil, false
			}
			s[i] = a
		}
		return s, true
	}
	return nil, false
}

// withoutPathsYAML is withoutPaths for yaml/v4's tree.
func withoutPathsYAML(root *yaml.Node) (*yaml.Node, *yaml.Node) {
	var paths *yaml.Node
	rest := make([]*yaml.Node, 0, len(root.Content))
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "paths" {
			if paths != nil {
				return nil, nil
			}
			paths = root.Content[i+1]
			continue
		}
		rest = append(rest, root.Content[i], root.Content[i+1])
	}
	if paths == nil {
		return nil, nil
	}
	cp := *root
	cp.Content = rest
	return &cp, paths
}
