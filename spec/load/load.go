package load

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/portcullis-dev/portcullis/internal/safefile"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/spec/hclspec"
	"github.com/portcullis-dev/portcullis/spec/oasspec"
)

// MaxFileBytes bounds any one input file: descriptions are small, and a
// bound keeps a mistaken path (a log, a binary) from eating memory.
const MaxFileBytes = 10 << 20

// EnvPrefix marks environment variables that set description variables.
const EnvPrefix = "PORTCULLIS_VAR_"

// Assignment is one --var (Name, Value) or --var-file (File), in the order
// given on the command line.
type Assignment struct {
	Name, Value string
	File        string
}

// Options tune Load.
type Options struct {
	Assignments []Assignment
	// Environ is searched for PORTCULLIS_VAR_name=value.
	Environ []string
	// AllowExternalRefs lets OpenAPI $refs read local files under the
	// document's folder. Remote references are never fetched.
	AllowExternalRefs bool
	// SkipValidation returns the model as read, without structural checks.
	SkipValidation bool
}

// Kind says which reader a file needs.
type Kind int

// Reader kinds.
const (
	KindUnknown Kind = iota
	KindHCL
	KindOpenAPI
)

// KindOf picks the reader for a file name.
func KindOf(name string) Kind {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".hcl":
		return KindHCL
	case ".json", ".yaml", ".yml":
		return KindOpenAPI
	}
	return KindUnknown
}

// Load reads the description at path (a file, or a directory whose .hcl
// files form one description, or which holds one OpenAPI document).
func Load(path string, opts Options) (*spec.Description, spec.Diagnostics) {
	files, kind, diags := collect(path)
	if diags.HasErrors() {
		return &spec.Description{Files: map[string][]byte{}}, diags
	}
	var d *spec.Description
	var ds spec.Diagnostics
	switch kind {
	case KindHCL:
		vars, vd := assignments(opts)
		diags = append(diags, vd...)
		if vd.HasErrors() {
			return &spec.Description{Files: files}, diags
		}
		d, ds = hclspec.Read(files, vars)
	case KindOpenAPI:
		name := onlyKey(files)
		d, ds = oasspec.Read(name, files[name], oasspec.Options{AllowExternalRefs: opts.AllowExternalRefs, MaxFileBytes: MaxFileBytes})
	}
	diags = append(diags, ds...)
	if d.Files == nil {
		d.Files = files
	}
	d.Sort()
	// An OpenAPI document the reader could build a model of is validated
	// even when the reader found errors (a reference to a missing security
	// scheme, say), so every error comes in one run, as with HCL.
	if !opts.SkipValidation && (!diags.HasErrors() || kind == KindOpenAPI && len(d.APIs) > 0) {
		diags = append(diags, dedupe(diags, spec.Validate(d))...)
	}
	diags = diags.Redact(d.Sensitive)
	diags.Sort()
	return d, diags
}

// Judgeable says whether the policies can judge d although ds may hold
// errors: always when there are none; for an OpenAPI document whose model
// was built (its errors are about values, not about reading it), too, so
// that one run reports every problem. HCL with errors is not judged: a
// block that did not decode leaves holes a policy would misread.
func Judgeable(d *spec.Description, ds spec.Diagnostics) bool {
	if !ds.HasErrors() {
		return true
	}
	if d == nil || len(d.APIs) == 0 {
		return false
	}
	for name := range d.Files {
		if KindOf(name) != KindOpenAPI {
			return false
		}
	}
	for _, x := range ds {
		switch x.Code {
		case CodeLoadError, "parse-error", "unsupported-openapi-version", "external-ref":
			return false
		}
	}
	return true
}

// dedupe drops from more the diagnostics already in have (same code at the
// same place): the reader and validation both see a missing authorizer.
func dedupe(have, more spec.Diagnostics) spec.Diagnostics {
	type key struct {
		code string
		file string
		line int
		col  int
	}
	seen := map[key]bool{}
	at := func(d spec.Diagnostic) key {
		k := key{code: d.Code}
		if d.Range != nil {
			k.file, k.line, k.col = d.Range.Filename, d.Range.Start.Line, d.Range.Start.Column
		}
		return k
	}
	for _, d := range have {
		seen[at(d)] = true
	}
	var out spec.Diagnostics
	for _, d := range more {
		if !seen[at(d)] {
			out = append(out, d)
		}
	}
	return out
}

func onlyKey(m map[string][]byte) string {
	for k := range m {
		return k
	}
	return ""
}

// CodeLoadError marks an input that could not be read at all (a missing
// path, an empty folder, an unknown file type, an unreadable --var-file),
// as opposed to one read and found wrong: commands exit 2 on it.
const CodeLoadError = "load-error"

func loadErr(path, summary, detail string) spec.Diagnostic {
	return spec.Diagnostic{Severity: spec.SeverityError, Code: CodeLoadError, Summary: summary, Detail: detail,
		Range: &hcl.Range{Filename: path}, Source: "spec"}
}

func collect(path string) (map[string][]byte, Kind, spec.Diagnostics) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, KindUnknown, spec.Diagnostics{loadErr(path, "Cannot read description "+path, why(err))}
	}
	var names []string
	var notice *spec.Diagnostic
	kind := KindUnknown
	if fi.IsDir() {
		entries, err := os.ReadDir(path)
		if err != nil {
			return nil, KindUnknown, spec.Diagnostics{loadErr(path, "Cannot read description "+path, why(err))}
		}
		var hcls, oas []string
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			p := filepath.Join(path, e.Name())
			switch KindOf(e.Name()) {
			case KindHCL:
				hcls = append(hcls, p)
			case KindOpenAPI:
				oas = append(oas, p)
			}
		}
		switch {
		case len(hcls) > 0:
			names, kind = hcls, KindHCL
			if len(oas) > 0 {
				// Said, not silently dropped: the folder may hold the same
				// API in both forms (examples/todo does), or a document the
				// user expected to be read.
				notice = &spec.Diagnostic{Severity: spec.SeverityInfo, Code: "files-not-read",
					Summary: "OpenAPI beside HCL in " + path + " is not read",
					Detail: fmt.Sprintf("A folder with .hcl files is read as HCL, so %s %s not read. Pass an OpenAPI document itself to read it.",
						strings.Join(oas, ", "), map[bool]string{true: "is", false: "are"}[len(oas) == 1]),
					Range: &hcl.Range{Filename: path}, Source: "spec"}
			}
		case len(oas) == 1:
			names, kind = oas, KindOpenAPI
		case len(oas) > 1:
			return nil, KindUnknown, spec.Diagnostics{loadErr(path, "Several OpenAPI documents in one directory",
				fmt.Sprintf("%s holds %s; pass the one to read.", path, strings.Join(oas, ", ")))}
		default:
			return nil, KindUnknown, spec.Diagnostics{loadErr(path, "No description in "+path,
				"The directory has no .hcl files and no OpenAPI document (.json, .yaml, .yml): pass the folder or file that holds the description.")}
		}
	} else {
		kind = KindOf(path)
		if kind == KindUnknown {
			return nil, KindUnknown, spec.Diagnostics{loadErr(path, "Unknown description format: "+path,
				"Portcullis reads a file by its extension: .hcl for Portcullis HCL, .json/.yaml/.yml for OpenAPI 3.0 or Swagger 2.0. Rename the file, or pass the description it belongs to.")}
		}
		names = []string{path}
	}
	sort.Strings(names)
	files := map[string][]byte{}
	var diags spec.Diagnostics
	if notice != nil {
		diags = append(diags, *notice)
	}
	for _, n := range names {
		b, err := readLimited(n)
		if err != nil {
			diags = append(diags, loadErr(n, "Cannot read description "+n, why(err)))
			continue
		}
		files[n] = b
	}
	return files, kind, diags
}

// why says what went wrong reading a file in words, without Go's
// "stat NAME:" prefix, and what to do.
func why(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "No such file or directory. Check the path; a relative path is read from the working directory."
	case errors.Is(err, fs.ErrPermission):
		return "Permission denied: make the file readable by this user."
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func readLimited(name string) ([]byte, error) {
	// Regular files only: a FIFO would hang, a device never end.
	b, err := safefile.Read(name, MaxFileBytes)
	if err != nil {
		if fi, serr := os.Stat(name); serr == nil && fi.Mode().IsRegular() && fi.Size() > MaxFileBytes {
			return nil, fmt.Errorf("the file is larger than %d MiB, the limit for a description", MaxFileBytes>>20)
		}
		return nil, err
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return nil, fmt.Errorf("the file holds NUL bytes: it is not a text description")
	}
	return b, nil
}

// assignments orders variable values as Terraform does: environment first,
// then --var-file and --var in command-line order, later ones winning.
func assignments(opts Options) ([]hclspec.VarValue, spec.Diagnostics) {
	var out []hclspec.VarValue
	var diags spec.Diagnostics
	env := append([]string(nil), opts.Environ...)
	sort.Strings(env)
	for _, kv := range env {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || !strings.HasPrefix(k, EnvPrefix) || len(k) == len(EnvPrefix) {
			continue
		}
		out = append(out, hclspec.VarValue{Name: k[len(EnvPrefix):], Raw: v, Origin: "environment variable " + k})
	}
	for _, a := range opts.Assignments {
		if a.File == "" {
			out = append(out, hclspec.VarValue{Name: a.Name, Raw: a.Value, Origin: "--var " + a.Name})
			continue
		}
		b, err := readLimited(a.File)
		if err != nil {
			diags = append(diags, loadErr(a.File, "Cannot read variables file "+a.File, why(err)))
			continue
		}
		vs, ds := hclspec.ReadVarFile(a.File, b)
		diags = append(diags, ds...)
		out = append(out, vs...)
	}
	return out, diags
}
