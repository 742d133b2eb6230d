package plan

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
)

// APIType says which kind of API a plan is for: `api_type` in its JSON.
type APIType string

// The two kinds of API.
const (
	REST APIType = "rest" // API Gateway v1: Plan
	HTTP APIType = "http" // API Gateway v2: HTTPPlan
)

// Any is a plan of either kind, as the views render it under `plan`.
type Any interface {
	Kind() APIType
	Empty() bool
}

// Kind is REST.
func (p *Plan) Kind() APIType { return REST }

// Kind is HTTP.
func (p *HTTPPlan) Kind() APIType { return HTTP }

var (
	// ErrHTTPPlan means a saved plan is an HTTP API's, read as a REST API's.
	ErrHTTPPlan = errors.New("is a plan for an HTTP API, not a REST API")
	// ErrRESTPlan means a saved plan is a REST API's, read as an HTTP API's.
	ErrRESTPlan = errors.New("is a plan for a REST API, not an HTTP API")
	// ErrFormat means a saved plan was written in another major version of
	// the format (by another version of Portcullis).
	ErrFormat = errors.New("plan format")
)

// Save writes the plan as JSON: the `plan` object of `plan --format json`.
func (p *Plan) Save(path string) error { return save(path, p) }

// Save writes the plan as JSON: the `plan` object of `plan --format json`.
func (p *HTTPPlan) Save(path string) error { return save(path, p) }

func save(path string, p Any) error {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// Load reads a REST API's plan written by Save.
func Load(path string) (*Plan, error) {
	var p Plan
	if err := load(path, REST, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// LoadHTTP reads an HTTP API's plan written by Save.
func LoadHTTP(path string) (*HTTPPlan, error) {
	var p HTTPPlan
	if err := load(path, HTTP, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// header is what tells saved plans apart, in every format version: 1.x
// kept an HTTP API's plan under `http_plan` and had no `api_type`.
type header struct {
	FormatVersion string          `json:"format_version"`
	APIType       APIType         `json:"api_type"`
	HTTP          json.RawMessage `json:"http_plan"`
	Fingerprint   string          `json:"live_fingerprint"`
}

func readHeader(path string) (header, []byte, error) {
	var h header
	b, err := os.ReadFile(path)
	if err != nil {
		return h, nil, err
	}
	if err := json.Unmarshal(b, &h); err != nil {
		return h, nil, fmt.Errorf("%s is not a Portcullis plan: %w", path, err)
	}
	if h.FormatVersion == "" || (h.APIType == "" && h.HTTP == nil && h.Fingerprint == "") {
		return h, nil, fmt.Errorf("%s is not a Portcullis plan", path)
	}
	return h, b, nil
}

// IsSaved reports whether the file at path is a saved plan of any kind or
// format version (so that a plan given where a description belongs gets
// a message that says so).
func IsSaved(path string) bool {
	_, _, err := readHeader(path)
	return err == nil
}

func load(path string, want APIType, into Any) error {
	h, b, err := readHeader(path)
	if err != nil {
		return err
	}
	if major(h.FormatVersion) != major(FormatVersion) {
		return fmt.Errorf("%s: %w %s, written by another version of Portcullis; this one reads %s.x",
			path, ErrFormat, h.FormatVersion, major(FormatVersion))
	}
	if h.APIType != want {
		if h.APIType == HTTP {
			return fmt.Errorf("%s %w", path, ErrHTTPPlan)
		}
		if h.APIType == REST {
			return fmt.Errorf("%s %w", path, ErrRESTPlan)
		}
		return fmt.Errorf("%s: unknown api_type %q (want %q or %q)", path, h.APIType, REST, HTTP)
	}
	if err := json.Unmarshal(b, into); err != nil {
		return fmt.Errorf("%s is not a Portcullis plan: %w", path, err)
	}
	return nil
}

func major(v string) string { return strings.Split(v, ".")[0] }
