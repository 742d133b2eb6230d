package rego

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/portcullis-dev/portcullis/spec"
)

// InputValue is Input as an OPA value, built straight from the document's
// Go values by the encoding/json rules (tags, omitempty, nil slices and
// maps as null, Marshalers through JSON). Skipping the JSON text halves the
// cost of handing a 10,000-route model to the policies; a test holds it
// equal to the JSON path for every shape the document uses.
func InputValue(d *spec.Description) (ast.Value, error) {
	t, err := toTerm(reflect.ValueOf(spec.ToDocument(d, spec.DocOptions{})))
	if err != nil {
		return nil, err
	}
	return t.Value, nil
}

var (
	marshalerType     = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

// toTerm converts one Go value. Terms are immutable in OPA, so scalars
// come from its interning tables and object keys are shared (fieldsOf).
func toTerm(v reflect.Value) (*ast.Term, error) {
	if !v.IsValid() {
		return ast.InternedNullTerm, nil
	}
	t := v.Type()
	if t.Implements(marshalerType) || t.Implements(textMarshalerType) ||
		(t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(marshalerType)) {
		return viaJSON(v)
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return ast.InternedNullTerm, nil
		}
		return toTerm(v.Elem())
	case reflect.Struct:
		return structTerm(v)
	case reflect.Map:
		if v.IsNil() {
			return ast.InternedNullTerm, nil
		}
		if t.Key().Kind() != reflect.String {
			return viaJSON(v)
		}
		kvs := make([][2]*ast.Term, 0, v.Len())
		it := v.MapRange()
		for it.Next() {
			x, err := toTerm(it.Value())
			if err != nil {
				return nil, err
			}
			kvs = append(kvs, [2]*ast.Term{ast.InternedTerm(it.Key().String()), x})
		}
		return ast.NewTerm(ast.NewObject(kvs...)), nil
	case reflect.Slice:
		if v.IsNil() {
			return ast.InternedNullTerm, nil
		}
		if t.Elem().Kind() == reflect.Uint8 {
			return viaJSON(v) // []byte is base64 text in JSON
		}
		fallthrough
	case reflect.Array:
		terms := make([]*ast.Term, v.Len())
		for i := range terms {
			x, err := toTerm(v.Index(i))
			if err != nil {
				return nil, err
			}
			terms[i] = x
		}
		return ast.NewTerm(ast.NewArray(terms...)), nil
	case reflect.String:
		return ast.InternedTerm(v.String()), nil
	case reflect.Bool:
		return ast.InternedTerm(v.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return ast.InternedTerm(v.Int()), nil
	}
	return viaJSON(v) // floats, unsigned, anything rarer: let encoding/json decide
}

// field is one JSON-visible struct field.
type field struct {
	index     int
	key       *ast.Term
	omitEmpty bool
}

var fieldCache sync.Map // reflect.Type -> []field, or nil when the struct needs encoding/json

func fieldsOf(t reflect.Type) ([]field, bool) {
	if c, ok := fieldCache.Load(t); ok {
		fs, _ := c.([]field)
		return fs, fs != nil
	}
	var fs []field
	ok := true
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous {
			ok = false // embedding has its own JSON rules
			break
		}
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if strings.Contains(","+opts+",", ",string,") {
			ok = false
			break
		}
		if name == "" {
			name = f.Name
		}
		fs = append(fs, field{index: i, key: ast.StringTerm(name), omitEmpty: strings.Contains(","+opts+",", ",omitempty,")})
	}
	if !ok {
		fieldCache.Store(t, nil)
		return nil, false
	}
	if fs == nil {
		fs = []field{}
	}
	fieldCache.Store(t, fs)
	return fs, true
}

func structTerm(v reflect.Value) (*ast.Term, error) {
	fs, ok := fieldsOf(v.Type())
	if !ok {
		return viaJSON(v)
	}
	kvs := make([][2]*ast.Term, 0, len(fs))
	for _, f := range fs {
		fv := v.Field(f.index)
		if f.omitEmpty && isEmpty(fv) {
			continue
		}
		x, err := toTerm(fv)
		if err != nil {
			return nil, err
		}
		kvs = append(kvs, [2]*ast.Term{f.key, x})
	}
	return ast.NewTerm(ast.NewObject(kvs...)), nil
}

// isEmpty is encoding/json's omitempty test.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64,
		reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

func viaJSON(v reflect.Value) (*ast.Term, error) {
	b, err := json.Marshal(v.Interface())
	if err != nil {
		return nil, fmt.Errorf("policy input: %w", err)
	}
	x, err := ast.ValueFromReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return ast.NewTerm(x), nil
}
