// Package plan turns diff's Changes into an ordered, Terraform-style plan:
// the order in which apply may make the calls so that no method is ever
// open or refused in between (API, authorizers created and updated first,
// then resources and methods created and switched, then deletions, then one
// deployment), whether the stage needs a deployment, and the fingerprint of
// the live API the plan was made against, so a saved plan (-out FILE) is
// refused once the API has changed under it. A REST API's Plan and an HTTP
// API's HTTPPlan have one JSON shape, versioned by FormatVersion
// (docs/plan.schema.json), which is also the saved file's (file.go). Plans
// are plain data: the text and JSON renderings live in views (PlanText,
// HTTPPlanText, PlanDocument); the calls live in apply.
package plan
