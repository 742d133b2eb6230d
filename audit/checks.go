package audit

import (
	"strings"

	"github.com/portcullis-dev/portcullis/policies"
	"github.com/portcullis-dev/portcullis/probe"
	"github.com/portcullis-dev/portcullis/report"
	"github.com/portcullis-dev/portcullis/spec"
)

// Codes of the audit's own checks. They are stable: CI configurations
// name them in --fail-on and code scanning tracks them.
const (
	CodeOpenIntentUnknown = "AUD001"
	CodeOpenNotDeclared   = "AUD002"
	CodeServedOpen        = "AUD003"
	CodeUndeployed        = "AUD004"
	CodeNoDeployment      = "AUD005"
	CodeErrorsWithoutCORS = "AUD006"
	CodePoolUnexpected    = "AUD007"
	CodeNoDescription     = "AUD008"
	CodeUnreadable        = "AUD009"
	CodeUnverified        = "AUD010"
)

// DocsBase is where rule documentation lives; findings link to it.
const DocsBase = report.ToolInformationURI + "/blob/main/docs/"

// Check describes one audit check: what docs/audit.md documents and what
// SARIF carries as rule metadata.
type Check struct {
	ID       string
	Name     string
	Severity spec.Severity
	Summary  string
	Help     string
}

// checks is the explicit, sorted registry of the audit's own checks.
var checks = []Check{
	{CodeOpenIntentUnknown, "open-intent-unknown", spec.SeverityWarning, "A method is open and no description says whether on purpose",
		"The method has authorization NONE and the API has no description in the baseline, so nobody has said whether it is public on purpose. Describe the API (public = true with a reason for intended openings) and pass it with --baseline, or attach an authorizer."},
	{CodeOpenNotDeclared, "open-not-declared", spec.SeverityError, "A method is open but its description does not declare it public",
		"The API's description guards this method (or does not have it), yet the live method has authorization NONE: it was opened out of band or added without an authorizer. Run `portcullis apply` with the description, or declare the method public with a reason."},
	{CodeServedOpen, "served-open", spec.SeverityError, "A stage serves a method open that the working configuration protects",
		"The stage's deployment captured the method with authorization NONE; the working configuration has since protected (or removed) it but was never deployed, so the internet still gets the open method. Deploy the stage (`portcullis deploy --stage NAME`)."},
	{CodeUndeployed, "undeployed-changes", spec.SeverityWarning, "A stage serves an older configuration than the API shows",
		"What the console shows (the working configuration) is not what the stage serves: methods, authorization, authorizers, scopes or pools changed since the stage's deployment. Review the changes and deploy them, or revert them."},
	{CodeNoDeployment, "stage-without-deployment", spec.SeverityWarning, "A stage has no deployment",
		"The stage points at no deployment, so it serves nothing; it is usually a leftover. Delete it or deploy to it."},
	{CodeErrorsWithoutCORS, "auth-errors-without-cors", spec.SeverityWarning, "Browser-facing API whose 401/403 answers carry no CORS headers",
		"The API answers CORS preflights (OPTIONS methods) and guards methods with an authorizer, but neither UNAUTHORIZED/ACCESS_DENIED nor DEFAULT_4XX sets Access-Control-Allow-Origin, so browsers report a refused token as a CORS error. Add the header to DEFAULT_4XX."},
	{CodePoolUnexpected, "pool-unexpected", spec.SeverityWarning, "An authorizer trusts a user pool in an unexpected account or not the described one",
		"The authorizer's user pool is in an account outside --account, or is not one of the pools the API's description lists for the authorizer. Tokens from that pool pass the API."},
	{CodeNoDescription, "no-description", spec.SeverityInfo, "The API has no description in the baseline",
		"No description in --baseline matches the API by rest_api_id or by name and region, so its open methods cannot be judged on intent. Import it (`portcullis import`) and keep the description with the others."},
	{CodeUnreadable, "unreadable", spec.SeverityError, "A region or API could not be read",
		"The audit could not read it (access denied, throttled beyond retries, or another error), so it is not covered. Grant the read-only policy in docs/audit.md, or audit the region again later."},
	{CodeUnverified, "stage-unverified", spec.SeverityInfo, "What a stage serves could not be verified",
		"The gateway did not say what the stage's deployment holds (no apiSummary in GetDeployment, no usable export), so undeployed changes and methods served open were not checked for it. Some emulators (moto) answer so; AWS does not."},
}

// Checks returns the audit's own checks, sorted by ID.
func Checks() []Check { return checks }

func lookupCheck(code string) *Check {
	for i := range checks {
		if checks[i].ID == code {
			return &checks[i]
		}
	}
	return nil
}

// HelpURI is the documentation page of a finding code: docs/rules/ID.md
// for built-in rules, the check's section of docs/audit.md otherwise.
func HelpURI(code string) string {
	switch {
	case policies.Lookup(code) != nil:
		return DocsBase + "rules/" + code + ".md"
	case strings.HasPrefix(code, "PC-P"):
		return DocsBase + "audit.md#probe-answers"
	default:
		return DocsBase + "audit.md#" + strings.ToLower(code)
	}
}

// nameOf is the kebab-case name of a code.
func nameOf(code string) string {
	if r := policies.Lookup(code); r != nil {
		return r.Name
	}
	if c := lookupCheck(code); c != nil {
		return c.Name
	}
	for _, r := range probe.Rules() {
		if r.ID == code {
			return r.Name
		}
	}
	return code
}

// Rules is the rule metadata of every code an audit can report (built-in
// rules, audit checks, probe answers), for SARIF.
func Rules() []report.Rule {
	var out []report.Rule
	for _, r := range policies.Rules() {
		out = append(out, report.Rule{ID: r.ID, Name: r.Name, Severity: r.Severity, Summary: r.Summary, Help: r.Help(), HelpURI: HelpURI(r.ID)})
	}
	for _, c := range checks {
		out = append(out, report.Rule{ID: c.ID, Name: c.Name, Severity: c.Severity, Summary: c.Summary, Help: c.Help, HelpURI: HelpURI(c.ID)})
	}
	for _, r := range probe.Rules() {
		r.HelpURI = HelpURI(r.ID)
		out = append(out, r)
	}
	return out
}
