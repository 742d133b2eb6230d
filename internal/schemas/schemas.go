// Package schemas validates the documents Portcullis publishes against
// their JSON Schemas, kept in the repository so tests need no network:
// SARIF logs against the OASIS SARIF 2.1.0 schema (errata 01, vendored in
// report/testdata), audit reports against docs/audit.schema.json, plans
// against docs/plan.schema.json and probe results against
// docs/probe.schema.json.
// Formats are asserted. Test-only: nothing in the shipped binary imports
// it.
package schemas

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

type compiled struct {
	once   sync.Once
	path   string // from the repository root
	schema *jsonschema.Schema
	err    error
}

var (
	sarif = &compiled{path: "report/testdata/sarif-schema-2.1.0.json"}
	audit = &compiled{path: "docs/audit.schema.json"}
	plans = &compiled{path: "docs/plan.schema.json"}
	probe = &compiled{path: "docs/probe.schema.json"}
)

// SARIF reports whether log is a SARIF 2.1.0 document.
func SARIF(log []byte) error { return sarif.validate(log) }

// AuditReport reports whether doc is an audit JSON report of the
// published format (unknown fields included: the schema forbids them).
func AuditReport(doc []byte) error { return audit.validate(doc) }

// Plan reports whether doc is a plan of the published format: the `plan`
// object of plan/apply --format json, or a saved plan file (unknown fields
// included: the schema forbids them).
func Plan(doc []byte) error { return plans.validate(doc) }

// Probe reports whether doc is a probe result of the published format:
// probe --format json, or apply's `probe` (unknown fields included: the
// schema forbids them).
func Probe(doc []byte) error { return probe.validate(doc) }

func (c *compiled) validate(doc []byte) error {
	c.once.Do(c.compile)
	if c.err != nil {
		return c.err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return err
	}
	return c.schema.Validate(inst)
}

func (c *compiled) compile() {
	_, file, _, _ := runtime.Caller(0)
	f, err := os.Open(filepath.Join(filepath.Dir(file), "..", "..", filepath.FromSlash(c.path)))
	if err != nil {
		c.err = err
		return
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		c.err = err
		return
	}
	jc := jsonschema.NewCompiler()
	jc.AssertFormat()
	if c.err = jc.AddResource(filepath.Base(c.path), doc); c.err != nil {
		return
	}
	c.schema, c.err = jc.Compile(filepath.Base(c.path))
}
