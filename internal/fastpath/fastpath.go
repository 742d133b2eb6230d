package fastpath

import (
	"os"
	"strings"
	"sync"
)

// Name names one fast path.
type Name string

// The fast paths, by the names PORTCULLIS_SLOWPATHS takes.
const (
	// YAMLReader is internal/fastyaml, standing in for yaml/v4's parser
	// when OpenAPI documents are read.
	YAMLReader Name = "yaml-reader"
	// OpenAPIPaths is spec/oasspec/direct.go, reading paths off the node
	// tree instead of kin-openapi's reflective decoding.
	OpenAPIPaths Name = "openapi-paths"
	// YAMLWriter is generators/internal/tree/yaml.go, standing in for
	// yaml/v4's encoder.
	YAMLWriter Name = "yaml-writer"
	// HCLWriter is generators/terraform/tokens.go, standing in for
	// hclwrite's Body and formatter.
	HCLWriter Name = "hcl-writer"
	// SignatureCache is tokens/sigcache.go: a token whose exact bytes a key
	// verified before skips decoding and the RSA check (never the claim
	// checks).
	SignatureCache Name = "signature-cache"
)

// All lists every fast path.
var All = []Name{YAMLReader, OpenAPIPaths, YAMLWriter, HCLWriter, SignatureCache}

// EnvVar turns fast paths off (see the package documentation).
const EnvVar = "PORTCULLIS_SLOWPATHS"

var (
	mu   sync.RWMutex
	off  map[Name]bool
	once sync.Once
)

// load reads EnvVar on first use rather than at init, so `go test`'s
// cache sees the variable and does not reuse a run made without it.
func load() {
	once.Do(func() {
		mu.Lock()
		defer mu.Unlock()
		off = parse(os.Getenv(EnvVar))
	})
}

// parse reads EnvVar's value into the set of fast paths it turns off.
func parse(v string) map[Name]bool {
	out := map[Name]bool{}
	v = strings.TrimSpace(v)
	if v == "" || v == "0" {
		return out
	}
	for _, item := range strings.Split(v, ",") {
		n := Name(strings.TrimSpace(item))
		known := false
		for _, k := range All {
			known = known || k == n
		}
		if !known {
			// "1", "all", or a name this build does not know: every
			// fast path off, since the slow twins are the reference.
			for _, k := range All {
				out[k] = true
			}
			return out
		}
		out[n] = true
	}
	return out
}

// On reports whether the fast path n is in use.
func On(n Name) bool {
	load()
	mu.RLock()
	defer mu.RUnlock()
	return !off[n]
}

// Set turns n on or off and returns the function that restores the
// previous setting. Differential tests use it to run both twins on one
// input whatever the environment says; it is not for tests that run in
// parallel with others of their package.
func Set(n Name, on bool) (restore func()) {
	load()
	mu.Lock()
	defer mu.Unlock()
	was := !off[n]
	off[n] = !on
	return func() {
		mu.Lock()
		defer mu.Unlock()
		off[n] = !was
	}
}
