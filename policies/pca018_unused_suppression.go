package policies

import "github.com/portcullis-dev/portcullis/spec"

var ruleUnusedSuppression = &Rule{
	ID:       "PCA018",
	Name:     "unused-suppression",
	Severity: spec.SeverityWarning,
	Summary:  "A suppression names a rule that does not exist or finds nothing there",
	Explanation: `A suppression that matches no finding is stale (the problem was fixed) or mistyped
(PCA0O1). Left in place, a stale one silently hides the next real finding of that rule on the
element. Only built-in rule IDs are checked: user policies' codes are not known to every run.`,
	Impact:     `A future finding on the element would be hidden.`,
	Resolution: `Remove the suppression, or correct the rule ID.`,
}
