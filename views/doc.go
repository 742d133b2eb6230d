// Package views renders every command's result for people and for
// machines, apart from the data: the plan, the apply and deploy results,
// the probe matrix, the model, the rule list and check-generators' reports,
// each as text and as one JSON document. Every JSON document embeds the
// diagnostics envelope report.Envelope (format_version, valid, counts,
// diagnostics with start/end ranges), so a CI job reads one schema whatever
// the command. Diagnostics themselves (text with snippets, JSON, SARIF,
// GitHub annotations) are report/'s.
//
// Colour is decided once, by the command line from its streams, and
// passed in; nothing here looks at a terminal or the environment.
package views
