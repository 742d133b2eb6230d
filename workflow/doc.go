// Package workflow runs the steps the live commands share, in the order
// every one of them takes a subset of: load a description and pick its API
// (Load), the policy gate that keeps deny-by-default on the way to AWS
// (Gate), connect to API Gateway (Connect: AWS, an endpoint, or the
// embedded gateway under the local state directory), read the live API
// (Read), plan (Plan), apply it (Apply), deploy a stage (Deploy) and find
// a stage's invoke URL for the probe (StageURL).
//
// It owns the decisions that must not differ per command: which stage a
// flag may name (CheckStage: a typo never creates a stage), which target a
// saved plan was made for (Session.Target), where --local keeps its state
// (StateDir). It renders nothing and decides no exit code: a step that
// could not run returns an *Error, whose Diagnostics the command renders in
// the format it was asked for. cli/ parses flags and renders results;
// audit/ reuses Connect and Read.
//
// It does not compute differences (diff/, plan/), make calls (apply/),
// classify answers (probe/) or judge a description (spec/, policies/).
package workflow
