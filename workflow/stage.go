package workflow

import (
	"sort"
	"strings"

	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/state"
)

// CheckStage refuses a --stage that names neither a described stage nor a
// live one: `--stage prdo` must not create stage prdo. newStage is the
// explicit flag (--new-stage) that allows creating one the description
// does not list. "" (the description's first stage) always passes.
func CheckStage(api *spec.API, flag string, have *state.State, newStage bool) error {
	if flag == "" || newStage || api.Stage(flag) != nil {
		return nil
	}
	if have != nil && have.Stages[flag] != nil {
		return nil
	}
	var known []string
	for _, s := range api.Stages {
		known = append(known, s.Name)
	}
	if have != nil {
		for name := range have.Stages {
			if api.Stage(name) == nil {
				known = append(known, name)
			}
		}
	}
	sort.Strings(known)
	has := "no stage"
	if len(known) > 0 {
		has = "stages " + strings.Join(known, ", ")
	}
	return fail("stage", "--stage %q is neither described nor live (api %q has %s): fix the name, add a stage %q block to the description, or pass --new-stage to create it", flag, api.Name, has, flag)
}

// StageOf is the stage a command deploys or probes: the flag, else the
// description's first stage ("" when neither names one).
func StageOf(api *spec.API, flag string) string {
	if flag != "" {
		return flag
	}
	if len(api.Stages) > 0 {
		return api.Stages[0].Name
	}
	return ""
}
