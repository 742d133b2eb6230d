package workflow

import (
	"context"
	"strings"

	"github.com/portcullis-dev/portcullis/apply"
	"github.com/portcullis-dev/portcullis/diff"
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

// PlanHTTP reads the live API and plans the changes.
func PlanHTTP(ctx context.Context, s *Session, api *spec.HTTPAPI, stage string, prune bool) (*plan.HTTPPlan, *state.HTTPAPI, error) {
	if stage != "" && api.Stage(stage) == nil {
		var names []string
		for _, st := range api.Stages {
			names = append(names, st.Name)
		}
		return nil, nil, fail("plan", "--stage %q is not a stage of http_api %q (it has %s)", stage, api.Name, strings.Join(names, ", "))
	}
	have, err := ReadHTTP(ctx, s, api)
	if err != nil {
		return nil, nil, err
	}
	p := plan.MakeHTTP(api, have, diff.HTTPOptions{Stage: stage, Prune: prune})
	p.Target = s.Target()
	return p, have, nil
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
	now, have, err := PlanHTTP(ctx, s, api, p.Stage, p.Prune)
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
