package views

import (
	"io"

	"github.com/portcullis-dev/portcullis/apply"
	"github.com/portcullis-dev/portcullis/plan"
	"github.com/portcullis-dev/portcullis/probe"
	"github.com/portcullis-dev/portcullis/report"
	"github.com/portcullis-dev/portcullis/spec"
)

// PlanDocument is `plan --format json`.
type PlanDocument struct {
	report.Envelope
	Changed bool       `json:"changed"`
	Plan    *plan.Plan `json:"plan"`
	// SavedTo is the plan file written (-o), "" when none.
	SavedTo string `json:"saved_to"`
}

// NewPlanDocument builds it.
func NewPlanDocument(p *plan.Plan, savedTo string) PlanDocument {
	return PlanDocument{Envelope: Envelope(p.Diagnostics), Changed: !p.Empty(), Plan: p, SavedTo: savedTo}
}

// ApplyResult is what apply did, for JSON.
type ApplyResult struct {
	RestAPIID    string `json:"rest_api_id"`
	Calls        int    `json:"calls"`
	DeploymentID string `json:"deployment_id"`
	Stage        string `json:"stage"`
	InvokeURL    string `json:"invoke_url"`
}

// ApplyDocument is `apply --format json`: the plan, whether it was
// applied (false with --dry-run or when it failed), the result, and the
// probe when --probe ran.
type ApplyDocument struct {
	report.Envelope
	Changed bool           `json:"changed"`
	Plan    *plan.Plan     `json:"plan"`
	Applied bool           `json:"applied"`
	Result  *ApplyResult   `json:"result"`
	Probe   *ProbeDocument `json:"probe"`
	Error   string         `json:"error"`
}

// NewApplyResult converts apply's result.
func NewApplyResult(r apply.Result, stage, url string) *ApplyResult {
	return &ApplyResult{RestAPIID: r.RestAPIID, Calls: r.Calls, DeploymentID: r.DeploymentID, Stage: stage, InvokeURL: url}
}

// DeployDocument is `deploy --format json`.
type DeployDocument struct {
	report.Envelope
	RestAPIID    string `json:"rest_api_id"`
	Stage        string `json:"stage"`
	DeploymentID string `json:"deployment_id"`
	InvokeURL    string `json:"invoke_url"`
}

// ProbeDocument is `probe --format json`: the findings in the envelope and
// the whole request matrix (every route, every check, its status and
// class).
type ProbeDocument struct {
	report.Envelope
	Matrix *probe.Result `json:"matrix"`
}

// NewProbeDocument builds it.
func NewProbeDocument(ds spec.Diagnostics, res *probe.Result) *ProbeDocument {
	if res == nil {
		res = &probe.Result{Routes: []probe.RouteResult{}}
	}
	return &ProbeDocument{Envelope: Envelope(ds), Matrix: res}
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
