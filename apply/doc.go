// Package apply executes a plan against a live API with the fewest calls
// API Gateway allows: one UpdateMethod/UpdateAuthorizer per element with
// every patch operation batched, nothing when nothing changed, and exactly
// one CreateDeployment at the end (none when the stage already serves the
// working configuration). It makes the calls in the plan's order, stops at
// the first failure before anything is deployed (a re-run converges, since
// the next plan starts from what was done), and on cancellation finishes
// the call in flight and stops.
//
// The second strategy (Import) pushes the generated OpenAPI with PutRestApi
// (merge, failonwarnings) and verifies every method got its authorizer.
//
// It decides nothing: what to change is diff's, the order is plan's.
package apply
