package workflow

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"

	"github.com/portcullis-dev/portcullis/apply"
	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/openapi"
	"github.com/portcullis-dev/portcullis/live"
	"github.com/portcullis-dev/portcullis/plan"
	"github.com/portcullis-dev/portcullis/probe"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/state"
)

// Read reads the live API the description names for the stage a command
// targets (nil when it does not exist yet and is named only by name).
func Read(ctx context.Context, s *Session, api *spec.API, stage string) (*state.State, error) {
	st, err := live.ReadFor(ctx, s.Client, api, live.ForStage(api, stage))
	if err != nil {
		return nil, fail("read", "reading the live API %q (%s): %v", api.Name, s.Target(), err)
	}
	return st, nil
}

// PlanOptions tune Plan.
type PlanOptions struct {
	Stage    string
	Prune    bool
	NewStage bool
	// Redeploy plans a deployment even when nothing shows one is needed.
	Redeploy bool
}

// Plan reads the live API, checks the stage flag against it and plans.
// The plan records the session's target.
func Plan(ctx context.Context, s *Session, api *spec.API, o PlanOptions) (*plan.Plan, *state.State, error) {
	have, err := Read(ctx, s, api, o.Stage)
	if err != nil {
		return nil, nil, err
	}
	if err := CheckStage(api, o.Stage, have, o.NewStage); err != nil {
		return nil, have, err
	}
	p := plan.Make(api, have, plan.Options{Stage: o.Stage, Prune: o.Prune, Redeploy: o.Redeploy})
	p.Target = s.Target()
	return p, have, nil
}

// CheckTarget refuses a saved plan for another API or another target
// (a plan made with --local is never applied to AWS); it needs no call.
func CheckTarget(p *plan.Plan, file string, s *Session, api *spec.API) error {
	if p.API != api.Name {
		return fail("plan", "%s is a plan for api %q, not %q: make a plan for this description with portcullis plan", file, p.API, api.Name)
	}
	if p.Target != "" && p.Target != s.Target() {
		return fail("plan", "%s was made for %s, not %s: apply it with the flags it was planned with (--local, --endpoint-url, --region), or plan again", file, p.Target, s.Target())
	}
	return nil
}

// CheckSaved is CheckTarget, then refuses a plan made against another
// state of the live API than the one now read.
func CheckSaved(p *plan.Plan, file string, s *Session, api *spec.API, have *state.State) error {
	if err := CheckTarget(p, file, s, api); err != nil {
		return err
	}
	if err := p.CheckFresh(have); err != nil {
		return fail("plan", "%s: %v", file, err)
	}
	return nil
}

// ApplyOptions tune Apply.
type ApplyOptions struct {
	// Strategy is "patch" (the plan's minimal calls) or "import"
	// (PutRestApi of the generated OpenAPI, then the plan's leftovers).
	Strategy string
	Stage    string
	Prune    bool
	Redeploy bool
	Progress apply.Progress
	// Notify hears what the import strategy does (stderr in the CLI).
	Notify func(format string, args ...any)
}

// Apply carries the plan out and deploys once. With the import strategy
// it first pushes the generated OpenAPI and re-plans from what the import
// left. Cancelling ctx finishes the call in flight and stops
// (apply.Error.Stopped).
func Apply(ctx context.Context, s *Session, api *spec.API, have *state.State, p *plan.Plan, o ApplyOptions) (*plan.Plan, apply.Result, error) {
	imported := 0
	if o.Strategy == "import" {
		var err error
		if p, imported, err = importStrategy(ctx, s, api, have, o); err != nil {
			return p, apply.Result{Calls: imported}, err
		}
	}
	res, err := apply.Apply(ctx, s.Client, p, apply.Options{Progress: o.Progress, DeployRetries: 3})
	res.Calls += imported
	return p, res, err
}

// importStrategy pushes the generated OpenAPI, verifies it, and returns
// the plan that finishes the job (leftovers and the one deployment).
func importStrategy(ctx context.Context, s *Session, api *spec.API, have *state.State, o ApplyOptions) (*plan.Plan, int, error) {
	notify := o.Notify
	if notify == nil {
		notify = func(string, ...any) {}
	}
	var bare []string
	for _, r := range api.Routes {
		if r.Integration == nil {
			bare = append(bare, r.Key())
		}
	}
	if len(bare) > 0 {
		return nil, 0, fail("apply", "--strategy import replaces the integration of every method it imports, and %s declare(s) no integration: declare them, or use --strategy patch", strings.Join(bare, ", "))
	}
	files, err := openapi.New().Generate(&spec.Description{APIs: []*spec.API{api}}, generators.Options{Format: "json", Stage: o.Stage})
	if err != nil || len(files) != 1 {
		return nil, 0, fail("apply", "generating the OpenAPI document: %v", err)
	}
	notify("Importing the generated OpenAPI (%d bytes) with PutRestApi mode=merge failonwarnings=true...", len(files[0].Content))
	id, calls, err := apply.Import(ctx, s.Client, api, have, files[0].Content)
	if err != nil {
		return nil, calls, fail("apply", "%v (after %d write call(s))", err, calls)
	}
	notify("Imported into %s (%d call(s)); every method has its authorizer.", id, calls)
	st, err := live.Read(ctx, s.Client, id, live.ForStage(api, o.Stage))
	if err != nil {
		return nil, calls, fail("read", "reading the API back: %v", err)
	}
	p := plan.Make(api, st, plan.Options{Stage: o.Stage, Prune: o.Prune, Redeploy: o.Redeploy})
	p.Target = s.Target()
	if stage := DeployedStage(p, api, o.Stage); p.Deploy == nil && p.RestAPIID != "" && stage != "" {
		// The import changed the working configuration; deploy it.
		p.Deploy = &plan.Deploy{Stage: stage, StageExists: st.Stages[stage] != nil,
			Description: "portcullis: import of the generated OpenAPI", Reasons: []string{"the import changed the working configuration"}}
		if ws := api.Stage(stage); ws != nil {
			p.Deploy.Variables, p.Deploy.StageDescription = ws.Variables, ws.Description
		}
	}
	return p, calls, nil
}

// DeployedStage is the stage a plan deploys, else the one the command
// targets.
func DeployedStage(p *plan.Plan, api *spec.API, flag string) string {
	if p != nil && p.Deploy != nil {
		return p.Deploy.Stage
	}
	return StageOf(api, flag)
}

// DeployResult is what Deploy did.
type DeployResult struct {
	RestAPIID    string
	Stage        string
	DeploymentID string
	// Calls counts the write calls; CreatedStage says the stage was new.
	Calls        int
	CreatedStage bool
}

// Deploy makes one deployment of the live API's working configuration to
// the stage, with the stage variables the description gives it. The stage
// must be described or live (or newStage given).
func Deploy(ctx context.Context, s *Session, api *spec.API, stage, description string, newStage bool) (DeployResult, error) {
	stage = StageOf(api, stage)
	if stage == "" {
		return DeployResult{}, fail("stage", "api %q describes no stage: pass --stage NAME", api.Name)
	}
	id, _, err := live.Find(ctx, s.Client, live.Target{RestAPIID: api.RestAPIID, Name: api.Name})
	if err != nil {
		if errors.Is(err, live.ErrNotFound) {
			return DeployResult{}, fail("read", "%v (%s): apply the description first", err, s.Target())
		}
		return DeployResult{}, fail("read", "%v", err)
	}
	exists := true
	if _, err := s.Client.GetStage(ctx, &apigateway.GetStageInput{RestApiId: aws.String(id), StageName: aws.String(stage)}); err != nil {
		if !live.IsNotFound(err) {
			return DeployResult{}, fail("read", "reading stage %q of REST API %s: %v", stage, id, err)
		}
		exists = false
		if api.Stage(stage) == nil && !newStage {
			return DeployResult{}, CheckStage(api, stage, nil, false)
		}
	}
	if description == "" {
		description = "portcullis deploy: redeploy the working configuration"
	}
	d := &plan.Deploy{Stage: stage, Description: description, StageExists: exists}
	if ws := api.Stage(stage); ws != nil {
		d.Variables, d.StageDescription = ws.Variables, ws.Description
	}
	res, err := apply.Apply(ctx, s.Client, &plan.Plan{RestAPIID: id, Deploy: d}, apply.Options{DeployRetries: 3})
	if err != nil {
		return DeployResult{}, fail("deploy", "%v", err)
	}
	return DeployResult{RestAPIID: id, Stage: stage, DeploymentID: res.DeploymentID, Calls: res.Calls, CreatedStage: !exists}, nil
}

// StageURL finds the API (by id when given, else as the description names
// it), checks that the stage exists, and returns its invoke URL.
func StageURL(ctx context.Context, s *Session, api *spec.API, id, stage string) (string, error) {
	if id == "" {
		var err error
		id, _, err = live.Find(ctx, s.Client, live.Target{RestAPIID: api.RestAPIID, Name: api.Name})
		if errors.Is(err, live.ErrNotFound) {
			return "", fail("read", "%v (%s): apply the description first", err, s.Target())
		}
		if err != nil {
			return "", fail("read", "finding the API: %v", err)
		}
	}
	if _, err := s.Client.GetStage(ctx, &apigateway.GetStageInput{RestApiId: aws.String(id), StageName: aws.String(stage)}); err != nil {
		if live.IsNotFound(err) {
			return "", fail("stage", "REST API %s (%s) has no stage %q: deploy it first (portcullis deploy PATH --stage %s), or fix --stage", id, api.Name, stage, stage)
		}
		return "", fail("read", "reading stage %q of REST API %s: %v", stage, id, err)
	}
	if err := CheckInvokeURL(ctx, s); err != nil {
		return "", fail("stage", "%v", err)
	}
	return InvokeURL(s, id, stage), nil
}

// InvokeURL is where a deployed stage answers through this session.
func InvokeURL(s *Session, id, stage string) string {
	if endpoint := endpointOf(s); endpoint != "" {
		return probe.LocalInvokeURL(endpoint, id, stage)
	}
	return probe.InvokeURL(id, s.Region, stage)
}

// CheckInvokeURL says whether InvokeURL's answer can be trusted: AWS's
// own URL always, the path-style one only on a gateway known to serve it
// (probe.CheckPathStyle; moto serves no stages at all).
func CheckInvokeURL(ctx context.Context, s *Session) error {
	if endpoint := endpointOf(s); endpoint != "" && !s.Local {
		return probe.CheckPathStyle(ctx, http.DefaultClient, endpoint)
	}
	return nil
}

// endpointOf is the endpoint the session calls when it is not AWS itself
// (--endpoint-url, --local, or AWS_ENDPOINT_URL*), else "".
func endpointOf(s *Session) string {
	if s.EndpointURL != "" {
		return s.EndpointURL
	}
	if s.Client != nil && s.Client.Options().BaseEndpoint != nil {
		return aws.ToString(s.Client.Options().BaseEndpoint)
	}
	return ""
}
