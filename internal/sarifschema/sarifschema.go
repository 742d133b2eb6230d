// Package sarifschema validates a SARIF log against the OASIS SARIF 2.1.0
// schema (errata 01) vendored in report/testdata, with formats asserted,
// so every package that writes SARIF tests it the same way without a
// network. Test-only: nothing in the shipped binary imports it.
package sarifschema

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

var (
	once   sync.Once
	schema *jsonschema.Schema
	err    error
)

func compile() {
	_, file, _, _ := runtime.Caller(0)
	f, ferr := os.Open(filepath.Join(filepath.Dir(file), "..", "..", "report", "testdata", "sarif-schema-2.1.0.json"))
	if ferr != nil {
		err = ferr
		return
	}
	defer f.Close()
	doc, derr := jsonschema.UnmarshalJSON(f)
	if derr != nil {
		err = derr
		return
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err = c.AddResource("sarif-schema-2.1.0.json", doc); err != nil {
		return
	}
	schema, err = c.Compile("sarif-schema-2.1.0.json")
}

// Validate reports whether log is a SARIF 2.1.0 document.
func Validate(log []byte) error {
	once.Do(compile)
	if err != nil {
		return err
	}
	inst, ierr := jsonschema.UnmarshalJSON(bytes.NewReader(log))
	if ierr != nil {
		return ierr
	}
	return schema.Validate(inst)
}
