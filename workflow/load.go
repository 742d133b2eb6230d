package workflow

import (
	"fmt"
	"strings"

	"github.com/portcullis-dev/portcullis/policies"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/spec/load"
)

// Target is the description a live command works on, and the API in it.
type Target struct {
	Path string
	Desc *spec.Description
	API  *spec.API
	// HTTPAPI is set instead of API when the API picked is an HTTP API
	// (API Gateway v2); the same commands then take the v2 path
	// (httpapi.go).
	HTTPAPI *spec.HTTPAPI
	// Warnings are the reader's and validation's non-errors, for the
	// command to show on stderr.
	Warnings spec.Diagnostics
}

// Load reads the description at path and picks its API (apiName when it
// describes several). An invalid description is an *Error with its
// diagnostics.
func Load(path string, opts load.Options, apiName string) (*Target, error) {
	d, ds := load.Load(path, opts)
	if ds.HasErrors() {
		return nil, &Error{Step: "load", Diagnostics: ds, Files: d.Files}
	}
	var names []string
	total := len(d.APIs) + len(d.HTTPAPIs)
	for _, a := range d.APIs {
		if apiName == "" && total == 1 || a.Name == apiName {
			return &Target{Path: path, Desc: d, API: a, Warnings: ds}, nil
		}
		names = append(names, a.Name)
	}
	for _, a := range d.HTTPAPIs {
		if apiName == "" && total == 1 || a.Name == apiName {
			return &Target{Path: path, Desc: d, HTTPAPI: a, Warnings: ds}, nil
		}
		names = append(names, a.Name)
	}
	if total == 0 {
		return nil, fail("load", "%s describes no api: add an api block (HCL) or an OpenAPI document", path)
	}
	if apiName == "" {
		return nil, fail("load", "%s describes %d APIs (%s): pick one with --api", path, total, strings.Join(names, ", "))
	}
	return nil, fail("load", "%s has no api %q (it has %s): fix --api", path, apiName, strings.Join(names, ", "))
}

// Gate runs the built-in rules on the target's API and returns the error
// findings that are not suppressed; none means the API may go to AWS.
// Deny by default holds on the way to a live API (and into generated
// configuration), not only in validate.
func Gate(t *Target) spec.Diagnostics {
	if t.HTTPAPI != nil {
		return GateDescription(&spec.Description{HTTPAPIs: []*spec.HTTPAPI{t.HTTPAPI}, Files: t.Desc.Files})
	}
	return GateDescription(&spec.Description{APIs: []*spec.API{t.API}, Files: t.Desc.Files})
}

// Region is the region the target's API names.
func (t *Target) Region() string {
	if t.HTTPAPI != nil {
		return t.HTTPAPI.Region
	}
	return t.API.Region
}

// Name is the target API's name.
func (t *Target) Name() string {
	if t.HTTPAPI != nil {
		return t.HTTPAPI.Name
	}
	return t.API.Name
}

// GateDescription is Gate for every API of a description (generate).
func GateDescription(d *spec.Description) spec.Diagnostics {
	ds := policies.Finish(d, policies.Check(d, policies.Config{}))
	var errs spec.Diagnostics
	for _, x := range ds {
		if x.Severity == spec.SeverityError && !x.Suppressed {
			errs = append(errs, x)
		}
	}
	return errs
}

// GateError wraps the gate's findings as the error plan, apply and deploy
// stop on.
func GateError(t *Target, ds spec.Diagnostics) *Error {
	return &Error{Step: "gate", Diagnostics: ds, Files: t.Desc.Files,
		Err: fmt.Errorf("%s fails the policies above; nothing was changed: fix it, or suppress a rule with ignore and a reason", t.Path)}
}
