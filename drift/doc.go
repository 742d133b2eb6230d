// Package drift reports every difference in a live API's auth surface
// from its description as findings (spec.Diagnostic values, rendered by
// package report in text, JSON, SARIF or GitHub annotations): authorizers
// added, removed or changed out of band, methods switched to NONE or to
// another authorizer, scopes changed, open methods nobody described, and
// changes made but never deployed to the stage. It reads through diff, so
// drift and plan never disagree, and it makes no calls itself: the live
// State comes from live.Read, which uses read-only calls only.
package drift
