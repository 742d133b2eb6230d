package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/portcullis-dev/portcullis/diff"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/state"
)

// FormatVersion versions the plan: the `plan` object of `plan --format
// json` and `apply --format json`, and the file `plan -o` writes, one shape
// for REST and HTTP APIs (docs/plan.schema.json). The minor version grows
// with added fields; the major one when a reader of the old shape would
// misread the new (2.0: one shape for both kinds of API, where 1.x had
// `rest_api_id` for a REST API and an HTTP API's plan under `http_plan`).
const FormatVersion = "2.0"

// Plan is what apply executes for a REST API.
type Plan struct {
	FormatVersion string  `json:"format_version"`
	APIType       APIType `json:"api_type"`
	API           string  `json:"api"`
	RestAPIID     string  `json:"api_id"`
	// Target is what the plan was made against ("local DIR", "endpoint
	// URL", "aws REGION"); apply refuses a plan for another.
	Target string `json:"target"`
	// Stage is the stage the plan deploys to ("" when none is described).
	Stage string `json:"stage"`
	// Fingerprint identifies the live API the plan was computed against.
	Fingerprint string `json:"live_fingerprint"`
	// Changes in the order apply makes them.
	Changes []diff.Change `json:"changes"`
	Summary Summary       `json:"summary"`
	// Deploy is the one deployment the plan ends with; nil = none.
	Deploy *Deploy `json:"deploy"`
	// ResourceIDs (path -> id) and AuthorizerIDs (name -> id) are the live
	// ids the changes refer to, as read when the plan was made.
	ResourceIDs   map[string]string `json:"resource_ids"`
	AuthorizerIDs map[string]string `json:"authorizer_ids"`
	// Diagnostics are plan errors and notes (undescribed methods, ...).
	Diagnostics spec.Diagnostics `json:"-"`
}

// Deploy is CreateDeployment to a stage.
type Deploy struct {
	Stage       string            `json:"stage"`
	Description string            `json:"description"`
	Variables   map[string]string `json:"variables,omitempty"`
	// StageDescription is the described stage's description.
	StageDescription string `json:"stage_description,omitempty"`
	// StageExists is false when the deployment creates the stage.
	StageExists bool `json:"stage_exists"`
	// Reasons say why the stage is redeployed.
	Reasons []string `json:"reasons"`
}

// Summary counts the changes as Terraform does.
type Summary struct {
	Add     int `json:"add"`
	Change  int `json:"change"`
	Destroy int `json:"destroy"`
}

// Options tune Make.
type Options = diff.Options

// Make computes the plan for bringing have (nil: the API does not exist)
// to want.
func Make(want *spec.API, have *state.State, opt Options) *Plan {
	res := diff.Compute(want, have, opt)
	p := &Plan{FormatVersion: FormatVersion, APIType: REST, API: want.Name, Stage: res.Stage, Fingerprint: Fingerprint(have), Diagnostics: res.Diagnostics, Changes: []diff.Change{}}
	p.ResourceIDs, p.AuthorizerIDs = map[string]string{}, map[string]string{}
	if have != nil {
		p.RestAPIID = have.RestAPIID
		for path, r := range have.Resources {
			p.ResourceIDs[path] = r.ID
		}
		for _, a := range have.Authorizers {
			if len(have.AuthorizerByName(a.Name)) == 1 {
				p.AuthorizerIDs[a.Name] = a.ID
			}
		}
	}
	var stage *diff.Change
	for i := range res.Changes {
		c := res.Changes[i]
		if c.Kind == diff.KindStage {
			stage = &c
			continue
		}
		p.Changes = append(p.Changes, c)
		switch c.Action {
		case diff.Create:
			p.Summary.Add++
		case diff.Update:
			p.Summary.Change++
		case diff.Delete:
			p.Summary.Destroy++
		}
	}
	sort.SliceStable(p.Changes, func(i, j int) bool {
		a, b := p.Changes[i], p.Changes[j]
		if pa, pb := phase(a), phase(b); pa != pb {
			return pa < pb
		}
		if a.Kind == diff.KindResource {
			return depth(a.Path) < depth(b.Path)
		}
		return false
	})
	if res.Stage == "" {
		return p
	}
	var reasons []string
	if len(p.Changes) > 0 {
		reasons = append(reasons, fmt.Sprintf("%d change(s) to the working configuration", len(p.Changes)))
	}
	d := &Deploy{Stage: res.Stage, StageExists: true}
	if ws := want.Stage(res.Stage); ws != nil {
		d.Variables, d.StageDescription = ws.Variables, ws.Description
	}
	if stage != nil {
		d.StageExists = stage.Stage.Exists
		switch {
		case !stage.Stage.Exists:
			reasons = append(reasons, "the stage does not exist yet")
		default:
			for _, f := range stage.Fields {
				reasons = append(reasons, fmt.Sprintf("%s: %s -> %s", f.Name, f.Old, f.New))
			}
		}
	}
	if len(reasons) == 0 {
		return p
	}
	d.Reasons = reasons
	d.Description = deployDescription(p)
	p.Deploy = d
	return p
}

// phase orders changes so that no method is open or refused in between:
// whatever a method will point at exists before the method is switched,
// and nothing is deleted while something still uses it.
func phase(c diff.Change) int {
	switch {
	case c.Kind == diff.KindAPI:
		return 0
	case c.Kind == diff.KindAuthorizer && c.Action == diff.Create:
		return 1
	case c.Kind == diff.KindAuthorizer && c.Action == diff.Update:
		return 2
	case c.Kind == diff.KindResource:
		return 3
	case c.Kind == diff.KindMethod && c.Action == diff.Create:
		return 4
	case c.Kind == diff.KindMethod && c.Action == diff.Update:
		return 5
	case c.Kind == diff.KindIntegration:
		return 6
	case c.Kind == diff.KindGatewayResponse && c.Action != diff.Delete:
		return 7
	case c.Kind == diff.KindMethod && c.Action == diff.Delete:
		return 8
	case c.Kind == diff.KindAuthorizer && c.Action == diff.Delete:
		return 9
	}
	return 10
}

func depth(p string) int { return strings.Count(p, "/") }

// deployDescription names the change in the deployment's description, so
// the stage history says what each deployment was for.
func deployDescription(p *Plan) string {
	if len(p.Changes) == 0 {
		return "portcullis: redeploy the working configuration"
	}
	var addrs []string
	for _, c := range p.Changes {
		addrs = append(addrs, c.Action.Symbol()+c.Address)
	}
	s := fmt.Sprintf("portcullis: %d to add, %d to change, %d to destroy: %s", p.Summary.Add, p.Summary.Change, p.Summary.Destroy, strings.Join(addrs, ", "))
	if len(s) > 200 {
		s = s[:197] + "..."
	}
	return s
}

// Empty reports whether applying the plan makes no call at all.
func (p *Plan) Empty() bool { return len(p.Changes) == 0 && p.Deploy == nil }

// Fingerprint is a digest of everything read from the live API (nil: the
// API does not exist).
func Fingerprint(s *state.State) string {
	if s == nil {
		return "absent"
	}
	c := *s
	c.Model = nil // derived from the rest, and carries no extra facts
	// A deployment is immutable, so its id (kept) says all its contents
	// would; leaving them out also makes the fingerprint independent of
	// which stages' deployments were read.
	c.Stages = map[string]*state.Stage{}
	for name, st := range s.Stages {
		sc := *st
		sc.Deployed = nil
		c.Stages[name] = &sc
	}
	return digest(&c)
}

// ErrStale means the live API changed since the plan was made.
var ErrStale = errors.New("stale plan: the live API changed since the plan was made; run plan again")

// CheckFresh refuses a saved plan made against another state of the API.
func (p *Plan) CheckFresh(have *state.State) error {
	if got := Fingerprint(have); got != p.Fingerprint {
		return fmt.Errorf("%w (planned against %s, now %s)", ErrStale, p.Fingerprint, got)
	}
	return nil
}

// digest is the fingerprint of a live state made ready for it: the first
// 128 bits of the SHA-256 of its JSON.
func digest(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // strings, maps and slices always encode
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}
