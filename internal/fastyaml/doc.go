// Package fastyaml reads the YAML and JSON that API descriptions are
// written in into node trees, an order of magnitude faster than
// go.yaml.in/yaml/v4 and in a third of the memory of its yaml.Node trees.
//
// Why it exists: OpenAPI documents exported from API Gateway run to
// megabytes (a 10,000-route API is about 3 MB), and yaml/v4, a faithful
// port of libyaml with its token queue, event stream and per-node
// allocations, spends about half a second building the tree that the
// OpenAPI reader walks for positions: almost half of `portcullis
// validate`. Parse builds the same tree for the plain subset such
// documents use, as compact Nodes held by value in slabs, with scalar
// values taken as substrings of the source.
//
// What it owns: Parse, which returns the tree `var n yaml.Node;
// yaml.Unmarshal(src, &n)` builds (Kind, Style, Tag, Value, Line, Column
// and Content, recursively) as a Node tree, or ok=false; the Node type;
// and the conversions between Node and yaml.Node trees (FromYAML for
// documents yaml/v4 parsed, ToYAML for the parts a yaml/v4 decoder must
// see). What it does not own: errors. For anything outside the subset, and
// for anything invalid, it returns ok=false and the caller parses with
// yaml/v4, which also gives the error messages. Comments and anchors'
// names are not kept: nothing downstream reads them.
//
// The subset:
//   - block mappings and block sequences, including compact entries
//     ("- key: v", "- - a") and sequences at their key's column;
//   - plain scalars, with yaml/v4's tag resolution (ints, floats, bools,
//     nulls, timestamps), and single- and double-quoted scalars with every
//     escape, each also over several lines (wrapped descriptions), folded
//     as libyaml folds them;
//   - literal (|) and folded (>) block scalars with a chomping indicator
//     (mapping templates);
//   - flow sequences and mappings, over as many lines as they like, which
//     covers JSON documents;
//   - comments, blank lines, a leading "---", a trailing "...", and CRLF
//     line endings.
//
// Everything else falls back: anchors and aliases (yaml/v4 guards against
// alias bombs), tags, block scalars with an indentation indicator or at the
// root, complex keys (?), keys over several lines, merge keys (<<), several
// documents, directives, tabs outside quoted scalars, comments and flow
// collections, a byte-order mark, control characters, and empty documents.
// Where libyaml's behaviour depends on intricate rules (a flow collection
// or a quoted scalar reaching back to its block's indentation, a key whose
// ':' is on a later line, tabs in indentation) the subset is drawn narrower
// than what libyaml accepts, so that the trees match. Correctness beats
// coverage: a wrong tree would give every OpenAPI diagnostic a wrong line
// or a wrong value, silently.
//
// Memory: the nodes come from slabs and the strings from the source itself,
// so a caller that keeps any node keeps the whole tree alive (as a caller
// of yaml/v4 keeps the whole tree through its parents anyway), and one that
// keeps a value keeps the source. A Node takes 56 bytes to a yaml.Node's
// 160, and no pointer to it is stored: in a 10,000-operation description
// (about 290,000 nodes) that is 16 MiB instead of 50 (docs/benchmarks.md).
package fastyaml
