// Package rego runs users' own policies, written in Rego v1 the way
// conftest users write them: `deny`, `violation` and `warn` rules (and
// deny_*, violation_*, warn_* variants) in package main, or in the package
// --namespace names. Each policy receives the model as input, exactly the
// document `portcullis show --format json` prints (spec.ToDocument), and
// each message becomes a policies.Finding naming the policy file and, when
// the message identifies one, the route. Policies are sandboxed: builtins
// that reach the network or the runtime are refused when compiling.
// Built-in rules live in the parent package; rendering is report's job.
package rego
