package policies

import "github.com/portcullis-dev/portcullis/spec"

// The rules about suppressions have no check: Finish reports them once
// every other finding is known.

var ruleSuppressionWithoutReason = &Rule{
	ID:       "PCA017",
	Name:     "suppression-without-reason",
	Severity: spec.SeverityWarning,
	Summary:  "A suppression does not say why",
	Explanation: `A suppression (ignore in HCL, x-portcullis-ignore in OpenAPI) keeps a finding out of
the counts and the exit code. Without a reason, nobody can later tell an accepted risk from a
warning that was silenced to get CI green. The suppression still applies; this finding asks for
the reason.`,
	Impact:     `Silenced findings cannot be reviewed.`,
	Resolution: `Add ignore_reason = "..." (HCL) or reason: (OpenAPI x-portcullis-ignore entries).`,
}
