package plan

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/portcullis-dev/portcullis/diff"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/state"
)

// HTTPPlan is what apply executes for an HTTP API (API Gateway v2). Its
// JSON is Plan's shape (the fields up to Summary are common to both); the
// HTTP API's own fields follow.
type HTTPPlan struct {
	FormatVersion string  `json:"format_version"`
	APIType       APIType `json:"api_type"`
	API           string  `json:"api"`
	APIID         string  `json:"api_id"`
	// Target is what the plan was made against (see Plan.Target).
	Target string `json:"target"`
	// Stage is the stage the plan deploys to; AutoDeploy says it deploys
	// itself, so the plan has no deployment and every change is live as
	// soon as it is made (the order below keeps every protected route
	// protected throughout).
	Stage string `json:"stage"`
	// Fingerprint identifies the live API the plan was computed against.
	Fingerprint string `json:"live_fingerprint"`
	// Changes in the order apply makes them.
	Changes    []diff.HTTPChange `json:"changes"`
	Summary    Summary           `json:"summary"`
	AutoDeploy bool              `json:"auto_deploy"`
	// Prune records --prune, so that a saved plan is re-made with it.
	Prune       bool             `json:"prune"`
	Diagnostics spec.Diagnostics `json:"-"`
}

// MakeHTTP plans the changes that make have (nil: no API yet) match want.
// The order: the API and its CORS, authorizers created and updated,
// integrations, routes created (each with its authorization in the same
// CreateRoute, so no route ever exists open) and updated (a route that
// stays protected switches authorizer in one UpdateRoute), routes,
// authorizers and CORS removed, stages, then at most one CreateDeployment
// (none for an auto-deploying stage).
func MakeHTTP(want *spec.HTTPAPI, have *state.HTTPAPI, o diff.HTTPOptions) *HTTPPlan {
	res := diff.HTTP(want, have, o)
	p := &HTTPPlan{FormatVersion: FormatVersion, APIType: HTTP, API: want.Name, Stage: res.Stage, AutoDeploy: res.AutoDeploy, Prune: o.Prune, Fingerprint: FingerprintHTTP(have), Changes: res.Changes, Diagnostics: res.Diagnostics}
	if have != nil {
		p.APIID = have.APIID
	}
	if p.Changes == nil {
		p.Changes = []diff.HTTPChange{} // JSON: [], never null
	}
	sort.SliceStable(p.Changes, func(i, j int) bool { return httpPhase(p.Changes[i]) < httpPhase(p.Changes[j]) })
	for _, c := range p.Changes {
		switch c.Action {
		case diff.Create:
			p.Summary.Add++
		case diff.Update:
			p.Summary.Change++
		case diff.Delete:
			p.Summary.Destroy++
		}
	}
	return p
}

func httpPhase(c diff.HTTPChange) int {
	switch c.Kind {
	case diff.KindHTTPAPI:
		return 0
	case diff.KindCORS:
		if c.Action == diff.Delete {
			return 9
		}
		return 1
	case diff.KindJWTAuthorize:
		if c.Action == diff.Delete {
			return 8
		}
		return 2
	case diff.KindHTTPIntegr:
		return 3
	case diff.KindRoute:
		switch {
		case c.Action == diff.Delete:
			return 7
		case c.Opens:
			// Opening a route the description makes public comes after
			// every route that closes.
			return 6
		case c.Action == diff.Create:
			return 4
		}
		return 5
	case diff.KindHTTPStage:
		return 10
	}
	return 11 // the deployment
}

// Deploys reports whether the plan ends with a CreateDeployment.
func (p *HTTPPlan) Deploys() bool {
	for _, c := range p.Changes {
		if c.Kind == diff.KindDeployment {
			return true
		}
	}
	return false
}

// Empty reports whether there is nothing to do.
func (p *HTTPPlan) Empty() bool { return len(p.Changes) == 0 }

// FingerprintHTTP is a digest of everything read from the live HTTP API
// (nil: the API does not exist).
func FingerprintHTTP(s *state.HTTPAPI) string {
	if s == nil {
		return "absent"
	}
	c := *s
	c.Model = nil // derived from the rest
	// The deployment id (kept) says what its export would.
	c.Stages = map[string]*state.HTTPStage{}
	for name, st := range s.Stages {
		sc := *st
		sc.Deployed = nil
		c.Stages[name] = &sc
	}
	return digest(&c)
}

// CheckFresh refuses a saved plan made against another state of the API.
func (p *HTTPPlan) CheckFresh(have *state.HTTPAPI) error {
	if got := FingerprintHTTP(have); got != p.Fingerprint {
		return fmt.Errorf("%w (planned against %s, now %s)", ErrStale, p.Fingerprint, got)
	}
	return nil
}

// ErrDescriptionChanged means the description no longer gives the saved
// plan's changes.
var ErrDescriptionChanged = errors.New("the description changed since the plan was made; run plan again")

// Same refuses a saved plan whose changes differ from those re-made now
// (same live API, same stage and prune): the saved file records what
// apply will do, and the re-made plan carries the description's values
// that the file leaves out.
func (p *HTTPPlan) Same(now *HTTPPlan) error {
	a, err := json.Marshal(p.Changes)
	if err != nil {
		return err
	}
	b, err := json.Marshal(now.Changes)
	if err != nil {
		return err
	}
	if string(a) != string(b) || p.Stage != now.Stage || p.AutoDeploy != now.AutoDeploy {
		return ErrDescriptionChanged
	}
	return nil
}
