package workflow

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/portcullis-dev/portcullis/apply"
	"github.com/portcullis-dev/portcullis/diff"
	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/openapi"
	"github.com/portcullis-dev/portcullis/internal/loopback"
	"github.com/portcullis-dev/portcullis/live"
	"github.com/portcullis-dev/portcullis/plan"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/state"
)

// The HTTP API (API Gateway v2) steps: the same sequence as for REST APIs
// (read, plan, apply, stage URL) through the apigatewayv2 client.

// ReadHTTP reads the live HTTP API api names (nil when there is none).
func ReadHTTP(ctx context.Context, s *Session, api *spec.HTTPAPI) (*state.HTTPAPI, error) {
	id, err := live.FindHTTPAPI(ctx, s.HTTP, api)
	if err != nil {
		return nil, fail("read", "%v", err)
	}
	if id == "" {
		return nil, nil
	}
	have, err := live.ReadHTTPAPI(ctx, s.HTTP, id, s.Region)
	if err != nil {
		return nil, fail("read", "reading HTTP API %s: %v", id, err)
	}
	return have, nil
}

// PlanHTTP reads the live API and plans the changes. stage must be
// described or live, or newStage (--new-stage) lets the plan create it as
// a stage without auto-deploy, as for REST APIs (workflow/stage.go).
func PlanHTTP(ctx context.Context, s *Session, api *spec.HTTPAPI, stage string, prune, newStage bool) (*plan.HTTPPlan, *state.HTTPAPI, error) {
	have, err := ReadHTTP(ctx, s, api)
	if err != nil {
		return nil, nil, err
	}
	if stage != "" && api.Stage(stage) == nil {
		switch {
		case have != nil && have.Stages[stage] != nil:
		case newStage:
			api = withNewStage(api, stage)
		default:
			var names []string
			for _, st := range api.Stages {
				names = append(names, st.Name)
			}
			return nil, nil, fail("plan", "--stage %q is neither described nor live in http_api %q (described: %s): fix the name, add a stage %q block to the description, or pass --new-stage to create it",
				stage, api.Name, strings.Join(names, ", "), stage)
		}
	}
	p := plan.MakeHTTP(api, have, diff.HTTPOptions{Stage: stage, Prune: prune})
	p.Target = s.Target()
	return p, have, nil
}

// withNewStage is a copy of api that also describes the stage name (as
// --new-stage creates it: no auto-deploy), so the description's model
// stays as read.
func withNewStage(api *spec.HTTPAPI, name string) *spec.HTTPAPI {
	cp := *api
	cp.Stages = append(append([]*spec.HTTPStage{}, api.Stages...), &spec.HTTPStage{Name: name})
	return &cp
}

// ApplyHTTP applies p.
func ApplyHTTP(ctx context.Context, s *Session, p *plan.HTTPPlan, have *state.HTTPAPI, progress apply.Progress) (apply.HTTPResult, error) {
	return apply.HTTP(ctx, s.HTTP, p, have, apply.Options{Progress: progress})
}

// HTTPStageURL is where the stage of HTTP API id is invoked: the embedded
// or a loopback gateway's path form, else the API's endpoint with the
// stage segment ($default has none).
func HTTPStageURL(s *Session, id, endpoint, stage string) string {
	if s.Local || loopback.URL(s.EndpointURL) {
		return strings.TrimRight(s.EndpointURL, "/") + "/restapis/" + id + "/" + stage + "/_user_request_"
	}
	if stage == spec.DefaultStageName {
		return endpoint
	}
	return endpoint + "/" + stage
}

// PlanSavedHTTP re-reads the live API and re-makes the saved plan p (from
// file): refused for another API or target (as CheckTarget), once the
// live API has changed, or when the description no longer gives the same
// changes. The re-made plan is what apply executes: it is the saved one
// with the description's values the file leaves out.
func PlanSavedHTTP(ctx context.Context, s *Session, api *spec.HTTPAPI, p *plan.HTTPPlan, file string) (*plan.HTTPPlan, *state.HTTPAPI, error) {
	if p.API != api.Name {
		return nil, nil, fail("plan", "%s is a plan for http_api %q, not %q: make a plan for this description with portcullis plan", file, p.API, api.Name)
	}
	if p.Target != "" && p.Target != s.Target() {
		return nil, nil, fail("plan", "%s was made for %s, not %s: apply it with the flags it was planned with (--local, --endpoint-url, --region), or plan again", file, p.Target, s.Target())
	}
	// The saved plan already decided whether its stage may be created.
	now, have, err := PlanHTTP(ctx, s, api, p.Stage, p.Prune, true)
	if err != nil {
		return nil, nil, err
	}
	if err := p.CheckFresh(have); err != nil {
		return nil, nil, fail("plan", "%s: %v", file, err)
	}
	if err := p.Same(now); err != nil {
		return nil, nil, fail("plan", "%s: %v", file, err)
	}
	now.Target = p.Target
	return now, have, nil
}

// HTTPDeployResult is what DeployHTTP did.
type HTTPDeployResult struct {
	APIID        string
	Stage        string
	DeploymentID string
	// AutoDeploy: the stage deploys itself, so nothing was deployed and
	// DeploymentID is the one it already serves.
	AutoDeploy bool
	// CreatedStage: the stage was described (or --new-stage) but not live.
	CreatedStage bool
	// Undeployed lists the routes whose auth the stage served differently
	// from the working configuration before the deploy ("KEY: deployed ->
	// working"), as drift-undeployed does; Known is false when what the
	// stage served could not be read (no deployment, or no ExportApi).
	Undeployed []string
	Known      bool
	Endpoint   string
	Calls      int
}

// DeployHTTP deploys the live HTTP API's working configuration to stage
// (default: the first described) with one CreateDeployment, creating the
// stage first when it is described (or newStage) but not live. A stage
// with auto-deploy deploys itself after every change, and API Gateway
// refuses CreateDeployment for it: nothing is called, and the result says
// so; it is an error only when that stage still serves another auth
// surface than the working configuration (its automatic deployment
// failed or has not happened).
func DeployHTTP(ctx context.Context, s *Session, api *spec.HTTPAPI, stage, description string, newStage bool, progress apply.Progress) (HTTPDeployResult, error) {
	if stage == "" && len(api.Stages) > 0 {
		stage = api.Stages[0].Name
	}
	if stage == "" {
		return HTTPDeployResult{}, fail("stage", "http_api %q describes no stage: pass --stage NAME", api.Name)
	}
	have, err := ReadHTTP(ctx, s, api)
	if err != nil {
		return HTTPDeployResult{}, err
	}
	if have == nil {
		return HTTPDeployResult{}, fail("read", "no HTTP API is named %q (%s): apply the description first", api.Name, s.Target())
	}
	res := HTTPDeployResult{APIID: have.APIID, Stage: stage, Endpoint: have.Endpoint}
	res.Undeployed, res.Known = have.Undeployed(stage)
	want := api.Stage(stage)
	cur := have.Stages[stage]
	p := &plan.HTTPPlan{API: api.Name, APIID: have.APIID, Stage: stage, Target: s.Target()}
	switch {
	case cur != nil && cur.AutoDeploy:
		res.AutoDeploy, res.DeploymentID = true, cur.DeploymentID
		if len(res.Undeployed) > 0 {
			return res, fail("deploy", "stage %q deploys itself (auto-deploy), yet serves another auth surface than the working configuration (deployed -> working): %s; API Gateway's automatic deployment failed or is pending (see the stage's lastDeploymentStatusMessage)",
				stage, strings.Join(res.Undeployed, "; "))
		}
		return res, nil
	case cur == nil:
		if want == nil && !newStage {
			var names []string
			for _, st := range api.Stages {
				names = append(names, st.Name)
			}
			return res, fail("stage", "--stage %q is neither described nor live in http_api %q (described: %s): pass --new-stage to create it", stage, api.Name, strings.Join(names, ", "))
		}
		if want == nil {
			want = &spec.HTTPStage{Name: stage}
		}
		p.Changes = append(p.Changes, diff.HTTPChange{Action: diff.Create, Kind: diff.KindHTTPStage, Address: "stage." + stage, Key: stage, Stage: want})
		res.CreatedStage = true
		if want.AutoDeploy {
			// Created with auto-deploy, the stage deploys itself.
			res.AutoDeploy = true
		}
	}
	if !res.AutoDeploy {
		if description == "" {
			description = "portcullis deploy: redeploy the working configuration"
		}
		p.Changes = append(p.Changes, diff.HTTPChange{Action: diff.Create, Kind: diff.KindDeployment, Address: "deployment." + stage, Key: stage,
			Fields: []diff.Field{{Name: "description", New: description}}})
	}
	out, err := apply.HTTP(ctx, s.HTTP, p, have, apply.Options{Progress: progress})
	res.Calls = out.Calls
	if ae := (*apply.Error)(nil); errors.As(err, &ae) {
		hint := ""
		if live.Unimplemented(ae.Err) {
			hint = fmt.Sprintf(" (the gateway at %s answered with something other than an API Gateway error: it probably does not implement %s)", s.Target(), ae.Op)
		}
		return res, fail("deploy", "%s %s failed after %d of %d call(s)%s: %v; nothing was deployed", ae.Op, ae.Change, ae.Done, ae.Total, hint, ae.Err)
	}
	if err != nil {
		return res, fail("deploy", "%v", err)
	}
	res.DeploymentID = out.DeploymentID
	if res.AutoDeploy && res.DeploymentID == "" {
		if st, err := ReadHTTP(ctx, s, api); err == nil && st != nil && st.Stages[stage] != nil {
			res.DeploymentID = st.Stages[stage].DeploymentID
		}
	}
	return res, nil
}

// HTTPImportOptions tune ApplyHTTPImport.
type HTTPImportOptions struct {
	Prune    bool
	Progress apply.Progress
	// Notify hears what the import does (stderr in the CLI).
	Notify func(format string, args ...any)
}

// ApplyHTTPImport is `apply --strategy import` for an HTTP API: it
// generates the OpenAPI document (generators/openapi), pushes it with
// ImportApi (a new API) or ReimportApi (apply.ImportHTTP: one call that
// replaces routes, integrations, authorizers and CORS, verified after),
// then plans again from what the import left (stages, anything it did not
// cover) and applies that, with the one CreateDeployment a manual stage
// needs (none for an auto-deploying one, which the import already
// redeployed). p is the plan made before (an empty one means nothing to
// do and is not imported); the plan returned is the one applied after the
// import.
//
// ReimportApi has no merge mode: what the document does not have is
// deleted. So without --prune it is refused when the live API has routes,
// authorizers or CORS the description does not, and always when a route
// declares no integration (the import would leave it without a target).
func ApplyHTTPImport(ctx context.Context, s *Session, api *spec.HTTPAPI, have *state.HTTPAPI, p *plan.HTTPPlan, o HTTPImportOptions) (*plan.HTTPPlan, apply.HTTPResult, error) {
	notify := o.Notify
	if notify == nil {
		notify = func(string, ...any) {}
	}
	if onlyStages(p) {
		// Stages and deployments are not in the document: an import would
		// be a call that changes nothing.
		notify("Only stages or the deployment differ, which the OpenAPI document does not carry: applying the plan's calls.")
		res, err := apply.HTTP(ctx, s.HTTP, p, have, apply.Options{Progress: o.Progress})
		return p, res, err
	}
	if refusals := httpImportRefusals(api, have, o.Prune); len(refusals) > 0 {
		fix := "use --strategy patch"
		if !o.Prune {
			fix += " (or --prune, if they should go)"
		}
		return p, apply.HTTPResult{}, fail("apply", "--strategy import replaces the whole HTTP API with ReimportApi, and %s: %s; nothing was changed",
			strings.Join(refusals, "; "), fix)
	}
	// A stage the description lacks (PlanHTTP let it through: live, or
	// --new-stage) is not the document's: a new one is described as the
	// plan creates it, a live one is left as it is.
	genStage := p.Stage
	if p.Stage != "" && api.Stage(p.Stage) == nil {
		if have == nil || have.Stages[p.Stage] == nil {
			api = withNewStage(api, p.Stage)
		} else {
			genStage = ""
		}
	}
	files, err := openapi.New().Generate(&spec.Description{HTTPAPIs: []*spec.HTTPAPI{api}}, generators.Options{Format: "json", Stage: genStage})
	if err != nil || len(files) != 1 {
		return p, apply.HTTPResult{}, fail("apply", "generating the OpenAPI document: %v", err)
	}
	calls := 0
	if have != nil && !s.Local && s.HTTP.Options().BaseEndpoint != nil {
		// Not AWS itself: make sure ReimportApi is not a stub first.
		calls++
		if err := apply.CheckHTTPImport(ctx, s.HTTP); err != nil {
			return p, apply.HTTPResult{Calls: calls}, fail("apply", "--strategy import needs ImportApi and ReimportApi, and %s: %v; nothing was changed: use --strategy patch", s.Target(), err)
		}
	}
	op := "ImportApi"
	if have != nil {
		op = "ReimportApi"
	}
	notify("Importing the generated OpenAPI (%d bytes) with %s failOnWarnings=true...", len(files[0].Content), op)
	got, n, err := apply.ImportHTTP(ctx, s.HTTP, api, have, files[0].Content, s.Region, p.Stage)
	calls += n
	if err != nil {
		if live.Unimplemented(err) {
			return p, apply.HTTPResult{Calls: calls}, fail("apply", "%v: %s answered with something other than an API Gateway error, so it probably does not implement %s: use --strategy patch", err, s.Target(), op)
		}
		return p, apply.HTTPResult{Calls: calls}, fail("apply", "%v (after %d write call(s))", err, calls)
	}
	notify("Imported into %s (%d call(s)); every route has the authorization described.", got.APIID, calls)
	next, res, err := apply.HTTPAfterImport(ctx, s.HTTP, api, got, p.Stage, o.Prune, apply.Options{Progress: o.Progress})
	next.Target = s.Target()
	res.Calls += calls
	return next, res, err
}

// onlyStages reports a plan with nothing for an import to change.
func onlyStages(p *plan.HTTPPlan) bool {
	for _, c := range p.Changes {
		if c.Kind != diff.KindHTTPStage && c.Kind != diff.KindDeployment {
			return false
		}
	}
	return true
}

// httpImportRefusals says why ReimportApi would do more than the plan:
// routes without an integration, and without prune what it would delete.
func httpImportRefusals(api *spec.HTTPAPI, have *state.HTTPAPI, prune bool) []string {
	var out, bare []string
	for _, r := range api.Routes {
		if r.Integration == nil {
			bare = append(bare, r.Key)
		}
	}
	if len(bare) > 0 {
		out = append(out, fmt.Sprintf("%s declare(s) no integration (the import would leave them without a target)", strings.Join(bare, ", ")))
	}
	if have != nil {
		// Not even with --prune: the plan never shows a mapping, so its
		// removal would be silent (apply.ImportHTTP refuses it too).
		if mapped := have.MappedIntegrations(); len(mapped) > 0 {
			out = append(out, fmt.Sprintf("it would remove the parameter mapping (requestParameters, responseParameters) of live integration(s) %s, which Portcullis does not describe", strings.Join(mapped, ", ")))
		}
	}
	if have == nil || prune {
		return out
	}
	var routes, azs []string
	for _, r := range have.Routes {
		if api.Route(r.Key) == nil {
			routes = append(routes, r.Key)
		}
	}
	for _, a := range have.Authorizers {
		if api.AuthorizerByName(a.Name) == nil {
			azs = append(azs, a.Name)
		}
	}
	if len(routes) > 0 {
		out = append(out, fmt.Sprintf("it would delete the live routes the description does not have (%s)", strings.Join(routes, ", ")))
	}
	if len(azs) > 0 {
		out = append(out, fmt.Sprintf("it would delete the live authorizers the description does not have (%s)", strings.Join(azs, ", ")))
	}
	if have.CORS != nil && api.CORS == nil {
		out = append(out, "it would delete the live CORS configuration the description does not have")
	}
	return out
}
