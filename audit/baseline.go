package audit

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/spec/load"
)

// Baseline is the intent an account's descriptions declare: which APIs
// exist on purpose and which of their methods are public, with a reason.
type Baseline struct {
	Dir  string
	apis []*spec.API
	http []*spec.HTTPAPI
}

// LoadBaseline reads every description under dir: each folder holding HCL
// files is one description, each OpenAPI file (.yaml, .yml, .json) is one.
// Hidden folders and node_modules are skipped. A description that does not
// load is an error: judging intent from a half-read baseline would accept
// what it should not.
func LoadBaseline(dir string, opts load.Options) (*Baseline, spec.Diagnostics, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, nil, err
	}
	if !info.IsDir() {
		d, ds := load.Load(dir, opts)
		return &Baseline{Dir: dir, apis: d.APIs, http: d.HTTPAPIs}, ds, nil
	}
	hclDirs := map[string]bool{}
	var files []string
	err = filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() {
			if p != dir && (strings.HasPrefix(e.Name(), ".") || e.Name() == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		switch load.KindOf(p) {
		case load.KindHCL:
			hclDirs[filepath.Dir(p)] = true
		case load.KindOpenAPI:
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	for d := range hclDirs {
		files = append(files, d)
	}
	sort.Strings(files)
	b := &Baseline{Dir: dir}
	var all spec.Diagnostics
	for _, p := range files {
		d, ds := load.Load(p, opts)
		all = append(all, ds...)
		if !ds.HasErrors() {
			b.apis = append(b.apis, d.APIs...)
			b.http = append(b.http, d.HTTPAPIs...)
		}
	}
	return b, all, nil
}

// NewBaseline wraps descriptions already read (tests, callers with their
// own loader).
func NewBaseline(dir string, apis []*spec.API, http ...*spec.HTTPAPI) *Baseline {
	return &Baseline{Dir: dir, apis: apis, http: http}
}

// Match finds the description of a live REST API: by rest_api_id first,
// else by name and region (a description without a region matches any
// region). Several name matches are no match: guessing the intent would be
// worse than saying there is none.
func (b *Baseline) Match(region, id, name string) *spec.API {
	if b == nil {
		return nil
	}
	return match(b.apis, region, id, name, func(a *spec.API) (string, string, string) { return a.RestAPIID, a.Name, a.Region })
}

// MatchHTTP is Match for HTTP APIs (by api_id, else name and region).
func (b *Baseline) MatchHTTP(region, id, name string) *spec.HTTPAPI {
	if b == nil {
		return nil
	}
	return match(b.http, region, id, name, func(a *spec.HTTPAPI) (string, string, string) { return a.APIID, a.Name, a.Region })
}

func match[T any](descs []T, region, id, name string, key func(T) (id, name, region string)) T {
	var zero, found T
	n := 0
	for _, d := range descs {
		if did, _, _ := key(d); did != "" && did == id {
			return d
		}
	}
	for _, d := range descs {
		did, dname, dregion := key(d)
		if did != "" || dname != name || (dregion != "" && dregion != region) {
			continue
		}
		found = d
		n++
	}
	if n == 1 {
		return found
	}
	return zero
}

// File is where a matched description came from.
func File(a *spec.API) string {
	if a == nil {
		return ""
	}
	return a.Range.Filename
}
