package emulator

import (
	"strconv"
	"strings"
)

// patchOp is one JSON-Patch-like operation of an Update* call. Value is
// always a string on the wire; a "/" inside a key is written "~1".
type patchOp struct {
	Op    string `json:"op"`
	Path  string `json:"path"`
	Value string `json:"value"`
	From  string `json:"from"`
}

func (q *req) patchOps() ([]patchOp, *apiError) {
	var in struct {
		PatchOperations []patchOp `json:"patchOperations"`
	}
	if err := q.decode(&in); err != nil {
		return nil, err
	}
	for _, op := range in.PatchOperations {
		switch op.Op {
		case "add", "remove", "replace", "move", "copy", "test":
		default:
			return nil, badRequest("Invalid patch operation specified. Must be one of: [add, remove, replace, move, copy, test]")
		}
		if !strings.HasPrefix(op.Path, "/") {
			return nil, badRequest("Invalid patch path '%s' specified for op '%s'", op.Path, op.Op)
		}
	}
	return in.PatchOperations, nil
}

func (o patchOp) is(op, path string) bool { return o.Op == op && o.Path == path }

// under reports whether the op is op on a key below prefix ("/variables/").
func (o patchOp) under(op, prefix string) bool {
	return o.Op == op && strings.HasPrefix(o.Path, prefix) && len(o.Path) > len(prefix)
}

// key is the unescaped key after prefix.
func (o patchOp) key(prefix string) string {
	return unescapePointer(strings.TrimPrefix(o.Path, prefix))
}

func unescapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}

func (o patchOp) invalid() *apiError {
	return badRequest("Invalid patch path '%s' specified for op '%s'. Please choose supported operations", o.Path, o.Op)
}

func (o patchOp) boolValue() (bool, *apiError) {
	b, err := strconv.ParseBool(o.Value)
	if err != nil {
		return false, badRequest("Invalid boolean value '%s' for path '%s'", o.Value, o.Path)
	}
	return b, nil
}

func (o patchOp) intValue() (int, *apiError) {
	n, err := strconv.Atoi(o.Value)
	if err != nil {
		return 0, badRequest("Invalid integer value '%s' for path '%s'", o.Value, o.Path)
	}
	return n, nil
}

// patchStringMap applies add/replace/remove on "prefix{key}" to m and
// reports whether the op was one of those.
func patchStringMap(m *map[string]string, o patchOp, prefix string) bool {
	if !strings.HasPrefix(o.Path, prefix) || len(o.Path) == len(prefix) {
		return false
	}
	k := o.key(prefix)
	switch o.Op {
	case "add", "replace":
		if *m == nil {
			*m = map[string]string{}
		}
		(*m)[k] = o.Value
	case "remove":
		delete(*m, k)
	default:
		return false
	}
	return true
}

// patchBoolMap is patchStringMap for the "true"/"false" maps
// (requestParameters of methods, responseParameters of method responses).
func patchBoolMap(m *map[string]bool, o patchOp, prefix string) (bool, *apiError) {
	if !strings.HasPrefix(o.Path, prefix) || len(o.Path) == len(prefix) {
		return false, nil
	}
	k := o.key(prefix)
	switch o.Op {
	case "add", "replace":
		b := false
		if o.Value != "" {
			var err *apiError
			if b, err = o.boolValue(); err != nil {
				return true, err
			}
		}
		if *m == nil {
			*m = map[string]bool{}
		}
		(*m)[k] = b
	case "remove":
		delete(*m, k)
	default:
		return false, nil
	}
	return true, nil
}
