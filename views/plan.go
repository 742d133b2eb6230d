package views

import (
	"io"

	"github.com/portcullis-dev/portcullis/apply"
	"github.com/portcullis-dev/portcullis/plan"
	"github.com/portcullis-dev/portcullis/probe"
	"github.com/portcullis-dev/portcullis/report"
	"github.com/portcullis-dev/portcullis/spec"
)

// PlanDocument is `plan --format json`: for a REST API and an HTTP API
// alike, the plan under `plan` in the one shape of docs/plan.schema.json.
type PlanDocument struct {
	report.Envelope
	Changed bool     `json:"changed"`
	Plan    plan.Any `json:"plan"`
	// SavedTo is the plan file written (-o), "" when none.
	SavedTo string `json:"saved_to"`
}

// NewPlanDocument builds it for a REST API.
func NewPlanDocument(p *plan.Plan, savedTo string) PlanDocument {
	return PlanDocument{Envelope: Envelope(p.Diagnostics), Changed: !p.Empty(), Plan: p, SavedTo: savedTo}
}

// NewHTTPPlanDocument builds it for an HTTP API.
func NewHTTPPlanDocument(p *plan.HTTPPlan, savedTo string) PlanDocument {
	return PlanDocument{Envelope: Envelope(p.Diagnostics), Changed: !p.Empty(), Plan: p, SavedTo: savedTo}
}

// ApplyResult is what apply did, for JSON; the same fields for both kinds
// of API, with RestAPIID kept for readers of the REST document before
// api_id.
type ApplyResult struct {
	APIID        string `json:"api_id"`
	RestAPIID    string `json:"rest_api_id,omitempty"`
	Calls        int    `json:"calls"`
	DeploymentID string `json:"deployment_id"`
	Stage        string `json:"stage"`
	InvokeURL    string `json:"invoke_url"`
	// AutoDeploy says the stage deploys itself (HTTP APIs), so there is
	// no deployment.
	AutoDeploy bool `json:"auto_deploy"`
	// Recovered lists the creates whose answer was lost and whose object
	// apply found and adopted instead of creating it again.
	Recovered []string `json:"recovered"`
}

// ApplyDocument is `apply --format json`: the plan (as PlanDocument's),
// whether it was applied (false with --dry-run or when it failed), the
// result, and the probe when --probe ran: probe's document
// (ProbeDocument), one shape for both kinds of API.
type ApplyDocument struct {
	report.Envelope
	Changed bool           `json:"changed"`
	Plan    plan.Any       `json:"plan"`
	Applied bool           `json:"applied"`
	Result  *ApplyResult   `json:"result"`
	Probe   *ProbeDocument `json:"probe"`
	Error   string         `json:"error"`
}

// NewApplyResult converts apply's result for a REST API.
func NewApplyResult(r apply.Result, stage, url string) *ApplyResult {
	return &ApplyResult{APIID: r.RestAPIID, RestAPIID: r.RestAPIID, Calls: r.Calls, DeploymentID: r.DeploymentID, Stage: stage, InvokeURL: url, Recovered: nonNil(r.Recovered)}
}

// NewHTTPApplyResult converts apply's result for an HTTP API.
func NewHTTPApplyResult(r apply.HTTPResult, stage, url string) *ApplyResult {
	return &ApplyResult{APIID: r.APIID, Calls: r.Calls, DeploymentID: r.DeploymentID, Stage: stage, InvokeURL: url, AutoDeploy: r.AutoDeploy, Recovered: nonNil(r.Recovered)}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// DeployDocument is `deploy --format json`, one shape for both kinds of
// API (api_type as in the plan).
type DeployDocument struct {
	report.Envelope
	APIType plan.APIType `json:"api_type"`
	APIID   string       `json:"api_id"`
	// RestAPIID repeats APIID for a REST API, for readers from before
	// api_id.
	RestAPIID    string `json:"rest_api_id,omitempty"`
	Stage        string `json:"stage"`
	DeploymentID string `json:"deployment_id"`
	InvokeURL    string `json:"invoke_url"`
	// Calls counts the write calls made; CreatedStage says one of them
	// created the stage.
	Calls        int  `json:"calls"`
	CreatedStage bool `json:"created_stage"`
	// AutoDeploy: the stage deploys itself (HTTP APIs); nothing was
	// deployed, and DeploymentID is the one it serves.
	AutoDeploy bool `json:"auto_deploy"`
	// Undeployed is what the stage served differently from the working
	// configuration before the deploy; null when it was not read (always
	// for a REST API).
	Undeployed []string `json:"undeployed_routes"`
}

// ProbeText prints the matrix as a table, then the findings (the passes,
// PC-P000, are left to the table, where a line per protected route would
// bury the problems).
func ProbeText(w io.Writer, r *report.Report, res *probe.Result) error {
	if err := ProbeTable(w, res); err != nil {
		return err
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return err
	}
	r.Diagnostics = WithoutPasses(r.Diagnostics)
	return report.Write(w, "text", r)
}

// WithoutPasses drops PC-P000, for the text and GitHub formats.
func WithoutPasses(ds spec.Diagnostics) spec.Diagnostics {
	var out spec.Diagnostics
	for _, d := range ds {
		if d.Code != probe.CodeProtected && d.Code != probe.CodeBrowserOK {
			out = append(out, d)
		}
	}
	return out
}
