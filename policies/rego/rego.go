package rego

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown/print"

	"github.com/portcullis-dev/portcullis/policies"
	"github.com/portcullis-dev/portcullis/spec"
)

// DefaultNamespace is the package policies are read from, as in conftest.
const DefaultNamespace = "main"

// Diagnostic codes for policies that cannot be used.
const (
	CodeParse   = "rego-parse-error"
	CodeCompile = "rego-compile-error"
	CodeNoRules = "rego-no-rules"
)

// MaxPolicyBytes bounds one .rego file.
const MaxPolicyBytes = 1 << 20

// Refused are the builtins a policy may not call: they reach the network
// (a policy run in CI must not exfiltrate the description or depend on a
// service) or the runtime (environment variables hold CI secrets).
var Refused = []string{"http.send", "net.lookup_ip_addr", "opa.runtime"}

// ruleNameRe picks the rules that produce findings, as conftest does.
var ruleNameRe = regexp.MustCompile(`^(deny|violation|warn)(_[A-Za-z0-9_]+)?$`)

// Options locate and select policies.
type Options struct {
	// Paths are .rego files or directories searched recursively for them
	// (files ending in _test.rego are policy tests and are skipped).
	Paths []string
	// Namespace is the package whose rules count; DefaultNamespace if empty.
	Namespace string
	// Print receives the output of print() calls, for policy authors
	// debugging a rule; nil drops them.
	Print io.Writer
}

// Engine is a compiled, prepared policy set: prepare once, evaluate each
// description as one input.
type Engine struct {
	namespace string
	rules     []ruleInfo
	query     rego.PreparedEvalQuery
	compiled  bool
	// Files holds the policy sources by file name, for snippets.
	Files map[string][]byte
}

type ruleInfo struct {
	name  string
	files []string // the files defining it, sorted
}

// Load reads and compiles the policies. An unreadable path is an error
// (the run cannot go on); policies that do not parse or compile are
// reported as error diagnostics located in the .rego file, and the Engine
// (which still holds the sources, for snippets) then evaluates nothing.
func Load(ctx context.Context, opts Options) (*Engine, spec.Diagnostics, error) {
	ns := opts.Namespace
	if ns == "" {
		ns = DefaultNamespace
	}
	files, err := collect(opts.Paths)
	if err != nil {
		return nil, nil, err
	}
	e := &Engine{namespace: ns, Files: map[string][]byte{}}
	var diags spec.Diagnostics
	modules := map[string]*ast.Module{}
	names := make([]string, 0, len(files))
	for _, name := range files {
		b, err := readLimited(name)
		if err != nil {
			return nil, nil, err
		}
		e.Files[name] = b
		m, err := ast.ParseModuleWithOpts(name, string(b), ast.ParserOptions{RegoVersion: ast.RegoV1})
		if err != nil {
			diags = append(diags, astDiags(CodeParse, "Policy does not parse", name, err)...)
			continue
		}
		if m == nil {
			continue // empty file
		}
		modules[name] = m
		names = append(names, name)
	}
	if diags.HasErrors() {
		return e, diags, nil
	}
	if len(modules) == 0 {
		return nil, nil, fmt.Errorf("no .rego policies found in %s", strings.Join(opts.Paths, ", "))
	}

	// The refused builtins are left out of the capabilities, so a policy
	// that calls one does not compile (OPA's documented way since
	// WithUnsafeBuiltins was deprecated).
	caps := ast.CapabilitiesForThisVersion()
	caps.AllowNet = []string{}
	caps.Builtins = slices.DeleteFunc(caps.Builtins, func(b *ast.Builtin) bool { return slices.Contains(Refused, b.Name) })
	c := ast.NewCompiler().
		WithCapabilities(caps).
		WithDefaultRegoVersion(ast.RegoV1).
		WithEnablePrintStatements(opts.Print != nil)
	c.Compile(modules)
	if c.Failed() {
		return e, append(diags, refusedDetail(astDiags(CodeCompile, "Policy does not compile", "", c.Errors))...), nil
	}

	pkg := packageRef(ns)
	defs := map[string]map[string]bool{}
	for _, name := range names {
		m := modules[name]
		if !m.Package.Path.Equal(pkg) {
			continue
		}
		for _, r := range m.Rules {
			head := r.Head.Ref()
			if len(head) == 0 || len(r.Head.Args) > 0 {
				continue // functions (deny(x) := ...) are helpers, not results
			}
			v, ok := head[0].Value.(ast.Var)
			if !ok || !ruleNameRe.MatchString(string(v)) {
				continue
			}
			if defs[string(v)] == nil {
				defs[string(v)] = map[string]bool{}
			}
			defs[string(v)][name] = true
		}
	}
	var query []string
	for _, rn := range slices.Sorted(maps.Keys(defs)) {
		e.rules = append(e.rules, ruleInfo{name: rn, files: slices.Sorted(maps.Keys(defs[rn]))})
		// A comprehension turns "undefined" (no rule body held) into [].
		query = append(query, fmt.Sprintf("r%d := [x | x := %s]", len(e.rules)-1, pkg.Append(ast.StringTerm(rn))))
	}
	if len(query) == 0 {
		// Usually a package typo: say so rather than pass silently.
		var pkgs []string
		for _, name := range names {
			pkgs = append(pkgs, strings.TrimPrefix(modules[name].Package.Path.String(), "data."))
		}
		diags = append(diags, spec.Diagnostic{
			Severity: spec.SeverityWarning, Code: CodeNoRules, Source: names[0],
			Summary: "No policy rules to run",
			Detail: fmt.Sprintf("No deny, violation or warn rule is defined in package %s; the policies are in %s. Use --namespace to pick another package.",
				ns, strings.Join(dedupe(pkgs), ", ")),
			Range: &hcl.Range{Filename: names[0], Start: hcl.Pos{Line: 1, Column: 1}, End: hcl.Pos{Line: 1, Column: 1}},
		})
		query = []string{"true"}
	}
	ropts := []func(*rego.Rego){
		rego.Query(strings.Join(query, "; ")),
		rego.Compiler(c),
		rego.Capabilities(caps),
		rego.SetRegoVersion(ast.RegoV1),
	}
	if opts.Print != nil {
		ropts = append(ropts, rego.EnablePrintStatements(true), rego.PrintHook(printHook{opts.Print}))
	}
	q, err := rego.New(ropts...).PrepareForEval(ctx)
	if err != nil {
		return e, append(diags, astDiags(CodeCompile, "Policy does not compile", "", err)...), nil
	}
	e.query = q
	e.compiled = true
	return e, diags, nil
}

// refusedDetail says why a call to a refused builtin does not compile: with
// the builtin left out of the capabilities, OPA reports only an undefined
// function.
func refusedDetail(ds spec.Diagnostics) spec.Diagnostics {
	for i, d := range ds {
		name, ok := strings.CutPrefix(d.Detail, "undefined function ")
		if ok && slices.Contains(Refused, name) {
			ds[i].Detail = name + " is an unsafe built-in Portcullis refuses: policies run offline and may not reach the network or the runtime"
		}
	}
	return ds
}

// packageRef is data.<namespace>, each dotted segment a string key.
func packageRef(ns string) ast.Ref {
	ref := ast.Ref{ast.DefaultRootDocument}
	for _, seg := range strings.Split(ns, ".") {
		ref = append(ref, ast.StringTerm(seg))
	}
	return ref
}

// Compiled reports whether every policy parsed and compiled.
func (e *Engine) Compiled() bool { return e.compiled }

// Namespace is the package the engine reads rules from.
func (e *Engine) Namespace() string { return e.namespace }

// RuleNames lists the finding-producing rules found, sorted.
func (e *Engine) RuleNames() []string {
	out := make([]string, len(e.rules))
	for i, r := range e.rules {
		out[i] = r.name
	}
	return out
}

// Eval runs the policies over d (all APIs in one input document) and
// returns their findings, unsuppressed: pass them to policies.Finish.
func (e *Engine) Eval(ctx context.Context, d *spec.Description) ([]policies.Finding, error) {
	if !e.compiled || len(e.rules) == 0 {
		return nil, nil
	}
	value, err := InputValue(d)
	if err != nil {
		return nil, err
	}
	rs, err := e.query.Eval(ctx, rego.EvalParsedInput(value))
	if err != nil {
		return nil, fmt.Errorf("evaluating policies: %w", err)
	}
	if len(rs) == 0 {
		return nil, nil
	}
	idx := newIndex(d)
	var out []policies.Finding
	for i, r := range e.rules {
		vals, _ := rs[0].Bindings["r"+strconv.Itoa(i)].([]any)
		for _, v := range vals {
			for _, m := range messages(v) {
				out = append(out, idx.finding(r, m))
			}
		}
	}
	return out, nil
}

// Input is the policy input as plain JSON values: the document `show
// --format json` prints (lists are [] and never null, as the document
// guarantees). Eval uses the equal, cheaper InputValue.
func Input(d *spec.Description) (any, error) {
	b, err := json.Marshal(spec.ToDocument(d, spec.DocOptions{}))
	if err != nil {
		return nil, err
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, err
	}
	return v, nil
}

// message is one deny/warn result.
type message struct {
	msg        string
	id         string
	severity   string
	route      string
	api        string
	authorizer string
}

// messages reads a rule's value: a set (array) of strings or objects, a
// single string or object, or true.
func messages(v any) []message {
	switch x := v.(type) {
	case []any:
		var out []message
		for _, item := range x {
			out = append(out, one(item))
		}
		return out
	case bool:
		if x {
			return []message{{}}
		}
		return nil
	default:
		return []message{one(x)}
	}
}

func one(v any) message {
	switch x := v.(type) {
	case string:
		return message{msg: x}
	case map[string]any:
		str := func(k string) string { s, _ := x[k].(string); return s }
		m := message{msg: str("msg"), id: str("id"), severity: str("severity"), route: str("route"), api: str("api"), authorizer: str("authorizer")}
		if m.msg == "" {
			b, _ := json.Marshal(x)
			m.msg = string(b)
		}
		return m
	default:
		b, _ := json.Marshal(x)
		return message{msg: string(b)}
	}
}

// index finds routes and authorizers named by messages.
type index struct {
	d      *spec.Description
	routes map[string][]routeRef // route key -> routes (one per API that has it)
}

type routeRef struct {
	api *spec.API
	r   *spec.Route
}

func newIndex(d *spec.Description) *index {
	ix := &index{d: d, routes: map[string][]routeRef{}}
	for _, a := range d.APIs {
		for _, r := range a.Routes {
			ix.routes[r.Key()] = append(ix.routes[r.Key()], routeRef{a, r})
		}
	}
	return ix
}

// keyInTextRe finds candidate route keys ("GET /items/{id}") in a message.
var keyInTextRe = regexp.MustCompile(`\b(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) (/[^\s"'` + "`" + `,;]*)`)

func (ix *index) lookupRoute(key, api string) *routeRef {
	for _, rr := range ix.routes[key] {
		if api == "" || rr.api.Name == api {
			return &rr
		}
	}
	return nil
}

func (ix *index) routeFromText(text, api string) *routeRef {
	for _, m := range keyInTextRe.FindAllStringSubmatch(text, -1) {
		path := m[2]
		// Trailing punctuation belongs to the sentence, not the path.
		for path != "" {
			if rr := ix.lookupRoute(m[1]+" "+path, api); rr != nil {
				return rr
			}
			trimmed := strings.TrimRight(path, ".:)]!?")
			if trimmed == path {
				break
			}
			path = trimmed
		}
	}
	return nil
}

func (ix *index) api(name string) *spec.API {
	for _, a := range ix.d.APIs {
		if name == "" || a.Name == name {
			return a
		}
	}
	return nil
}

func (ix *index) finding(r ruleInfo, m message) policies.Finding {
	sev := spec.SeverityError
	if strings.HasPrefix(r.name, "warn") {
		sev = spec.SeverityWarning
	}
	if s, err := spec.ParseSeverity(m.severity); err == nil && m.severity != "" {
		sev = s
	}
	code := m.id
	if code == "" {
		code = "rego:" + r.name
	}
	summary := m.msg
	if summary == "" {
		summary = "Policy rule " + r.name + " holds"
	}
	f := policies.Finding{Diagnostic: spec.Diagnostic{
		Severity: sev, Code: code, Summary: summary,
		Detail: fmt.Sprintf("Reported by rule %s in %s.", r.name, strings.Join(r.files, ", ")),
		Source: strings.Join(r.files, ", "),
	}}
	var rng spec.Range
	rr := (*routeRef)(nil)
	if m.route != "" {
		rr = ix.lookupRoute(m.route, m.api)
	}
	if rr == nil && m.route == "" {
		rr = ix.routeFromText(m.msg, m.api)
	}
	switch {
	case rr != nil:
		f.API, f.Route, f.Diagnostic.Route = rr.api, rr.r, rr.r.Key()
		rng = rr.r.At("key")
	default:
		f.API = ix.api(m.api)
		if f.API != nil {
			rng = f.API.Range
			if az := f.API.AuthorizerByName(m.authorizer); m.authorizer != "" && az != nil {
				f.Authorizer = az
				rng = az.At("name")
			}
		}
	}
	if rng.Filename != "" {
		f.Diagnostic.Range = &rng
	}
	return f
}

// astDiags turns OPA parse or compile errors into located diagnostics.
func astDiags(code, summary, file string, err error) spec.Diagnostics {
	var errs ast.Errors
	if !errors.As(err, &errs) {
		var one *ast.Error
		if errors.As(err, &one) {
			errs = ast.Errors{one}
		}
	}
	if len(errs) == 0 {
		d := spec.Diagnostic{Severity: spec.SeverityError, Code: code, Summary: summary, Detail: err.Error(), Source: file}
		if file != "" {
			d.Range = &hcl.Range{Filename: file}
		}
		return spec.Diagnostics{d}
	}
	var out spec.Diagnostics
	for _, e := range errs {
		d := spec.Diagnostic{Severity: spec.SeverityError, Code: code, Summary: summary, Detail: e.Message, Source: file}
		if e.Location != nil {
			f := e.Location.File
			if f == "" {
				f = file
			}
			d.Source = f
			pos := hcl.Pos{Line: e.Location.Row, Column: e.Location.Col, Byte: e.Location.Offset}
			end := pos
			if n := len(e.Location.Text); n > 0 && !strings.Contains(string(e.Location.Text), "\n") {
				end.Column += n
				end.Byte += n
			}
			d.Range = &hcl.Range{Filename: f, Start: pos, End: end}
		}
		out = append(out, d)
	}
	return out
}

// collect expands paths into .rego files, sorted.
func collect(paths []string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("--policy %s: %w", p, err)
		}
		if !fi.IsDir() {
			add(p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, de fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if de.IsDir() {
				if path != p && strings.HasPrefix(de.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			if strings.HasSuffix(path, ".rego") && !strings.HasSuffix(path, "_test.rego") {
				add(path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("--policy %s: %w", p, err)
		}
	}
	sort.Strings(out)
	return out, nil
}

func readLimited(name string) ([]byte, error) {
	fi, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if fi.Size() > MaxPolicyBytes {
		return nil, fmt.Errorf("%s: larger than %d KiB, the limit for a policy", name, MaxPolicyBytes>>10)
	}
	return os.ReadFile(name)
}

func dedupe(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// printHook writes print() output as "file:line: message", as opa eval does.
type printHook struct{ w io.Writer }

func (h printHook) Print(ctx print.Context, msg string) error {
	if ctx.Location != nil && ctx.Location.File != "" {
		_, err := fmt.Fprintf(h.w, "%s:%d: %s\n", ctx.Location.File, ctx.Location.Row, msg)
		return err
	}
	_, err := fmt.Fprintln(h.w, msg)
	return err
}
